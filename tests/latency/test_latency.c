/*
 * test_latency.c: the latency pass's histogram, clock and wrapper
 * (harness/latency.h) on values of known size: every value in the bin whose
 * bounds hold it, quantiles of known samples in the right bins, the
 * clock's cost subtracted and clamped at 0, the exact counts above 10 and
 * 100 µs, calls timed by kind through the wrapper, and the files written
 * (or refused) whole. `test_latency CASE` runs one case.
 */
#include "latency.h"

#include "contract.h"
#include "pab_test_check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pab_latency_histogram histogram;

static void fill(const uint64_t *values, const uint64_t *times, size_t n)
{
    memset(&histogram, 0, sizeof histogram);
    for (size_t i = 0; i < n; i++)
        for (uint64_t k = 0; k < times[i]; k++)
            pab_latency_record(&histogram, values[i]);
}

static uint64_t quantile(double q)
{
    uint64_t v = UINT64_MAX;
    CHECK(pab_latency_quantile(&histogram, q, &v), "no %g-quantile of %llu calls", q,
          (unsigned long long)histogram.calls);
    return v;
}

/* Every value from 0 to 2^20, then around every power of two up to 2^40. */
static void check_value(uint64_t v)
{
    size_t b = pab_latency_bin(v);
    CHECK(b < PAB_LATENCY_BINS, "%llu: bin %zu past the end", (unsigned long long)v, b);
    if (b >= PAB_LATENCY_BINS)
        return;
    bool last = b == PAB_LATENCY_BINS - 1;
    CHECK(pab_latency_bin_low(b) <= v && (last || v < pab_latency_bin_high(b)),
          "%llu in bin %zu of [%llu, %llu)", (unsigned long long)v, b,
          (unsigned long long)pab_latency_bin_low(b), (unsigned long long)pab_latency_bin_high(b));
    /* 16 sub-bins per power of two: no bin wider than 1/16 of its low edge (from 16 ns). */
    uint64_t width = pab_latency_bin_high(b) - pab_latency_bin_low(b);
    CHECK(width == 1 || width * 16 <= pab_latency_bin_low(b), "bin %zu is %llu wide", b,
          (unsigned long long)width);
}

static void test_bins(void)
{
    for (uint64_t v = 0; v <= (1u << 20); v++)
        check_value(v);
    for (int e = 4; e < 41; e++)
        for (int d = -3; d <= 3; d++)
            check_value(((uint64_t)1 << e) + (uint64_t)(int64_t)d);
    for (size_t b = 0; b + 1 < PAB_LATENCY_BINS; b++)
        CHECK(pab_latency_bin_high(b) == pab_latency_bin_low(b + 1), "bins %zu and %zu not contiguous", b, b + 1);
    CHECK(pab_latency_bin(0) == 0 && pab_latency_bin(31) == 31, "below 32 ns a bin is one ns");
    CHECK(pab_latency_bin(UINT64_MAX) == PAB_LATENCY_BINS - 1, "the top goes into the last bin");
    CHECK(pab_latency_bin_high(PAB_LATENCY_BINS - 1) == (uint64_t)1 << PAB_LATENCY_TOP_BITS,
          "the last bin ends at 2^34 ns");
}

static void test_quantiles(void)
{
    /* 9 900 calls of 100 ns, 90 of 5 µs, 9 of 20 µs, one of 200 µs. */
    const uint64_t values[] = {100, 5000, 20000, 200000}, times[] = {9900, 90, 9, 1};
    fill(values, times, 4);
    CHECK(histogram.calls == 10000, "calls %llu", (unsigned long long)histogram.calls);
    uint64_t p50 = quantile(0.5), p99 = quantile(0.99), p999 = quantile(0.999), p9999 = quantile(0.9999);
    CHECK(p50 >= 100 && p50 < 100 * 17 / 16, "p50 %llu, not 100 ns", (unsigned long long)p50);
    CHECK(p99 == p50, "p99 %llu: the 9 900th call is still 100 ns", (unsigned long long)p99);
    CHECK(p999 >= 5000 && p999 < 5000 * 17 / 16, "p99.9 %llu, not 5 µs", (unsigned long long)p999);
    CHECK(p9999 >= 20000 && p9999 < 20000 * 17 / 16, "p99.99 %llu, not 20 µs", (unsigned long long)p9999);
    CHECK(quantile(1) == 200000, "the 1-quantile is the exact max, not its bin's top");
    CHECK(histogram.max_ns == 200000, "max %llu", (unsigned long long)histogram.max_ns);
    CHECK(histogram.over_10us == 10 && histogram.over_100us == 1, "above 10 µs %llu, above 100 µs %llu",
          (unsigned long long)histogram.over_10us, (unsigned long long)histogram.over_100us);
    CHECK(histogram.sum_ns == 9900.0 * 100 + 90.0 * 5000 + 9.0 * 20000 + 200000, "sum %g", histogram.sum_ns);
    /* The 99th of 100 is the 99th value, not the 100th: ranks do not round up past an exact product. */
    const uint64_t two[] = {10, 30}, split[] = {99, 1};
    fill(two, split, 2);
    CHECK(quantile(0.99) == 10, "0.99 of 100 calls with one outlier: %llu", (unsigned long long)quantile(0.99));
    /* Exactly 10 µs is not above it. */
    const uint64_t edge[] = {10000, 100000}, once[] = {1, 1};
    fill(edge, once, 2);
    CHECK(histogram.over_10us == 1 && histogram.over_100us == 0, "10 µs and 100 µs exactly counted above");
    /* No quantile of nothing, nor of q outside (0, 1]. */
    uint64_t v;
    memset(&histogram, 0, sizeof histogram);
    CHECK(!pab_latency_quantile(&histogram, 0.5, &v), "a quantile of no calls");
    fill(values, times, 1);
    CHECK(!pab_latency_quantile(&histogram, 0, &v) && !pab_latency_quantile(&histogram, 1.5, &v) &&
              !pab_latency_quantile(&histogram, -1, &v) && !pab_latency_quantile(&histogram, NAN, &v),
          "a quantile outside (0, 1]");
    /* Beyond 2^34 ns: the last bin, the max still exact. */
    const uint64_t huge[] = {(uint64_t)1 << 40}, one[] = {1};
    fill(huge, one, 1);
    CHECK(histogram.count[PAB_LATENCY_BINS - 1] == 1 && histogram.max_ns == (uint64_t)1 << 40 &&
              quantile(0.5) == (uint64_t)1 << 40,
          "a value of 2^40 ns");
}

