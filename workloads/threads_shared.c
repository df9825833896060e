/*
 * threads_shared: a long-lived heap that every thread reads and now and
 * then grows, while each churns temporaries of its own. The Python it
 * models:
 *
 *     table = build(range(scale // 4))          # small_objects' rows, before the pool starts
 *
 *     def work(first, count):
 *         mine = []                             # this thread's part of the shared heap
 *         for k in range(count):
 *             row = table[randrange(len(table))] # a read: no allocation
 *             tmp = ('x' * size(), k * 0.5)     # a temporary: str, float, tuple
 *             del tmp
 *             if k % GROW_EVERY == GROW_EVERY - 1:
 *                 mine.append(row_of(first + k // GROW_EVERY))   # the heap grows
 *
 * Thread 0 builds the table, every thread meets, then each works through
 * its share of `scale` iterations (pab_share). Reads go to the table, not
 * to another thread's part: a list being appended to moves its item array,
 * which in CPython the GIL (or, free-threaded, the list's own lock) orders.
 * When all are done they meet again; the mark (thread 0): the table and
 * every part alive. Then each thread drops its part and thread 0 the table.
 *
 * Operations: thread 0 small_objects_rows_ops(0, scale / 4) for the table;
 * every thread 6 per iteration (the temporary's 3 blocks made and freed)
 * and small_objects_rows_ops(first, first + count / GROW_EVERY) for its
 * part, whose rows are numbered from first = scale / 4 + its share's start.
 */
#include "pab_rng.h"
#include "small_objects.h"

enum { GROW_EVERY = 16, TEMPORARY_OPS = 6 };

/* Written by thread 0 before the first barrier, read by all after it. */
static pyo *table;

/* The reads' sum, so that they are made; per thread, never shared. */
static volatile uint64_t read_sums[PAB_THREADS_MAX];

static pyo *make_temporary(const pab_ctx *c, pab_rng *rng)
{
    pyo *text = pyo_str(c, 8 + pab_rng_below(rng, 56));
    pyo *number = text ? pyo_float(c) : NULL;
    pyo *tmp = number ? pyo_tuple(c, 2) : NULL;
    if (!tmp) {
        pyo_decref(c, number);
        pyo_decref(c, text);
        return NULL;
    }
    pyo_tuple_set(tmp, 0, text);
    pyo_tuple_set(tmp, 1, number);
    return tmp;
}

/* One thread's iterations, growing `mine`; -1 when the allocator fails. */
static int work(const pab_ctx *c, pyo *mine, uint64_t first_row, uint64_t count)
{
    pab_rng rng = pab_rng_of_thread(c->seed, c->thread);
    size_t rows = pyo_list_len(table);
    uint64_t sum = 0;
    for (uint64_t k = 0; k < count; k++) {
        if (rows)
            sum += pyo_refcount(pyo_list_get(table, (size_t)pab_rng_below(&rng, rows)));
        pyo *tmp = make_temporary(c, &rng);
        if (!tmp)
            return -1;
        pyo_decref(c, tmp);
        if (k % GROW_EVERY == GROW_EVERY - 1 &&
            small_objects_append_row(c, mine, first_row + k / GROW_EVERY) != 0)
            return -1;
    }
    read_sums[c->thread] += sum;
    return 0;
}

static int shared_run(const pab_ctx *c)
{
    unsigned n = pab_nthreads(c);
    uint64_t base = c->scale / 4, first = pab_share_first(c->scale, c->thread, n);
    if (c->thread == 0)
        table = small_objects_rows(c, 0, base);
    pab_barrier(c);
    if (!table)
        return -1;
    pyo *mine = pyo_list(c);
    int rc = mine ? work(c, mine, base + first, pab_share(c->scale, c->thread, n)) : -1;
    pab_barrier(c);
    if (c->thread == 0)
        pab_mark(c);
    pab_barrier(c);
    pyo_decref(c, mine);
    if (c->thread == 0)
        pyo_decref(c, table);
    return rc;
}

static uint64_t shared_thread_ops(uint64_t scale, uint64_t seed, unsigned t, unsigned n)
{
    (void)seed;
    uint64_t base = scale / 4, first = base + pab_share_first(scale, t, n), count = pab_share(scale, t, n);
    uint64_t table_ops = t == 0 ? small_objects_rows_ops(0, base) : 0;
    return table_ops + TEMPORARY_OPS * count + small_objects_rows_ops(first, first + count / GROW_EVERY);
}

static uint64_t shared_expected_ops(uint64_t scale, uint64_t seed) { return shared_thread_ops(scale, seed, 0, 1); }

const pab_workload pab_threads_shared = {
    .name = "threads_shared",
    .description = "a shared table every thread reads and grows a part of, beside temporaries of its own",
    .default_scale = 200000,
    .quick_scale = 4000,
    .run = shared_run,
    .expected_ops = shared_expected_ops,
    .thread_ops = shared_thread_ops,
};
