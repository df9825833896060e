/*
 * test_stats: the statistics of harness/stats.c and the order of
 * harness/plan.c, on data whose truth is known.
 *
 *   test_stats quantiles   Student's t against published values
 *   test_stats coverage    the 95 % interval of a pair's time covers the true
 *                          time in 93-97 % of 1000 simulated runs: 5
 *                          processes with 10 % process noise, each the
 *                          median of 3 repetitions with 2 % noise
 *   test_stats unstable    pyperf's 10 % rule on both sides of the line
 *   test_stats plan        the order is a function of the seed, in blocks of
 *                          one workload's allocators, each shuffled
 */
#include "pab_test_check.h"
#include "plan.h"
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* ---- simulated noise: xorshift64* and Box-Muller ---- */

static uint64_t rng_state = 0x2545f4914f6cdd1du;

static double uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return ((rng_state * 0x2545f4914f6cdd1du) >> 11) * 0x1.0p-53 + 0x1.0p-54;
}

static double gaussian(void) { return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform()); }

static void test_quantiles(void)
{
    /* Two-sided 95 % critical values, as printed in every t table. */
    static const struct {
        double df, t;
    } table[] = {{1, 12.706}, {2, 4.303}, {3, 3.182}, {4, 2.776}, {9, 2.262}, {30, 2.042}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        double t = pab_t_quantile(0.975, table[i].df);
        CHECK(fabs(t - table[i].t) < 0.0015, "t(0.975, %g) = %.4f, the table says %.3f", table[i].df, t,
              table[i].t);
        CHECK(fabs(pab_t_cdf(t, table[i].df) - 0.975) < 1e-9, "cdf(quantile) is not 0.975 at df %g",
              table[i].df);
    }
    CHECK(fabs(pab_t_cdf(0, 3) - 0.5) < 1e-12, "the t distribution is not centred");
}

enum { PROCESSES = 5, REPETITIONS = 3, RUNS = 1000 };

/* One simulated pair: each process's median of its repetitions. */
static void simulate(double truth, double *process_medians)
{
    for (int p = 0; p < PROCESSES; p++) {
        double process = truth * exp(0.10 * gaussian());
        double reps[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++)
            reps[r] = process * exp(0.02 * gaussian());
        process_medians[p] = pab_median(reps, REPETITIONS);
    }
}

static void test_coverage(void)
{
    const double truth = 42.0;
    int covered = 0;
    double widest = 0;
    for (int run = 0; run < RUNS; run++) {
        double medians[PROCESSES], lo, hi;
        simulate(truth, medians);
        CHECK(pab_log_t_interval(medians, PROCESSES, 0.05, &lo, &hi), "no interval from 5 processes");
        covered += lo <= truth && truth <= hi;
        widest = hi / lo > widest ? hi / lo : widest;
    }
    double share = (double)covered / RUNS;
    printf("coverage: %d of %d simulated runs (%.1f %%); widest interval %.2fx\n", covered, RUNS,
           100 * share, widest);
    CHECK(share >= 0.93 && share <= 0.97, "the 95 %% interval covered the truth in %.1f %% of runs", 100 * share);
    double one[1] = {1}, bad[2] = {1, -1}, lo, hi;
    CHECK(!pab_log_t_interval(one, 1, 0.05, &lo, &hi), "an interval from one process");
    CHECK(!pab_log_t_interval(bad, 2, 0.05, &lo, &hi), "an interval of a negative time");
}

static void test_unstable(void)
{
    double steady[] = {100, 102, 98, 101, 99}, shaky[] = {100, 130, 85, 110, 95};
    CHECK(!pab_unstable(steady, 5), "a 1.6 %% spread called unstable");
    CHECK(pab_unstable(shaky, 5), "a 16 %% spread not called unstable");
}

static bool is_permutation(const size_t *order, size_t n)
{
    bool seen[64] = {0};
    for (size_t i = 0; i < n; i++) {
        if (order[i] >= n || seen[order[i]])
            return false;
        seen[order[i]] = true;
    }
    return true;
}

/* Each block of nallocators consecutive pairs is one workload's, and every
 * allocator appears in it once. */
static bool is_blocked(const size_t *order, size_t nallocators, size_t nworkloads)
{
    for (size_t b = 0; b < nworkloads; b++) {
        bool seen[64] = {false};
        size_t workload = order[b * nallocators] % nworkloads;
        for (size_t i = b * nallocators; i < (b + 1) * nallocators; i++) {
            if (order[i] % nworkloads != workload || seen[order[i] / nworkloads])
                return false;
            seen[order[i] / nworkloads] = true;
        }
    }
    return true;
}

static void test_plan(void)
{
    enum { A = 8, W = 5, N = A * W };
    size_t a[N], b[N], c[N], d[N];
    pab_plan_round(7, 1, A, W, a);
    pab_plan_round(7, 1, A, W, b);
    pab_plan_round(8, 1, A, W, c);
    pab_plan_round(7, 2, A, W, d);
    CHECK(is_permutation(a, N) && is_permutation(c, N) && is_permutation(d, N), "a round is no permutation");
    CHECK(is_blocked(a, A, W) && is_blocked(c, A, W) && is_blocked(d, A, W),
          "a workload's allocators are not measured one after another");
    CHECK(memcmp(a, b, sizeof a) == 0, "the same seed and round gave two orders");
    CHECK(memcmp(a, c, sizeof a) != 0, "seeds 7 and 8 gave the same order");
    CHECK(memcmp(a, d, sizeof a) != 0, "rounds 1 and 2 gave the same order");
    /* Over many rounds every allocator leads a block, and the blocks' order moves. */
    unsigned leads[A] = {0}, first_workload[W] = {0};
    for (unsigned round = 1; round <= 200; round++) {
        pab_plan_round(7, round, A, W, d);
        for (size_t blk = 0; blk < W; blk++)
            leads[d[blk * A] / W]++;
        first_workload[d[0] % W]++;
    }
    for (size_t i = 0; i < A; i++)
        CHECK(leads[i] > 200 * W / A / 2, "allocator %zu led %u of %d blocks: not shuffled", i, leads[i], 200 * W);
    for (size_t i = 0; i < W; i++)
        CHECK(first_workload[i] > 200 / W / 2, "workload %zu came first %u times in 200 rounds", i,
              first_workload[i]);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } tests[] = {{"quantiles", test_quantiles}, {"coverage", test_coverage}, {"unstable", test_unstable},
                 {"plan", test_plan}};
    for (size_t i = 0; argc == 2 && i < sizeof tests / sizeof tests[0]; i++)
        if (strcmp(argv[1], tests[i].name) == 0) {
            tests[i].run();
            printf("%s: %d failure(s)\n", argv[1], pab_test_failures);
            return pab_test_failures ? 1 : 0;
        }
    fprintf(stderr, "usage: %s quantiles|coverage|unstable|plan\n", argv[0]);
    return 2;
}
