/*
 * pab_stress: a randomized stress test for any allocator of the suite.
 *
 * It keeps a table of live blocks, each filled with a pattern that only its
 * (id, size) produces, and checks every byte of a block before freeing or
 * reallocating it (and the kept prefix after a realloc), so overlapping
 * blocks, allocator metadata written into live blocks and lost realloc data
 * are all caught. Sizes follow a Python-like mix; the window of slots in use
 * and the free/realloc balance change by phase so the heap grows, shrinks
 * and drains, which is what exercises arena and pool release.
 *
 *   pab_stress --allocator=NAME [--ops=N] [--seed=N] [--slots=N] [--expect-empty]
 *
 * A failure prints the seed and the op count that reproduce it.
 */
#include "allocator.h"
#include "pab_block_pattern.h"
#include "pab_test_rng.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STRESS_MAX_SIZE = 2048 };

typedef struct live_block {
    unsigned char *ptr; /* NULL when the slot is empty */
    uint64_t id;
    uint32_t size;
} live_block;

typedef struct stress_options {
    const char *allocator;
    uint64_t ops;
    uint64_t seed;
    uint32_t slots;
    bool expect_empty; /* stats' in_use_bytes must return to its starting value */
} stress_options;

typedef struct stress_counts {
    uint64_t mallocs, reallocs, grows, shrinks, frees, zero_size, large;
    uint64_t live, peak_live;
} stress_counts;

typedef struct stress_run {
    pab_allocator *alloc;
    stress_options opt;
    pab_test_rng rng;
    uint64_t done; /* operations performed */
    uint64_t next_id;
    live_block *slots;
    uint32_t window;   /* ops touch slots [0, window): the rest stay live meanwhile */
    uint32_t free_pct; /* chance that an op on a live slot frees rather than reallocs */
    stress_counts n;
} stress_run;

static void stress_fail(const stress_run *run, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "pab_stress: allocator %s, op %" PRIu64 ": ", run->opt.allocator, run->done);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\npab_stress: reproduce with --allocator=%s --seed=%" PRIu64 " --ops=%" PRIu64 " --slots=%" PRIu32 "\n",
            run->opt.allocator, run->opt.seed, run->opt.ops, run->opt.slots);
    exit(1);
}

/* Python-like: 16-64 bytes dominate, a tail to 512, a few system-sized and empty requests. */
static uint32_t python_like_size(pab_test_rng *rng)
{
    uint32_t r = pab_test_rng_below(rng, 100);
    if (r < 2)
        return 0;
    if (r < 8)
        return pab_test_rng_range(rng, 1, 15);
    if (r < 65)
        return pab_test_rng_range(rng, 16, 64);
    if (r < 85)
        return pab_test_rng_range(rng, 65, 256);
    if (r < 95)
        return pab_test_rng_range(rng, 257, 512);
    return pab_test_rng_range(rng, 513, STRESS_MAX_SIZE);
}

/* Growth like a list's over-allocation, shrinks both within and beyond a quarter, or a fresh size. Never 0. */
static uint32_t realloc_size(pab_test_rng *rng, uint32_t old)
{
    uint32_t r = pab_test_rng_below(rng, 100), size;
    if (r < 45)
        size = old + old / 8 + pab_test_rng_range(rng, 1, 64);
    else if (r < 75)
        size = old > 1 ? pab_test_rng_range(rng, 1, old - 1) : 1;
    else
        size = python_like_size(rng);
    if (size > STRESS_MAX_SIZE)
        size = STRESS_MAX_SIZE;
    return size ? size : 1;
}

static void check_fresh_pointer(stress_run *run, const void *p, size_t size)
{
    if (!p)
        stress_fail(run, "returned NULL for %zu bytes", size);
    /* The alignment the allocator states (allocator.h), for every size. */
    unsigned alignment = pab_allocator_alignment(run->alloc);
    if ((uintptr_t)p % alignment)
        stress_fail(run, "returned %p for %zu bytes: not %u-byte aligned", p, size, alignment);
}

