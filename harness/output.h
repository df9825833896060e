/*
 * output.h: the child's files (see harness/README.md and
 * results/README.md). Each writer writes the whole file at `path` and
 * returns 0, or -1 if anything failed; the child writes to temporary names
 * and renames, so a reader never sees half a file.
 */
#ifndef PAB_OUTPUT_H
#define PAB_OUTPUT_H

#include "contract.h"
#include "meter.h"
#include "perf.h"

enum { PAB_MAX_REPETITIONS = 1024 };

/* The warm passes: each repetition times `passes` passes in a row. */
typedef struct pab_timing {
    int repetitions, passes;
    double ns_per_op[PAB_MAX_REPETITIONS];
    double minor_faults[PAB_MAX_REPETITIONS], major_faults[PAB_MAX_REPETITIONS]; /* per pass */
    bool counters_known; /* hardware counters, over every repetition */
    double counters_per_op[PAB_PERF_COUNT];
} pab_timing;

/* The process's figures (contract.h) from its cold pass and warm passes. */
void pab_figures_fill(pab_figures *f, const pab_memory_pass *cold, const pab_timing *t);

/* PREFIX.samples.csv: the cold pass, then one line per warm repetition. */
int pab_write_samples(const char *path, const pab_memory_pass *cold, const pab_timing *t);

/* PREFIX.figures: the figures, then the notes. */
int pab_write_figures(const char *path, const pab_figures *f, const pab_notes *notes);

/* PREFIX.series.csv: one line per RSS sample. */
int pab_write_series(const char *path, const pab_memory_pass *r);

/* PREFIX.stats.csv: the allocator's figures at the phases mark, final and
 * trimmed, and the workload's own counters as phase `workload`. */
int pab_write_stats(const char *path, const pab_memory_pass *r);

#endif
