/* runner.c: see runner.h. */
#include "runner.h"

#include "files.h"
#include "spawn.h"
#include "callgrind.h"
#include "syscalls.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

enum { PAB_PROBE_TIMEOUT_S = 60 };

int pab_runner_init(pab_runner *r, const pab_options *o, char *err, size_t errlen)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    memset(r, 0, sizeof *r);
    r->opt = o;
    if (n < 0) {
        snprintf(err, errlen, "cannot find our own executable: %s", strerror(errno));
        return -1;
    }
    self[n] = '\0';
#ifndef PAB_SANITIZE
    /* LeakSanitizer refuses to run under ptrace: no counts in that build;
     * and a real program (--real) is measured whole, with no series process. */
    if (!o->real)
        r->strace = pab_find_program("strace");
#endif
    r->valgrind = pab_find_program("valgrind");
    char *dir = pab_dir_name(self);
    r->child = pab_format("%s/pab-child", dir);
    free(dir);
    if (access(r->child, X_OK) != 0) {
        snprintf(err, errlen, "cannot run %s (%s): build the pab-child target", r->child, strerror(errno));
        return -1;
    }
    return 0;
}

void pab_runner_free(pab_runner *r)
{
    free(r->child);
    free(r->strace);
    free(r->valgrind);
    r->child = r->strace = r->valgrind = NULL;
}

static size_t key_length(const char *entry) { return strcspn(entry, "="); }

static bool same_key(const char *a, const char *b)
{
    size_t n = key_length(a);
    return n == key_length(b) && strncmp(a, b, n) == 0;
}

static bool has_key(const char *entry, const char *key)
{
    return key_length(entry) == strlen(key) && strncmp(entry, key, strlen(key)) == 0;
}

/* Whether a later setting replaces `entry`: a later --env, or one of ours. */
static bool overridden(const char *entry, const pab_options *o, size_t from_env, char *const *ours)
{
    for (size_t i = from_env; i < o->nenv; i++)
        if (same_key(entry, o->env[i]))
            return true;
    for (; *ours; ours++)
        if (same_key(entry, *ours))
            return true;
    return false;
}

/* The variables the run sets itself, last so they win: the run's pid, the
 * allocator's LD_PRELOAD (main refuses a non-empty inherited one), and in
 * a --real run its PYTHONMALLOC (real.c refuses an inherited one). */
enum { OUR_SETTINGS_MAX = 4 };
static void our_settings(const pab_runner *r, const pab_allocator *a, char *run_pid, size_t len, char **ours)
{
    static char preload[PATH_MAX + 16], pythonmalloc[64];
    snprintf(run_pid, len, PAB_RUN_PID_ENV "=%ld", (long)getpid());
    size_t k = 0;
    ours[k++] = run_pid;
    if (a && a->preload) {
        snprintf(preload, sizeof preload, "LD_PRELOAD=%s", a->preload);
        ours[k++] = preload;
    }
    if (a && r && r->real_argv && a->pythonmalloc && *a->pythonmalloc) {
        snprintf(pythonmalloc, sizeof pythonmalloc, "PYTHONMALLOC=%s", a->pythonmalloc);
        ours[k++] = pythonmalloc;
    }
    ours[k] = NULL;
}

/* Our environment, then each --env, then our settings. */
static char **child_environ(const pab_options *o, char *const *ours)
{
    size_t n = 0, nours = 0;
    while (environ[n])
        n++;
    while (ours[nours])
        nours++;
    char **env = calloc(n + o->nenv + nours + 1, sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!overridden(environ[i], o, 0, ours))
            env[k++] = environ[i];
    for (size_t i = 0; i < o->nenv; i++)
        if (!overridden(o->env[i], o, i + 1, ours))
            env[k++] = (char *)o->env[i];
    for (size_t i = 0; i < nours; i++)
        env[k++] = ours[i];
    return env;
}

