/* metadata.c: see metadata.h. Every fact is read at the end of the run. */
#include "metadata.h"

#include "files.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __clang__
#define PAB_COMPILER __VERSION__
#else
#define PAB_COMPILER "gcc " __VERSION__
#endif

static void json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < ' ')
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_key(FILE *f, const char *key, int indent)
{
    fprintf(f, "%*s", indent, "");
    json_string(f, key);
    fputs(": ", f);
}

/* One `"key": "value",` line of the top-level object. */
static void json_string_field(FILE *f, const char *key, const char *value)
{
    json_key(f, key, 2);
    json_string(f, value);
    fputs(",\n", f);
}

/* The value of the first "key : value" line of /proc/cpuinfo, in out. */
static void cpu_model(char *out, size_t len)
{
    char *text = pab_read_file("/proc/cpuinfo");
    snprintf(out, len, "unknown");
    for (char *save = text, *line; text && (line = strsep(&save, "\n")) != NULL;) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(out, len, "%s", colon + 1 + (colon[1] == ' '));
            break;
        }
    }
    free(text);
}

char *pab_load_average(void)
{
    char *text = pab_read_file("/proc/loadavg");
    if (!text)
        return NULL;
    /* The 1, 5 and 15 minute averages, the first three fields. */
    char *end = text;
    for (int field = 0; field < 3 && *end; field++)
        end += strcspn(end, " ") + (field < 2);
    *end = '\0';
    return text;
}

static char *first_line_of(const char *path)
{
    char *text = pab_read_file(path);
    if (text)
        text[strcspn(text, "\n")] = '\0';
    return text;
}

/* The first line a shell command prints, or NULL when it fails or prints nothing. */
static char *command_line_output(const char *command)
{
    FILE *p = popen(command, "r");
    if (!p)
        return NULL;
    char buf[256];
    char *line = fgets(buf, sizeof buf, p) ? pab_format("%.*s", (int)strcspn(buf, "\n"), buf) : NULL;
    if (pclose(p) != 0 || (line && !*line)) {
        free(line);
        line = NULL;
    }
    return line;
}

typedef struct git_state {
    char *commit; /* NULL when unknown */
    int dirty;    /* 1, 0, or -1 when unknown */
} git_state;

static git_state read_git(const char *source_dir)
{
    git_state g = {NULL, -1};
    /* source_dir is our own build's path; quoted for the shell all the same. */
    if (strchr(source_dir, '\''))
        return g;
    char *cmd = pab_format("git -C '%s' rev-parse HEAD 2>/dev/null", source_dir);
    g.commit = command_line_output(cmd);
    free(cmd);
    cmd = pab_format("git -C '%s' diff --quiet HEAD -- >/dev/null 2>&1", source_dir);
    int diff = g.commit ? system(cmd) : -1;
    free(cmd);
    /* git diff --quiet: status 0 when tracked files match HEAD, 1 when not. */
    if (diff != -1 && WIFEXITED(diff) && WEXITSTATUS(diff) <= 1)
        g.dirty = WEXITSTATUS(diff);
    return g;
}

static void write_git(FILE *f, const char *source_dir)
{
    git_state g = read_git(source_dir);
    json_string_field(f, "git_commit", g.commit);
    json_key(f, "git_dirty", 2);
    fputs(g.dirty < 0 ? "null" : g.dirty ? "true" : "false", f);
    fputs(",\n", f);
    free(g.commit);
}

void pab_print_version(FILE *f, const char *source_dir)
{
    git_state g = read_git(source_dir);
    fprintf(f, "pyallocbench %s%s (%s build, %s)\n", g.commit ? g.commit : "(commit unknown)",
            g.dirty == 1 ? " with uncommitted changes" : "", PAB_BUILD_TYPE, source_dir);
    free(g.commit);
}

