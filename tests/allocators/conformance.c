/*
 * The allocator conformance test: checks one allocator through allocator.h
 * only, so every allocator is held to the same rules.
 *
 *   pab-allocator-conformance NAME [--mib=N]
 *       runs every check; exit 0 when all pass, 1 otherwise, 3 when the
 *       allocator is unavailable, 77 when it cannot be tested in this build.
 *   pab-allocator-conformance --probe NAME
 *       only initialises it and checks who serves malloc, like
 *       `pab-child --probe`: prints the version and exits 0, or prints
 *       "NAME unavailable: why" on stderr and exits 3.
 *   pab-allocator-conformance --counters NAME
 *       prints the names of the counters its statistics hold, one a line,
 *       so that two allocators' can be compared (pymalloc against cpython).
 *   pab-allocator-conformance --list
 *       prints every allocator of a default run, one line each:
 *       "NAME preload|dlopen|- LIBRARY|-". ctest discovers the tests from it
 *       (discover.cmake), so a new allocator cannot go untested.
 *   pab-allocator-conformance --variants
 *       prints the variants the kinds name for their tests, one a line
 *       (pymalloc:arena=4m ...), which discover.cmake tests the same way.
 *
 * An allocator with `preload` must be served by that library: the program
 * re-executes itself with it in LD_PRELOAD, as the harness runs the child.
 */
#include "allocator.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { EXIT_UNAVAILABLE = 3, EXIT_SKIPPED = 77 };
/* SMALL_LIMIT: obmalloc's threshold; COUNTED_LIMIT: the smallest any
 * pymalloc variant has, below which every allocator's in-use figure counts
 * a block (obmalloc's counts only its pools' blocks). */
enum { SMALL_LIMIT = 512, COUNTED_LIMIT = 256, ONE_MIB = 1 << 20 };

#ifdef PAB_SANITIZE
enum { DEFAULT_MIB = 16, SANITIZER_OWNS_MALLOC = 1 };
#else
enum { DEFAULT_MIB = 64, SANITIZER_OWNS_MALLOC = 0 };
#endif

static pab_allocator *tested;
static int failures;

static void check(int ok, const char *format, ...)
{
    if (ok)
        return;
    va_list args;
    va_start(args, format);
    fprintf(stderr, "FAIL %s: ", tested->name);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    failures++;
}

static unsigned char pattern_byte(size_t seed, size_t i) { return (unsigned char)(seed * 131 + i * 31 + 7); }

static void fill(unsigned char *block, size_t size, size_t seed)
{
    for (size_t i = 0; i < size; i++)
        block[i] = pattern_byte(seed, i);
}

/* Index of the first byte that differs from the pattern, or `size`. */
static size_t first_mismatch(const unsigned char *block, size_t size, size_t seed)
{
    for (size_t i = 0; i < size; i++)
        if (block[i] != pattern_byte(seed, i))
            return i;
    return size;
}

/*
 * An allocator promises the alignment it states (allocator.h: 16 unless it
 * says less, as pymalloc:align=8 does), and our allocators keep it for every
 * size. jemalloc, mimalloc and tcmalloc return 8-byte aligned blocks for
 * requests of 8 bytes or less, which C allows (nothing needing more than 8
 * fits in them); a preloaded library serving such a request is held to that
 * rule instead, the way it is measured as shipped.
 */
static int aligned_enough(const void *p, size_t size)
{
    size_t alignment = tested->preload && size <= 8 ? 8 : pab_allocator_alignment(tested);
    return ((uintptr_t)p & (alignment - 1)) == 0;
}

/* --- preload ------------------------------------------------------------ */

static int environment_preloads(const char *library)
{
    const char *preload = getenv("LD_PRELOAD");
    return preload && strstr(preload, library);
}

/* Returns only when the process already runs with the library preloaded. */
static void ensure_preloaded(const pab_allocator *a, char **argv)
{
    if (!a->preload || environment_preloads(a->preload))
        return;
    if (SANITIZER_OWNS_MALLOC) {
        printf("skipped: %s replaces malloc, which AddressSanitizer owns in this build\n", a->name);
        exit(EXIT_SKIPPED);
    }
    setenv("LD_PRELOAD", a->preload, 1);
    execv("/proc/self/exe", argv);
    fprintf(stderr, "cannot re-execute with LD_PRELOAD=%s\n", a->preload);
    exit(1);
}

