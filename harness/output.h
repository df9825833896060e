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

/* The timed pass, over its repetitions. */
typedef struct pab_timing {
    int repetitions;
    double ns_per_op;        /* median */
    double ns_per_op_spread; /* max - min */
} pab_timing;

/* The pair's figures (contract.h) from its memory pass and timing. */
void pab_figures_fill(pab_figures *f, const pab_memory_pass *r, const pab_timing *t);

/* PREFIX.figures: the figures, then version=. */
int pab_write_figures(const char *path, const pab_figures *f, const char *version);

/* PREFIX.series.csv: one line per RSS sample. */
int pab_write_series(const char *path, const pab_memory_pass *r);

/* PREFIX.stats.csv: the allocator's figures at the phases mark, final and
 * trimmed, and the workload's own counters as phase `workload`. */
int pab_write_stats(const char *path, const pab_memory_pass *r);

#endif
