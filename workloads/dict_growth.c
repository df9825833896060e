/*
 * dict_growth: dicts and sets of many sizes built by insertion, then torn
 * down. The Python it models:
 *
 *     for size in sizes:               # `scale` rounds, log-uniform sizes
 *         d = {}                       #   from 1 to 2**14, from the seed
 *         for k in range(size):
 *             d[k] = k
 *         s = set()
 *         for k in range(size):
 *             s.add(k)
 *         # pab_mark here in the round with the largest size (the peak)
 *         del d, s
 *
 * Growth (cpython_sizes.h, pyobj.c): the dict (64) gets its first keys
 * table of 8 slots at the first insertion (int keys: 24-byte entries, 160
 * bytes) and, when it has no usable entry left, a table for used * 3
 * (insertion_resize), the old one freed after the move (traced for 300
 * keys: 160, 288, 568, 1104, 2200, 4624, 9240; the set 512, 2048, 8192,
 * exactly as modelled). The set (216)
 * starts in its 8-entry smalltable and moves to a PyMem table of the
 * smallest power of two above used * 4 once fill * 5 >= mask * 3. Each
 * loop's k is a new int (32) past 256, shared by the dict's key and value;
 * del d frees each key-value pair's int with its entry, del s each key in
 * table order. Not modelled: range's own objects (a fixed handful).
 *
 * Operations, per round of size n:
 *   2 * (2 + 2 * max(n - 257, 0)) + G_dict(n) + (n > 0) + G_set(n) + (n >= 5)
 * where G are the growth operations (pyo_dict_growth_ops, pyo_set_growth_ops;
 * the set's last table is freed if it left the smalltable, n >= 5).
 */
#include "pab_rng.h"
#include "pyobj.h"

enum { LOG2_MAX_SIZE = 14, SET_FIRST_RESIZE = 5 };

static uint64_t round_size(pab_rng *r)
{
    uint64_t log2 = pab_rng_below(r, LOG2_MAX_SIZE + 1);
    return ((uint64_t)1 << log2) + pab_rng_below(r, (uint64_t)1 << log2);
}

/* The round whose size is largest (the first of equals): where to mark. */
static uint64_t peak_round(uint64_t seed, uint64_t rounds)
{
    pab_rng r = {seed};
    uint64_t best = 0, best_size = 0;
    for (uint64_t i = 0; i < rounds; i++) {
        uint64_t n = round_size(&r);
        if (n > best_size) {
            best_size = n;
            best = i;
        }
    }
    return best;
}

static int fill_dict(const pab_ctx *c, pyo *d, uint64_t n)
{
    for (uint64_t k = 0; k < n; k++) {
        pyo *key = pyo_int(c, k);
        if (!key && k > PY_INT_CACHE_MAX)
            return -1;
        if (pyo_dict_insert(c, d, key, pyo_incref(key)) != 0) {
            pyo_decref(c, key);
            pyo_decref(c, key);
            return -1;
        }
    }
    return 0;
}

static int fill_set(const pab_ctx *c, pyo *s, uint64_t n)
{
    for (uint64_t k = 0; k < n; k++) {
        pyo *key = pyo_int(c, k);
        if (!key && k > PY_INT_CACHE_MAX)
            return -1;
        if (pyo_set_add(c, s, key) != 0)
            return -1;
    }
    return 0;
}

static int dict_growth_run(const pab_ctx *c)
{
    pab_rng r = {c->seed};
    uint64_t mark_at = peak_round(c->seed, c->scale);
    for (uint64_t i = 0; i < c->scale; i++) {
        uint64_t n = round_size(&r);
        pyo *d = pyo_dict(c, 0);
        pyo *s = NULL;
        int rc = d ? fill_dict(c, d, n) : -1;
        if (rc == 0)
            rc = (s = pyo_set(c)) ? fill_set(c, s, n) : -1;
        if (rc == 0 && i == mark_at)
            pab_mark(c);
        pyo_decref(c, d);
        pyo_decref(c, s);
        if (rc != 0)
            return -1;
    }
    if (c->scale == 0)
        pab_mark(c);
    return 0;
}

static uint64_t dict_growth_expected_ops(uint64_t rounds, uint64_t seed)
{
    pab_rng r = {seed};
    uint64_t ops = 0;
    for (uint64_t i = 0; i < rounds; i++) {
        uint64_t n = round_size(&r);
        uint64_t ints = py_ints_allocated_below(n);
        ops += 2 * (2 + 2 * ints) + pyo_dict_growth_ops(n) + (n > 0) + pyo_set_growth_ops(n) +
               (n >= SET_FIRST_RESIZE);
    }
    return ops;
}

const pab_workload pab_dict_growth = {
    .name = "dict_growth",
    .description = "dicts and sets of many sizes grown by insertion and torn down",
    .default_scale = 300,
    .quick_scale = 6,
    .run = dict_growth_run,
    .expected_ops = dict_growth_expected_ops,
};