/* NULL when malloc is served by the allocator's library, else why not. */
static const char *malloc_server_mismatch(const pab_allocator *a)
{
    static char why[512];
    Dl_info info;
    if (!a->preload)
        return NULL;
    if (!dladdr(dlsym(RTLD_DEFAULT, "malloc"), &info) || !info.dli_fname) {
        snprintf(why, sizeof why, "cannot tell which library serves malloc");
        return why;
    }
    const char *slash = strrchr(info.dli_fname, '/');
    const char *file = slash ? slash + 1 : info.dli_fname;
    if (strcmp(file, a->preload) == 0)
        return NULL;
    snprintf(why, sizeof why, "malloc is served by %s, not %s", info.dli_fname, a->preload);
    return why;
}

/* Initialises the allocator or exits with the probe's convention. */
static void start(pab_allocator *a)
{
    const char *why = pab_allocator_start(a);
    if (!why)
        why = malloc_server_mismatch(a);
    if (why) {
        fprintf(stderr, "%s unavailable: %s\n", a->name, why);
        exit(EXIT_UNAVAILABLE);
    }
}

/* --- the checks ----------------------------------------------------------- */

static void check_edge_cases(void)
{
    tested->free(NULL);
    void *a = tested->malloc(0), *b = tested->malloc(0);
    check(a && b && a != b, "malloc(0) twice gave %p and %p, not two distinct blocks", a, b);
    check(aligned_enough(a, 0) && aligned_enough(b, 0), "malloc(0) gave %p and %p: misaligned", a, b);
    tested->free(a);
    tested->free(b);

    unsigned char *c = tested->realloc(NULL, 100);
    check(c && aligned_enough(c, 100), "realloc(NULL, 100) gave %p", (void *)c);
    if (c) {
        fill(c, 100, 1);
        check(first_mismatch(c, 100, 1) == 100, "block from realloc(NULL, 100) does not hold data");
    }
    tested->free(c);
}

/* Every size up to 4 KiB alive at once, each filled with its own pattern:
 * a block overlapping another or too short shows as a changed byte. */
static void check_small_sizes_live_together(void)
{
    enum { LAST = 4096 };
    static unsigned char *blocks[LAST + 1];
    for (size_t size = 0; size <= LAST; size++) {
        blocks[size] = tested->malloc(size);
        check(blocks[size] != NULL, "malloc(%zu) returned NULL", size);
        check(aligned_enough(blocks[size], size), "malloc(%zu) = %p is misaligned", size, (void *)blocks[size]);
        if (blocks[size])
            fill(blocks[size], size, size);
    }
    for (size_t size = 0; size <= LAST; size++) {
        if (!blocks[size])
            continue;
        size_t at = first_mismatch(blocks[size], size, size);
        check(at == size, "block of %zu bytes changed at byte %zu while others were written", size, at);
        tested->free(blocks[size]);
    }
}

static void check_large_sizes(void)
{
    for (size_t size = 4096; size <= ONE_MIB; size = size * 5 / 4 + 1) {
        for (size_t s = size; s <= size + 16 && s <= ONE_MIB; s += 15) {
            unsigned char *block = tested->malloc(s);
            check(block && aligned_enough(block, s), "malloc(%zu) gave %p", s, (void *)block);
            if (!block)
                continue;
            fill(block, s, s);
            check(first_mismatch(block, s, s) == s, "block of %zu bytes does not hold data", s);
            tested->free(block);
        }
    }
    unsigned char *block = tested->malloc(ONE_MIB);
    check(block && aligned_enough(block, ONE_MIB), "malloc(1 MiB) gave %p", (void *)block);
    if (block) {
        fill(block, ONE_MIB, 3);
        check(first_mismatch(block, ONE_MIB, 3) == ONE_MIB, "block of 1 MiB does not hold data");
    }
    tested->free(block);
}

/* Grows and shrinks one block across the small-request threshold, with a
 * neighbour alive so that growing in place is not always possible. */
static void check_realloc_keeps_contents(void)
{
    static const size_t steps[] = {1,   16,  100, 511,    512,     513, 600, 1000, 4096, 65536,
                                   ONE_MIB, 700, 513, 512, 511, 200, 17,  1,    513,  SMALL_LIMIT};
    void *neighbour = tested->malloc(64);
    size_t size = steps[0];
    unsigned char *block = tested->malloc(size);
    check(block != NULL, "malloc(1) returned NULL");
    if (!block)
        return;
    fill(block, size, 9);
    for (size_t i = 1; i < sizeof steps / sizeof steps[0]; i++) {
        unsigned char *moved = tested->realloc(block, steps[i]);
        check(moved && aligned_enough(moved, steps[i]), "realloc(%zu -> %zu) gave %p", size, steps[i], (void *)moved);
        if (!moved)
            break;
        size_t kept = size < steps[i] ? size : steps[i];
        size_t at = first_mismatch(moved, kept, 9);
        check(at == kept, "realloc(%zu -> %zu) changed byte %zu of the %zu it must keep", size, steps[i], at,
              kept);
        block = moved;
        size = steps[i];
        fill(block, size, 9);
    }
    tested->free(block);
    tested->free(neighbour);
}

