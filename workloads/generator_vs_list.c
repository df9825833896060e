/*
 * generator and list: one sequence consumed two ways. Two workloads rather
 * than two phases of one, because each has one measurement point and the
 * point of the comparison is their peaks side by side: a generator keeps a
 * frame and three ints alive, the list keeps every int until it is dropped.
 * The Python they model:
 *
 *     MASK = (1 << 28) - 1
 *     def fib(n):
 *         a, b = 1000, 2000
 *         for _ in range(n):
 *             yield a
 *             a, b = b, (a + b) & MASK
 *
 *     def consume(n):                  # workload "generator"
 *         for x in fib(n):
 *             pass                     # pab_mark at the middle iteration
 *
 *     def materialise(n):              # workload "list"
 *         xs = [x for x in fib(n)]     # pab_mark once xs is complete
 *         return len(xs)
 *
 * Sequence (traced with workloads/traces/record_preload.c, n > 256):
 * [list: the comprehension's function object, 152], the generator with its
 * embedded frame (232: GC head + PyGenObject + co_framesize slots), [list:
 * the list, 56], range(n): four 32-byte ints made and three freed while
 * computing its length, the range (48) and its iterator (48), then the
 * fourth int and the range freed. Each step: `_` as a new int when > 256
 * (the previous `_` freed as it is rebound), a + b (32, _PyLong_FromSTwoDigits
 * of medium values), & MASK (32 unless <= 256), a + b freed; rebinding a
 * and the consumer's x frees the int neither holds any more. The list
 * version appends x (list_resize). Ints come from their actual values, so
 * the rare result <= 256 (cached) is not allocated, as in CPython.
 * End: the iterator freed, the frame's locals cleared (n, a, b, _), the
 * generator freed, [list: the function object freed, then xs: its ints last
 * to first, its array, itself]; the generator's consumer frees x last.
 * No randomness: the seed is ignored.
 *
 * Operations: each allocation is freed once, so 2 * A(n) + R(n), where A(n)
 * counts the allocations above (fib_allocations) and R(n) the list's
 * reallocs (list only).
 */
#include "pyobj.h"

enum {
    FIB_MASK = (1 << 28) - 1, FIB_A0 = 1000, FIB_B0 = 2000,
    GENERATOR = 232, LISTCOMP_FUNCTION = 152, RANGE = 48, RANGE_ITERATOR = 48,
    RANGE_LENGTH_INTS = 4,
};

typedef struct fib_state {
    uint64_t a, b;     /* values */
    pyo *oa, *ob, *ox; /* their objects (NULL: constant or cached) */
    pyo *range_iter, *underscore;
} fib_state;

/* range(n): the traced temporaries, the range and its iterator. */
static int range_start(const pab_ctx *c, fib_state *s)
{
    pyo *ints[RANGE_LENGTH_INTS] = {NULL};
    for (int i = 0; i < RANGE_LENGTH_INTS; i++)
        if (!(ints[i] = pyo_leaf(c, PY_INT_MEDIUM)))
            goto fail;
    for (int i = 0; i < RANGE_LENGTH_INTS - 1; i++) {
        pyo_decref(c, ints[i]);
        ints[i] = NULL;
    }
    pyo *range = pyo_leaf(c, RANGE);
    if (!range)
        goto fail;
    if (!(s->range_iter = pyo_leaf(c, RANGE_ITERATOR))) {
        pyo_decref(c, range);
        goto fail;
    }
    pyo_decref(c, ints[RANGE_LENGTH_INTS - 1]);
    pyo_decref(c, range);
    return 0;
fail:
    for (int i = 0; i < RANGE_LENGTH_INTS; i++)
        pyo_decref(c, ints[i]);
    return -1;
}

/* for _ in range(n) then yield a: the consumer's x now holds a. */
static int fib_yield(const pab_ctx *c, fib_state *s, uint64_t k)
{
    pyo *u = pyo_int(c, k);
    if (!u && py_int_size(k))
        return -1;
    pyo_decref(c, s->underscore);
    s->underscore = u;
    pyo *old_x = s->ox;
    s->ox = pyo_incref(s->oa);
    pyo_decref(c, old_x);
    return 0;
}

