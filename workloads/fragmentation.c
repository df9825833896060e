/*
 * fragmentation: a large long-lived heap of mixed small objects, 90% of it
 * freed in random order, then a burst of objects of other sizes. How much
 * of the freed memory the burst reuses, and how much stays stranded, is the
 * allocator's doing. The Python it models:
 *
 *     heap = []
 *     for i in range(n):
 *         heap.append(one_of(float, big int, short str, 2-tuple, 1-key dict))
 *     for i in shuffled(range(n)):     # the order costs no allocation here
 *         if rng.random() < 0.9:
 *             heap[i] = None
 *     burst = []
 *     for _ in range(n // 10):
 *         burst.append('x' * rng.randrange(100, 300))
 *     # pab_mark here: after the burst, survivors and burst alive together
 *     del burst, heap
 *
 * Sizes (cpython_sizes.h): float 24; int from 2**30 up: 32 (2 digits) or 36; str of 1 to
 * 40 characters: 50 to 89; (None, None): 56; {'k': None}: 64 and a keys
 * table of 120 at its first insertion; the burst's strs 149 to 348, sizes
 * the heap never used. The kind, lengths, order and which 90% go all come
 * from the seed; the order is a full-period affine map of the indices.
 * Not modelled: range's own objects.
 *
 * Operations, n = scale, b = n / 10, K = allocations of the heap objects
 * (dicts count 2; replaying the seed): 2K + 2b + 4 + R(n) + R(b) + (n > 0) + (b > 0)
 */
#include "pab_rng.h"
#include "pyobj.h"

enum { KINDS = 5, KIND_DICT = 4, FREE_PERCENT = 90, BURST_DIVISOR = 10, BURST_MIN = 100, BURST_SPAN = 200 };

static pyo *make_dict_object(const pab_ctx *c)
{
    pyo *d = pyo_dict(c, 1);
    if (d && pyo_dict_insert(c, d, NULL, NULL) != 0) {
        pyo_decref(c, d);
        return NULL;
    }
    return d;
}

static pyo *make_object(const pab_ctx *c, uint64_t kind, pab_rng *r)
{
    switch (kind) {
    case 0:
        return pyo_float(c);
    case 1:
        return pyo_int(c, ((uint64_t)1 << 30) + (pab_rng_next(r) >> 4));
    case 2:
        return pyo_str(c, 1 + (size_t)pab_rng_below(r, 40));
    case 3:
        return pyo_tuple(c, 2);
    default:
        return make_dict_object(c);
    }
}

static uint64_t next_pow2(uint64_t n)
{
    uint64_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

/* Visits 0..n-1 once each in a seed-scrambled order: i -> a*i + c mod 2**k
 * has full period for odd c and a = 1 mod 4; indices >= n are skipped. */
static void free_most(const pab_ctx *c, pyo *heap, uint64_t n, pab_rng *r)
{
    uint64_t m = next_pow2(n), a = (pab_rng_next(r) & ~(uint64_t)3) | 1, add = pab_rng_next(r) | 1;
    uint64_t i = 0;
    for (uint64_t step = 0; step < m; step++) {
        i = (a * i + add) & (m - 1);
        if (i < n && pab_rng_below(r, 100) < FREE_PERCENT)
            pyo_list_clear_item(c, heap, i);
    }
}

static int fill_heap(const pab_ctx *c, pyo *heap, uint64_t n, pab_rng *r)
{
    for (uint64_t i = 0; i < n; i++) {
        pyo *o = make_object(c, pab_rng_below(r, KINDS), r);
        if (!o || pyo_list_append(c, heap, o) != 0) {
            pyo_decref(c, o);
            return -1;
        }
    }
    return 0;
}

static int fill_burst(const pab_ctx *c, pyo *burst, uint64_t b, pab_rng *r)
{
    for (uint64_t i = 0; i < b; i++) {
        pyo *s = pyo_str(c, BURST_MIN + (size_t)pab_rng_below(r, BURST_SPAN));
        if (!s || pyo_list_append(c, burst, s) != 0) {
            pyo_decref(c, s);
            return -1;
        }
    }
    return 0;
}

static int fragmentation_run(const pab_ctx *c)
{
    pab_rng r = {c->seed};
    uint64_t n = c->scale, b = n / BURST_DIVISOR;
    pyo *heap = pyo_list(c), *burst = NULL;
    int rc = heap ? fill_heap(c, heap, n, &r) : -1;
    if (rc == 0) {
        free_most(c, heap, n, &r);
        rc = (burst = pyo_list(c)) ? fill_burst(c, burst, b, &r) : -1;
    }
    if (rc == 0)
        pab_mark(c);
    pyo_decref(c, burst);
    pyo_decref(c, heap);
    return rc;
}

static uint64_t fragmentation_expected_ops(uint64_t n, uint64_t seed)
{
    pab_rng r = {seed};
    uint64_t allocations = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t kind = pab_rng_below(&r, KINDS);
        allocations += kind == KIND_DICT ? 2 : 1;
        if (kind == 1 || kind == 2)
            pab_rng_next(&r);
    }
    uint64_t b = n / BURST_DIVISOR;
    return 2 * allocations + 2 * b + 4 + pyo_list_growth_ops(n) + pyo_list_growth_ops(b) + (n > 0) + (b > 0);
}

const pab_workload pab_fragmentation = {
    .name = "fragmentation",
    .description = "a mixed heap 90% freed at random, then a burst of other sizes",
    .default_scale = 400000,
    .quick_scale = 4000,
    .run = fragmentation_run,
    .expected_ops = fragmentation_expected_ops,
};
