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

#include <stdbool.h>

typedef struct pab_runner {
    char *child; /* pab-child, beside our own executable */
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

/* Asks the child whether allocator a can run here, in the environment a
 * run would give it. -1 when the user interrupted us. */
int pab_probe_allocator(const pab_runner *r, const pab_allocator *a, pab_probe *out);

/* Runs one pair: fills row (ok or failed: why); on success moves the JSON
 * into d's gbench/ and appends the series and stats to m. -1 when the user
 * interrupted us. */
int pab_run_pair(const pab_runner *r, const pab_rundir *d, pab_merged *m, const pab_allocator *a,
                 const pab_workload *w, pab_row *row);

#endif