static void verify_block(const stress_run *run, const live_block *b, size_t len, const char *when)
{
    size_t bad = pab_pattern_check(b->ptr, b->id, b->size, len);
    if (bad != SIZE_MAX)
        stress_fail(run, "block id %" PRIu64 " (%p, %" PRIu32 " bytes) corrupt %s: byte %zu is 0x%02x, expected 0x%02x",
                    b->id, (void *)b->ptr, b->size, when, bad, b->ptr[bad], pab_pattern_byte(b->id, b->size, bad));
}

static void count_size(stress_run *run, uint32_t size)
{
    run->n.zero_size += size == 0;
    run->n.large += size > 512;
}

static void do_malloc(stress_run *run, live_block *b)
{
    uint32_t size = python_like_size(&run->rng);
    b->ptr = run->alloc->malloc(size);
    check_fresh_pointer(run, b->ptr, size);
    b->id = run->next_id++;
    b->size = size;
    pab_pattern_fill(b->ptr, b->id, size);
    run->n.mallocs++;
    count_size(run, size);
    if (++run->n.live > run->n.peak_live)
        run->n.peak_live = run->n.live;
}

static void do_free(stress_run *run, live_block *b)
{
    verify_block(run, b, b->size, "before free");
    run->alloc->free(b->ptr);
    b->ptr = NULL;
    run->n.frees++;
    run->n.live--;
}

static void do_realloc(stress_run *run, live_block *b)
{
    uint32_t size = realloc_size(&run->rng, b->size);
    verify_block(run, b, b->size, "before realloc");
    unsigned char *p = run->alloc->realloc(b->ptr, size);
    check_fresh_pointer(run, p, size);
    live_block moved = {p, b->id, b->size};
    verify_block(run, &moved, size < b->size ? size : b->size, "in the prefix realloc keeps");
    run->n.grows += size > b->size;
    run->n.shrinks += size < b->size;
    *b = (live_block){p, run->next_id++, size};
    pab_pattern_fill(p, b->id, size);
    run->n.reallocs++;
    count_size(run, size);
}

static void new_phase(stress_run *run)
{
    run->window = pab_test_rng_range(&run->rng, 16, run->opt.slots);
    run->free_pct = pab_test_rng_range(&run->rng, 20, 80);
}

/* Frees every live block: the heap empties, so arenas and pools must be released and rebuilt. */
static void drain(stress_run *run)
{
    for (uint32_t i = 0; i < run->opt.slots && run->done < run->opt.ops; i++)
        if (run->slots[i].ptr) {
            do_free(run, &run->slots[i]);
            run->done++;
        }
}

static void one_op(stress_run *run)
{
    live_block *b = &run->slots[pab_test_rng_below(&run->rng, run->window)];
    if (!b->ptr)
        do_malloc(run, b);
    else if (pab_test_rng_below(&run->rng, 100) < run->free_pct)
        do_free(run, b);
    else
        do_realloc(run, b);
    run->done++;
}

static void run_ops(stress_run *run)
{
    while (run->done < run->opt.ops) {
        new_phase(run);
        if (pab_test_rng_below(&run->rng, 10) == 0) {
            drain(run);
            continue;
        }
        uint64_t end = run->done + pab_test_rng_range(&run->rng, 1u << 12, 1u << 17);
        while (run->done < end && run->done < run->opt.ops)
            one_op(run);
    }
}

static void free_all(stress_run *run)
{
    for (uint32_t i = 0; i < run->opt.slots; i++)
        if (run->slots[i].ptr)
            do_free(run, &run->slots[i]);
}

static double in_use_bytes(const pab_allocator *a)
{
    pab_stats s;
    pab_allocator_stats(a, &s);
    return s.in_use_bytes;
}

