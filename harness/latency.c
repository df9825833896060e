/* latency.c: see latency.h. */
#include "latency.h"

#include "contract.h"
#include "../allocators/tsc.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

_Static_assert(PAB_LATENCY_BINS == 496, "16 exact bins, then 16 per power of two from 2^4 to 2^34");
_Static_assert(PAB_LATENCY_BINS % PAB_LATENCY_SUB == 0, "whole powers of two");

enum { CALIBRATION_NS = 20000000, EMPTY_TICKS_MAX = 1 << 16 };

const char *const pab_call_kind_name[PAB_CALL_KIND_COUNT] = {
#define PAB_CALL_KIND_NAME(name) #name,
    PAB_CALL_KINDS(PAB_CALL_KIND_NAME)
#undef PAB_CALL_KIND_NAME
};

size_t pab_latency_bin(uint64_t ns)
{
    if (ns < PAB_LATENCY_SUB)
        return (size_t)ns;
    int e = 63 - __builtin_clzll(ns);
    if (e >= PAB_LATENCY_TOP_BITS)
        return PAB_LATENCY_BINS - 1;
    int shift = e - PAB_LATENCY_SUB_BITS;
    return (size_t)PAB_LATENCY_SUB * (size_t)shift + (size_t)(ns >> shift);
}

uint64_t pab_latency_bin_low(size_t bin)
{
    assert(bin < PAB_LATENCY_BINS);
    if (bin < PAB_LATENCY_SUB)
        return bin;
    int shift = (int)(bin / PAB_LATENCY_SUB) - 1;
    return (uint64_t)(PAB_LATENCY_SUB + bin % PAB_LATENCY_SUB) << shift;
}

uint64_t pab_latency_bin_high(size_t bin)
{
    assert(bin < PAB_LATENCY_BINS);
    if (bin < PAB_LATENCY_SUB)
        return bin + 1;
    return pab_latency_bin_low(bin) + ((uint64_t)1 << (bin / PAB_LATENCY_SUB - 1));
}

/* ---- the clock ---- */

/* The smallest tick count with more than `share` of the n timings at or below it. */
static uint64_t tick_quantile(const uint32_t *per_tick, size_t n, double share)
{
    uint64_t seen = 0, want = (uint64_t)(share * (double)n);
    for (uint64_t t = 0; t < EMPTY_TICKS_MAX; t++)
        if ((seen += per_tick[t]) > want)
            return t;
    return EMPTY_TICKS_MAX - 1;
}

/* The mean of the timings from tick low to tick high, both included. */
static double mean_between(const uint32_t *per_tick, uint64_t low, uint64_t high)
{
    double sum = 0, n = 0;
    for (uint64_t t = low; t <= high; t++) {
        sum += (double)t * per_tick[t];
        n += per_tick[t];
    }
    return sum / n;
}

void pab_latency_clock_from(pab_latency_clock *c, double ticks_per_ns, const uint64_t *empty, size_t n)
{
    /* Counted per exact tick rather than sorted: a sort could allocate, and
     * the allocator under test would serve it. Beyond the table is an
     * interrupt's timing, which no quantile used here reaches. */
    static uint32_t per_tick[EMPTY_TICKS_MAX];
    assert(n > 0 && ticks_per_ns > 0);
    memset(per_tick, 0, sizeof per_tick);
    for (size_t i = 0; i < n; i++)
        per_tick[empty[i] < EMPTY_TICKS_MAX ? empty[i] : EMPTY_TICKS_MAX - 1]++;
    uint64_t low = tick_quantile(per_tick, n, 0.01), high = tick_quantile(per_tick, n, 0.99);
    c->ticks_per_ns = ticks_per_ns;
    c->cost_ticks = mean_between(per_tick, low, high);
    c->cost_ns = c->cost_ticks / ticks_per_ns;
    c->resolution_ns = (double)(high > low ? high - low : 1) / ticks_per_ns;
}