/* Variables that change what an allocator does without its name changing. */
static const char *const pab_allocator_variables[] = {
    "GLIBC_TUNABLES", "MALLOC_*", "MIMALLOC_*", "TCMALLOC_*", "JEMALLOC_*", "PYTHONMALLOC",
};

static bool changes_allocators(const char *entry)
{
    size_t n = key_length(entry);
    for (size_t i = 0; i < sizeof pab_allocator_variables / sizeof pab_allocator_variables[0]; i++) {
        const char *v = pab_allocator_variables[i];
        size_t star = strcspn(v, "*");
        if (v[star] ? n >= star && strncmp(entry, v, star) == 0 : has_key(entry, v))
            return true;
    }
    return false;
}

size_t pab_runner_allocator_env(const pab_options *o, const char **out, size_t cap)
{
    char run_pid[64], *ours[OUR_SETTINGS_MAX];
    our_settings(NULL, NULL, run_pid, sizeof run_pid, ours);
    char **env = child_environ(o, ours);
    size_t k = 0;
    for (size_t i = 0; env && env[i] && k < cap; i++)
        if (changes_allocators(env[i]))
            out[k++] = env[i];
    free(env);
    return k;
}

bool pab_runner_env_has(const pab_options *o, const char *key)
{
    for (size_t i = 0; i < o->nenv; i++)
        if (has_key(o->env[i], key))
            return true;
    return false;
}

const char *pab_runner_inherited_preload(const pab_options *o)
{
    for (size_t i = 0; i < o->nenv; i++)
        if (has_key(o->env[i], "LD_PRELOAD"))
            return o->env[i];
    for (size_t i = 0; environ[i]; i++)
        if (has_key(environ[i], "LD_PRELOAD") && environ[i][strlen("LD_PRELOAD=")])
            return environ[i];
    return NULL;
}

/* Runs argv in the allocator's environment, stdout/stderr into the files. */
pab_end pab_runner_run(const pab_runner *r, const pab_allocator *a, char **argv, FILE *out, FILE *err,
                         unsigned timeout_s)
{
    char run_pid[64], *ours[OUR_SETTINGS_MAX];
    our_settings(r, a, run_pid, sizeof run_pid, ours);
    char **env = child_environ(r->opt, ours);
    if (!env)
        return (pab_end){.kind = PAB_END_NOT_STARTED, .code = ENOMEM};
    pab_limits limits = {timeout_s, (unsigned long long)r->opt->memory_limit_mib << 20};
    pab_end end = pab_spawn_wait(argv, env, out ? fileno(out) : -1, err ? fileno(err) : -1, limits);
    free(env);
    return end;
}

/* How the child ended, as results.csv's status says it (without "failed: "). */
void pab_runner_describe_end(const pab_runner *r, pab_end end, const char *stderr_text, unsigned timeout_s,
                             char *out, size_t len)
{
    const pab_options *o = r->opt;
    char last[PAB_STATUS_MAX / 2];
    pab_last_line(stderr_text ? stderr_text : "", last, sizeof last);
    const char *sep = *last ? ": " : "";
    switch (end.kind) {
    case PAB_END_TIMED_OUT:
        snprintf(out, len, "killed by signal %d (time limit %u s)", end.code, timeout_s);
        break;
    case PAB_END_TOO_BIG:
        snprintf(out, len, "killed by signal %d (memory limit %llu MiB)", end.code,
                 (unsigned long long)o->memory_limit_mib);
        break;
    case PAB_END_UNWATCHABLE:
        snprintf(out, len, "killed by signal %d (its memory could not be read, so the memory limit "
                           "could not be kept)", end.code);
        break;
    case PAB_END_SIGNALED:
        snprintf(out, len, "killed by signal %d%s%s", end.code, sep, last);
        break;
    case PAB_END_EXITED:
        snprintf(out, len, "exit status %d%s%s", end.code, sep, last);
        break;
    case PAB_END_NOT_STARTED:
        snprintf(out, len, "could not start %s", strerror(end.code));
        break;
    case PAB_END_INTERRUPTED:
        snprintf(out, len, "interrupted");
        break;
    }
}