static bool parse_u64(const char *arg, const char *prefix, uint64_t *out)
{
    size_t n = strlen(prefix);
    if (strncmp(arg, prefix, n) != 0)
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg + n, &end, 10);
    if (errno || end == arg + n || *end || arg[n] == '-') {
        fprintf(stderr, "pab_stress: %s wants a non-negative integer, got '%s'\n", prefix, arg + n);
        exit(2);
    }
    *out = v;
    return true;
}

static stress_options parse_options(int argc, char **argv)
{
    stress_options opt = {.ops = 10000000, .seed = 1, .slots = 1u << 15};
    for (int i = 1; i < argc; i++) {
        uint64_t slots = opt.slots;
        if (strncmp(argv[i], "--allocator=", 12) == 0)
            opt.allocator = argv[i] + 12;
        else if (strcmp(argv[i], "--expect-empty") == 0)
            opt.expect_empty = true;
        else if (!parse_u64(argv[i], "--ops=", &opt.ops) && !parse_u64(argv[i], "--seed=", &opt.seed) &&
                 !parse_u64(argv[i], "--slots=", &slots)) {
            fprintf(stderr, "pab_stress: unknown argument '%s' (usage: --allocator=NAME [--ops=N] [--seed=N] [--slots=N] [--expect-empty])\n", argv[i]);
            exit(2);
        }
        if (slots < 16 || slots > (1u << 24)) {
            fprintf(stderr, "pab_stress: --slots must be between 16 and %u\n", 1u << 24);
            exit(2);
        }
        opt.slots = (uint32_t)slots;
    }
    if (!opt.allocator) {
        fprintf(stderr, "pab_stress: --allocator=NAME is required\n");
        exit(2);
    }
    return opt;
}

int main(int argc, char **argv)
{
    stress_run run = {.opt = parse_options(argc, argv)};
    char err[512];
    run.alloc = pab_allocator_make(run.opt.allocator, err, sizeof err);
    if (!run.alloc) {
        fprintf(stderr, "pab_stress: %s\n", err);
        return 2;
    }
    const char *why = pab_allocator_start(run.alloc);
    if (why) {
        fprintf(stderr, "pab_stress: allocator %s cannot run: %s\n", run.opt.allocator, why);
        return 2;
    }
    pab_stats probe;
    if (run.opt.expect_empty && !pab_allocator_stats(run.alloc, &probe)) {
        fprintf(stderr, "pab_stress: --expect-empty needs an allocator with statistics\n");
        return 2;
    }
    pab_test_rng_seed(&run.rng, run.opt.seed);
    run.slots = calloc(run.opt.slots, sizeof *run.slots);
    if (!run.slots) {
        fprintf(stderr, "pab_stress: cannot allocate the table of %" PRIu32 " slots\n", run.opt.slots);
        return 2;
    }
    double in_use_before = run.opt.expect_empty ? in_use_bytes(run.alloc) : 0;

    run_ops(&run);
    free_all(&run);

    double in_use_after = run.opt.expect_empty ? in_use_bytes(run.alloc) : 0;
    if (in_use_after != in_use_before)
        stress_fail(&run, "every block is freed but the allocator counts %.0f bytes in use (%.0f before)",
                    in_use_after, in_use_before);
    free(run.slots);
    pab_allocator_stop(run.alloc);
    pab_allocator_free(run.alloc);
    printf("pab_stress: allocator %s seed %" PRIu64 ": %" PRIu64 " ops verified (%" PRIu64 " malloc, %" PRIu64
           " realloc [%" PRIu64 " grow, %" PRIu64 " shrink], %" PRIu64 " free; %" PRIu64 " zero-size, %" PRIu64
           " over 512 bytes); peak %" PRIu64 " live blocks\n",
           run.opt.allocator, run.opt.seed, run.done, run.n.mallocs, run.n.reallocs, run.n.grows, run.n.shrinks,
           run.n.frees, run.n.zero_size, run.n.large, run.n.peak_live);
    return 0;
}
