/*
 * contract.h: everything pab-child and pyallocbench share, defined once:
 * exit statuses, the key of a results row and what a label may hold, the
 * child's files with their suffixes and headers, and the figures (the
 * columns of results.csv after the key and status). plots/ reads the same
 * files by these column names (results/README.md documents them).
 *
 * Adding a figure is one line in PAB_FIGURES: the child fills it in its
 * table, the writers and the reader loop over the list.
 */
#ifndef PAB_CONTRACT_H
#define PAB_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* pab-child's exit statuses. */
enum {
    PAB_CHILD_OK = 0,
    PAB_CHILD_FAILED = 1,      /* measuring or writing failed */
    PAB_CHILD_USAGE = 2,       /* bad arguments */
    PAB_CHILD_UNAVAILABLE = 3, /* the allocator cannot run here */
};

/* pyallocbench's (and plots/'s) exit statuses; interrupted: 128 + signal. */
enum {
    PAB_EXIT_OK = 0,
    PAB_EXIT_FAILED = 1, /* some pair failed (its row says why), or the run could not finish */
    PAB_EXIT_BAD_INPUT = 2,
    PAB_EXIT_SIGNAL_BASE = 128,
};

/* The parent's pid, in every child's environment: a child (or a wrapper's
 * child) checks that the run that started it is still there. */
#define PAB_RUN_PID_ENV "PAB_RUN_PID"

/*
 * A results row is keyed by (allocator label, workload label); a later
 * column (threads) will join the key. Labels are what users type and what
 * file names are made of:
 *   - an allocator label is one or more names joined by '+' (layering:
 *     pymalloc+jemalloc), each name of letters, digits, '_', '.' and '-';
 *   - a workload label is a name of lower-case letters, digits and '_',
 *     optionally followed by '/' and a variant of the same characters
 *     (string_concat/join).
 * A pair's files are named by its stem, "<allocator>__<workload>" with the
 * workload's '/' written as '.', so no label makes a subfolder.
 */
#define PAB_KEY_HEADER "allocator,workload"
enum { PAB_LABEL_MAX = 64 };

bool pab_allocator_label_valid(const char *label);
bool pab_workload_label_valid(const char *label);
/* The pair's stem into out; false if it does not fit. */
bool pab_pair_stem(const char *allocator, const char *workload, char *out, size_t len);

/* The child's files, PREFIX + suffix, with the first line each must have
 * (NULL: not a CSV of ours). PREFIX.figures is renamed into place last: its
 * presence means the child succeeded. */
#define PAB_CHILD_FILES(X)                                                                       \
    X(JSON, ".json", NULL)                                                                       \
    X(SERIES, ".series.csv", "ops,rss_bytes,live_bytes")                                         \
    X(STATS, ".stats.csv", "phase,counter,value")                                                \
    X(FIGURES, ".figures", NULL)

typedef enum pab_child_file {
#define PAB_CHILD_FILE_ENUM(id, suffix, header) PAB_FILE_##id,
    PAB_CHILD_FILES(PAB_CHILD_FILE_ENUM)
#undef PAB_CHILD_FILE_ENUM
    PAB_FILE_COUNT
} pab_child_file;

extern const char *const pab_child_file_suffix[PAB_FILE_COUNT];
extern const char *const pab_child_file_header[PAB_FILE_COUNT];

/*
 * The figures, in results.csv's column order: name and how it is printed.
 * In PREFIX.figures each is a `name=value` line; an empty value is a figure
 * the child could not honestly give, left empty in results.csv too.
 */
#define PAB_FIGURES(X)                                                                           \
    X(ops_per_sec, "%.0f")                                                                       \
    X(ns_per_op, "%.4f")                                                                         \
    X(ns_per_op_spread, "%.4f")                                                                  \
    X(repetitions, "%.0f")                                                                       \
    X(ops_per_pass, "%.0f")                                                                      \
    X(baseline_rss_bytes, "%.0f")                                                                \
    X(peak_rss_bytes, "%.0f")                                                                    \
    X(mark_rss_bytes, "%.0f")                                                                    \
    X(final_rss_bytes, "%.0f")                                                                   \
    X(trimmed_rss_bytes, "%.0f")                                                                 \
    X(live_bytes, "%.0f")                                                                        \
    X(fragmentation, "%.4f")

typedef enum pab_figure {
#define PAB_FIGURE_ENUM(name, format) PAB_FIG_##name,
    PAB_FIGURES(PAB_FIGURE_ENUM)
#undef PAB_FIGURE_ENUM
    PAB_FIG_COUNT
} pab_figure;

extern const char *const pab_figure_name[PAB_FIG_COUNT];

/* One pair's figures: what the child fills and the parent reads back. */
typedef struct pab_figures {
    double value[PAB_FIG_COUNT];
    bool known[PAB_FIG_COUNT];
} pab_figures;

/* The line PREFIX.figures holds besides the figures: the allocator's version. */
#define PAB_VERSION_KEY "version"

void pab_figure_set(pab_figures *f, pab_figure which, double value);
/* The figure as results.csv shows it ("" when unknown) into out. */
void pab_figure_format(const pab_figures *f, pab_figure which, char *out, size_t len);

/* Writes every figure as name=value, then version=; 0 or -1. */
int pab_figures_write(FILE *out, const pab_figures *f, const char *version);
/* Reads PREFIX.figures' text: every figure must be there once, as a
 * number or empty, and nothing else but version=. -1 with why in err. */
int pab_figures_parse(char *text, pab_figures *f, char *err, size_t errlen);

#endif