static void check_stats_record(const pab_stats *s, const char *when)
{
    check(s->ncounters >= 0 && s->ncounters <= PAB_STATS_MAX_COUNTERS, "%s: %d counters", when, s->ncounters);
    check(s->in_use_bytes == -1 || s->in_use_bytes >= 0, "%s: in_use_bytes %g", when, s->in_use_bytes);
    check(s->resident_bytes == -1 || s->resident_bytes >= 0, "%s: resident_bytes %g", when, s->resident_bytes);
    check(s->mapped_bytes == -1 || s->mapped_bytes >= 0, "%s: mapped_bytes %g", when, s->mapped_bytes);
    for (int i = 0; i < s->ncounters; i++) {
        check(s->counters[i].name && s->counters[i].name[0], "%s: counter %d has no name", when, i);
        for (int j = 0; j < i; j++)
            check(strcmp(s->counters[i].name, s->counters[j].name) != 0, "%s: counter %s appears twice", when,
                  s->counters[i].name);
    }
}

static void print_stats(const pab_stats *s, const char *when)
{
    printf("%s: in_use_bytes=%.0f resident_bytes=%.0f mapped_bytes=%.0f\n", when, s->in_use_bytes,
           s->resident_bytes, s->mapped_bytes);
    for (int i = 0; i < s->ncounters; i++)
        printf("%s:   %s=%.0f\n", when, s->counters[i].name, s->counters[i].value);
}

/* The figure the allocator keeps best: bytes in use, or else what it mapped. */
static double primary_figure(const pab_stats *s, int use_in_use)
{
    return use_in_use ? s->in_use_bytes : s->mapped_bytes;
}

/* Sizes cycle through the small classes, with one block in eight above the
 * threshold so that layered allocators move both layers. */
static size_t stats_block_size(size_t i) { return i % 8 == 7 ? 513 + i % 2048 : 8 + i * 24 % SMALL_LIMIT; }

