/*
 * threads_churn: every thread of a pool churns short-lived objects of its
 * own, the small_objects mix (small_objects.h). The Python it models:
 *
 *     def work(first, end):
 *         while first < end:
 *             size = batch_size()          # 250 to 749 rows, from the seed
 *             rows = build(range(first, min(first + size, end)))
 *             del rows                     # small_objects' rows, dropped
 *             first += size
 *
 *     pool = [Thread(target=work, args=share(t)) for t in range(n)]
 *
 * Thread t of n builds the rows of its share of `scale` (pab_share), in
 * batches whose sizes come from the seed and t (pab_rng_of_thread), so the
 * pass's total work is the same at every thread count and its sequence per
 * thread does not depend on how the threads interleave. The mark: every
 * thread holding its first batch (thread 0 marks between two barriers).
 * Operations of thread t: small_objects_rows_ops over its batches.
 */
#include "pab_rng.h"
#include "small_objects.h"

enum { BATCH_MIN = 250, BATCH_SPREAD = 500 };

static uint64_t next_batch(pab_rng *rng, uint64_t left)
{
    uint64_t size = BATCH_MIN + pab_rng_below(rng, BATCH_SPREAD);
    return size < left ? size : left;
}

static int churn_run(const pab_ctx *c)
{
    unsigned n = pab_nthreads(c);
    uint64_t first = pab_share_first(c->scale, c->thread, n), end = pab_share_first(c->scale, c->thread + 1, n);
    pab_rng rng = pab_rng_of_thread(c->seed, c->thread);
    uint64_t size = next_batch(&rng, end - first);
    pyo *rows = small_objects_rows(c, first, first + size);
    int failed = !rows;
    pab_barrier(c);
    if (c->thread == 0)
        pab_mark(c);
    pab_barrier(c);
    pyo_decref(c, rows);
    for (first += size; !failed && first < end; first += size) {
        size = next_batch(&rng, end - first);
        rows = small_objects_rows(c, first, first + size);
        failed = !rows;
        pyo_decref(c, rows);
    }
    return failed ? -1 : 0;
}

static uint64_t churn_thread_ops(uint64_t scale, uint64_t seed, unsigned t, unsigned n)
{
    uint64_t first = pab_share_first(scale, t, n), end = pab_share_first(scale, t + 1, n);
    pab_rng rng = pab_rng_of_thread(seed, t);
    uint64_t ops = 0, size;
    do {
        size = next_batch(&rng, end - first);
        ops += small_objects_rows_ops(first, first + size);
        first += size;
    } while (first < end);
    return ops;
}

static uint64_t churn_expected_ops(uint64_t scale, uint64_t seed) { return churn_thread_ops(scale, seed, 0, 1); }

const pab_workload pab_threads_churn = {
    .name = "threads_churn",
    .description = "every thread builds and drops batches of small_objects' rows of its own",
    .default_scale = 100000,
    .quick_scale = 2000,
    .run = churn_run,
    .expected_ops = churn_expected_ops,
    .thread_ops = churn_thread_ops,
};
