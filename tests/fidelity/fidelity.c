/*
 * pab_fidelity: runs the same operation sequences through CPython's real
 * obmalloc (libpython3's PyObject_Malloc/Realloc/Free) and through our
 * pymalloc, and compares _PyObject_DebugMallocStats with
 * pymalloc_print_stats number for number at every checkpoint.
 *
 * What could legitimately differ is where mmap puts the arenas: a pool-
 * misaligned arena has 63 usable pools instead of 64 ("bytes lost to arena
 * alignment", and then the arena counts), and the radix tree's node counts
 * follow the addresses. Instead of excluding those lines, arena_placement.c
 * hands both allocators the same arena addresses (relative to two private
 * regions), so EVERY line is compared exactly, none excluded; each sequence
 * runs twice, once with pool-aligned arenas and once with arenas 40 KiB off
 * a 1 MiB boundary (not pool-aligned, and straddling two radix frames).
 * With identical addresses a faithful reimplementation also returns the
 * same block for every request, so the offset of each returned block in
 * its region is compared too.
 *
 * Each (sequence, alignment) runs in a forked child so that both allocators
 * start empty and a failure cannot spoil the next run.
 *
 *   pab_fidelity [--scale=PERCENT] [--seed=N] [--only=SEQUENCE]
 *   pab_fidelity --trace=FILE   the mem and object calls of a recorded trace
 *                               (trace_sequence.h), checkpointed every 10000
 */
#include <Python.h>

#include "arena_placement.h"
#include "pymalloc.h"
#include "sequences.h"
#include "stats_text.h"
#include "trace_sequence.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { SIDE_REAL = 0, SIDE_OURS = 1 };

/* What a returned pointer was, comparable across the two allocators. */
#define RESULT_NULL UINT64_MAX
#define RESULT_SYSTEM (UINT64_MAX - 1) /* outside the arenas: the system allocator's */

typedef struct side {
    const char *label;
    void *(*malloc)(size_t);
    void *(*realloc)(void *, size_t);
    void (*free)(void *);
    void (*print_stats)(FILE *);
    void **ptrs; /* by slot */
} side;

/* Exported by libpython3 but declared only in its internal headers (Py_BUILD_CORE). */
int _PyObject_DebugMallocStats(FILE *out);

static void print_real_stats(FILE *out) { _PyObject_DebugMallocStats(out); }

static side sides[PLACEMENT_SIDES] = {
    [SIDE_REAL] = {"CPython", PyObject_Malloc, PyObject_Realloc, PyObject_Free, print_real_stats, NULL},
    [SIDE_OURS] = {"ours", pymalloc_malloc, pymalloc_realloc, pymalloc_free, pymalloc_print_stats, NULL},
};

typedef struct run_config {
    const sequence *seq;
    size_t residue; /* arena offset from a 1 MiB boundary */
    const char *alignment;
    unsigned scale;
    uint64_t seed;
} run_config;

static uint64_t classify(int s, const void *p)
{
    if (!p)
        return RESULT_NULL;
    if (!placement_contains(s, p))
        return RESULT_SYSTEM;
    return (uint64_t)((uintptr_t)p - placement_base(s));
}

/* Replays ops [from, to) on side s, recording what each malloc/realloc returned. */
static void replay(int s, const script *sc, size_t from, size_t to, uint64_t *results)
{
    side *sd = &sides[s];
    placement_select(s);
    for (size_t i = from; i < to; i++) {
        const script_op *op = &sc->ops[i];
        void **slot = &sd->ptrs[op->slot];
        if (op->kind == SCRIPT_MALLOC)
            *slot = sd->malloc(op->size);
        else if (op->kind == SCRIPT_REALLOC)
            *slot = sd->realloc(*slot, op->size);
        else if (op->kind == SCRIPT_FREE)
            sd->free(*slot);
        results[i] = op->kind == SCRIPT_FREE ? 0 : classify(s, *slot);
    }
    placement_select(PLACEMENT_NO_SIDE);
}

static int capture_stats(int s, stats_report *out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        fprintf(stderr, "fidelity: open_memstream: %s\n", strerror(errno));
        return -1;
    }
    sides[s].print_stats(f);
    int rc = fclose(f) == 0 ? stats_parse(text, out) : -1;
    free(text);
    return rc;
}

static long long number_of(const stats_report *r, const char *key, int index)
{
    const stats_line *l = stats_find(r, key);
    return l && l->nnumbers > index ? l->numbers[index] : -1;
}

