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
 * A results row is keyed by (allocator label, workload label, threads):
 * the threads a pass of a threaded workload runs (--threads), 1 for every
 * single-threaded one. Labels are what users type and what file names are
 * made of:
 *   - an allocator label is one or more names joined by '+' (layering:
 *     pymalloc+jemalloc), each name of letters, digits, '_', '.' and '-';
 *     or one name followed by ':KEY=VALUE' parts, each key and value a name
 *     (a variant: pymalloc:arena=4m:release=eager, keys in a fixed order);
 *     either optionally followed by '@' and a lock model of lower-case
 *     letters (pymalloc@gil, pymalloc:arena=4m@mutex, allocators/locked.h);
 *     a library the user names (--allocator=LABEL=PATH) is labelled with
 *     one name, never a built-in allocator's;
 *   - a workload label is a name of lower-case letters, digits and '_',
 *     optionally followed by '/' and a variant of the same characters
 *     (string_concat/join).
 * A pair's files are named by its stem, "<allocator>__<workload>" with the
 * workload's '/' written as '.', and "__t<threads>" after it when threads
 * is not 1 (so a single-threaded row's files keep their names), so no
 * label makes a subfolder (':' and '=' are ordinary characters in a POSIX
 * file name).
 */
#define PAB_KEY_HEADER "allocator,workload,threads"
enum { PAB_LABEL_MAX = 128 };

bool pab_allocator_label_valid(const char *label);
/* The label of a spec: all of it (a variant's parameters included), or what
 * comes before '=' in LABEL=PATH; false when it is not a valid label. */
bool pab_allocator_spec_label(const char *spec, char *out, size_t len);
bool pab_workload_label_valid(const char *label);
/* The pair's stem into out; false if it does not fit. */
bool pab_pair_stem(const char *allocator, const char *workload, unsigned threads, char *out, size_t len);

/* The child's files, PREFIX + suffix, with the first line each must have
 * (NULL: not a CSV of ours). A measuring child writes JSON, SAMPLES, STATS
 * and FIGURES; one run with --series writes SERIES alone, one with --count
 * COUNTED alone ("ops=N"), one with --latency LATENCY_BINS and LATENCY
 * (latency.h). The last file renamed into place (FIGURES, LATENCY, or the
 * only one) means the child succeeded. */
#define PAB_CHILD_FILES(X)                                                                       \
    X(JSON, ".json", NULL)                                                                       \
    X(SAMPLES, ".samples.csv",                                                                   \
      "pass,kind,ns_per_op,minor_faults,major_faults,peak_rss_bytes,final_rss_bytes,"            \
      "trimmed_rss_bytes,seconds")                                                               \
    X(STATS, ".stats.csv", "phase,counter,value")                                                \
    X(FIGURES, ".figures", NULL)                                                                 \
    X(SERIES, ".series.csv", "ops,rss_bytes,live_bytes")                                         \
    X(COUNTED, ".count", NULL)                                                                   \
    X(LATENCY_BINS, ".latency_bins.csv", "kind,low_ns,high_ns,calls")                            \
    X(LATENCY, ".latency.csv",                                                                   \
      "kind,calls,clock_ns,resolution_ns,p50_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns,"      \
      "over_10us,over_100us")

typedef enum pab_child_file {
#define PAB_CHILD_FILE_ENUM(id, suffix, header) PAB_FILE_##id,
    PAB_CHILD_FILES(PAB_CHILD_FILE_ENUM)
#undef PAB_CHILD_FILE_ENUM
    PAB_FILE_COUNT
} pab_child_file;

extern const char *const pab_child_file_suffix[PAB_FILE_COUNT];
extern const char *const pab_child_file_header[PAB_FILE_COUNT];

/*
 * How a figure of one process becomes the pair's, over its processes:
 *   INTERVAL  the median, and NAME_lo, NAME_hi: the 95 % t-interval of the
 *             geometric mean (stats.h), for times;
 *   RANGE     the median, and NAME_min, NAME_max, for memory and counts,
 *             which are nearly deterministic;
 *   SAME      one value every process must agree on (the workload's own
 *             counts); a process that disagrees fails the pair.
 */
typedef enum pab_aggregation { PAB_AGG_INTERVAL, PAB_AGG_RANGE, PAB_AGG_SAME } pab_aggregation;

/*
 * The figures one measuring process gives: name, how it is printed, and its
 * aggregation. In PREFIX.figures each is a `name=value` line; an empty value
 * is a figure the child could not honestly give (no hardware counters, too
 * few live bytes for fragmentation), left empty in results.csv too. Times
 * and faults are per pass: the cold pass is the first on the fresh heap,
 * the warm ones the timed repetitions after it. A real interpreter's
 * process (--real) gives the *_seconds figures, its peak RSS above the
 * same interpreter's `-c pass` (peak_rss_bytes; that one's is
 * baseline_rss_bytes) and its faults as the cold ones; the rest is empty.
 * A threaded workload's process also gives, after its last timed pass,
 * the RSS with its threads alive (threads_rss_bytes), once they are joined
 * (joined_rss_bytes: per-thread caches are flushed at thread exit) and
 * after the allocator's trim then; a single-threaded one leaves them empty.
 */
#define PAB_FIGURES(X)                                                                           \
    X(ns_per_op, "%.4f", PAB_AGG_INTERVAL)                                                       \
    X(cold_ns_per_op, "%.4f", PAB_AGG_INTERVAL)                                                  \
    X(repetitions, "%.0f", PAB_AGG_SAME)                                                         \
    X(passes_per_repetition, "%.0f", PAB_AGG_SAME)                                               \
    X(ops_per_pass, "%.0f", PAB_AGG_SAME)                                                        \
    X(live_bytes, "%.0f", PAB_AGG_SAME)                                                          \
    X(baseline_rss_bytes, "%.0f", PAB_AGG_RANGE)                                                 \
    X(peak_rss_bytes, "%.0f", PAB_AGG_RANGE)                                                     \
    X(mark_rss_bytes, "%.0f", PAB_AGG_RANGE)                                                     \
    X(final_rss_bytes, "%.0f", PAB_AGG_RANGE)                                                    \
    X(trimmed_rss_bytes, "%.0f", PAB_AGG_RANGE)                                                  \
    X(threads_rss_bytes, "%.0f", PAB_AGG_RANGE)                                                  \
    X(joined_rss_bytes, "%.0f", PAB_AGG_RANGE)                                                   \
    X(joined_trimmed_rss_bytes, "%.0f", PAB_AGG_RANGE)                                           \
    X(fragmentation, "%.4f", PAB_AGG_RANGE)                                                      \
    X(cold_minor_faults, "%.0f", PAB_AGG_RANGE)                                                  \
    X(cold_major_faults, "%.0f", PAB_AGG_RANGE)                                                  \
    X(warm_minor_faults, "%.1f", PAB_AGG_RANGE)                                                  \
    X(warm_major_faults, "%.1f", PAB_AGG_RANGE)                                                  \
    X(instructions_per_op, "%.2f", PAB_AGG_RANGE)                                                \
    X(cycles_per_op, "%.2f", PAB_AGG_RANGE)                                                      \
    X(cache_misses_per_op, "%.4f", PAB_AGG_RANGE)                                                \
    X(dtlb_misses_per_op, "%.4f", PAB_AGG_RANGE)                                                 \
    X(wall_seconds, "%.6f", PAB_AGG_INTERVAL)                                                    \
    X(user_seconds, "%.6f", PAB_AGG_RANGE)                                                       \
    X(system_seconds, "%.6f", PAB_AGG_RANGE)

typedef enum pab_figure {
#define PAB_FIGURE_ENUM(name, format, aggregation) PAB_FIG_##name,
    PAB_FIGURES(PAB_FIGURE_ENUM)
#undef PAB_FIGURE_ENUM
    PAB_FIG_COUNT
} pab_figure;

extern const char *const pab_figure_name[PAB_FIG_COUNT];
extern const char *const pab_figure_printf[PAB_FIG_COUNT];
extern const pab_aggregation pab_figure_aggregation[PAB_FIG_COUNT];

/* One process's figures: what the child fills and the parent reads back. */
typedef struct pab_figures {
    double value[PAB_FIG_COUNT];
    bool known[PAB_FIG_COUNT];
} pab_figures;

/* Lines PREFIX.figures holds besides the figures: facts about the child
 * rather than measurements (Google Benchmark's warnings, and "available"
 * or why not for the hardware counters, among them). */
#define PAB_NOTES(X)                                                                             \
    X(version)                                                                                   \
    X(gbench_build_type)                                                                         \
    X(cpu_scaling)                                                                               \
    X(hardware_counters)

typedef enum pab_note {
#define PAB_NOTE_ENUM(name) PAB_NOTE_##name,
    PAB_NOTES(PAB_NOTE_ENUM)
#undef PAB_NOTE_ENUM
    PAB_NOTE_COUNT
} pab_note;

enum { PAB_NOTE_MAX = 256 };
typedef struct pab_notes {
    char text[PAB_NOTE_COUNT][PAB_NOTE_MAX];
} pab_notes;

extern const char *const pab_note_name[PAB_NOTE_COUNT];

void pab_figure_set(pab_figures *f, pab_figure which, double value);
/* The value as results files show it ("" when unknown) into out. */
void pab_figure_print(pab_figure which, bool known, double value, char *out, size_t len);

/* Writes every figure as name=value, then the notes; 0 or -1. */
int pab_figures_write(FILE *out, const pab_figures *f, const pab_notes *notes);
/* Reads PREFIX.figures' text: every figure must be there once, as a number
 * or empty, and nothing else but notes. -1 with why in err. */
int pab_figures_parse(char *text, pab_figures *f, pab_notes *notes, char *err, size_t errlen);

#endif