static void test_clock(void)
{
    /* 2 ticks per ns; empty timings in steps: 600 at 60 ticks, 381 at 70, 10 at 50 and 9
     * far out (interrupts). The cost is the mean from the 1st to the 99th percentile (60
     * to 70: 63.9 ticks), not the median (60); the resolution their spread, 5 ns. */
    static uint64_t empty[1000];
    for (size_t i = 0; i < 1000; i++)
        empty[i] = i < 10 ? 50 : i < 610 ? 60 : i < 991 ? 70 : 100000;
    pab_latency_clock c;
    pab_latency_clock_from(&c, 2.0, empty, 1000);
    double mean = (600.0 * 60 + 381.0 * 70) / 981;
    CHECK(c.cost_ticks == mean && c.cost_ns == mean / 2, "cost %g ticks, %g ns, not %g ticks", c.cost_ticks,
          c.cost_ns, mean);
    CHECK(c.resolution_ns == 5, "resolution %g ns, not (70 - 60) / 2", c.resolution_ns);
    CHECK(pab_latency_ns(&c, 84) == 10, "84 ticks less 63.9 at 2 per ns: %llu", (unsigned long long)pab_latency_ns(&c, 84));
    CHECK(pab_latency_ns(&c, 64) == 0 && pab_latency_ns(&c, 10) == 0 && pab_latency_ns(&c, 0) == 0,
          "readings at or below the cost are 0");
    CHECK(pab_latency_ns(&c, 65) == 1, "a reading just above the cost rounds to 1 ns: %llu",
          (unsigned long long)pab_latency_ns(&c, 65));
    /* All alike: the resolution is one tick, not 0; an interrupt's timing lands in the table's top. */
    for (size_t i = 0; i < 1000; i++)
        empty[i] = i == 0 ? UINT64_MAX : 70;
    pab_latency_clock_from(&c, 2.0, empty, 1000);
    CHECK(c.cost_ticks == 70 && c.resolution_ns == 0.5, "cost %g, resolution %g", c.cost_ticks, c.resolution_ns);
    /* The real clock: calibrated to a positive rate, its cost well under a microsecond. */
    pab_latency_clock_measure(&c);
    CHECK(c.ticks_per_ns > 0.01 && c.ticks_per_ns < 100, "ticks per ns %g", c.ticks_per_ns);
    CHECK(c.cost_ns > 0 && c.cost_ns < 1000 && c.resolution_ns > 0, "clock cost %g ns, resolution %g ns", c.cost_ns,
          c.resolution_ns);
}

/* ---- the wrapper, over a fake allocator whose every 10th malloc waits 20 µs ---- */

static unsigned fake_mallocs;

static void wait_ns(long ns)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do
        clock_gettime(CLOCK_MONOTONIC, &now);
    while ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) < ns);
}

static void *fake_malloc(size_t n)
{
    if (++fake_mallocs % 10 == 0)
        wait_ns(20000);
    return malloc(n);
}

static void *fake_realloc(void *p, size_t n) { return realloc(p, n); }

static void fake_free(void *p) { free(p); }

