/*
 * runner.h: the parent's side of its contract with pab-child: asking the
 * child whether an allocator can run here (--probe), and running one child
 * per (allocator, workload) pair into the results folder being built. The
 * child's environment is ours, then each --env, then LD_PRELOAD of the
 * allocator's `preload` library, which wins over any other LD_PRELOAD.
 */
#ifndef PAB_RUNNER_H
#define PAB_RUNNER_H

#include "cli.h"
#include "results.h"
#include "rundir.h"
#include "spawn.h"

#include <stdbool.h>

typedef struct pab_runner {
    char *child;  /* pab-child, beside our own executable */
    /* --real: the program and the interpreter's `-c pass` (real.h), or NULL */
    char *const *real_argv, *const *real_baseline;
    char *strace;   /* strace, for the series processes' system-call counts, or NULL */
    char *valgrind; /* valgrind, for --count, or NULL */
    const pab_options *opt;
} pab_runner;

int pab_runner_init(pab_runner *r, const pab_options *o, char *err, size_t errlen);
void pab_runner_free(pab_runner *r);

typedef struct pab_probe {
    bool available;
    char text[PAB_STATUS_MAX]; /* the version when available, else why not */
} pab_probe;

/* The LD_PRELOAD=... entry the user's environment or --env would give the
 * children, or NULL: an allocator's library is chosen with --allocator. */
const char *pab_runner_inherited_preload(const pab_options *o);

/* The entries of the children's environment that change what an allocator
 * does (GLIBC_TUNABLES, MALLOC_*, ...), at most cap, into out; their count.
 * They point into our environment or the options. */
size_t pab_runner_allocator_env(const pab_options *o, const char **out, size_t cap);

/* Whether --env gives `key`. */
bool pab_runner_env_has(const pab_options *o, const char *key);

/* Runs argv in allocator a's environment (a NULL: ours and --env alone),
 * stdout and stderr into the files (NULL: /dev/null). */
pab_end pab_runner_run(const pab_runner *r, const pab_allocator *a, char **argv, FILE *out, FILE *err,
                       unsigned timeout_s);
/* How a process ended, as results.csv's status says it (without "failed: "). */
void pab_runner_describe_end(const pab_runner *r, pab_end end, const char *stderr_text, unsigned timeout_s,
                             char *out, size_t len);

/* Asks the child whether allocator a can run here, in the environment a
 * run would give it. -1 when the user interrupted us. */
int pab_probe_allocator(const pab_runner *r, const pab_allocator *a, pab_probe *out);

/* A pair's processes: N that measure (cold and warm passes), one that
 * samples RSS over a pass for series.csv (under strace when it is there),
 * one that times every call of a pass for latency.csv, and with --count
 * one under callgrind. */
typedef enum pab_process_kind {
    PAB_PROCESS_MEASURE,
    PAB_PROCESS_SERIES,
    PAB_PROCESS_LATENCY,
    PAB_PROCESS_COUNT,
    PAB_PROCESS_REAL, /* --real: the baseline, then the program, in a's configuration */
} pab_process_kind;

/* Runs one process of a pair. A measuring one adds its figures to the row
 * (its JSON goes to d's gbench/, its samples, and the first one's stats, to
 * m); a failure of either kind fails the row with why. -1 when the user
 * interrupted us. */
int pab_run_process(const pab_runner *r, const pab_rundir *d, pab_merged *m, const pab_allocator *a,
                    const pab_workload *w, pab_process_kind kind, pab_row *row);

#endif
