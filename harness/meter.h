/*
 * meter.h: the child's side of the workload meter (workloads/workload.h).
 *
 * A memory pass runs a workload once on a fresh heap with a meter that
 * records the measurement point and, when asked to, samples RSS every
 * `interval` operations. Unsampled, it is the cold pass: timed on the
 * monotonic clock, less the time the mark's readings took, with the page
 * faults it caused (getrusage). The timed passes use a meter that only
 * counts. All readings here are RSS minus the baseline taken just before
 * the memory pass.
 */
#ifndef PAB_METER_H
#define PAB_METER_H

#include "../workloads/workload.h"

#include <stdbool.h>
#include <stdint.h>

enum { PAB_SERIES_CAPACITY = 4096, PAB_WORKLOAD_COUNTERS_MAX = 32 };

typedef struct pab_series_point {
    uint64_t ops;
    int64_t rss_bytes;
    int64_t live_bytes;
} pab_series_point;

/* RSS and the allocator's own figures at one moment. */
typedef struct pab_phase {
    int64_t rss_bytes;
    bool has_stats; /* false when the allocator keeps none */
    pab_stats stats;
} pab_phase;

typedef struct pab_memory_pass {
    int64_t baseline_rss_bytes; /* absolute, the one reading not relative to itself */
    int64_t peak_rss_bytes;
    uint64_t ops;
    bool marked;
    int64_t live_at_mark;
    pab_phase mark, final, trimmed;

    uint64_t interval; /* operations between samples, fixed while a pass runs */
    size_t npoints;
    pab_series_point points[PAB_SERIES_CAPACITY];

    int ncounters; /* what the workload reported of itself (pab_report) */
    pab_counter counters[PAB_WORKLOAD_COUNTERS_MAX];

    double pass_ns;      /* the pass's own time: the mark's readings excluded */
    double mark_ns;      /* what the mark's readings took */
    int64_t minor_faults, major_faults;

    const char *error; /* static message when something could not be read */
} pab_memory_pass;

/* Runs one pass of `w`, sampled or not as above; 0, or -1 with r->error set.
 * `pooled`: on the threads of the pool (threads.h), the memory pass's meter
 * being thread 0's; the mark's live bytes and the ops are the threads' sums,
 * and such a pass is never sampled (one thread's count is not the pass's). */
int pab_memory_pass_run(pab_memory_pass *r, const pab_allocator *a, const pab_workload *w,
                        uint64_t scale, uint64_t seed, bool sampled, bool pooled);

/* Minor and major page faults of this process so far. */
void pab_page_faults(int64_t *minor, int64_t *major);

/* A meter for timed passes: counts operations, never samples, and ignores
 * the measurement point and the workload's own counters. */
pab_meter pab_meter_timed(void);

#endif