/* a, b = b, (a + b) & MASK */
static int fib_advance(const pab_ctx *c, fib_state *s)
{
    uint64_t sum = s->a + s->b, next = sum & FIB_MASK;
    pyo *osum = pyo_int(c, sum);
    if (!osum && py_int_size(sum))
        return -1;
    pyo *onext = pyo_int(c, next);
    pyo_decref(c, osum);
    if (!onext && py_int_size(next))
        return -1;
    pyo_decref(c, s->oa);
    s->oa = s->ob;
    s->ob = onext;
    s->a = s->b;
    s->b = next;
    return 0;
}

/* The generator returns: iterator freed, frame locals cleared in order. */
static void fib_finish(const pab_ctx *c, fib_state *s)
{
    pyo_decref(c, s->range_iter);
    pyo_decref(c, s->oa);
    pyo_decref(c, s->ob);
    pyo_decref(c, s->underscore);
    s->range_iter = s->oa = s->ob = s->underscore = NULL;
}

/* Runs fib(n); with `xs` each x is appended to it. Mark is the generator's. */
static int fib_run(const pab_ctx *c, pyo *gen, pyo *xs, int mark_midway)
{
    fib_state s = {FIB_A0, FIB_B0, NULL, NULL, NULL, NULL, NULL};
    int rc = range_start(c, &s);
    for (uint64_t k = 0; k < c->scale && rc == 0; k++) {
        rc = fib_yield(c, &s, k);
        if (rc == 0 && xs && (rc = pyo_list_append(c, xs, pyo_incref(s.ox))) != 0)
            pyo_decref(c, s.ox);
        if (rc == 0 && mark_midway && k == c->scale / 2)
            pab_mark(c);
        if (rc == 0)
            rc = fib_advance(c, &s);
    }
    if (mark_midway && c->scale == 0 && rc == 0)
        pab_mark(c);
    fib_finish(c, &s);
    pyo_decref(c, gen);
    pyo_decref(c, s.ox);
    return rc;
}

static int generator_run(const pab_ctx *c)
{
    pyo *gen = pyo_leaf(c, GENERATOR);
    return gen ? fib_run(c, gen, NULL, 1) : -1;
}

static int list_run(const pab_ctx *c)
{
    pyo *function = pyo_leaf(c, LISTCOMP_FUNCTION);
    pyo *gen = function ? pyo_leaf(c, GENERATOR) : NULL;
    pyo *xs = gen ? pyo_list(c) : NULL;
    int rc = xs ? fib_run(c, gen, xs, 0) : -1;
    if (!xs)
        pyo_decref(c, gen);
    pyo_decref(c, function);
    if (rc == 0)
        pab_mark(c);
    pyo_decref(c, xs);
    return rc;
}

/* Allocations the arithmetic makes for n steps: `_`, a + b, & MASK. */
static uint64_t fib_allocations(uint64_t n)
{
    uint64_t count = 0, a = FIB_A0, b = FIB_B0;
    for (uint64_t k = 0; k < n; k++) {
        uint64_t sum = a + b, next = sum & FIB_MASK;
        count += (py_int_size(k) != 0) + (py_int_size(sum) != 0) + (py_int_size(next) != 0);
        a = b;
        b = next;
    }
    /* The generator, range's four ints, the range and its iterator. */
    return count + 1 + RANGE_LENGTH_INTS + 2;
}

static uint64_t generator_expected_ops(uint64_t n, uint64_t seed)
{
    (void)seed;
    return 2 * fib_allocations(n);
}

static uint64_t list_expected_ops(uint64_t n, uint64_t seed)
{
    (void)seed;
    /* Also the function object and the list; its array is freed if made. */
    return 2 * (fib_allocations(n) + 2) + pyo_list_growth_ops(n) + (n > 0);
}

const pab_workload pab_generator = {
    .name = "generator",
    .description = "a Fibonacci-like sequence consumed through a generator",
    .default_scale = 1000000,
    .quick_scale = 10000,
    .run = generator_run,
    .expected_ops = generator_expected_ops,
};

const pab_workload pab_list = {
    .name = "list",
    .description = "the same sequence materialised into a list, then dropped",
    .default_scale = 1000000,
    .quick_scale = 10000,
    .run = list_run,
    .expected_ops = list_expected_ops,
};