static void write_machine(FILE *f)
{
    char cpu[256];
    cpu_model(cpu, sizeof cpu);
    struct utsname u;
    char *kernel =
        uname(&u) == 0 ? pab_format("%s %s %s %s", u.sysname, u.release, u.version, u.machine) : NULL;
    char *thp = first_line_of("/sys/kernel/mm/transparent_hugepage/enabled");
    json_string_field(f, "cpu_model", cpu);
    json_key(f, "cpus_online", 2);
    fprintf(f, "%ld,\n", sysconf(_SC_NPROCESSORS_ONLN));
    json_string_field(f, "kernel", kernel);
    json_string_field(f, "transparent_hugepage", thp);
    json_string_field(f, "compiler", PAB_COMPILER);
    /* Numbers from a Debug or sanitizer build must not pass for real ones. */
    json_string_field(f, "build_type", PAB_BUILD_TYPE);
    json_key(f, "sanitizers", 2);
#ifdef PAB_SANITIZE
    fputs("true,\n", f);
#else
    fputs("false,\n", f);
#endif
    free(kernel);
    free(thp);
}

static void write_allocators(FILE *f, const pab_run_info *run, bool available)
{
    json_key(f, available ? "allocator_versions" : "unavailable_allocators", 2);
    fputc('{', f);
    const char *sep = "";
    for (size_t i = 0; i < run->nallocators; i++) {
        if (run->probes[i].available != available)
            continue;
        fprintf(f, "%s\n", sep);
        json_key(f, run->allocators[i]->name, 4);
        json_string(f, run->probes[i].text);
        sep = ",";
    }
    fprintf(f, "%s},\n", *sep ? "\n  " : "");
}

/* One `"key": {"workload": N, ...}` object of a per-workload number. */
static void write_per_workload(FILE *f, const pab_options *o, const char *key,
                               uint64_t (*value)(const pab_options *, const pab_workload *))
{
    json_key(f, key, 2);
    fputc('{', f);
    for (size_t i = 0; i < o->nworkloads; i++) {
        fprintf(f, "%s\n", i ? "," : "");
        json_key(f, o->workloads[i]->name, 4);
        fprintf(f, "%llu", (unsigned long long)value(o, o->workloads[i]));
    }
    fprintf(f, "%s},\n", o->nworkloads ? "\n  " : "");
}

static void write_workloads(FILE *f, const pab_options *o)
{
    write_per_workload(f, o, "workload_scales", pab_options_scale);
    write_per_workload(f, o, "passes_per_repetition", pab_options_passes);
}

/* What would make the times untrustworthy, said where a reader looks first:
 * Google Benchmark's own warnings (from the first process that ran), the
 * load of the machine, and whether the children could read hardware
 * counters. */
static void write_warnings(FILE *f, const pab_run_info *run)
{
    const pab_notes *notes = NULL;
    for (size_t i = 0; i < run->nrows && !notes; i++)
        if (run->rows[i].nprocesses)
            notes = &run->rows[i].notes;
    json_string_field(f, "gbench_library_build_type", notes ? notes->text[PAB_NOTE_gbench_build_type] : NULL);
    json_string_field(f, "cpu_scaling", notes ? notes->text[PAB_NOTE_cpu_scaling] : NULL);
    json_string_field(f, "load_average_start", run->load_start);
    json_string_field(f, "load_average_end", run->load_end);
    json_string_field(f, "hardware_counters", notes ? notes->text[PAB_NOTE_hardware_counters] : NULL);
#ifdef PAB_SANITIZE
    const char *no_strace = "not counted: a sanitizer build cannot run under strace";
#else
    const char *no_strace = "not counted: strace is not installed";
#endif
    if (run->program)
        no_strace = "not counted: a real program (--real) is measured whole, without a series process";
    json_string_field(f, "syscall_counts", run->strace ? run->strace : no_strace);
}

/* As the children got it: a later --env of the same KEY replaces an earlier one. */
static void write_env(FILE *f, const pab_options *o)
{
    json_key(f, "env", 2);
    fputc('{', f);
    const char *sep = "";
    for (size_t i = 0; i < o->nenv; i++) {
        size_t klen = strcspn(o->env[i], "=");
        bool replaced = false;
        for (size_t j = i + 1; j < o->nenv; j++)
            replaced |= strncmp(o->env[i], o->env[j], klen + 1) == 0;
        if (replaced)
            continue;
        char *key = pab_format("%.*s", (int)klen, o->env[i]);
        fprintf(f, "%s\n", sep);
        json_key(f, key, 4);
        json_string(f, o->env[i] + klen + 1);
        free(key);
        sep = ",";
    }
    fprintf(f, "%s},\n", *sep ? "\n  " : "");
}

/* Every variable of the children's environment that changes an allocator,
 * inherited or from --env: REPORT.md shows them first. */
