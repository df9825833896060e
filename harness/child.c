/*
 * pab-child: one process of one (allocator, workload) pair, as
 * harness/README.md describes. A measuring child times the cold pass on its
 * fresh heap, then warm repetitions through Google Benchmark, and writes
 * its figures; with --series it samples RSS over one pass (and with
 * --markers brackets passes for strace); with --count it makes the pass
 * callgrind counts; with --latency it times every call of one pass
 * (latency.h).
 *
 * Exit statuses are contract.h's PAB_CHILD_*. Every failure prints one
 * line on stderr and leaves none of its files: the last one renamed into
 * place is the mark of success.
 */
#include "contract.h"
#include "files.h"
#include "latency.h"
#include "meter.h"
#include "output.h"
#include "rss.h"
#include "shim.h"
#include "syscalls.h"
#include "threads.h"

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

enum { MAX_ARGS = 256 };

/* The outputs, renamed in contract order. */
static char final_paths[PAB_FILE_COUNT][PATH_MAX], temp_paths[PAB_FILE_COUNT][PATH_MAX];

__attribute__((format(printf, 2, 3))) static _Noreturn void die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pab-child: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    for (int i = 0; i < PAB_FILE_COUNT; i++)
        if (temp_paths[i][0])
            unlink(temp_paths[i]);
    exit(status);
}

typedef struct child_args {
    bool probe, series, markers, count, latency;
    const char *allocator, *workload, *input, *out;
    const char *scale, *seed, *passes, *threads;
    int gb_argc; /* argv[0] and the --benchmark_* flags, for Google Benchmark */
    char **gb_argv;
} child_args;

/* The value of `--name=value` in arg, or NULL if arg is not that option. */
static const char *option_value(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

static void parse_args(int argc, char **argv, child_args *a)
{
    static const char *const owned[] = {"--benchmark_out", "--benchmark_out_format"};
    /* argv[0], the arguments, the two --benchmark_out flags and a NULL. */
    static char *gb_argv[MAX_ARGS + 4];
    if (argc > MAX_ARGS)
        die(PAB_CHILD_USAGE, "more than %d arguments", MAX_ARGS);
    a->gb_argv = gb_argv;
    a->gb_argv[a->gb_argc++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        if (strcmp(arg, "--probe") == 0)
            a->probe = true;
        else if (strcmp(arg, "--series") == 0)
            a->series = true;
        else if (strcmp(arg, "--markers") == 0)
            a->markers = true;
        else if (strcmp(arg, "--count") == 0)
            a->count = true;
        else if (strcmp(arg, "--latency") == 0)
            a->latency = true;
        else if ((v = option_value(arg, "--passes")))
            a->passes = v;
        else if ((v = option_value(arg, "--threads")))
            a->threads = v;
        else if ((v = option_value(arg, "--allocator")))
            a->allocator = v;
        else if ((v = option_value(arg, "--workload")))
            a->workload = v;
        else if ((v = option_value(arg, "--input")))
            a->input = v;
        else if ((v = option_value(arg, "--scale")))
            a->scale = v;
        else if ((v = option_value(arg, "--seed")))
            a->seed = v;
        else if ((v = option_value(arg, "--out")))
            a->out = v;
        else if (option_value(arg, owned[0]) || option_value(arg, owned[1]))
            die(PAB_CHILD_USAGE, "%s: the child writes PREFIX.json itself (use --out)", arg);
        else
            a->gb_argv[a->gb_argc++] = argv[i];
    }
}

static uint64_t parse_count(const char *text, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end || errno)
        die(PAB_CHILD_USAGE, "--%s=%s: expected a non-negative integer", what, text);
    return v;
}

static pab_allocator *make_allocator(const char *spec)
{
    char err[512];
    if (!spec)
        die(PAB_CHILD_USAGE, "missing --allocator=NAME");
    pab_allocator *a = pab_allocator_make(spec, err, sizeof err);
    if (!a)
        die(PAB_CHILD_USAGE, "%s", err);
    return a;
}