static void test_wrapper(void)
{
    const pab_allocator fake = {.name = "fake", .malloc = fake_malloc, .realloc = fake_realloc, .free = fake_free};
    pab_latency_clock c;
    pab_latency_clock_measure(&c);
    pab_allocator timed = pab_latency_wrap(&fake, &c);
    CHECK(!timed.raw_malloc && !timed.raw_realloc && !timed.raw_free, "raw entries made up");
    for (int i = 0; i < 1000; i++) {
        void *p = timed.malloc(32);
        p = timed.realloc(p, 64);
        timed.free(p);
    }
    const pab_latency_histogram *h = pab_latency_recorded();
    CHECK(h[PAB_CALL_malloc].calls == 1000 && h[PAB_CALL_realloc].calls == 1000 && h[PAB_CALL_free].calls == 1000,
          "calls by kind: %llu %llu %llu", (unsigned long long)h[0].calls, (unsigned long long)h[1].calls,
          (unsigned long long)h[2].calls);
    /* The 100 waits, and few others: a machine's hiccup may add one. */
    CHECK(h[PAB_CALL_malloc].over_10us >= 100 && h[PAB_CALL_malloc].over_10us <= 105, "mallocs above 10 µs: %llu",
          (unsigned long long)h[PAB_CALL_malloc].over_10us);
    CHECK(h[PAB_CALL_malloc].max_ns >= 20000, "malloc max %llu ns", (unsigned long long)h[PAB_CALL_malloc].max_ns);
    CHECK(h[PAB_CALL_free].over_10us <= 5, "frees above 10 µs: %llu", (unsigned long long)h[PAB_CALL_free].over_10us);
    uint64_t p50;
    CHECK(pab_latency_quantile(&h[PAB_CALL_malloc], 0.5, &p50) && p50 < 10000, "malloc p50 %llu: the waits are 1 in 10",
          (unsigned long long)p50);
    /* A new wrapper starts from empty histograms. */
    pab_latency_wrap(&fake, &c);
    CHECK(pab_latency_recorded()[PAB_CALL_malloc].calls == 0, "histograms not cleared by a new wrapper");
}

/* ---- the files ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    static char text[1 << 16];
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    return text;
}

static void test_files(void)
{
    char dir[] = "/tmp/pab-test-latency-XXXXXX", summary[64], bins[64];
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    snprintf(summary, sizeof summary, "%s/p.latency.csv", dir);
    snprintf(bins, sizeof bins, "%s/p.latency_bins.csv", dir);
    pab_latency_histogram h[PAB_CALL_KIND_COUNT];
    memset(h, 0, sizeof h);
    const uint64_t values[] = {100, 20000, 200000}, times[] = {97, 2, 1};
    fill(values, times, 3);
    h[PAB_CALL_malloc] = histogram;
    pab_latency_clock c = {.ticks_per_ns = 1, .cost_ticks = 30, .cost_ns = 30, .resolution_ns = 4};
    CHECK(pab_latency_write(summary, bins, h, &c) == 0, "writing the files failed");
    char want[512];
    snprintf(want, sizeof want,
             "%s\nmalloc,100,30.00,4.00,103,20479,200000,200000,200000,2497.00,3,1\n"
             "realloc,0,30.00,4.00,,,,,,,0,0\nfree,0,30.00,4.00,,,,,,,0,0\n",
             pab_child_file_header[PAB_FILE_LATENCY]);
    CHECK(strcmp(slurp(summary), want) == 0, "latency.csv is\n%s", slurp(summary));
    snprintf(want, sizeof want, "%s\nmalloc,100,104,97\nmalloc,19456,20480,2\nmalloc,196608,204800,1\n",
             pab_child_file_header[PAB_FILE_LATENCY_BINS]);
    CHECK(strcmp(slurp(bins), want) == 0, "latency_bins.csv is\n%s", slurp(bins));
    /* The last bin's high is above its max when values pass 2^34 ns. */
    const uint64_t huge[] = {(uint64_t)1 << 40}, one[] = {1};
    fill(huge, one, 1);
    h[PAB_CALL_malloc] = histogram;
    CHECK(pab_latency_write(summary, bins, h, &c) == 0, "writing the files failed");
    snprintf(want, sizeof want, "malloc,16642998272,1099511627777,1\n");
    CHECK(strstr(slurp(bins), want) != NULL, "the last bin's line is not %s", want);
    unlink(summary);
    unlink(bins);
    rmdir(dir);
    /* Nowhere to write: -1, for either file. */
    CHECK(pab_latency_write("/nonexistent/p.latency.csv", bins, h, &c) != 0, "wrote into a missing folder");
    CHECK(pab_latency_write("/tmp/pab-test-latency-nowhere.csv", "/nonexistent/b.csv", h, &c) != 0,
          "wrote the bins into a missing folder");
    unlink("/tmp/pab-test-latency-nowhere.csv");
    /* A full disk, where there is one to try. */
    if (access("/dev/full", W_OK) == 0)
        CHECK(pab_latency_write("/dev/full", "/dev/full", h, &c) != 0, "a full disk was not noticed");
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {{"bins", test_bins}, {"quantiles", test_quantiles}, {"clock", test_clock},
             {"wrapper", test_wrapper}, {"files", test_files}};

int main(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (argc < 2 || strcmp(argv[1], cases[i].name) == 0) {
            cases[i].run();
            if (argc >= 2)
                return pab_test_failures != 0;
        }
    if (argc >= 2) {
        fprintf(stderr, "unknown case %s\n", argv[1]);
        return 2;
    }
    return pab_test_failures != 0;
}