int pab_probe_allocator(const pab_runner *r, const pab_allocator *a, pab_probe *out)
{
    char *flag = pab_format("--allocator=%s", pab_allocator_spec(a));
    char *argv[] = {r->child, "--probe", flag, NULL};
    FILE *so = tmpfile(), *se = tmpfile();
    pab_end end =
        so && se ? pab_runner_run(r, a, argv, so, se, PAB_PROBE_TIMEOUT_S) : (pab_end){.kind = PAB_END_NOT_STARTED, .code = errno};
    char *version = so ? pab_read_fd(fileno(so)) : NULL;
    char *why = se ? pab_read_fd(fileno(se)) : NULL;
    out->available = end.kind == PAB_END_EXITED && end.code == 0;
    if (out->available)
        pab_last_line(version ? version : "", out->text, sizeof out->text);
    else if (end.kind == PAB_END_EXITED && why && *why)
        pab_last_line(why, out->text, sizeof out->text);
    else
        pab_runner_describe_end(r, end, why, PAB_PROBE_TIMEOUT_S, out->text, sizeof out->text);
    free(version);
    free(why);
    free(flag);
    if (so)
        fclose(so);
    if (se)
        fclose(se);
    return end.kind == PAB_END_INTERRUPTED ? -1 : 0;
}

/* What a pair's status calls each kind of process when it fails. */
static const char *const pab_process_name[] = {
    [PAB_PROCESS_MEASURE] = "measuring", [PAB_PROCESS_SERIES] = "series",
    [PAB_PROCESS_LATENCY] = "latency", [PAB_PROCESS_COUNT] = "counting", [PAB_PROCESS_REAL] = "real",
};

/* The child's command line for one pair; free with free_argv. */
static void free_argv(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}

/* argv run by a wrapper: `wrapper` (NULL-terminated) goes first. */
static char **wrapped(char **argv, char **wrapper)
{
    size_t n = 0, w = 0;
    while (argv && argv[n])
        n++;
    while (wrapper[w])
        w++;
    char **out = argv ? calloc(n + w + 1, sizeof *out) : NULL;
    if (!out) {
        free_argv(argv);
        for (size_t i = 0; i < w; i++)
            free(wrapper[i]);
        return NULL;
    }
    memcpy(out, wrapper, w * sizeof *wrapper);
    memcpy(out + w, argv, (n + 1) * sizeof *argv);
    free(argv);
    return out;
}

/* The series process under strace, which writes PREFIX.strace (syscalls.h).
 * --seccomp-bpf stops the child only at the traced calls: without it every
 * system call stops it, and the series pass's thousands of RSS readings
 * made the process 2.4 to 4.5 times slower (2.87 s against 1.20 s on
 * dict_growth, the same 1,025 lines written). */
static char **under_strace(const pab_runner *r, char **argv, const char *prefix)
{
    char *strace[] = {pab_format("%s", r->strace), pab_format("--seccomp-bpf"), pab_format("-f"),
                      pab_format("-qq"), pab_format("-e"),
                      pab_format("trace=%s", pab_strace_trace()), pab_format("-o"),
                      pab_format("%s.strace", prefix), NULL};
    return wrapped(argv, strace);
}

static char **under_strace_if(const pab_runner *r, char **argv, const char *prefix)
{
    return r->strace ? under_strace(r, argv, prefix) : argv;
}

/* The counting process under callgrind, which writes PREFIX.callgrind. */
static char **under_callgrind(const pab_runner *r, char **argv, const char *prefix)
{
    char *callgrind[] = {pab_format("%s", r->valgrind), pab_format("-q"), pab_format("--tool=callgrind"),
                         pab_format("--collect-atstart=no"), pab_format("--toggle-collect=%s", PAB_COUNTED_PASS),
                         pab_format("--callgrind-out-file=%s.callgrind", prefix), NULL};
    return wrapped(argv, callgrind);
}