/* pymalloc_get_stats must say what pymalloc_print_stats printed. */
static int check_struct_agrees(const stats_report *printed)
{
    pymalloc_stats st;
    pymalloc_get_stats(&st);
    long long pools = 0;
    for (int c = 0; c < 32; c++) {
        char key[32];
        snprintf(key, sizeof key, "class %d", c);
        const stats_line *l = stats_find(printed, key);
        pools += l ? l->numbers[2] : 0;
    }
    struct {
        const char *what;
        long long printed;
        size_t field;
    } pairs[] = {
        {"arenas_allocated_total", number_of(printed, "# arenas allocated total = #", 0), st.arenas_allocated_total},
        {"arenas_reclaimed", number_of(printed, "# arenas reclaimed = #", 0), st.arenas_reclaimed},
        {"arenas_highwater", number_of(printed, "# arenas highwater mark = #", 0), st.arenas_highwater},
        {"arenas_current", number_of(printed, "# arenas allocated current = #", 0), st.arenas_current},
        {"pools_used", pools, st.pools_used},
        {"pools_free", number_of(printed, "# unused pools * # bytes = #", 0), st.pools_free},
        {"blocks_allocated_bytes", number_of(printed, "# bytes in allocated blocks = #", 0), st.blocks_allocated_bytes},
        {"blocks_available_bytes", number_of(printed, "# bytes in available blocks = #", 0), st.blocks_available_bytes},
        {"radix_nodes_mid", number_of(printed, "# arena map mid nodes = #", 0), st.radix_nodes_mid},
        {"radix_nodes_bottom", number_of(printed, "# arena map bot nodes = #", 0), st.radix_nodes_bottom},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (pairs[i].printed != (long long)pairs[i].field) {
            printf("  pymalloc_get_stats().%s = %zu but pymalloc_print_stats printed %lld\n", pairs[i].what,
                   pairs[i].field, pairs[i].printed);
            bad++;
        }
    return bad;
}

/* Each side's stats must count exactly the arenas it mapped and unmapped through us. */
static int check_placement_counts(int s, const stats_report *r)
{
    placement_counts c = placement_counts_of(s);
    long long total = number_of(r, "# arenas allocated total = #", 0), reclaimed = number_of(r, "# arenas reclaimed = #", 0);
    if ((long long)c.mapped == total && (long long)c.unmapped == reclaimed && !c.bad_unmaps)
        return 0;
    printf("  %s: mmap placed %zu arenas and saw %zu unmapped (%zu bad munmaps), its stats say %lld and %lld\n",
           sides[s].label, c.mapped, c.unmapped, c.bad_unmaps, total, reclaimed);
    return 1;
}

static const char *kind_name(uint8_t kind)
{
    return kind == SCRIPT_MALLOC ? "malloc" : kind == SCRIPT_REALLOC ? "realloc" : "free";
}

static void describe_result(uint64_t r, char *buf, size_t n)
{
    if (r == RESULT_NULL)
        snprintf(buf, n, "NULL");
    else if (r == RESULT_SYSTEM)
        snprintf(buf, n, "a system block");
    else
        snprintf(buf, n, "region+0x%" PRIx64, r);
}

/* The first op of [from, to) where the two allocators returned different blocks, if any. */
static int check_same_blocks(const script *sc, size_t from, size_t to, uint64_t *const results[2])
{
    for (size_t i = from; i < to; i++)
        if (results[SIDE_REAL][i] != results[SIDE_OURS][i]) {
            char a[48], b[48];
            describe_result(results[SIDE_REAL][i], a, sizeof a);
            describe_result(results[SIDE_OURS][i], b, sizeof b);
            printf("  op %zu (%s of slot %" PRIu32 ", %" PRIu32 " bytes): CPython returned %s, ours %s\n", i,
                   kind_name(sc->ops[i].kind), sc->ops[i].slot, sc->ops[i].size, a, b);
            return 1;
        }
    return 0;
}

static int compare_checkpoint(const script *sc, size_t from, size_t to, uint64_t *const results[2], int checkpoint)
{
    static stats_report reports[PLACEMENT_SIDES];
    for (int s = 0; s < PLACEMENT_SIDES; s++)
        if (capture_stats(s, &reports[s]) != 0)
            return 1;
    printf("  checkpoint %d after op %zu:\n", checkpoint, to);
    int bad = stats_compare(&reports[SIDE_REAL], &reports[SIDE_OURS], "CPython", "ours", stdout);
    bad += check_struct_agrees(&reports[SIDE_OURS]);
    for (int s = 0; s < PLACEMENT_SIDES; s++)
        bad += check_placement_counts(s, &reports[s]);
    bad += check_same_blocks(sc, from, to, results);
    if (!bad)
        printf("    equal: %lld arenas now, %lld allocated in total, %lld bytes in allocated blocks\n",
               number_of(&reports[SIDE_REAL], "# arenas allocated current = #", 0),
               number_of(&reports[SIDE_REAL], "# arenas allocated total = #", 0),
               number_of(&reports[SIDE_REAL], "# bytes in allocated blocks = #", 0));
    return bad;
}

/* libpython must not have used its allocator before we start, or both sides would not begin alike. */
static int check_real_starts_empty(void)
{
    stats_report r;
    if (capture_stats(SIDE_REAL, &r) != 0)
        return 1;
    if (number_of(&r, "# arenas allocated total = #", 0) == 0)
        return 0;
    printf("  libpython had already allocated arenas before the test began\n");
    return 1;
}

/* The child's work: build the script, replay it segment by segment, compare. Exit status 0 = identical. */
static int run_child(const run_config *cfg)
{
    if (placement_init(cfg->residue) != 0) {
        printf("  cannot reserve the arena regions: %s\n", strerror(errno));
        return 2;
    }
    if (check_real_starts_empty())
        return 1;
    script sc;
    script_init(&sc, cfg->seed);
    cfg->seq->build(&sc, cfg->scale);
    uint64_t *results[2];
    for (int s = 0; s < PLACEMENT_SIDES; s++) {
        sides[s].ptrs = calloc(sc.nslots, sizeof(void *));
        results[s] = calloc(sc.nops, sizeof(uint64_t));
        if (!sides[s].ptrs || !results[s]) {
            printf("  out of memory for a script of %zu ops\n", sc.nops);
            return 2;
        }
    }
    int checkpoint = 0;
    for (size_t from = 0; from < sc.nops;) {
        size_t to = from;
        while (to < sc.nops && sc.ops[to].kind != SCRIPT_CHECKPOINT)
            to++;
        for (int s = 0; s < PLACEMENT_SIDES; s++)
            replay(s, &sc, from, to, results[s]);
        if (compare_checkpoint(&sc, from, to, results, ++checkpoint))
            return 1;
        from = to + 1;
    }
    printf("  %zu ops, %d checkpoints: identical\n", sc.nops, checkpoint);
    return 0;
}

/* 1 if the run matched exactly, 0 if not. */
static int run_forked(const run_config *cfg)
{
    printf("%s, %s:\n", cfg->seq->name, cfg->alignment);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "pab_fidelity: fork: %s\n", strerror(errno));
        exit(2);
    }
    if (pid == 0) {
        int rc = run_child(cfg);
        fflush(stdout);
        _exit(rc);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) {
        fprintf(stderr, "pab_fidelity: waitpid: %s\n", strerror(errno));
        exit(2);
    }
    if (WIFSIGNALED(status))
        printf("  the run died of signal %d\n", WTERMSIG(status));
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void usage_error(const char *what)
{
    fprintf(stderr, "pab_fidelity: %s (usage: pab_fidelity [--scale=PERCENT] [--seed=N] [--only=SEQUENCE])\n", what);
    exit(2);
}

