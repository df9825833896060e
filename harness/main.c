/*
 * pyallocbench: ./bench's program. Parses the command line, asks pab-child
 * which allocators can run here, runs one pab-child per (allocator,
 * workload) pair and gathers their files into a results folder.
 *
 * Nothing is created until every input has been checked. An interrupted
 * run (SIGINT, SIGTERM, SIGHUP) keeps nothing: its half-built folder is
 * removed. A run whose pairs all fail is still a complete folder, with a
 * failed row per pair saying why, since that is a result worth keeping.
 */
#include "cli.h"
#include "contract.h"
#include "files.h"
#include "lock.h"
#include "plan.h"
#include "metadata.h"
#include "progress.h"
#include "real.h"
#include "results.h"
#include "rundir.h"
#include "runner.h"
#include "spawn.h"
#include "summary.h"

#include <stdlib.h>
#include <string.h>

/* Why a run stops before its folder is complete. */
enum { PAB_STOP_INTERRUPTED = -1, PAB_STOP_TROUBLE = -2 };

static const char pab_default_out[] = PAB_SOURCE_DIR "/results";

static int say(int status, const char *what)
{
    fprintf(stderr, "pyallocbench: %s\n", what);
    return status;
}

static int interrupted_status(void)
{
    fprintf(stderr, "pyallocbench: interrupted; nothing kept\n");
    return PAB_EXIT_SIGNAL_BASE + pab_interrupted();
}

static int list_allocator(const pab_runner *r, const pab_allocator *a, int width)
{
    pab_probe p;
    if (pab_probe_allocator(r, a, &p) != 0)
        return -1;
    printf("allocator %-*s  %-11s  %s; %s%s\n", width, a->name, p.available ? "available" : "unavailable",
           a->description, p.available ? "version " : "", p.text);
    return 0;
}

/* A lock model of a default allocator (locked.h), made to be listed. */
static int list_spec(const pab_runner *r, const char *spec, int width)
{
    char err[512];
    pab_allocator *a = pab_allocator_make(spec, err, sizeof err);
    int rc = a ? list_allocator(r, a, width) : 0;
    pab_allocator_free(a);
    return rc;
}

/* The chosen allocators (by default every default one), the test-only
 * kinds and the lock models when no --allocator narrowed the list, and
 * every workload. */
static int list_everything(const pab_runner *r, const pab_options *o)
{
    int w = 0;
    for (size_t i = 0; i < o->nallocators; i++)
        w = (int)strlen(o->allocators[i]->name) > w ? (int)strlen(o->allocators[i]->name) : w;
    for (size_t i = 0; pab_workloads[i]; i++)
        w = (int)strlen(pab_workloads[i]->name) > w ? (int)strlen(pab_workloads[i]->name) : w;
    for (const char *const *s = pab_allocator_lock_defaults(); *s && !o->allocators_given; s++)
        w = (int)strlen(*s) > w ? (int)strlen(*s) : w;
    for (size_t i = 0; i < o->nallocators; i++)
        if (list_allocator(r, o->allocators[i], w) != 0)
            return interrupted_status();
    for (const pab_allocator *const *k = pab_allocator_kinds; *k && !o->allocators_given; k++)
        if ((*k)->test_only && list_allocator(r, *k, w) != 0)
            return interrupted_status();
    for (const char *const *s = pab_allocator_lock_defaults(); *s && !o->allocators_given; s++)
        if (list_spec(r, *s, w) != 0)
            return interrupted_status();
    for (size_t i = 0; pab_workloads[i]; i++) {
        const pab_workload *wl = pab_workloads[i];
        printf("workload  %-*s  %-11s  %s (scale %llu, --quick %llu)\n", w, wl->name,
               wl->load ? "needs-input" : wl->thread_ops ? "threaded" : "",
               wl->description,
               (unsigned long long)wl->default_scale, (unsigned long long)wl->quick_scale);
    }
    return PAB_EXIT_OK;
}

