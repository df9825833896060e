/* metadata.h: metadata.json, what a results folder says about the machine and the run. */
#ifndef PAB_METADATA_H
#define PAB_METADATA_H

#include "cli.h"
#include "runner.h"

#include <time.h>

typedef struct pab_run_info {
    const pab_options *opt;
    const char *source_dir;           /* for the git commit */
    pab_allocator *const *allocators; /* every allocator asked for ... */
    const pab_probe *probes;          /* ... and what its probe said */
    size_t nallocators;
    const pab_row *rows; /* for what the children noted */
    size_t nrows;
    time_t start, end;
    const char *load_start, *load_end; /* /proc/loadavg's averages */
    const char *strace;                /* what counted the system calls, or NULL */
    char *const *program;              /* --real: the program as run (its interpreter resolved), or NULL */
} pab_run_info;

/* The 1, 5 and 15 minute load averages, "0.52 0.58 0.59" (a new string, or NULL). */
char *pab_load_average(void);

int pab_metadata_write(const char *path, const pab_run_info *run);

/* --version: the git commit the suite was built from, and the build type. */
void pab_print_version(FILE *f, const char *source_dir);

#endif
