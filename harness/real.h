/*
 * real.h: `pyallocbench --real -- PYTHON SCRIPT.py [ARGS]`, the program
 * itself run under each allocator's CPython configuration (allocator.h's
 * pythonmalloc: PYTHONMALLOC=malloc with the library preloaded, or CPython's
 * default pymalloc, over a preloaded library for pymalloc+X), in several
 * processes each, round by round like the workloads. A process's figures
 * are the program's wall, user and system time, its peak RSS above the same
 * interpreter's `-c pass` in the same configuration (their baselines differ
 * by megabytes between allocators) and its page faults, all from wait4.
 *
 * Before anything is created the program is checked: the interpreter is
 * resolved to the binary a shim runs (sys.executable), the script must
 * exist, no PYTHONMALLOC may come from the environment (it would override
 * the configurations), every chosen allocator must have a configuration,
 * and one trial run of the program in CPython's default configuration must
 * exit 0 (it also warms the page cache, so the first round is not the only
 * cold one).
 */
#ifndef PAB_REAL_H
#define PAB_REAL_H

#include "cli.h"
#include "runner.h"

typedef struct pab_real {
    char *interpreter; /* the resolved binary */
    char *version;     /* its version, e.g. "3.11.2" */
    char **argv;       /* the interpreter, then the user's arguments */
    char *baseline_argv[4]; /* the interpreter, "-c", "pass" */
    pab_workload row;  /* the rows' workload: real/STEM, after the script */
    char label[PAB_LABEL_MAX];
} pab_real;

/* PAB_EXIT_OK, or PAB_EXIT_BAD_INPUT / PAB_EXIT_FAILED (the trial run
 * failed) with one line in err. */
int pab_real_prepare(const pab_runner *r, const pab_options *o, pab_real *out, char *err, size_t errlen);
void pab_real_free(pab_real *p);

#endif
