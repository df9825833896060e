/*
 * output.h: the child's files (see harness/README.md and
 * results/README.md). Each writer writes the whole file at `path` and
 * returns 0, or -1 if anything failed; the child writes to temporary names
 * and renames, so a reader never sees half a file.
 */
#ifndef PAB_OUTPUT_H
#define PAB_OUTPUT_H

#include "meter.h"

/* The timed pass, over its repetitions. */
typedef struct pab_timing {
    int repetitions;
    double ns_per_op;        /* median */
    double ns_per_op_spread; /* max - min */
} pab_timing;

/* key=value lines named after results.csv's columns, plus version=. */
int pab_write_figures(const char *path, const pab_memory_pass *r, const pab_timing *t,
                      const char *version);

/* ops,rss_bytes,live_bytes */
int pab_write_series(const char *path, const pab_memory_pass *r);

/* phase,counter,value for the phases mark, final, trimmed and workload. */
int pab_write_stats(const char *path, const pab_memory_pass *r);

#endif