/* Whether one LD_PRELOAD entry may be there: the allocator's own library,
 * or, in a --count child, what valgrind preloads into the process it runs
 * (callgrind replaces no malloc). */
static bool allowed_preload(const pab_allocator *a, const char *entry, size_t len, bool under_valgrind)
{
    static const char valgrind_own[] = "/vgpreload_";
    if (a->preload && strlen(a->preload) == len && strncmp(entry, a->preload, len) == 0)
        return true;
    const char *hit = strstr(entry, valgrind_own);
    return under_valgrind && hit && hit < entry + len;
}

/* Why the libraries in LD_PRELOAD are not the allocator's own, or NULL. The
 * parent refuses an inherited LD_PRELOAD; this also catches one a wrapper
 * or a user running the child by hand put there, which would otherwise
 * measure another malloc under this allocator's name. */
static const char *environment_problem(const pab_allocator *a, bool under_valgrind)
{
    static char why[PATH_MAX + 200];
    const char *preload = getenv("LD_PRELOAD");
    for (const char *entry = preload; entry && *entry;) {
        size_t len = strcspn(entry, ": ");
        if (len && !allowed_preload(a, entry, len, under_valgrind)) {
            snprintf(why, sizeof why, "LD_PRELOAD=%s would serve malloc instead of %s's own (%s)", preload,
                     a->name, a->preload ? a->preload : "none");
            return why;
        }
        entry += len + (entry[len] != '\0');
    }
    return NULL;
}

/* Why the preloaded library is not the one serving malloc, or NULL. */
static const char *preload_problem(const pab_allocator *a)
{
    static char why[PATH_MAX + 200];
    if (!a->preload)
        return NULL;
    /* "libjemalloc.so.2" is served from e.g. /usr/lib/.../libjemalloc.so.2:
     * compare the name up to its first dot. */
    const char *base = strrchr(a->preload, '/') ? strrchr(a->preload, '/') + 1 : a->preload;
    size_t stem = strcspn(base, ".");
    Dl_info info;
    void *malloc_entry = dlsym(RTLD_DEFAULT, "malloc");
    if (!malloc_entry || !dladdr(malloc_entry, &info) || !info.dli_fname)
        return "cannot tell which library serves malloc";
    const char *file = strrchr(info.dli_fname, '/') ? strrchr(info.dli_fname, '/') + 1
                                                     : info.dli_fname;
    if (strncmp(file, base, stem) == 0)
        return NULL;
    snprintf(why, sizeof why, "malloc is served by %s, not %s (LD_PRELOAD=%s expected)",
             info.dli_fname, a->preload, a->preload);
    return why;
}

static void start_allocator(pab_allocator *a, bool under_valgrind)
{
    const char *why = environment_problem(a, under_valgrind);
    if (!why)
        why = pab_allocator_start(a);
    if (!why)
        why = preload_problem(a);
    if (why)
        die(PAB_CHILD_UNAVAILABLE, "%s: %s", a->name, why);
}

/* Requests of the given sizes, touched, grown and given back. Alignment is
 * the allocator tests' business (tcmalloc gives 8-byte alignment to blocks
 * of 8 bytes or less, as C allows). */
static bool serves_requests(const pab_allocator *a, const size_t *sizes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char *p = a->malloc(sizes[i]);
        if (!p)
            return false;
        memset(p, 1, sizes[i]);
        char *q = a->realloc(p, sizes[i] + 100);
        if (!q)
            return false;
        a->free(q);
    }
    return true;
}

/* The probe tries every path a workload can take, huge requests included. */
static const size_t probe_sizes[] = {0, 16, 512, 4096, 1 << 20};

/* A measurement starts from a warm allocator: code loaded lazily (libpython's
 * obmalloc) and one-time state (first arena, thread caches) belong in the
 * baseline, not in the workload's memory. Small, so that an allocator which
 * reuses nothing (bump) has next to nothing resident before the pass. The
 * workload itself is not run first: at scale 1 some workloads (trace_replay)
 * already make their whole pattern, and the pass would then reuse warm pages. */