/* Probes every chosen allocator; keeps the runnable ones in run[]. */
static int probe_chosen(const pab_runner *r, const pab_options *o, pab_probe *probes,
                        const pab_allocator **run, size_t *nrun)
{
    *nrun = 0;
    for (size_t i = 0; i < o->nallocators; i++) {
        if (pab_probe_allocator(r, o->allocators[i], &probes[i]) != 0)
            return -1;
        if (probes[i].available)
            run[(*nrun)++] = o->allocators[i];
        else
            fprintf(stderr, "pyallocbench: skipping allocator %s: %s\n", o->allocators[i]->name,
                    probes[i].text);
    }
    return 0;
}

/* A column of the run's matrix: a workload at one thread count. A
 * single-threaded workload is one column at 1 thread whatever --threads
 * says; a threaded one, one column per count. */
typedef struct pab_case {
    const pab_workload *workload;
    unsigned threads;
} pab_case;

typedef struct pab_run {
    const pab_options *opt;
    const pab_runner *runner;
    const pab_allocator **allocators; /* the runnable ones (owned by the options) */
    size_t nallocators;
    pab_case *cases;
    size_t ncases;
    pab_row *rows;
    size_t nrows;
    pab_rundir dir;
} pab_run;

/* One process of one pair, unless the pair has already failed; 0, or a
 * PAB_STOP_ reason. */
static int run_one(pab_run *run, pab_merged *merged, pab_progress *progress, size_t pair,
                   pab_process_kind kind)
{
    const pab_allocator *al = run->allocators[pair / run->ncases];
    const pab_workload *wl = run->cases[pair % run->ncases].workload;
    pab_row *row = &run->rows[pair];
    pab_progress_pair(progress, al->name, wl->name);
    if (!row->ok)
        return 0;
    if (pab_run_process(run->runner, &run->dir, merged, al, wl, kind, row) != 0)
        return PAB_STOP_INTERRUPTED;
    if (!row->ok)
        fprintf(stderr, "pyallocbench: %s × %s %s\n", al->name, wl->name, row->status);
    return 0;
}

/* A pair the run cannot measure is a row that says why. */
static void start_row(pab_row *row, const pab_allocator *a, const pab_case *c)
{
    row->allocator = a->name;
    row->workload = c->workload->name;
    row->threads = c->threads;
    row->ok = true;
    snprintf(row->status, sizeof row->status, "ok");
    if (c->threads == 1 || a->thread_safe)
        return;
    if (a->floor)
        pab_row_skip(row, "%s is not thread-safe (one cursor, no lock): threaded rows leave the floor out", a->name);
    else
        pab_row_skip(row, "%s is not thread-safe: at %u threads it runs as %s@mutex and %s@gil", a->name,
                     c->threads, a->name, a->name);
}

/* Every pair's processes, round by round, a workload's allocators together
 * (plan.h), then each pair's series process, then its latency process (and
 * with --count its counting one); 0, or a PAB_STOP_ reason. */
static int run_pairs(pab_run *run)
{
    pab_merged merged;
    if (pab_merged_open(&merged, run->dir.tmp) != 0)
        return say(PAB_STOP_TROUBLE, "cannot write the merged CSV files (samples.csv, series.csv, ...) in the "
                                     "results folder");
    size_t npairs = run->nallocators * run->ncases;
    size_t *order = calloc(npairs, sizeof *order);
    if (!order)
        return say(PAB_STOP_TROUBLE, "out of memory");
    for (size_t i = 0; i < npairs; i++)
        start_row(&run->rows[i], run->allocators[i / run->ncases], &run->cases[i % run->ncases]);
    run->nrows = npairs;
    /* A real program gives no series, latency or counts: it is measured whole. */
    bool real = run->opt->real;
    pab_progress progress;
    size_t one_thread = 0;
    for (size_t i = 0; i < npairs; i++)
        one_thread += run->rows[i].threads == 1;
    pab_progress_begin(&progress, npairs * (run->opt->processes + !real) + one_thread * (!real + run->opt->count),
                       run->opt->progress);
    int rc = 0;
    for (unsigned round = 1; rc == 0 && round <= run->opt->processes; round++) {
        pab_plan_round(run->opt->seed, round, run->nallocators, run->ncases, order);
        for (size_t i = 0; rc == 0 && i < npairs; i++)
            rc = run_one(run, &merged, &progress, order[i], real ? PAB_PROCESS_REAL : PAB_PROCESS_MEASURE);
    }
    for (size_t i = 0; rc == 0 && !real && i < npairs; i++)
        rc = run_one(run, &merged, &progress, i, PAB_PROCESS_SERIES);
    /* The timing wrapper and callgrind see a pass of one thread (harness/README.md). */
    for (size_t i = 0; rc == 0 && !real && i < npairs; i++)
        if (run->rows[i].threads == 1)
            rc = run_one(run, &merged, &progress, i, PAB_PROCESS_LATENCY);
    for (size_t i = 0; rc == 0 && run->opt->count && i < npairs; i++)
        if (run->rows[i].threads == 1)
            rc = run_one(run, &merged, &progress, i, PAB_PROCESS_COUNT);
    for (size_t i = 0; i < npairs; i++)
        pab_row_summarise(&run->rows[i]);
    free(order);
    if (pab_merged_close(&merged) != 0 && rc == 0)
        return say(PAB_STOP_TROUBLE, "cannot write the merged CSV files (samples.csv, series.csv, ...) in the "
                                     "results folder");
    return rc;
}

