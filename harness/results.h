/*
 * results.h: the files of a results folder (results/README.md) that the
 * parent writes. results.csv's columns are the key, status and the figures
 * of contract.h.
 */
#ifndef PAB_RESULTS_H
#define PAB_RESULTS_H

#include "contract.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { PAB_STATUS_MAX = 320 };

/* One pair's line of results.csv. */
typedef struct pab_row {
    const char *allocator;
    const char *workload;
    bool ok;
    char status[PAB_STATUS_MAX]; /* "ok" or "failed: why" */
    pab_figures figures;         /* all unknown unless ok */
} pab_row;

/* Reads PREFIX.figures into row; on any missing or malformed figure
 * returns -1 with why in err (row's figures then stay unknown). */
int pab_row_load_figures(pab_row *row, const char *path, char *err, size_t errlen);
/* Marks the row failed with a printf-style reason, dropping its figures. */
void pab_row_fail(pab_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int pab_results_write_csv(const char *path, const pab_row *rows, size_t n);

/*
 * series.csv and stats.csv: each child writes its own (PREFIX + suffix, with
 * the contract's header); the parent prepends the row key to every line and
 * appends them to the run's file. Checked before anything is appended, so a
 * failed pair leaves no lines behind.
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