/* The child's command line for one process of a pair; free with free_argv. */
static char **process_argv(const pab_runner *r, const pab_allocator *a, const pab_workload *w, unsigned threads,
                           const char *prefix, pab_process_kind kind)
{
    const pab_options *o = r->opt;
    char **argv = calloc(13 + o->nbench_flags, sizeof *argv);
    if (!argv)
        return NULL;
    size_t k = 0;
    argv[k++] = pab_format("%s", r->child);
    argv[k++] = pab_format("--allocator=%s", pab_allocator_spec(a));
    argv[k++] = pab_format("--workload=%s", w->name);
    if (w->input)
        argv[k++] = pab_format("--input=%s", w->input);
    argv[k++] = pab_format("--scale=%llu", (unsigned long long)pab_options_scale(o, w));
    argv[k++] = pab_format("--seed=%llu", (unsigned long long)o->seed);
    argv[k++] = pab_format("--out=%s", prefix);
    if (w->thread_ops)
        argv[k++] = pab_format("--threads=%u", threads);
    if (kind == PAB_PROCESS_SERIES) {
        argv[k++] = pab_format("--series");
        if (r->strace)
            argv[k++] = pab_format("--markers");
        return under_strace_if(r, argv, prefix);
    }
    if (kind == PAB_PROCESS_COUNT) {
        argv[k++] = pab_format("--count");
        return under_callgrind(r, argv, prefix);
    }
    if (kind == PAB_PROCESS_LATENCY) {
        argv[k++] = pab_format("--latency");
        return argv;
    }
    argv[k++] = pab_format("--passes=%llu", (unsigned long long)pab_options_passes(o, w));
    argv[k++] = pab_format("--benchmark_repetitions=%u", o->repetitions);
    /* After ours, so the user's flags win where they repeat one. */
    for (size_t i = 0; i < o->nbench_flags; i++)
        argv[k++] = pab_format("%s", o->bench_flags[i]);
    return argv;
}


/* Takes what a measuring process wrote, all or nothing: its JSON into
 * gbench/, its figures into the row, its samples (and the first process's
 * stats) into the run's files. */
static void gather_measurement(const pab_rundir *d, pab_merged *m, const char *prefix, const char *stem,
                               pab_row *row)
{
    char err[PAB_STATUS_MAX];
    unsigned process = (unsigned)row->nprocesses + 1;
    char *json = pab_format("%s%s", prefix, pab_child_file_suffix[PAB_FILE_JSON]);
    char *figures = pab_format("%s%s", prefix, pab_child_file_suffix[PAB_FILE_FIGURES]);
    char *dest = pab_format("%s/gbench/%s.p%u.json", d->tmp, stem, process);
    char *samples = NULL, *stats = NULL;
    if (access(json, R_OK) != 0)
        pab_row_fail(row, "process %u exited 0 but wrote no Google Benchmark JSON", process);
    else if (!(samples = pab_merged_read(PAB_MERGED_SAMPLES, prefix, err, sizeof err)) ||
             !(stats = pab_merged_read(PAB_MERGED_STATS, prefix, err, sizeof err)) ||
             pab_row_add_process(row, figures, err, sizeof err) != 0)
        pab_row_fail(row, "process %u: %s", process, err);
    else if (rename(json, dest) != 0)
        pab_row_fail(row, "cannot move %s: %s", json, strerror(errno));
    else {
        char *key = pab_row_key(row);
        char *lead = pab_format("%s,%u", key, process);
        pab_merged_append(m, PAB_MERGED_SAMPLES, samples, lead);
        if (process == 1)
            pab_merged_append(m, PAB_MERGED_STATS, stats, key);
        free(lead);
        free(key);
    }
    free(samples);
    free(stats);
    free(json);
    free(figures);
    free(dest);
}