static const size_t warm_sizes[] = {16, 4096};

static int probe(const child_args *args)
{
    pab_allocator *a = make_allocator(args->allocator);
    if (args->workload || args->scale || args->seed || args->out || args->threads || args->gb_argc > 1)
        die(PAB_CHILD_USAGE, "--probe takes only --allocator=NAME");
    start_allocator(a, false);
    if (!serves_requests(a, probe_sizes, sizeof probe_sizes / sizeof probe_sizes[0]))
        die(PAB_CHILD_UNAVAILABLE, "%s: the allocator does not serve requests", a->name);
    printf("%s\n", a->version(a));
    pab_allocator_stop(a);
    pab_allocator_free(a);
    return PAB_CHILD_OK;
}

static void make_paths(const char *prefix)
{
    for (int i = 0; i < PAB_FILE_COUNT; i++) {
        int n = snprintf(final_paths[i], PATH_MAX, "%s%s", prefix, pab_child_file_suffix[i]);
        int t = snprintf(temp_paths[i], PATH_MAX, "%s%s.tmp", prefix, pab_child_file_suffix[i]);
        if (n < 0 || t < 0 || t >= PATH_MAX) {
            memset(temp_paths, 0, sizeof temp_paths);
            die(PAB_CHILD_USAGE, "--out=%s: path too long", prefix);
        }
    }
}

/* What the timed passes need, and what comes back from them. */
typedef struct timed_run {
    const pab_allocator *alloc;
    const pab_workload *workload;
    const char *label; /* the workload's row label (trace/STEM for a trace file) */
    uint64_t scale, seed, ops_per_pass;
    bool pooled;       /* a threaded workload, on the pool's threads (threads.h) */
    unsigned nthreads; /* the pool's */
    pab_perf perf;
    uint64_t counters[PAB_PERF_COUNT]; /* summed over the repetitions */
    int started;                       /* repetitions whose loop ran */
    pab_timing timing;
    char error[256];
} timed_run;

/* One benchmark iteration is one full pass, and every repetition runs the
 * same fixed number of them. The meter only counts, so the loop holds
 * nothing but the workload and its allocator calls; faults and counters are
 * read once around the loop. */
static void timed_pass(pab_shim_state *state, void *user)
{
    timed_run *t = user;
    pab_meter meter = pab_meter_timed();
    pab_ctx ctx = {.alloc = t->alloc, .meter = &meter, .seed = t->seed, .scale = t->scale};
    int64_t minor0, major0, minor1, major1;
    uint64_t before[PAB_PERF_COUNT], after[PAB_PERF_COUNT];
    if (t->started == PAB_MAX_REPETITIONS) {
        pab_shim_skip_with_error(state, "too many repetitions");
        return;
    }
    if (t->perf.open)
        pab_perf_read(&t->perf, before);
    pab_page_faults(&minor0, &major0);
    if (t->pooled) {
        /* Each pass's meters start at 0: their sums are added up here. */
        uint64_t ops = 0;
        while (pab_shim_keep_running(state)) {
            pab_meter pass = pab_meter_timed();
            pab_pool_pass(&ctx, &pass);
            ops += pab_pool_ops();
        }
        meter.ops = ops;
    } else
        while (pab_shim_keep_running(state))
            if (t->workload->run(&ctx) != 0) {
                pab_shim_skip_with_error(state, "the allocator returned NULL");
                return;
            }
    pab_page_faults(&minor1, &major1);
    if (t->perf.open) {
        pab_perf_read(&t->perf, after);
        for (int i = 0; i < PAB_PERF_COUNT; i++)
            t->counters[i] += after[i] - before[i];
    }
    double passes = (double)pab_shim_iterations(state);
    if (meter.ops != t->ops_per_pass * (uint64_t)passes) {
        pab_shim_skip_with_error(state, "passes differ in their number of operations");
        return;
    }
    t->timing.minor_faults[t->started] = (double)(minor1 - minor0) / passes;
    t->timing.major_faults[t->started] = (double)(major1 - major0) / passes;
    t->started++;
    pab_shim_set_items_processed(state, (int64_t)meter.ops);
    pab_shim_set_counter(state, "ops_per_pass", (double)t->ops_per_pass, 0);
    /* An inverted rate is seconds per op; counting ops in billions makes it ns. */
    pab_shim_set_counter(state, "ns_per_op", (double)t->ops_per_pass * 1e-9,
                         PAB_SHIM_RATE | PAB_SHIM_ITERATION_INVARIANT | PAB_SHIM_INVERT);
}

