/*
 * latency.h: single-call latency, the child's latency pass (--latency).
 *
 * A separate process per pair, after one untimed pass, runs one pass of the
 * workload through a timing wrapper of its allocator: a copy whose malloc,
 * realloc and free (and raw_* entries, when it has them) read the clock
 * (allocators/tsc.h, fenced) before and after the real call and add the
 * difference to a histogram of that kind of call. The timed passes of the
 * measuring processes never see the wrapper.
 *
 * The clock's cost. Two fenced reads back to back take 20 to 30 ns here,
 * more than many calls. pab_latency_clock_measure() times PAB_CLOCK_SAMPLES
 * empty timings (nothing between the reads) into a histogram of exact
 * ticks. The cost, subtracted from every reading (clamped at 0), is their
 * mean between their 1st and 99th percentiles (interrupts left out), not
 * their median: the counter may advance in steps (on the AMD EPYC VMs of
 * this suite, by 24 or 25 ticks, 10 ns), so empty timings read one step or
 * the next, and which of the two is the median changes from process to
 * process, while the mean of readings that straddle a step lies where the
 * cost is. The resolution is the width of that 98 % range (at least one
 * tick): a call's value is uncertain by about that much, so a quantile
 * below it cannot be told from an empty timing, and reports say "below the
 * clock's resolution".
 *
 * Bins of a histogram, by the value v in whole nanoseconds:
 *   v < 16:              bin v (one bin per nanosecond);
 *   2^e <= v < 2^(e+1):  bin 16 (e - 4) + (v >> (e - 4)), for 4 <= e < 34:
 *                        16 sub-bins per power of two, each 2^(e-4) wide,
 *                        at most 1/16 (6.25 %) of the values it holds
 *                        (one nanosecond wide below 32 ns);
 *   v >= 2^34 (17 s):    the last bin (495), beside the values of its own range.
 * Invariants (tests/latency checks them): low(b) <= v < high(b) for b =
 * bin(v) below the last; high(b) == low(b + 1); the counts add up to
 * `calls`; `max_ns`, `over_10us` (> 10 000 ns) and `over_100us` (> 100 000
 * ns) are exact, not read from bins. A quantile is the largest value its
 * bin can hold, never above the max: an upper bound at most 6.25 % above
 * the true one, exact below 32 ns.
 */
#ifndef PAB_LATENCY_H
#define PAB_LATENCY_H

#include "../allocators/allocator.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    PAB_LATENCY_SUB_BITS = 4,
    PAB_LATENCY_SUB = 1 << PAB_LATENCY_SUB_BITS,
    PAB_LATENCY_TOP_BITS = 34,
    PAB_LATENCY_BINS = PAB_LATENCY_SUB + (PAB_LATENCY_TOP_BITS - PAB_LATENCY_SUB_BITS) * PAB_LATENCY_SUB,
    PAB_CLOCK_SAMPLES = 100000,
};

/* The kinds of call timed apart, in the order the files list them. */
#define PAB_CALL_KINDS(X) X(malloc) X(realloc) X(free)

typedef enum pab_call_kind {
#define PAB_CALL_KIND_ENUM(name) PAB_CALL_##name,
    PAB_CALL_KINDS(PAB_CALL_KIND_ENUM)
#undef PAB_CALL_KIND_ENUM
    PAB_CALL_KIND_COUNT
} pab_call_kind;

extern const char *const pab_call_kind_name[PAB_CALL_KIND_COUNT];

typedef struct pab_latency_histogram {
    uint64_t calls, over_10us, over_100us, max_ns;
    double sum_ns;
    uint64_t count[PAB_LATENCY_BINS];
} pab_latency_histogram;

typedef struct pab_latency_clock {
    double ticks_per_ns;
    double cost_ticks; /* subtracted from every reading */
    double cost_ns, resolution_ns;
} pab_latency_clock;

/* The bin of a value in ns, and the values a bin holds: [low, high). */
size_t pab_latency_bin(uint64_t ns);
uint64_t pab_latency_bin_low(size_t bin);
uint64_t pab_latency_bin_high(size_t bin);

/* Calibrates the clock against CLOCK_MONOTONIC and measures its cost. */
void pab_latency_clock_measure(pab_latency_clock *c);
/* The clock's figures from given empty timings (ticks) and rate: what
 * pab_latency_clock_measure does with the ones it takes. n > 0. */
void pab_latency_clock_from(pab_latency_clock *c, double ticks_per_ns, const uint64_t *empty, size_t n);
/* A reading of `ticks` in ns, the clock's cost subtracted, at least 0. */
uint64_t pab_latency_ns(const pab_latency_clock *c, uint64_t ticks);

void pab_latency_record(pab_latency_histogram *h, uint64_t ns);
/* The q-quantile (0 < q <= 1) into *out, as above; false when the histogram
 * is empty or q is outside (0, 1]. */
bool pab_latency_quantile(const pab_latency_histogram *h, double q, uint64_t *out);

/* The timing wrapper of `real` (one per process: its state is this file's),
 * recording into histograms cleared here, one per kind. */
pab_allocator pab_latency_wrap(const pab_allocator *real, const pab_latency_clock *c);
const pab_latency_histogram *pab_latency_recorded(void);

/* PREFIX.latency.csv (a line per kind) and PREFIX.latency_bins.csv (a line
 * per non-empty bin), with contract.h's headers; 0 or -1 (errno set). */
int pab_latency_write(const char *summary_path, const char *bins_path,
                      const pab_latency_histogram h[PAB_CALL_KIND_COUNT], const pab_latency_clock *c);

#endif