static void gather_series(const pab_runner *r, pab_merged *m, const char *prefix, pab_row *row)
{
    char err[PAB_STATUS_MAX];
    char *series = pab_merged_read(PAB_MERGED_SERIES, prefix, err, sizeof err);
    if (!series) {
        pab_row_fail(row, "series process: %s", err);
        return;
    }
    char *trace = pab_format("%s.strace", prefix);
    if (r->strace && !pab_syscalls_count(trace, &row->syscalls))
        fprintf(stderr, "pyallocbench: %s × %s: strace's output lacks the pass markers; no system-call "
                        "counts\n", row->allocator, row->workload);
    unlink(trace);
    free(trace);
    char *key = pab_row_key(row);
    pab_merged_append(m, PAB_MERGED_SERIES, series, key);
    free(key);
    free(series);
}

/* The latency pass's summary and bins, both or neither (latency.h). */
static void gather_latency(pab_merged *m, const char *prefix, pab_row *row)
{
    char err[PAB_STATUS_MAX];
    char *summary = pab_merged_read(PAB_MERGED_LATENCY, prefix, err, sizeof err);
    char *bins = summary ? pab_merged_read(PAB_MERGED_LATENCY_BINS, prefix, err, sizeof err) : NULL;
    if (!bins) {
        pab_row_fail(row, "latency process: %s", err);
    } else {
        char *key = pab_row_key(row);
        pab_merged_append(m, PAB_MERGED_LATENCY, summary, key);
        pab_merged_append(m, PAB_MERGED_LATENCY_BINS, bins, key);
        free(key);
    }
    free(summary);
    free(bins);
}

/* The counted pass's instructions, per call (callgrind.h). */
static void gather_count(const char *prefix, pab_row *row)
{
    char *count = pab_format("%s%s", prefix, pab_child_file_suffix[PAB_FILE_COUNTED]);
    char *out = pab_format("%s.callgrind", prefix);
    char *text = pab_read_file(count);
    unsigned long long ops = 0;
    if (!text || sscanf(text, "ops=%llu", &ops) != 1 || ops == 0)
        pab_row_fail(row, "counting process: wrote no op count");
    else if (!pab_callgrind_read(out, &row->instructions))
        pab_row_fail(row, "counting process: callgrind's output lacks the counted pass");
    else
        row->instructions_ops = (double)ops;
    unlink(out);
    free(text);
    free(count);
    free(out);
}

/* One of the two runs of a real process; its rusage, or false with the row failed. */
static bool run_real_once(const pab_runner *r, const pab_allocator *a, char *const *argv, const char *what,
                          pab_row *row, struct rusage *usage, double *wall)
{
    FILE *se = tmpfile();
    double start = pab_now_s();
    pab_end end = se ? pab_runner_run(r, a, (char **)argv, NULL, se, r->opt->timeout_s)
                     : (pab_end){.kind = PAB_END_NOT_STARTED, .code = errno};
    *wall = pab_now_s() - start;
    *usage = end.usage;
    bool ok = end.kind == PAB_END_EXITED && end.code == 0;
    if (!ok) {
        char *text = se ? pab_read_fd(fileno(se)) : NULL;
        char why[PAB_STATUS_MAX];
        pab_runner_describe_end(r, end, text, r->opt->timeout_s, why, sizeof why);
        pab_row_fail(row, "process %zu: %s: %s", row->nprocesses + 1, what, why);
        free(text);
    }
    if (se)
        fclose(se);
    return ok;
}

static double seconds_of(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec * 1e-6; }

/* The interpreter's `-c pass`, then the program, in a's configuration: one
 * process's figures (contract.h) and its line of samples.csv. */
