/*
 * cli.h: pyallocbench's command line. Every option is one row of the table
 * in cli.c, from which both the parser and --help are made.
 */
#ifndef PAB_CLI_H
#define PAB_CLI_H

#include "../allocators/allocator.h"
#include "../workloads/workload.h"
#include "results.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct pab_options {
    pab_allocator **allocators; /* chosen (instances, owned), in the order given */
    bool allocators_given;      /* by --allocator, rather than the defaults */
    size_t nallocators;
    const pab_workload **workloads; /* table entries, and instances on inputs (owned) */
    size_t nworkloads;
    bool workloads_given;           /* by --workload, rather than the defaults */
    unsigned *threads;              /* --threads: the threaded workloads' thread counts, in the order given */
    size_t nthreads;
    bool threads_given;
    const char *inputs;             /* --trace's list of files, or NULL */
    bool real;                      /* --real: the program itself under each allocator */
    char **program;                 /* after --: the interpreter and its arguments */
    size_t nprogram;
    bool list, help, version, quick, progress, count;
    unsigned processes;   /* measuring processes per pair */
    unsigned repetitions; /* warm repetitions in each */
    uint64_t scale; /* 0: each workload's own (default or quick) scale */
    uint64_t seed;
    const char *out_dir;
    unsigned timeout_s;
    uint64_t memory_limit_mib;
    const char **env; /* KEY=VALUE for every child, as given */
    size_t nenv;
    const char **bench_flags; /* --benchmark_* flags passed to every child */
    size_t nbench_flags;
    int argc;
    char **argv;
} pab_options;

/* Fills *o from the command line. On bad input returns -1 with one line
 * (no newline) in err saying what is wrong and what is valid. */
int pab_options_parse(int argc, char **argv, const char *default_out, pab_options *o, char *err,
                      size_t errlen);
void pab_options_free(pab_options *o);

void pab_options_print_help(FILE *f, const char *default_out);

/* The scale a workload runs at under these options. */
uint64_t pab_options_scale(const pab_options *o, const pab_workload *w);

/* How many passes one timed repetition of the workload makes (at every
 * thread count the same: a threaded workload's pass at one thread). */
uint64_t pab_options_passes(const pab_options *o, const pab_workload *w);

#endif