/* Each repetition's time per call; aggregates are recomputed from these. */
static void take_repetition(const pab_shim_result *r, void *user)
{
    timed_run *t = user;
    pab_timing *timing = &t->timing;
    if (r->error)
        snprintf(t->error, sizeof t->error, "%s: %s", r->name, r->error);
    else if (!r->aggregate && timing->repetitions < t->started)
        timing->ns_per_op[timing->repetitions++] = r->real_ns / (double)t->ops_per_pass;
}

/* The cold pass ended with a trim: without one untimed pass first, the
 * first timed repetition would pay for faulting the heap back in. */
static void warm_up(const timed_run *t)
{
    pab_meter meter = pab_meter_timed();
    pab_ctx ctx = {.alloc = t->alloc, .meter = &meter, .seed = t->seed, .scale = t->scale};
    if (t->pooled)
        pab_pool_pass(&ctx, &meter);
    else if (t->workload->run(&ctx) != 0)
        die(PAB_CHILD_FAILED, "the allocator returned NULL during the warm-up pass");
}

/* Google Benchmark says nothing when its JSON cannot be written whole: the
 * file must at least end with the object's closing brace. */
static bool json_complete(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    int last = EOF;
    for (int c; (c = fgetc(f)) != EOF;)
        if (c != '\n' && c != ' ')
            last = c;
    fclose(f);
    return last == '}';
}

static void run_timed(timed_run *t, pab_notes *notes)
{
    char name[256];
    const char *why = "available";
    warm_up(t);
    pab_perf_open(&t->perf, &why);
    snprintf(notes->text[PAB_NOTE_hardware_counters], PAB_NOTE_MAX, "%s", why);
    int n = snprintf(name, sizeof name, "%s/scale:%" PRIu64 "/seed:%" PRIu64, t->label, t->scale, t->seed);
    if (t->pooled && n > 0 && (size_t)n < sizeof name)
        snprintf(name + n, sizeof name - (size_t)n, "/threads:%u", t->nthreads);
    pab_shim_register(name, NULL, 0, t->timing.passes, timed_pass, t);
    pab_shim_run(take_repetition, t);
    if (t->error[0])
        die(PAB_CHILD_FAILED, "timed pass failed: %s", t->error);
    if (t->timing.repetitions == 0 || t->timing.repetitions != t->started)
        die(PAB_CHILD_FAILED, "no repetition was timed (check --benchmark_filter and "
                             "--benchmark_*_aggregates_only)");
    if (!json_complete(temp_paths[PAB_FILE_JSON]))
        die(PAB_CHILD_FAILED, "cannot write the files of --out: Google Benchmark's %s is missing or "
                              "incomplete (is the disk full?)", temp_paths[PAB_FILE_JSON]);
    t->timing.counters_known = t->perf.open;
    double ops = (double)t->ops_per_pass * t->timing.passes * t->timing.repetitions;
    for (int i = 0; i < PAB_PERF_COUNT; i++)
        t->timing.counters_per_op[i] = (double)t->counters[i] / ops;
}

/* For the system-call counts (syscalls.h): the markers around the cold
 * pass's end and around one steady-state pass after an untimed one. */