static void run_real(const pab_runner *r, pab_merged *m, const pab_allocator *a, pab_row *row)
{
    struct rusage base, prog;
    double wall;
    if (!run_real_once(r, a, r->real_baseline, "the interpreter's -c pass", row, &base, &wall) ||
        !run_real_once(r, a, r->real_argv, "the program", row, &prog, &wall))
        return;
    pab_figures f = {0};
    double peak = ((double)prog.ru_maxrss - (double)base.ru_maxrss) * 1024; /* ru_maxrss is in KiB */
    pab_figure_set(&f, PAB_FIG_wall_seconds, wall);
    pab_figure_set(&f, PAB_FIG_user_seconds, seconds_of(prog.ru_utime));
    pab_figure_set(&f, PAB_FIG_system_seconds, seconds_of(prog.ru_stime));
    pab_figure_set(&f, PAB_FIG_peak_rss_bytes, peak);
    pab_figure_set(&f, PAB_FIG_baseline_rss_bytes, (double)base.ru_maxrss * 1024);
    pab_figure_set(&f, PAB_FIG_cold_minor_faults, (double)prog.ru_minflt);
    pab_figure_set(&f, PAB_FIG_cold_major_faults, (double)prog.ru_majflt);
    char err[PAB_STATUS_MAX];
    if (pab_row_add_figures(row, &f, err, sizeof err) != 0) {
        pab_row_fail(row, "%s", err);
        return;
    }
    char *key = pab_row_key(row);
    char *lead = pab_format("%s,%zu", key, row->nprocesses);
    free(key);
    char *line = pab_format("%s\n0,real,,%ld,%ld,%.0f,,,%.6f\n", pab_child_file_header[PAB_FILE_SAMPLES],
                            prog.ru_minflt, prog.ru_majflt, peak, wall);
    pab_merged_append(m, PAB_MERGED_SAMPLES, line, lead);
    free(line);
    free(lead);
}

int pab_run_process(const pab_runner *r, const pab_rundir *d, pab_merged *m, const pab_allocator *a,
                    const pab_workload *w, pab_process_kind kind, pab_row *row)
{
    if (kind == PAB_PROCESS_REAL) {
        run_real(r, m, a, row);
        return pab_interrupted() ? -1 : 0;
    }
    char stem[2 * PAB_LABEL_MAX + 16];
    if (!pab_pair_stem(a->name, w->name, row->threads, stem, sizeof stem)) {
        pab_row_fail(row, "labels too long for a file name");
        return 0;
    }
    char *prefix = pab_format("%s/%s", d->work, stem);
    char **argv = process_argv(r, a, w, row->threads, prefix, kind);
    FILE *se = tmpfile();
    pab_end end = argv && se ? pab_runner_run(r, a, argv, NULL, se, r->opt->timeout_s)
                             : (pab_end){.kind = PAB_END_NOT_STARTED, .code = errno};
    if (end.kind == PAB_END_EXITED && end.code == 0) {
        if (kind == PAB_PROCESS_SERIES)
            gather_series(r, m, prefix, row);
        else if (kind == PAB_PROCESS_LATENCY)
            gather_latency(m, prefix, row);
        else if (kind == PAB_PROCESS_COUNT)
            gather_count(prefix, row);
        else
            gather_measurement(d, m, prefix, stem, row);
    } else {
        char *text = se ? pab_read_fd(fileno(se)) : NULL;
        char why[PAB_STATUS_MAX];
        pab_runner_describe_end(r, end, text, r->opt->timeout_s, why, sizeof why);
        if (kind == PAB_PROCESS_MEASURE)
            pab_row_fail(row, "process %zu: %s", row->nprocesses + 1, why);
        else
            pab_row_fail(row, "%s process: %s", pab_process_name[kind], why);
        free(text);
    }
    pab_merged_forget(prefix);
    if (se)
        fclose(se);
    free_argv(argv);
    free(prefix);
    return end.kind == PAB_END_INTERRUPTED ? -1 : 0;
}
