/*
 * results.h: the files of a results folder (results/README.md) that the
 * parent writes. A row gathers one pair's processes (contract.h's figures,
 * one set per process) and is summarised over them by each figure's
 * aggregation; results.csv's columns come from that list.
 */
#ifndef PAB_RESULTS_H
#define PAB_RESULTS_H

#include "callgrind.h"
#include "contract.h"
#include "syscalls.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { PAB_STATUS_MAX = 320, PAB_MAX_PROCESSES = 100 };

/* A figure over a pair's processes: the median, and the interval or range. */
typedef struct pab_summary {
    bool known, bounded;
    double center, low, high;
} pab_summary;

/* One pair: its processes so far, then its line of results.csv. */
typedef struct pab_row {
    const char *allocator;
    const char *workload;
    unsigned threads;
    bool ok;
    bool skipped; /* not run, for a reason of the run's own: not a failure */
    char status[PAB_STATUS_MAX]; /* "ok", "failed: why" or "not run: why" */
    size_t nprocesses;
    pab_figures process[PAB_MAX_PROCESSES];
    pab_notes notes; /* the first process's */
    pab_syscall_counts syscalls;         /* from the series process, under strace */
    pab_instruction_counts instructions; /* from the --count process, under callgrind */
    double instructions_ops;             /* the calls of its counted pass */
    /* Set by pab_row_summarise. */
    bool unstable; /* pyperf's rule over the processes' warm times */
    pab_summary figure[PAB_FIG_COUNT];
} pab_row;

/* Reads a process's PREFIX.figures into the row's next process; -1 with
 * why in err when anything is missing or malformed. */
int pab_row_add_process(pab_row *row, const char *path, char *err, size_t errlen);
/* Adds figures the parent measured itself (a --real process) as the next process. */
int pab_row_add_figures(pab_row *row, const pab_figures *f, char *err, size_t errlen);
/* Summarises the processes; fails the row when a SAME figure differs. */
void pab_row_summarise(pab_row *row);
/* Marks the row failed with a printf-style reason, dropping its figures. */
void pab_row_fail(pab_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Marks the row not run (a pair the run cannot measure), saying why. */
void pab_row_skip(pab_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The row's key as the merged files lead with it ("allocator,workload,threads"); free it. */
char *pab_row_key(const pab_row *row);

int pab_results_write_csv(const char *path, const pab_row *rows, size_t n);

/*
 * samples.csv, series.csv, stats.csv, latency.csv and latency_bins.csv:
 * each child writes its own (PREFIX + suffix, with the contract's header);
 * the parent prepends the row key (and for samples the process) to every
 * line and appends them to the run's file. Checked before anything is
 * appended, so a failed child leaves no lines behind.
 */
typedef enum pab_merged_file {
    PAB_MERGED_SAMPLES,
    PAB_MERGED_SERIES,
    PAB_MERGED_STATS,
    PAB_MERGED_LATENCY,
    PAB_MERGED_LATENCY_BINS,
    PAB_MERGED_COUNT
} pab_merged_file;

typedef struct pab_merged {
    FILE *files[PAB_MERGED_COUNT];
} pab_merged;

int pab_merged_open(pab_merged *m, const char *dir);
/* PREFIX's file `which`, checked against the contract's header; NULL with
 * why in err. Free it after pab_merged_append. */
char *pab_merged_read(pab_merged_file which, const char *prefix, char *err, size_t errlen);
/* Appends a checked text's lines after `lead` (the row's key[,process]). */
void pab_merged_append(pab_merged *m, pab_merged_file which, char *text, const char *lead);
/* Removes every child file of PREFIX. */
void pab_merged_forget(const char *prefix);
int pab_merged_close(pab_merged *m);

#endif