void pab_latency_clock_measure(pab_latency_clock *c)
{
    static uint64_t empty[PAB_CLOCK_SAMPLES];
    double ticks_per_ns = pab_tsc_ticks_per_ns(CALIBRATION_NS);
    for (size_t i = 0; i < PAB_CLOCK_SAMPLES; i++) {
        uint64_t start = pab_tsc_fenced();
        empty[i] = pab_tsc_fenced() - start;
    }
    pab_latency_clock_from(c, ticks_per_ns, empty, PAB_CLOCK_SAMPLES);
}

uint64_t pab_latency_ns(const pab_latency_clock *c, uint64_t ticks)
{
    double ns = ((double)ticks - c->cost_ticks) / c->ticks_per_ns;
    return ns > 0 ? (uint64_t)(ns + 0.5) : 0;
}

/* ---- histograms ---- */

void pab_latency_record(pab_latency_histogram *h, uint64_t ns)
{
    h->calls++;
    h->sum_ns += (double)ns;
    h->count[pab_latency_bin(ns)]++;
    h->over_10us += ns > 10000;
    h->over_100us += ns > 100000;
    if (ns > h->max_ns)
        h->max_ns = ns;
}

bool pab_latency_quantile(const pab_latency_histogram *h, double q, uint64_t *out)
{
    if (h->calls == 0 || !(q > 0 && q <= 1))
        return false;
    /* The rank of the quantile, 1-based: ceil(q * calls), with a margin
     * for rounding, so that q = 0.99 of 100 calls is the 99th, not the 100th. */
    double exact = q * (double)h->calls;
    uint64_t rank = (uint64_t)exact;
    if ((double)rank < exact - 1e-6)
        rank++;
    rank = rank < 1 ? 1 : rank > h->calls ? h->calls : rank;
    uint64_t seen = 0;
    for (size_t b = 0; b < PAB_LATENCY_BINS; b++)
        if ((seen += h->count[b]) >= rank) {
            /* The last bin holds everything above it too: only the max bounds it. */
            uint64_t top = b == PAB_LATENCY_BINS - 1 ? h->max_ns : pab_latency_bin_high(b) - 1;
            *out = top < h->max_ns ? top : h->max_ns;
            return true;
        }
    assert(!"the counts add up to calls");
    return false;
}

/* ---- the wrapper ---- */

static const pab_allocator *wrapped_real;
static const pab_latency_clock *wrapped_clock;
static pab_latency_histogram recorded[PAB_CALL_KIND_COUNT];

static inline void take(pab_call_kind kind, uint64_t start)
{
    uint64_t end = pab_tsc_fenced();
    pab_latency_record(&recorded[kind], pab_latency_ns(wrapped_clock, end - start));
}

/* The trampolines, one per entry of the allocator (the raw ones too): the
 * real call between two readings of the clock. */
#define PAB_TIMED_MALLOC(name, entry)                                                           \
    static void *name(size_t size)                                                              \
    {                                                                                           \
        uint64_t start = pab_tsc_fenced();                                                      \
        void *p = wrapped_real->entry(size);                                                    \
        take(PAB_CALL_malloc, start);                                                           \
        return p;                                                                               \
    }
#define PAB_TIMED_REALLOC(name, entry)                                                          \
    static void *name(void *ptr, size_t size)                                                   \
    {                                                                                           \
        uint64_t start = pab_tsc_fenced();                                                      \
        void *p = wrapped_real->entry(ptr, size);                                               \
        take(PAB_CALL_realloc, start);                                                          \
        return p;                                                                               \
    }
#define PAB_TIMED_FREE(name, entry)                                                             \
    static void name(void *ptr)                                                                 \
    {                                                                                           \
        uint64_t start = pab_tsc_fenced();                                                      \
        wrapped_real->entry(ptr);                                                               \
        take(PAB_CALL_free, start);                                                             \
    }