static int write_folder(pab_run *run, const pab_probe *probes, time_t start, const char *load_start)
{
    char *load_end = pab_load_average();
    char *csv = pab_format("%s/results.csv", run->dir.tmp);
    char *meta = pab_format("%s/metadata.json", run->dir.tmp);
    pab_run_info info = {.opt = run->opt,
                         .source_dir = PAB_SOURCE_DIR,
                         .allocators = run->opt->allocators,
                         .probes = probes,
                         .nallocators = run->opt->nallocators,
                         .rows = run->rows,
                         .nrows = run->nrows,
                         .start = start,
                         .end = time(NULL),
                         .load_start = load_start,
                         .load_end = load_end,
                         .strace = run->runner->strace,
                         .program = run->runner->real_argv};
    int rc = pab_results_write_csv(csv, run->rows, run->nrows) == 0 && pab_metadata_write(meta, &info) == 0
                 ? 0
                 : -1;
    free(csv);
    free(meta);
    free(load_end);
    return rc;
}

static int publish(pab_run *run)
{
    char err[1024];
    if (pab_rundir_publish(&run->dir, err, sizeof err) != 0) {
        pab_rundir_discard(&run->dir);
        return say(PAB_EXIT_FAILED, err);
    }
    if (pab_rundir_point_latest(&run->dir, err, sizeof err) != 0)
        say(0, err);
    int status = PAB_EXIT_OK;
    for (size_t i = 0; i < run->nrows; i++)
        if (!run->rows[i].ok && !run->rows[i].skipped)
            status = PAB_EXIT_FAILED;
    pab_summary_print(stdout, run->rows, run->nrows, run->opt->real);
    printf("results: %s\n", run->dir.final);
    return status;
}

static int measure(pab_run *run, const pab_probe *probes)
{
    char err[1024];
    time_t start = time(NULL);
    if (pab_rundir_create(&run->dir, run->opt->out_dir, start, err, sizeof err) != 0)
        return say(PAB_EXIT_FAILED, err);
    char *load_start = pab_load_average();
    int rc = run_pairs(run);
    if (rc == 0 && write_folder(run, probes, start, load_start) != 0)
        rc = say(PAB_STOP_TROUBLE, "cannot write results.csv or metadata.json in the results folder");
    free(load_start);
    if (rc == 0 && pab_interrupted())
        rc = PAB_STOP_INTERRUPTED;
    if (rc != 0) {
        pab_rundir_discard(&run->dir);
        return rc == PAB_STOP_INTERRUPTED ? interrupted_status() : PAB_EXIT_FAILED;
    }
    return publish(run);
}

/* The workloads, each at its thread counts. */
static size_t make_cases(const pab_options *o, pab_case *cases)
{
    size_t n = 0;
    for (size_t i = 0; i < o->nworkloads; i++) {
        const pab_workload *w = o->workloads[i];
        if (!w->thread_ops)
            cases[n++] = (pab_case){w, 1};
        for (size_t t = 0; w->thread_ops && t < o->nthreads; t++)
            cases[n++] = (pab_case){w, o->threads[t]};
    }
    return n;
}