static uint64_t parse_number(const char *text, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || *text == '-')
        usage_error(what);
    return v;
}

static const char *trace_path;

static void trace_build(script *s, unsigned scale)
{
    (void)scale;
    char err[600];
    if (trace_sequence_build(s, trace_path, 10000, err, sizeof err) != 0) {
        fprintf(stderr, "pab_fidelity: %s\n", err);
        exit(2);
    }
}

int main(int argc, char **argv)
{
    run_config cfg = {.scale = 100, .seed = 1};
    const char *only = NULL;
    static const sequence trace_sequence[] = {{"trace", trace_build}};
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--scale=", 8) == 0)
            cfg.scale = (unsigned)parse_number(argv[i] + 8, "--scale wants a percentage from 1 to 400");
        else if (strncmp(argv[i], "--seed=", 7) == 0)
            cfg.seed = parse_number(argv[i] + 7, "--seed wants a non-negative integer");
        else if (strncmp(argv[i], "--only=", 7) == 0)
            only = argv[i] + 7;
        else if (strncmp(argv[i], "--trace=", 8) == 0)
            trace_path = argv[i] + 8;
        else
            usage_error("unknown argument");
    }
    if (cfg.scale < 1 || cfg.scale > 400)
        usage_error("--scale wants a percentage from 1 to 400");

    static const struct {
        size_t residue;
        const char *name;
    } alignments[] = {{0, "arenas pool-aligned (64 pools)"}, {40 << 10, "arenas 40 KiB off (63 pools)"}};
    int runs = 0, matched = 0;
    const sequence *table = trace_path ? trace_sequence : sequences;
    int ntable = trace_path ? 1 : nsequences;
    for (int q = 0; q < ntable; q++) {
        if (only && strcmp(only, table[q].name) != 0)
            continue;
        for (size_t a = 0; a < sizeof alignments / sizeof *alignments; a++) {
            cfg.seq = &table[q];
            cfg.residue = alignments[a].residue;
            cfg.alignment = alignments[a].name;
            runs++;
            matched += run_forked(&cfg);
        }
    }
    if (!runs)
        usage_error("no sequence has that name");
    printf("pab_fidelity: %d of %d sequence runs matched CPython exactly (seed %" PRIu64 ", scale %u%%; no line excluded)\n",
           matched, runs, cfg.seed, cfg.scale);
    return matched == runs ? 0 : 1;
}