static void count_steady_pass(const timed_run *t)
{
    pab_syscall_marker();
    warm_up(t);
    pab_syscall_marker();
    warm_up(t);
    pab_syscall_marker();
}

/* Google Benchmark's warnings, from the context of the JSON it wrote: a
 * debug build of the library, and CPU frequency scaling. */
static void read_gbench_warnings(pab_notes *notes)
{
    static char text[1 << 16];
    FILE *f = fopen(temp_paths[PAB_FILE_JSON], "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    const char *build = strstr(text, "\"library_build_type\": \"");
    if (build)
        snprintf(notes->text[PAB_NOTE_gbench_build_type], PAB_NOTE_MAX, "%.*s",
                 (int)strcspn(build + 23, "\""), build + 23);
    const char *scaling = strstr(text, "\"cpu_scaling_enabled\": ");
    if (scaling)
        snprintf(notes->text[PAB_NOTE_cpu_scaling], PAB_NOTE_MAX, "%s",
                 strncmp(scaling + 23, "true", 4) == 0 ? "enabled" : "disabled");
}

/* Writes the files under their temporary names, then renames them in the
 * contract's order, so the last one (the marker of success) comes last. */
static void publish(const bool *written)
{
    for (int i = 0; i < PAB_FILE_COUNT; i++)
        if (written[i] && rename(temp_paths[i], final_paths[i]) != 0)
            die(PAB_CHILD_FAILED, "cannot rename %s: %s", temp_paths[i], strerror(errno));
}

/* RSS figures of a threaded workload's process, above the cold pass's baseline. */
typedef struct thread_end {
    bool known;
    int64_t alive, joined, joined_trimmed;
} thread_end;

static int64_t rss_above(int64_t baseline)
{
    int64_t rss = pab_rss_current();
    if (rss < 0)
        die(PAB_CHILD_FAILED, "cannot read /proc/self/statm");
    return rss - baseline;
}

/* After the last timed pass: RSS with the threads alive, once they are
 * joined (per-thread caches are flushed at thread exit), and after the
 * allocator's trim then. */
static thread_end end_threads(const pab_allocator *a, int64_t baseline)
{
    thread_end e = {.known = true};
    e.alive = rss_above(baseline);
    pab_pool_join();
    e.joined = rss_above(baseline);
    pab_allocator_trim(a);
    e.joined_trimmed = rss_above(baseline);
    return e;
}

static void write_measurement(const pab_memory_pass *cold, const timed_run *t, const thread_end *end,
                              const pab_notes *notes)
{
    pab_figures figures;
    pab_figures_fill(&figures, cold, &t->timing);
    if (end->known) {
        pab_figure_set(&figures, PAB_FIG_threads_rss_bytes, (double)end->alive);
        pab_figure_set(&figures, PAB_FIG_joined_rss_bytes, (double)end->joined);
        pab_figure_set(&figures, PAB_FIG_joined_trimmed_rss_bytes, (double)end->joined_trimmed);
    }
    if (pab_write_samples(temp_paths[PAB_FILE_SAMPLES], cold, &t->timing) != 0 ||
        pab_write_stats(temp_paths[PAB_FILE_STATS], cold) != 0 ||
        pab_write_figures(temp_paths[PAB_FILE_FIGURES], &figures, notes) != 0)
        die(PAB_CHILD_FAILED, "cannot write the files of --out: %s", strerror(errno));
    bool written[PAB_FILE_COUNT] = {[PAB_FILE_JSON] = true, [PAB_FILE_SAMPLES] = true,
                                    [PAB_FILE_STATS] = true, [PAB_FILE_FIGURES] = true};
    publish(written);
}

static void write_series(const pab_memory_pass *r)
{
    if (pab_write_series(temp_paths[PAB_FILE_SERIES], r) != 0)
        die(PAB_CHILD_FAILED, "cannot write the files of --out: %s", strerror(errno));
    bool written[PAB_FILE_COUNT] = {[PAB_FILE_SERIES] = true};
    publish(written);
}