PAB_TIMED_MALLOC(timed_malloc, malloc)
PAB_TIMED_REALLOC(timed_realloc, realloc)
PAB_TIMED_FREE(timed_free, free)
PAB_TIMED_MALLOC(timed_raw_malloc, raw_malloc)
PAB_TIMED_REALLOC(timed_raw_realloc, raw_realloc)
PAB_TIMED_FREE(timed_raw_free, raw_free)

pab_allocator pab_latency_wrap(const pab_allocator *real, const pab_latency_clock *c)
{
    pab_allocator timed = *real;
    wrapped_real = real;
    wrapped_clock = c;
    memset(recorded, 0, sizeof recorded);
    timed.malloc = timed_malloc;
    timed.realloc = timed_realloc;
    timed.free = timed_free;
    /* A replayed trace sends CPython's raw domain there (allocator.h). */
    timed.raw_malloc = real->raw_malloc ? timed_raw_malloc : NULL;
    timed.raw_realloc = real->raw_realloc ? timed_raw_realloc : NULL;
    timed.raw_free = real->raw_free ? timed_raw_free : NULL;
    return timed;
}

const pab_latency_histogram *pab_latency_recorded(void) { return recorded; }

/* ---- the files ---- */

/* A quantile's cell: empty when the kind made no call. */
static void print_quantile(FILE *f, const pab_latency_histogram *h, double q)
{
    uint64_t v;
    if (pab_latency_quantile(h, q, &v))
        fprintf(f, ",%" PRIu64, v);
    else
        fputc(',', f);
}

static void write_summary(FILE *f, const pab_latency_histogram *h, const char *kind, const pab_latency_clock *c)
{
    static const double quantiles[] = {0.5, 0.99, 0.999, 0.9999};
    fprintf(f, "%s,%" PRIu64 ",%.2f,%.2f", kind, h->calls, c->cost_ns, c->resolution_ns);
    for (size_t i = 0; i < sizeof quantiles / sizeof quantiles[0]; i++)
        print_quantile(f, h, quantiles[i]);
    if (h->calls)
        fprintf(f, ",%" PRIu64 ",%.2f", h->max_ns, h->sum_ns / (double)h->calls);
    else
        fputs(",,", f);
    fprintf(f, ",%" PRIu64 ",%" PRIu64 "\n", h->over_10us, h->over_100us);
}

/* The last bin also holds everything above its nominal edge: its high is
 * then one above the max, so that every value lies below it. */
static void write_bins(FILE *f, const pab_latency_histogram *h, const char *kind)
{
    for (size_t b = 0; b < PAB_LATENCY_BINS; b++) {
        if (!h->count[b])
            continue;
        uint64_t high = pab_latency_bin_high(b);
        if (b == PAB_LATENCY_BINS - 1 && h->max_ns >= high)
            high = h->max_ns + 1;
        fprintf(f, "%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", kind, pab_latency_bin_low(b), high, h->count[b]);
    }
}

static int close_checked(FILE *f)
{
    int failed = ferror(f);
    return (fclose(f) != 0 || failed) ? -1 : 0;
}

int pab_latency_write(const char *summary_path, const char *bins_path,
                      const pab_latency_histogram h[PAB_CALL_KIND_COUNT], const pab_latency_clock *c)
{
    FILE *summary = fopen(summary_path, "w");
    FILE *bins = summary ? fopen(bins_path, "w") : NULL;
    if (!bins) {
        if (summary)
            fclose(summary);
        return -1;
    }
    fprintf(summary, "%s\n", pab_child_file_header[PAB_FILE_LATENCY]);
    fprintf(bins, "%s\n", pab_child_file_header[PAB_FILE_LATENCY_BINS]);
    for (int k = 0; k < PAB_CALL_KIND_COUNT; k++) {
        write_summary(summary, &h[k], pab_call_kind_name[k], c);
        write_bins(bins, &h[k], pab_call_kind_name[k]);
    }
    int rc = close_checked(summary);
    return close_checked(bins) != 0 ? -1 : rc;
}
