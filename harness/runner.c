/* runner.c: see runner.h. */
#include "runner.h"

#include "files.h"
#include "spawn.h"

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
    r->child = NULL;
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

/* The variables the run sets itself, last so they win: the run's pid, and
 * the allocator's LD_PRELOAD (or none: main refuses an inherited one). */
static void our_settings(const pab_allocator *a, char *run_pid, size_t len, char **ours)
{
    static char preload[512];
    snprintf(run_pid, len, PAB_RUN_PID_ENV "=%ld", (long)getpid());
    size_t k = 0;
    ours[k++] = run_pid;
    if (a && a->preload) {
        snprintf(preload, sizeof preload, "LD_PRELOAD=%s", a->preload);
        ours[k++] = preload;
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
        if (!overridden(environ[i], o, 0, ours) && !has_key(environ[i], "LD_PRELOAD"))
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
    char run_pid[64], *ours[3];
    our_settings(NULL, run_pid, sizeof run_pid, ours);
    char **env = child_environ(o, ours);
    size_t k = 0;
    for (size_t i = 0; env && env[i] && k < cap; i++)
        if (changes_allocators(env[i]))
            out[k++] = env[i];
    free(env);
    return k;
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
static pab_end run_child(const pab_runner *r, const pab_allocator *a, char **argv, FILE *out, FILE *err,
                         unsigned timeout_s)
{
    char run_pid[64], *ours[3];
    our_settings(a, run_pid, sizeof run_pid, ours);
    char **env = child_environ(r->opt, ours);
    if (!env)
        return (pab_end){PAB_END_NOT_STARTED, ENOMEM};
    pab_limits limits = {timeout_s, (unsigned long long)r->opt->memory_limit_mib << 20};
    pab_end end = pab_spawn_wait(argv, env, out ? fileno(out) : -1, err ? fileno(err) : -1, limits);
    free(env);
    return end;
}

/* How the child ended, as results.csv's status says it (without "failed: "). */
static void describe_end(const pab_options *o, pab_end end, const char *stderr_text, unsigned timeout_s,
                         char *out, size_t len)
{
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
    char *flag = pab_format("--allocator=%s", a->name);
    char *argv[] = {r->child, "--probe", flag, NULL};
    FILE *so = tmpfile(), *se = tmpfile();
    pab_end end =
        so && se ? run_child(r, a, argv, so, se, PAB_PROBE_TIMEOUT_S) : (pab_end){PAB_END_NOT_STARTED, errno};
    char *version = so ? pab_read_fd(fileno(so)) : NULL;
    char *why = se ? pab_read_fd(fileno(se)) : NULL;
    out->available = end.kind == PAB_END_EXITED && end.code == 0;
    if (out->available)
        pab_last_line(version ? version : "", out->text, sizeof out->text);
    else if (end.kind == PAB_END_EXITED && why && *why)
        pab_last_line(why, out->text, sizeof out->text);
    else
        describe_end(r->opt, end, why, PAB_PROBE_TIMEOUT_S, out->text, sizeof out->text);
    free(version);
    free(why);
    free(flag);
    if (so)
        fclose(so);
    if (se)
        fclose(se);
    return end.kind == PAB_END_INTERRUPTED ? -1 : 0;
}

/* The child's command line for one pair; free with free_argv. */
static char **pair_argv(const pab_runner *r, const pab_allocator *a, const pab_workload *w,
                        const char *prefix)
{
    const pab_options *o = r->opt;
    char **argv = calloc(10 + o->nbench_flags, sizeof *argv);
    if (!argv)
        return NULL;
    size_t k = 0;
    argv[k++] = pab_format("%s", r->child);
    argv[k++] = pab_format("--allocator=%s", a->name);
    argv[k++] = pab_format("--workload=%s", w->name);
    argv[k++] = pab_format("--scale=%llu", (unsigned long long)pab_options_scale(o, w));
    argv[k++] = pab_format("--seed=%llu", (unsigned long long)o->seed);
    argv[k++] = pab_format("--out=%s", prefix);
    argv[k++] = pab_format("--benchmark_repetitions=%u", o->repetitions);
    if (o->min_time)
        argv[k++] = pab_format("--benchmark_min_time=%s", o->min_time);
    /* After ours, so the user's flags win where they repeat one. */
    for (size_t i = 0; i < o->nbench_flags; i++)
        argv[k++] = pab_format("%s", o->bench_flags[i]);
    return argv;
}

static void free_argv(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}

/* Takes what a child that exited 0 wrote; the row fails if any of it is missing. */
static void gather_child_files(const pab_rundir *d, pab_merged *m, const char *prefix, const char *pair, pab_row *row)
{
    char err[PAB_STATUS_MAX];
    char *json = pab_format("%s%s", prefix, pab_child_file_suffix[PAB_FILE_JSON]);
    char *figures = pab_format("%s%s", prefix, pab_child_file_suffix[PAB_FILE_FIGURES]);
    char *dest = pab_format("%s/gbench/%s.json", d->tmp, pair);
    if (access(json, R_OK) != 0)
        pab_row_fail(row, "child exited 0 but wrote no Google Benchmark JSON");
    else if (pab_row_load_figures(row, figures, err, sizeof err) != 0)
        pab_row_fail(row, "%s", err);
    else if (rename(json, dest) != 0)
        pab_row_fail(row, "cannot move %s: %s", json, strerror(errno));
    else if (pab_merged_append(m, prefix, row->allocator, row->workload, err, sizeof err) != 0) {
        unlink(dest); /* a failed pair leaves nothing in the run */
        pab_row_fail(row, "%s", err);
    } else {
        row->ok = true;
        snprintf(row->status, sizeof row->status, "ok");
    }
    unlink(json);
    unlink(figures);
    pab_merged_forget(prefix);
    free(json);
    free(figures);
    free(dest);
}

int pab_run_pair(const pab_runner *r, const pab_rundir *d, pab_merged *m, const pab_allocator *a,
                 const pab_workload *w, pab_row *row)
{
    memset(row, 0, sizeof *row);
    row->allocator = a->name;
    row->workload = w->name;
    char stem[2 * PAB_LABEL_MAX + 8];
    if (!pab_pair_stem(a->name, w->name, stem, sizeof stem)) {
        pab_row_fail(row, "labels too long for a file name");
        return 0;
    }
    const char *pair = stem;
    char *prefix = pab_format("%s/%s", d->work, pair);
    char **argv = pair_argv(r, a, w, prefix);
    FILE *se = tmpfile();
    pab_end end = argv && se ? run_child(r, a, argv, NULL, se, r->opt->timeout_s)
                             : (pab_end){PAB_END_NOT_STARTED, errno};
    if (end.kind == PAB_END_EXITED && end.code == 0) {
        gather_child_files(d, m, prefix, pair, row);
    } else {
        char *text = se ? pab_read_fd(fileno(se)) : NULL;
        char why[PAB_STATUS_MAX];
        describe_end(r->opt, end, text, r->opt->timeout_s, why, sizeof why);
        pab_row_fail(row, "%s", why);
        free(text);
    }
    if (se)
        fclose(se);
    free_argv(argv);
    free(prefix);
    return end.kind == PAB_END_INTERRUPTED ? -1 : 0;
}