/* ---- --count: the pass callgrind counts (callgrind.h) ---- */

static const pab_allocator *pab_counted_real;

__attribute__((noinline)) void *pab_counted_malloc(size_t size) { return pab_counted_real->malloc(size); }

__attribute__((noinline)) void *pab_counted_realloc(void *ptr, size_t size)
{
    return pab_counted_real->realloc(ptr, size);
}

__attribute__((noinline)) void pab_counted_free(void *ptr) { pab_counted_real->free(ptr); }

/* Not static, and never inlined: callgrind toggles collection on its name. */
__attribute__((noinline)) uint64_t pab_counted_pass(const timed_run *t, const pab_allocator *counted)
{
    pab_meter meter = pab_meter_timed();
    pab_ctx ctx = {.alloc = counted, .meter = &meter, .seed = t->seed, .scale = t->scale};
    return t->workload->run(&ctx) == 0 ? meter.ops : 0;
}

/* One untimed pass, then the counted one through the trampolines; writes
 * PREFIX.count ("ops=N"). */
static void count_pass(const timed_run *t)
{
    pab_allocator counted = *t->alloc;
    counted.malloc = pab_counted_malloc;
    counted.realloc = pab_counted_realloc;
    counted.free = pab_counted_free;
    pab_counted_real = t->alloc;
    warm_up(t);
    uint64_t ops = pab_counted_pass(t, &counted);
    if (ops == 0)
        die(PAB_CHILD_FAILED, "the allocator returned NULL during the counted pass");
    FILE *f = fopen(temp_paths[PAB_FILE_COUNTED], "w");
    if (!f || fprintf(f, "ops=%" PRIu64 "\n", ops) < 0 || fclose(f) != 0)
        die(PAB_CHILD_FAILED, "cannot write the files of --out: %s", strerror(errno));
    bool written[PAB_FILE_COUNT] = {[PAB_FILE_COUNTED] = true};
    publish(written);
}

/* ---- --latency: every call of one pass timed (latency.h) ---- */

/* One untimed pass, the clock measured, then one pass through the timing
 * wrapper; writes PREFIX.latency_bins.csv and PREFIX.latency.csv. */
static void latency_pass(const timed_run *t)
{
    pab_latency_clock tsc;
    warm_up(t);
    pab_latency_clock_measure(&tsc);
    pab_allocator timed = pab_latency_wrap(t->alloc, &tsc);
    pab_meter meter = pab_meter_timed();
    pab_ctx ctx = {.alloc = &timed, .meter = &meter, .seed = t->seed, .scale = t->scale};
    if (t->workload->run(&ctx) != 0)
        die(PAB_CHILD_FAILED, "the allocator returned NULL during the latency pass");
    const pab_latency_histogram *h = pab_latency_recorded();
    uint64_t timed_calls = 0;
    for (int k = 0; k < PAB_CALL_KIND_COUNT; k++)
        timed_calls += h[k].calls;
    /* Every call the workload counts goes through an entry of the wrapper. */
    if (timed_calls != meter.ops)
        die(PAB_CHILD_FAILED, "the latency pass timed %" PRIu64 " calls of the %" PRIu64 " the workload made",
            timed_calls, meter.ops);
    if (pab_latency_write(temp_paths[PAB_FILE_LATENCY], temp_paths[PAB_FILE_LATENCY_BINS], h, &tsc) != 0)
        die(PAB_CHILD_FAILED, "cannot write the files of --out: %s", strerror(errno));
    bool written[PAB_FILE_COUNT] = {[PAB_FILE_LATENCY_BINS] = true, [PAB_FILE_LATENCY] = true};
    publish(written);
}

/* Google Benchmark's flags plus the two that send its JSON to our temp file. */
static void add_json_flags(child_args *a)
{
    static char out_flag[PATH_MAX + 32];
    snprintf(out_flag, sizeof out_flag, "--benchmark_out=%s", temp_paths[PAB_FILE_JSON]);
    a->gb_argv[a->gb_argc++] = out_flag;
    a->gb_argv[a->gb_argc++] = "--benchmark_out_format=json";
}