static int run_everything(const pab_options *o, const pab_runner *r)
{
    pab_probe *probes = calloc(o->nallocators + 1, sizeof *probes);
    pab_run run = {.opt = o, .runner = r};
    run.allocators = calloc(o->nallocators + 1, sizeof *run.allocators);
    run.cases = calloc(o->nworkloads * (o->nthreads + 1) + 1, sizeof *run.cases);
    int status;
    if (!probes || !run.allocators || !run.cases)
        status = say(PAB_EXIT_FAILED, "out of memory");
    else if (probe_chosen(r, o, probes, run.allocators, &run.nallocators) != 0)
        status = interrupted_status();
    else if (run.nallocators == 0 || o->nworkloads == 0)
        status = say(PAB_EXIT_FAILED, run.nallocators ? "nothing to run: there are no workloads"
                                                       : "nothing to run: no chosen allocator is available");
    else if (!(run.ncases = make_cases(o, run.cases)) ||
             !(run.rows = calloc(run.nallocators * run.ncases, sizeof *run.rows)))
        status = say(PAB_EXIT_FAILED, "out of memory");
    else
        status = measure(&run, probes);
    free(run.rows);
    pab_rundir_free(&run.dir);
    free(run.cases);
    free(run.allocators);
    free(probes);
    return status;
}

/* An LD_PRELOAD would replace the malloc of allocators that preload
 * nothing and measure it under their names. */
static int refuse_environment(const pab_options *o)
{
    const char *preload = pab_runner_inherited_preload(o);
    if (!preload)
        return PAB_EXIT_OK;
    char *why = pab_format("%s is set: an allocator's library is chosen with --allocator, never through "
                           "the environment (unset it, or drop that --env)", preload);
    int status = say(PAB_EXIT_BAD_INPUT, why);
    free(why);
    return status;
}

/* --real: the program checked and made the run's one workload (real.h). */
static int run_real_program(pab_options *o, pab_runner *r)
{
    char err[1024];
    pab_real real;
    int status = pab_real_prepare(r, o, &real, err, sizeof err);
    if (status != PAB_EXIT_OK) {
        say(status, err);
    } else {
        r->real_argv = real.argv;
        r->real_baseline = real.baseline_argv;
        o->workloads[0] = &real.row;
        o->nworkloads = 1;
        status = run_everything(o, r);
        o->nworkloads = 0;
        r->real_argv = r->real_baseline = NULL;
    }
    pab_real_free(&real);
    return status;
}

/* What must hold before the first child: this run alone on the machine, a
 * `latest` we may replace, no leftovers of runs that died. */
static int start_measuring(pab_options *o, pab_runner *r)
{
    char err[1024];
    if (pab_rundir_check_latest(o->out_dir, err, sizeof err) != 0)
        return say(PAB_EXIT_BAD_INPUT, err);
    if (o->count && !r->valgrind)
        return say(PAB_EXIT_BAD_INPUT, "--count needs valgrind (Debian package valgrind)");
    if (pab_lock_machine(err, sizeof err) != 0)
        return say(PAB_EXIT_FAILED, err);
    pab_rundir_remove_stale(o->out_dir);
    return o->real ? run_real_program(o, r) : run_everything(o, r);
}

int main(int argc, char **argv)
{
    char err[1024];
    pab_options o;
    pab_spawn_init();
    int status;
    pab_runner r = {0};
    if (pab_options_parse(argc, argv, pab_default_out, &o, err, sizeof err) != 0)
        status = say(PAB_EXIT_BAD_INPUT, err);
    else if (o.help) {
        pab_options_print_help(stdout, pab_default_out);
        status = PAB_EXIT_OK;
    } else if (o.version) {
        pab_print_version(stdout, PAB_SOURCE_DIR);
        status = PAB_EXIT_OK;
    } else if ((status = refuse_environment(&o)) != PAB_EXIT_OK)
        ;
    else if (!o.list && pab_rundir_check_parent(o.out_dir, err, sizeof err) != 0)
        status = say(PAB_EXIT_BAD_INPUT, err);
    else if (pab_runner_init(&r, &o, err, sizeof err) != 0)
        status = say(PAB_EXIT_FAILED, err);
    else
        status = o.list ? list_everything(&r, &o) : start_measuring(&o, &r);
    pab_runner_free(&r);
    pab_options_free(&o);
    return status;
}