static void check_stats_move(size_t total)
{
    pab_stats before, loaded, emptied;
    if (!pab_allocator_stats(tested, &before)) {
        printf("no statistics to check\n");
        return;
    }
    check_stats_record(&before, "before");

    size_t count = 0, bytes = 0, small_bytes = 0;
    /* The list of blocks comes from mmap, so that no allocator counts it. */
    size_t capacity = total / 8, list_bytes = capacity * sizeof(void *);
    void **blocks = mmap(NULL, list_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (blocks == MAP_FAILED) {
        check(0, "cannot map a list of %zu blocks", capacity);
        return;
    }
    for (; bytes < total && count < capacity; count++) {
        size_t size = stats_block_size(count);
        blocks[count] = tested->malloc(size);
        check(blocks[count] != NULL, "malloc(%zu) returned NULL after %zu bytes", size, bytes);
        if (!blocks[count])
            break;
        memset(blocks[count], 0xa5, size);
        bytes += size;
        small_bytes += size <= COUNTED_LIMIT ? size : 0;
    }
    pab_stats again;
    pab_allocator_stats(tested, &loaded);
    pab_allocator_stats(tested, &again);
    check_stats_record(&loaded, "loaded");
    /* Reading the statistics must not allocate through the allocator they describe. */
    check(loaded.in_use_bytes == again.in_use_bytes, "in_use_bytes moved from %.0f to %.0f by reading the stats",
          loaded.in_use_bytes, again.in_use_bytes);
    print_stats(&loaded, "after allocating");

    for (size_t i = 0; i < count; i++)
        tested->free(blocks[i]);
    munmap(blocks, list_bytes);
    pab_allocator_trim(tested);
    pab_allocator_stats(tested, &emptied);
    check_stats_record(&emptied, "emptied");
    print_stats(&emptied, "after freeing and trimming");

    /* Under AddressSanitizer, libc's malloc entry is served by ASan, which
     * the system allocator's statistics do not see. */
    if (SANITIZER_OWNS_MALLOC && tested->malloc == malloc) {
        printf("statistics of the system malloc not checked: AddressSanitizer serves malloc\n");
        return;
    }
    int use_in_use = before.in_use_bytes >= 0 && loaded.in_use_bytes >= 0 && emptied.in_use_bytes >= 0;
    double start = primary_figure(&before, use_in_use), peak = primary_figure(&loaded, use_in_use),
           end = primary_figure(&emptied, use_in_use);
    const char *figure = use_in_use ? "in_use_bytes" : "mapped_bytes";
    check(start >= 0, "neither in_use_bytes nor mapped_bytes is known");
    /* Blocks up to COUNTED_LIMIT count in every allocator's figure. */
    check(peak - start >= small_bytes * 0.9, "%s rose by %.0f after allocating %zu bytes (%zu in blocks of %d or less)",
          figure, peak - start, bytes, small_bytes, COUNTED_LIMIT);
    check(end - start <= (peak - start) / 4, "%s went %.0f -> %.0f -> %.0f: not back down after freeing",
          figure, start, peak, end);
}

/* --- main ------------------------------------------------------------------ */

static pab_allocator *make_or_exit(const char *spec)
{
    char err[512];
    pab_allocator *a = pab_allocator_make(spec, err, sizeof err);
    if (!a) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
    return a;
}

static int probe(const char *name, char **argv)
{
    tested = make_or_exit(name);
    ensure_preloaded(tested, argv);
    start(tested);
    printf("%s\n", tested->version(tested));
    return 0;
}

static int print_counters(const char *name, char **argv)
{
    tested = make_or_exit(name);
    ensure_preloaded(tested, argv);
    start(tested);
    void *block = tested->malloc(24);
    pab_stats s;
    pab_allocator_stats(tested, &s);
    for (int i = 0; i < s.ncounters; i++)
        printf("%s\n", s.counters[i].name);
    tested->free(block);
    return 0;
}

static void list_one(const char *spec)
{
    pab_allocator *a = make_or_exit(spec);
    const char *how = a->preload ? "preload" : a->library ? "dlopen" : "-";
    const char *library = a->preload ? a->preload : a->library ? a->library : "-";
    printf("%s %s %s\n", a->name, how, library);
    pab_allocator_free(a);
}

/* Every allocator a run can make by name: the defaults and the test-only kinds. */
static int list_allocators(void)
{
    for (const char *const *spec = pab_allocator_defaults(); *spec; spec++)
        list_one(*spec);
    for (const pab_allocator *const *k = pab_allocator_kinds; *k; k++)
        if ((*k)->test_only)
            list_one((*k)->name);
    return 0;
}

static int list_variants(void)
{
    for (const pab_allocator *const *k = pab_allocator_kinds; *k; k++)
        for (const char *const *v = (*k)->variants ? (*k)->variants() : NULL; v && *v; v++)
            printf("%s\n", *v);
    return 0;
}

static int conform(int argc, char **argv)
{
    size_t mib = DEFAULT_MIB;
    for (int i = 2; i < argc; i++) {
        if (strncmp(argv[i], "--mib=", 6) == 0 && atoi(argv[i] + 6) > 0)
            mib = (size_t)atoi(argv[i] + 6);
        else {
            fprintf(stderr, "unknown argument '%s'\n", argv[i]);
            return 2;
        }
    }
    tested = make_or_exit(argv[1]);
    ensure_preloaded(tested, argv);
    start(tested);
    const char *version = tested->version(tested);
    check(version && version[0], "version() is empty");
    printf("%s: %s\n", tested->name, version ? version : "(null)");

    check_edge_cases();
    check_small_sizes_live_together();
    check_large_sizes();
    check_realloc_keeps_contents();
    check_stats_move(mib * ONE_MIB);
    pab_allocator_stop(tested);
    printf("%s: %d failure(s)\n", tested->name, failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--probe") == 0)
        return probe(argv[2], argv);
    if (argc == 3 && strcmp(argv[1], "--counters") == 0)
        return print_counters(argv[2], argv);
    if (argc == 2 && strcmp(argv[1], "--list") == 0)
        return list_allocators();
    if (argc == 2 && strcmp(argv[1], "--variants") == 0)
        return list_variants();
    if (argc >= 2 && argv[1][0] != '-')
        return conform(argc, argv);
    fprintf(stderr, "usage: %s NAME [--mib=N] | --probe NAME | --counters NAME | --list | --variants\n", argv[0]);
    return 2;
}