static const pab_workload *find_workload(const child_args *args)
{
    if (!args->workload || !args->scale || !args->seed || !args->out)
        die(PAB_CHILD_USAGE, "missing --%s", !args->workload ? "workload=NAME"
                                         : !args->scale  ? "scale=N"
                                         : !args->seed   ? "seed=N"
                                                         : "out=PREFIX");
    const pab_workload *w = pab_workload_kind_of(args->workload);
    if (!w)
        die(PAB_CHILD_USAGE, "unknown workload '%s'", args->workload);
    if (!w->load != !args->input)
        die(PAB_CHILD_USAGE, "%s: --input=FILE is for a workload that replays a file, and only for one",
            args->workload);
    /* Loaded before the allocator starts: its tables are not the allocator's to serve. */
    char err[512];
    if (w->load && w->load(args->input, err, sizeof err) != 0)
        die(PAB_CHILD_USAGE, "%s", err);
    if (w->prepare)
        w->prepare();
    return w;
}

/* Checks now that --out can be written: Google Benchmark would find out only
 * after the cold pass. */
static void check_out(const char *out, pab_child_file probe_file)
{
    make_paths(out);
    FILE *probe = fopen(temp_paths[probe_file], "w");
    if (!probe || fclose(probe) != 0 || unlink(temp_paths[probe_file]) != 0)
        die(PAB_CHILD_USAGE, "--out=%s: cannot write %s: %s", out, temp_paths[probe_file], strerror(errno));
}

static void thread_failed(void)
{
    die(PAB_CHILD_FAILED, "the allocator returned NULL in a thread of a threaded pass");
}

/* How many threads the workload's passes run: 1 for a single-threaded one. */
static unsigned thread_count(const child_args *args, const pab_workload *w, const pab_allocator *a)
{
    uint64_t n = args->threads ? parse_count(args->threads, "threads") : 1;
    if (n < 1 || n > PAB_THREADS_MAX)
        die(PAB_CHILD_USAGE, "--threads=%s: from 1 to %d", args->threads, PAB_THREADS_MAX);
    if (n > 1 && !w->thread_ops)
        die(PAB_CHILD_USAGE, "--threads=%s: %s is a single-threaded workload", args->threads, w->name);
    if (n > 1 && !a->thread_safe)
        die(PAB_CHILD_USAGE, "--threads=%s: %s is not thread-safe; run it behind a lock model (%s@mutex, %s@gil)",
            args->threads, a->name, a->name, a->name);
    if (n > 1 && (args->count || args->latency))
        die(PAB_CHILD_USAGE, "--%s times a pass of one thread, not --threads=%s", args->count ? "count" : "latency",
            args->threads);
    return (unsigned)n;
}

/* A threaded workload's threads, started once, before the cold pass (at one
 * thread too, so that its figures are of the same pool); none for a
 * single-threaded workload, or for a counted or latency pass (one thread's). */
static void start_threads(timed_run *t, unsigned n, bool one_pass)
{
    char err[256];
    if (!t->workload->thread_ops || one_pass)
        return;
    if (pab_pool_start(t->workload, n, thread_failed, err, sizeof err) != 0)
        die(PAB_CHILD_FAILED, "%s", err);
    t->pooled = true;
    t->nthreads = n;
}

