/*
 * results.h: the files of a results folder (results/README.md) that the
 * parent writes. The columns of results.csv are the one list below: the
 * CSV header, the parsing of a child's PREFIX.figures and the checks on it
 * all come from it.
 */
#ifndef PAB_RESULTS_H
#define PAB_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* results.csv's columns after allocator, workload and status, in order;
 * each is a key=value line of the child's PREFIX.figures. */
#define PAB_FIGURES(X)                                                                                       \
    X(ops_per_sec)                                                                                           \
    X(ns_per_op)                                                                                             \
    X(ns_per_op_spread)                                                                                      \
    X(repetitions)                                                                                           \
    X(ops_per_pass)                                                                                          \
    X(baseline_rss_bytes)                                                                                    \
    X(peak_rss_bytes)                                                                                        \
    X(mark_rss_bytes)                                                                                        \
    X(final_rss_bytes)                                                                                       \
    X(trimmed_rss_bytes)                                                                                     \
    X(live_bytes)                                                                                            \
    X(fragmentation)

typedef enum pab_figure {
#define PAB_FIGURE_ENUM(name) PAB_FIG_##name,
    PAB_FIGURES(PAB_FIGURE_ENUM)
#undef PAB_FIGURE_ENUM
    PAB_FIG_COUNT
} pab_figure;

enum { PAB_STATUS_MAX = 320 };

/* One pair's line of results.csv. */
typedef struct pab_row {
    const char *allocator;
    const char *workload;
    bool ok;
    char status[PAB_STATUS_MAX]; /* "ok" or "failed: why" */
    char *text[PAB_FIG_COUNT];   /* each figure as the child wrote it */
    double value[PAB_FIG_COUNT];
} pab_row;

/* Reads PREFIX.figures into row; on any missing or malformed figure
 * returns -1 with why in err (row's figures then stay empty). */
int pab_row_load_figures(pab_row *row, const char *path, char *err, size_t errlen);
/* Marks the row failed with a printf-style reason, dropping its figures. */
void pab_row_fail(pab_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pab_row_free(pab_row *row);

int pab_results_write_csv(const char *path, const pab_row *rows, size_t n);

/*
 * series.csv and stats.csv: each child writes its own (PREFIX + suffix, with
 * the contract's header); the parent prepends allocator,workload to every
 * line and appends them to the run's file. Checked before anything is
 * appended, so a failed pair leaves no lines behind.
 */
enum { PAB_MERGED_COUNT = 2 }; /* series.csv, stats.csv */

typedef struct pab_merged {
    FILE *files[PAB_MERGED_COUNT];
} pab_merged;

int pab_merged_open(pab_merged *m, const char *dir);
/* Appends PREFIX's child files; -1 with why in err, appending nothing. */
int pab_merged_append(pab_merged *m, const char *prefix, const char *allocator, const char *workload,
                      char *err, size_t errlen);
/* Removes PREFIX's child files. */
void pab_merged_forget(const char *prefix);
int pab_merged_close(pab_merged *m);

#endif