static void write_allocator_env(FILE *f, const pab_options *o)
{
    const char *entries[256];
    size_t n = pab_runner_allocator_env(o, entries, sizeof entries / sizeof entries[0]);
    json_key(f, "allocator_env", 2);
    fputc('{', f);
    for (size_t i = 0; i < n; i++) {
        size_t klen = strcspn(entries[i], "=");
        char *key = pab_format("%.*s", (int)klen, entries[i]);
        fprintf(f, "%s\n", i ? "," : "");
        json_key(f, key, 4);
        json_string(f, entries[i] + klen + 1);
        free(key);
    }
    fprintf(f, "%s},\n", n ? "\n  " : "");
}

static void write_floor_allocators(FILE *f, const pab_run_info *run)
{
    json_key(f, "floor_allocators", 2);
    fputc('[', f);
    const char *sep = "";
    for (size_t i = 0; i < run->nallocators; i++)
        if (run->allocators[i]->floor) {
            fputs(sep, f);
            json_string(f, run->allocators[i]->name);
            sep = ", ";
        }
    fputs("],\n", f);
}

/* Where each allocator given as LABEL=PATH came from: the label, then its spec. */
static void write_allocator_specs(FILE *f, const pab_run_info *run)
{
    json_key(f, "allocator_specs", 2);
    fputc('{', f);
    const char *sep = "";
    for (size_t i = 0; i < run->nallocators; i++)
        if (run->allocators[i]->spec) {
            fprintf(f, "%s\n", sep);
            json_key(f, run->allocators[i]->name, 4);
            json_string(f, run->allocators[i]->spec);
            sep = ",";
        }
    fprintf(f, "%s},\n", *sep ? "\n  " : "");
}

static void write_string_array(FILE *f, const char *key, const char *const *items, size_t n)
{
    json_key(f, key, 2);
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", f);
        json_string(f, items[i]);
    }
    fputs("],\n", f);
}

static void write_run(FILE *f, const pab_run_info *run)
{
    const pab_options *o = run->opt;
    write_string_array(f, "command_line", (const char *const *)o->argv, (size_t)o->argc);
    json_key(f, "seed", 2);
    fprintf(f, "%llu,\n", (unsigned long long)o->seed);
    json_key(f, "quick", 2);
    fprintf(f, "%s,\n", o->quick ? "true" : "false");
    json_key(f, "processes", 2);
    fprintf(f, "%u,\n", o->processes);
    json_key(f, "repetitions", 2);
    fprintf(f, "%u,\n", o->repetitions);
    /* The threaded workloads' thread counts (--threads). */
    json_key(f, "threads", 2);
    fputc('[', f);
    for (size_t i = 0; i < o->nthreads; i++)
        fprintf(f, "%s%u", i ? ", " : "", o->threads[i]);
    fputs("],\n", f);
    json_key(f, "timeout_s", 2);
    fprintf(f, "%u,\n", o->timeout_s);
    json_key(f, "memory_limit_mib", 2);
    fprintf(f, "%llu,\n", (unsigned long long)o->memory_limit_mib);
    write_string_array(f, "benchmark_flags", o->bench_flags, o->nbench_flags);
    if (run->program) {
        size_t n = 0;
        while (run->program[n])
            n++;
        write_string_array(f, "program", (const char *const *)run->program, n);
    } else {
        write_workloads(f, o); /* scales and passes: a real program has neither */
    }
    write_allocators(f, run, true);
    write_allocators(f, run, false);
    write_floor_allocators(f, run);
    write_allocator_specs(f, run);
    write_env(f, o);
    write_allocator_env(f, o);
}

static void iso_utc(time_t t, char *out, size_t len)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int pab_metadata_write(const char *path, const pab_run_info *run)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    char start[32], end[32];
    iso_utc(run->start, start, sizeof start);
    iso_utc(run->end, end, sizeof end);
    fputs("{\n", f);
    write_machine(f);
    write_warnings(f, run);
    write_run(f, run);
    write_git(f, run->source_dir);
    json_string_field(f, "start_utc", start);
    json_key(f, "end_utc", 2);
    json_string(f, end);
    fputs("\n}\n", f);
    int failed = ferror(f);
    return (fclose(f) != 0 || failed) ? -1 : 0;
}