static int measure(child_args *args)
{
    static pab_memory_pass memory;
    static timed_run timed;
    pab_allocator *a = make_allocator(args->allocator);
    const pab_workload *w = find_workload(args);
    timed = (timed_run){.alloc = a, .workload = w, .label = args->workload, .scale = parse_count(args->scale, "scale"),
                        .seed = parse_count(args->seed, "seed")};
    timed.timing.passes = args->passes ? (int)parse_count(args->passes, "passes") : 1;
    if (timed.scale == 0 || timed.timing.passes < 1 || timed.timing.passes > 1000000)
        die(PAB_CHILD_USAGE, "--scale and --passes must be at least 1 (and --passes at most 1000000)");
    if (args->count + args->series + args->latency > 1)
        die(PAB_CHILD_USAGE, "--series, --count and --latency are separate processes: give one");
    if (args->markers && !args->series)
        die(PAB_CHILD_USAGE, "--markers brackets the series pass: it needs --series");
    pab_child_file first = args->count    ? PAB_FILE_COUNTED
                           : args->series  ? PAB_FILE_SERIES
                           : args->latency ? PAB_FILE_LATENCY
                                           : PAB_FILE_JSON;
    unsigned nthreads = thread_count(args, w, a);
    check_out(args->out, first);
    if (first == PAB_FILE_JSON)
        add_json_flags(args);
    /* Google Benchmark has said which arguments it refused, one line each. */
    if (pab_shim_init(&args->gb_argc, args->gb_argv) != 0)
        exit(PAB_CHILD_USAGE);

    start_allocator(a, args->count);
    if (!serves_requests(a, warm_sizes, sizeof warm_sizes / sizeof warm_sizes[0]))
        die(PAB_CHILD_UNAVAILABLE, "%s: the allocator does not serve requests", a->name);
    /* This thread's calls are done: it must not keep the GIL model's lock. */
    if (a->release)
        a->release();
    start_threads(&timed, nthreads, args->count || args->latency);
    if (args->count || args->latency) {
        if (args->count)
            count_pass(&timed);
        else
            latency_pass(&timed);
        pab_allocator_stop(a);
        pab_allocator_free(a);
        return PAB_CHILD_OK;
    }
    if (args->markers)
        pab_syscall_marker();
    if (pab_memory_pass_run(&memory, a, w, timed.scale, timed.seed, args->series, timed.pooled) != 0)
        die(PAB_CHILD_FAILED, "%s pass: %s", args->series ? "series" : "cold", memory.error);
    if (memory.ops == 0)
        die(PAB_CHILD_FAILED, "workload %s made no allocator calls", w->name);
    if (args->series) {
        if (args->markers)
            count_steady_pass(&timed);
        pab_pool_join();
        write_series(&memory);
    } else {
        pab_notes notes = {0};
        timed.ops_per_pass = memory.ops;
        run_timed(&timed, &notes);
        thread_end end = {0};
        if (timed.pooled)
            end = end_threads(a, memory.baseline_rss_bytes);
        snprintf(notes.text[PAB_NOTE_version], PAB_NOTE_MAX, "%s", a->version(a));
        read_gbench_warnings(&notes);
        write_measurement(&memory, &timed, &end, &notes);
    }
    pab_allocator_stop(a);
    pab_allocator_free(a);
    return PAB_CHILD_OK;
}

/* A child must not outlive the run that started it: nothing would enforce
 * its time and memory limits. The parent set the death signal before exec;
 * set again here, it reaches through a wrapper (strace, valgrind) that sits
 * between them, since the wrapper itself dies with the parent. The run's pid
 * is checked after, so a run that died before the signal was set is seen. */
static void die_with_parent(void)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        die(PAB_CHILD_FAILED, "cannot set the parent-death signal: %s", strerror(errno));
    const char *run = getenv(PAB_RUN_PID_ENV);
    if (!run)
        return;
    char *end;
    long pid = strtol(run, &end, 10);
    if (*run == '\0' || *end || pid <= 0)
        die(PAB_CHILD_USAGE, "%s=%s is no pid", PAB_RUN_PID_ENV, run);
    if (!pab_process_alive((pid_t)pid))
        die(PAB_CHILD_FAILED, "the run that started this child (pid %ld) has exited", pid);
}

int main(int argc, char **argv)
{
    die_with_parent();
    child_args args = {0};
    parse_args(argc, argv, &args);
    return args.probe ? probe(&args) : measure(&args);
}
