/* cli.c: the option table, the parser and --help, all made from that table. */
#include "cli.h"

#include "contract.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAB_STR_(x) #x
#define PAB_STR(x) PAB_STR_(x)

#define PAB_DEFAULT_REPETITIONS 3
#define PAB_QUICK_REPETITIONS 2
#define PAB_DEFAULT_PROCESSES 5
#define PAB_QUICK_PROCESSES 3
#define PAB_MIN_PROCESSES 3
/* Calls per timed repetition: a repetition times whole passes, as many as
 * reach this, fixed per workload and scale (never per allocator). */
#define PAB_REPETITION_OPS 1000000
#define PAB_QUICK_REPETITION_OPS 100000
#define PAB_DEFAULT_TIMEOUT 600
#define PAB_DEFAULT_SEED 1
#define PAB_QUICK_HELP                                                                                       \
    "a smoke test: each workload at its quick scale, " PAB_STR(PAB_QUICK_PROCESSES) " processes of "          \
    PAB_STR(PAB_QUICK_REPETITIONS) " repetitions"

typedef struct pab_cli_error {
    char *text;
    size_t len;
} pab_cli_error;

/* Says what is wrong with the command line; always -1, for `return refuse(...)`. */
__attribute__((format(printf, 2, 3))) static int refuse(pab_cli_error *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, e->len, fmt, ap);
    va_end(ap);
    return -1;
}

typedef struct pab_option {
    const char *name;
    const char *arg; /* what the value looks like, or NULL for a plain flag */
    const char *help;
    int (*apply)(pab_options *o, const char *value, pab_cli_error *e);
} pab_option;

static int parse_count(const char *name, const char *v, uint64_t min, uint64_t max, uint64_t *out,
                       pab_cli_error *e);

/* ---- allocators and workloads ---- */

/* Each comma-separated item of list, once, as `kind` says for messages. */
static int split_list(const char *list, const char *kind, char ***items, size_t *n, pab_cli_error *e)
{
    char *copy = strdup(list);
    *items = calloc(strlen(list) + 2, sizeof **items);
    *n = 0;
    if (!copy || !*items) {
        free(copy);
        return refuse(e, "out of memory");
    }
    int rc = 0;
    for (char *save = copy, *item; rc == 0 && (item = strsep(&save, ",")) != NULL;) {
        if (!*item)
            rc = refuse(e, "empty name in the %s list '%s'", kind, list);
        for (size_t i = 0; rc == 0 && i < *n; i++)
            if (strcmp((*items)[i], item) == 0)
                rc = refuse(e, "%s '%s' is named twice", kind, item);
        if (rc == 0)
            (*items)[(*n)++] = item;
    }
    if (rc != 0 || *n == 0) {
        free(copy);
        free(*items);
        *items = NULL;
    }
    return rc;
}

static void free_allocators(pab_options *o)
{
    for (size_t i = 0; i < o->nallocators; i++)
        pab_allocator_free(o->allocators[i]);
    o->nallocators = 0;
}

/* Instances for the specs; on failure none is kept. */
static int make_allocators(pab_options *o, const char *const *specs, size_t n, pab_cli_error *e)
{
    free_allocators(o);
    pab_allocator **made = realloc(o->allocators, (n + 1) * sizeof *made);
    if (!made)
        return refuse(e, "out of memory");
    o->allocators = made;
    for (size_t i = 0; i < n; i++) {
        char label[PAB_LABEL_MAX];
        if (!pab_allocator_spec_label(specs[i], label, sizeof label)) {
            free_allocators(o);
            return refuse(e, "allocator '%s': a label holds letters, digits, '_', '.', '-' and '+' "
                             "between names (one name before '=' in LABEL=PATH, or before ':KEY=VALUE' "
                             "parts in a variant)", specs[i]);
        }
        if (!(o->allocators[i] = pab_allocator_make(specs[i], e->text, e->len))) {
            free_allocators(o);
            return -1;
        }
        o->nallocators = i + 1;
        /* Two spellings of one variant (pymalloc:pool=4k:arena=4m and its
         * label pymalloc:arena=4m:pool=4k) would share files. */
        for (size_t j = 0; j < i; j++)
            if (strcmp(o->allocators[j]->name, o->allocators[i]->name) == 0) {
                refuse(e, "allocators '%s' and '%s' are both %s", specs[j], specs[i], o->allocators[i]->name);
                free_allocators(o);
                return -1;
            }
    }
    return 0;
}

static int set_allocators(pab_options *o, const char *v, pab_cli_error *e)
{
    char **items;
    size_t n;
    if (split_list(v, "allocator", &items, &n, e) != 0)
        return -1;
    int rc = make_allocators(o, (const char *const *)items, n, e);
    o->allocators_given = true;
    free(items[0]);
    free(items);
    return rc;
}

static void list_workloads(char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; pab_workloads[i] && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "", pab_workloads[i]->name);
}

static void free_workloads(pab_options *o)
{
    for (size_t i = 0; i < o->nworkloads; i++)
        pab_workload_free(o->workloads[i]);
    o->nworkloads = 0;
}

static int set_workloads(pab_options *o, const char *v, pab_cli_error *e)
{
    char **items, valid[1024];
    size_t n;
    free_workloads(o);
    o->workloads_given = true;
    if (split_list(v, "workload", &items, &n, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!(o->workloads[i] = pab_workload_find(items[i]))) {
            list_workloads(valid, sizeof valid);
            rc = refuse(e, "unknown workload '%s'; valid: %s", items[i], valid);
        }
    o->nworkloads = rc == 0 ? n : 0;
    free(items[0]);
    free(items);
    return rc;
}

static int set_threads(pab_options *o, const char *v, pab_cli_error *e)
{
    char **items;
    size_t n;
    if (split_list(v, "thread count", &items, &n, e) != 0)
        return -1;
    unsigned *counts = realloc(o->threads, n * sizeof *counts);
    int rc = counts ? 0 : refuse(e, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        uint64_t count;
        if (parse_count("threads", items[i], 1, PAB_THREADS_MAX, &count, e) != 0)
            rc = -1;
        counts[i] = (unsigned)count;
    }
    if (counts)
        o->threads = counts;
    o->nthreads = rc == 0 ? n : 0;
    o->threads_given = true;
    free(items[0]);
    free(items);
    return rc;
}

static int set_inputs(pab_options *o, const char *v, pab_cli_error *e)
{
    if (!*v)
        return refuse(e, "--trace needs a file, or several separated by commas");
    o->inputs = v;
    return 0;
}

/* The instances of `kind` on every input file, each loaded once to check it,
 * appended to list[*n]. */
static int add_instances(const pab_workload *kind, char *const *files, size_t nfiles, const pab_workload **list,
                         size_t *n, pab_cli_error *e)
{
    for (size_t f = 0; f < nfiles; f++) {
        if (kind->load(files[f], e->text, e->len) != 0)
            return -1;
        pab_workload *w = pab_workload_with_input(kind, files[f], e->text, e->len);
        if (!w)
            return -1;
        for (size_t i = 0; i < *n; i++)
            if (strcmp(list[i]->name, w->name) == 0) {
                refuse(e, "%s and %s would both be the row %s: rename one", list[i]->input, files[f], w->name);
                pab_workload_free(w);
                return -1;
            }
        list[(*n)++] = w;
    }
    return 0;
}

/* --threads without --workload: the threaded workloads; without
 * --allocator: the defaults and the lock models of those that are not
 * thread-safe (allocators/locked.h). */
static int threaded_defaults(pab_options *o, pab_cli_error *e)
{
    if (!o->workloads_given) {
        o->nworkloads = 0;
        for (size_t i = 0; pab_workloads[i]; i++)
            if (pab_workloads[i]->thread_ops)
                o->workloads[o->nworkloads++] = pab_workloads[i];
    }
    if (o->allocators_given)
        return 0;
    const char *specs[4 * PAB_LABEL_MAX];
    size_t n = 0;
    for (const char *const *s = pab_allocator_defaults(); *s; s++)
        specs[n++] = *s;
    for (const char *const *s = pab_allocator_lock_defaults(); *s; s++)
        specs[n++] = *s;
    return make_allocators(o, specs, n, e);
}

/* --real measures the program, not workloads: the rows' workload is made
 * from the program by real.c. */
static int check_real(pab_options *o, pab_cli_error *e)
{
    if (!o->nprogram)
        return refuse(e, "--real needs the program after --: --real -- PYTHON SCRIPT.py [ARGS]");
    if (o->workloads_given || o->inputs)
        return refuse(e, "--real runs the program given after --, not --workload or --trace");
    if (o->count)
        return refuse(e, "--real counts no instructions (--count is for the workloads)");
    if (o->threads_given)
        return refuse(e, "--real runs the program as it is; --threads is for the threaded workloads");
    return 0;
}

/* Replaces each workload that replays a file by one instance per --trace
 * file; with --trace and no --workload, those are the run's workloads. */
static int expand_inputs(pab_options *o, pab_cli_error *e)
{
    char **files = NULL;
    size_t nfiles = 0, n = 0;
    if (o->inputs && split_list(o->inputs, "trace", &files, &nfiles, e) != 0)
        return -1;
    if (o->inputs && !o->workloads_given) {
        free_workloads(o);
        o->workloads[0] = pab_workload_kind_of("trace");
        o->nworkloads = 1;
    }
    const pab_workload **list = calloc(o->nworkloads * (nfiles + 1) + 1, sizeof *list);
    int rc = list ? 0 : refuse(e, "out of memory");
    bool used = false;
    for (size_t i = 0; rc == 0 && i < o->nworkloads; i++) {
        const pab_workload *w = o->workloads[i];
        if (!w->load)
            list[n++] = w;
        else if (!nfiles)
            rc = refuse(e, "workload '%s' replays a file: give it with --trace=FILE[,FILE...]", w->name);
        else
            rc = add_instances(w, files, nfiles, list, &n, e), used = true;
    }
    if (rc == 0 && nfiles && !used)
        rc = refuse(e, "--trace needs --workload=trace among the workloads (or no --workload)");
    if (rc == 0) {
        free(o->workloads);
        o->workloads = list;
        o->nworkloads = n;
    } else if (list) {
        for (size_t i = 0; i < n; i++)
            pab_workload_free(list[i]);
        free(list);
    }
    if (files)
        free(files[0]);
    free(files);
    return rc;
}

/* ---- numbers ---- */

static int parse_count(const char *name, const char *v, uint64_t min, uint64_t max, uint64_t *out,
                       pab_cli_error *e)
{
    char *end;
    errno = 0;
    unsigned long long n = isdigit((unsigned char)v[0]) ? strtoull(v, &end, 10) : 0;
    if (!isdigit((unsigned char)v[0]) || *end || errno == ERANGE || n < min || n > max)
        return refuse(e, "--%s takes a whole number from %llu to %llu, not '%s'", name, (unsigned long long)min,
                    (unsigned long long)max, v);
    *out = n;
    return 0;
}

static int set_repetitions(pab_options *o, const char *v, pab_cli_error *e)
{
    uint64_t n;
    if (parse_count("repetitions", v, 1, 1000, &n, e))
        return -1;
    o->repetitions = (unsigned)n;
    return 0;
}

static int set_processes(pab_options *o, const char *v, pab_cli_error *e)
{
    uint64_t n;
    if (parse_count("processes", v, PAB_MIN_PROCESSES, PAB_MAX_PROCESSES, &n, e))
        return -1;
    o->processes = (unsigned)n;
    return 0;
}

static int set_scale(pab_options *o, const char *v, pab_cli_error *e)
{
    return parse_count("scale", v, 1, UINT64_MAX, &o->scale, e);
}

static int set_seed(pab_options *o, const char *v, pab_cli_error *e)
{
    return parse_count("seed", v, 0, UINT64_MAX, &o->seed, e);
}

static int set_timeout(pab_options *o, const char *v, pab_cli_error *e)
{
    uint64_t n;
    if (parse_count("timeout", v, 1, 7 * 24 * 3600, &n, e))
        return -1;
    o->timeout_s = (unsigned)n;
    return 0;
}

static int set_memory_limit(pab_options *o, const char *v, pab_cli_error *e)
{
    return parse_count("memory-limit", v, 1, UINT64_MAX >> 20, &o->memory_limit_mib, e);
}

/* Half the machine: room for the parent, the shell and whoever else is here. */
static uint64_t default_memory_limit_mib(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page / 2 >> 20 : 1024;
}

/* ---- the rest ---- */

static int set_out(pab_options *o, const char *v, pab_cli_error *e)
{
    if (!*v)
        return refuse(e, "--out needs a folder, not an empty string");
    o->out_dir = v;
    return 0;
}

static int add_env(pab_options *o, const char *v, pab_cli_error *e)
{
    const char *eq = strchr(v, '=');
    bool ok = eq && eq != v && (isalpha((unsigned char)v[0]) || v[0] == '_');
    for (const char *c = v; ok && c < eq; c++)
        ok = isalnum((unsigned char)*c) || *c == '_';
    if (!ok)
        return refuse(e, "--env takes KEY=VALUE with KEY made of letters, digits and _, not '%s'", v);
    o->env[o->nenv++] = v;
    return 0;
}

/* Plain flags take no value, so their setters ignore v and e. */
static int set_list(pab_options *o, const char *v, pab_cli_error *e)
{
    (void)v, (void)e;
    o->list = true;
    return 0;
}

static int set_quick(pab_options *o, const char *v, pab_cli_error *e)
{
    (void)v, (void)e;
    o->quick = true;
    return 0;
}

static int set_count(pab_options *o, const char *v, pab_cli_error *e)
{
    (void)v;
#ifdef PAB_SANITIZE
    (void)o;
    return refuse(e, "--count runs the children under valgrind, which cannot run a sanitizer build: use the "
                     "Release tree (./bench)");
#else
    (void)e;
    o->count = true;
    return 0;
#endif
}

static int set_real(pab_options *o, const char *v, pab_cli_error *e)
{
    (void)v, (void)e;
    o->real = true;
    return 0;
}

static int set_progress(pab_options *o, const char *v, pab_cli_error *e)
{
    (void)v, (void)e;
    o->progress = true;
    return 0;
}

static int set_help(pab_options *o, const char *v, pab_cli_error *e)
{
    (void)v, (void)e;
    o->help = true;
    return 0;
}

static int set_version(pab_options *o, const char *v, pab_cli_error *e)
{
    (void)v, (void)e;
    o->version = true;
    return 0;
}

static const pab_option pab_option_table[] = {
    {"allocator", "LIST",
     "comma-separated allocators to run (default: every available one); LABEL=/path/to/lib.so measures that "
     "library under LABEL, as jemalloc, mimalloc, tcmalloc or cpython when it is one, else as a preloaded malloc; "
     "pymalloc:KEY=VALUE[:KEY=VALUE...] a variant of pymalloc (keys arena, pool, align, threshold, release, order; "
     "README.md)",
     set_allocators},
    {"workload", "LIST", "comma-separated workloads to run (default: all but trace and the threaded ones)",
     set_workloads},
    {"threads", "LIST",
     "comma-separated thread counts of the threaded workloads (threads_*), e.g. 1,2,4 (default 1); alone, "
     "without --workload and --allocator, runs the threaded workloads on every allocator and lock model",
     set_threads},
    {"trace", "FILES",
     "comma-separated trace files (./bench record) for --workload=trace, one row each, named trace/STEM after the "
     "file; alone, without --workload, they are the run's workloads",
     set_inputs},
    {"list", NULL, "list every allocator (available or not, and why) and every workload, then exit",
     set_list},
    {"quick", NULL, PAB_QUICK_HELP, set_quick},
    {"real", NULL,
     "run the program given after -- (PYTHON SCRIPT.py [ARGS]) itself under each allocator's CPython "
     "configuration, instead of the workloads: wall, user and system time, peak RSS above `PYTHON -c pass`",
     set_real},
    {"processes", "N",
     "fresh processes per pair, the unit of replication, run round-robin over the pairs (default "
     PAB_STR(PAB_DEFAULT_PROCESSES) ", at least " PAB_STR(PAB_MIN_PROCESSES) ")",
     set_processes},
    {"repetitions", "N", "timed warm repetitions in each process (default " PAB_STR(PAB_DEFAULT_REPETITIONS) ")",
     set_repetitions},
    {"scale", "N", "run every workload at scale N instead of its own", set_scale},
    {"seed", "N", "seed of every workload's random sequence (default " PAB_STR(PAB_DEFAULT_SEED) ")",
     set_seed},
    {"out", "DIR", "folder in which the results folder is made (default: results/ of the source tree)",
     set_out},
    {"timeout", "SECONDS", "kill a child that runs longer (default " PAB_STR(PAB_DEFAULT_TIMEOUT) ")",
     set_timeout},
    {"memory-limit", "MiB", "kill a child whose resident memory passes this (default: half the machine's)",
     set_memory_limit},
    {"env", "KEY=VALUE", "set KEY in every child's environment (repeatable; recorded in metadata.json)",
     add_env},
    {"count", NULL,
     "also count instructions per allocator call: one pass of each pair under callgrind (slow; Release only)",
     set_count},
    {"progress", NULL, "report progress on stderr even when it is not a terminal", set_progress},
    {"help", NULL, "show this text (also -h)", set_help},
    {"version", NULL, "print the suite's version (its git commit) and exit", set_version},
};
enum { PAB_NOPTIONS = sizeof pab_option_table / sizeof pab_option_table[0] };

/* Flags of Google Benchmark's that the parent sets itself, and what to use instead. */
static const struct {
    const char *flag;
    const char *instead;
} pab_reserved_bench_flags[] = {
    {"--benchmark_out", "the results folder keeps each child's JSON"},
    {"--benchmark_out_format", "the results folder keeps each child's JSON"},
    {"--benchmark_repetitions", "use --repetitions"},
    {"--benchmark_min_time", "every repetition times a fixed number of passes (--repetitions, --scale)"},
};

static const pab_option *find_option(const char *arg, size_t name_len)
{
    for (size_t i = 0; i < PAB_NOPTIONS; i++)
        if (strlen(pab_option_table[i].name) == name_len &&
            strncmp(pab_option_table[i].name, arg, name_len) == 0)
            return &pab_option_table[i];
    return NULL;
}

static void join_options(char *out, size_t len)
{
    size_t used = 0;
    for (size_t i = 0; i < PAB_NOPTIONS && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "--%s, ", pab_option_table[i].name);
    if (used < len)
        snprintf(out + used, len - used, "--benchmark_*");
}

static int take_bench_flag(pab_options *o, const char *arg, pab_cli_error *e)
{
    size_t name_len = strcspn(arg, "=");
    for (size_t i = 0; i < sizeof pab_reserved_bench_flags / sizeof pab_reserved_bench_flags[0]; i++)
        if (strlen(pab_reserved_bench_flags[i].flag) == name_len &&
            strncmp(pab_reserved_bench_flags[i].flag, arg, name_len) == 0)
            return refuse(e, "%.*s is set by pyallocbench itself; %s", (int)name_len, arg,
                        pab_reserved_bench_flags[i].instead);
    o->bench_flags[o->nbench_flags++] = arg;
    return 0;
}

static int take_option(pab_options *o, int argc, char **argv, int *i, pab_cli_error *e)
{
    const char *arg = argv[*i] + 2;
    size_t name_len = strcspn(arg, "=");
    const pab_option *opt = find_option(arg, name_len);
    if (!opt) {
        char valid[512];
        join_options(valid, sizeof valid);
        return refuse(e, "unknown option '%s'; valid: %s", argv[*i], valid);
    }
    const char *value = arg[name_len] == '=' ? arg + name_len + 1 : NULL;
    if (!opt->arg && value)
        return refuse(e, "--%s takes no value", opt->name);
    if (opt->arg && !value) {
        if (*i + 1 >= argc)
            return refuse(e, "--%s needs a value: --%s=%s", opt->name, opt->name, opt->arg);
        value = argv[++*i];
    }
    return opt->apply(o, value, e);
}

static void set_defaults(pab_options *o, int argc, char **argv, const char *default_out)
{
    memset(o, 0, sizeof *o);
    o->seed = PAB_DEFAULT_SEED;
    o->timeout_s = PAB_DEFAULT_TIMEOUT;
    o->memory_limit_mib = default_memory_limit_mib();
    o->out_dir = default_out;
    o->argc = argc;
    o->argv = argv;
}

/* Lists start as the defaults; an explicit --allocator/--workload replaces them. */
static int fill_defaults(pab_options *o, pab_cli_error *e)
{
    size_t na = 0, nw = 0;
    const char *const *specs = pab_allocator_defaults();
    while (specs[na])
        na++;
    while (pab_workloads[nw])
        nw++;
    o->workloads = calloc(nw + 1, sizeof *o->workloads);
    o->threads = calloc(1, sizeof *o->threads);
    if (!o->workloads || !o->threads)
        return refuse(e, "out of memory");
    o->threads[o->nthreads++] = 1;
    for (size_t i = 0; i < nw; i++)
        if (!pab_workloads[i]->load && !pab_workloads[i]->thread_ops)
            o->workloads[o->nworkloads++] = pab_workloads[i];
    return make_allocators(o, specs, na, e);
}

int pab_options_parse(int argc, char **argv, const char *default_out, pab_options *o, char *err,
                      size_t errlen)
{
    pab_cli_error e = {err, errlen};
    set_defaults(o, argc, argv, default_out);
    o->env = calloc((size_t)argc + 1, sizeof *o->env);
    o->bench_flags = calloc((size_t)argc + 1, sizeof *o->bench_flags);
    if (!o->env || !o->bench_flags)
        return refuse(&e, "out of memory");
    if (fill_defaults(o, &e) != 0)
        return -1;
    int rc = 0;
    for (int i = 1; rc == 0 && i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            o->program = argv + i + 1;
            o->nprogram = (size_t)(argc - i - 1);
            break;
        } else if (strcmp(argv[i], "-h") == 0)
            o->help = true;
        else if (strncmp(argv[i], "--benchmark_", 12) == 0)
            rc = take_bench_flag(o, argv[i], &e);
        else if (strncmp(argv[i], "--", 2) == 0 && argv[i][2])
            rc = take_option(o, argc, argv, &i, &e);
        else
            rc = refuse(&e, "unexpected argument '%s'; options start with -- (see --help)", argv[i]);
    }
    if (rc == 0 && o->threads_given && !o->real && !o->list)
        rc = threaded_defaults(o, &e);
    if (rc == 0 && !o->help && !o->version && !o->list)
        rc = o->real ? check_real(o, &e) : expand_inputs(o, &e);
    if (rc == 0 && o->program && !o->real)
        rc = refuse(&e, "a program after -- is for --real (./bench real -- PYTHON SCRIPT.py)");
    if (rc == 0 && !o->repetitions)
        o->repetitions = o->quick ? PAB_QUICK_REPETITIONS : PAB_DEFAULT_REPETITIONS;
    if (rc == 0 && !o->processes)
        o->processes = o->quick ? PAB_QUICK_PROCESSES : PAB_DEFAULT_PROCESSES;
    return rc;
}

void pab_options_free(pab_options *o)
{
    free_allocators(o);
    free(o->allocators);
    free_workloads(o);
    free(o->workloads);
    free(o->threads);
    free(o->env);
    free(o->bench_flags);
    memset(o, 0, sizeof *o);
}

uint64_t pab_options_scale(const pab_options *o, const pab_workload *w)
{
    if (o->scale)
        return o->scale;
    return o->quick ? w->quick_scale : w->default_scale;
}

uint64_t pab_options_passes(const pab_options *o, const pab_workload *w)
{
    uint64_t target = o->quick ? PAB_QUICK_REPETITION_OPS : PAB_REPETITION_OPS;
    uint64_t ops = w->expected_ops(pab_options_scale(o, w), o->seed);
    return ops >= target || ops == 0 ? 1 : (target + ops - 1) / ops;
}

void pab_options_print_help(FILE *f, const char *default_out)
{
    fprintf(f, "usage: ./bench [OPTION]... [--benchmark_FLAG=VALUE]...\n"
               "       ./bench plot [--baseline=NAME] [RESULTS_DIR]\n"
               "       ./bench compare [--alpha=A] [--absolute] [--fail-on-regression=PCT] RUN_A RUN_B\n"
               "Runs every chosen allocator on every chosen workload, each pair in several fresh child\n"
               "processes, and writes a results folder named by the UTC time of the start.\n\n");
    for (size_t i = 0; i < PAB_NOPTIONS; i++) {
        const pab_option *opt = &pab_option_table[i];
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", opt->name, opt->arg ? "=" : "", opt->arg ? opt->arg : "");
        fprintf(f, "  %-22s %s\n", left, opt->help);
    }
    fprintf(f, "  %-22s %s\n", "--benchmark_*", "passed unchanged to Google Benchmark in every child");
    fprintf(f, "\nResults go to %s unless --out says otherwise.\n", default_out);
    fprintf(f, "\nSubcommands (./bench only):\n"
               "  plot     redraw the plots and REPORT.md of a results folder\n"
               "           e.g. ./bench plot --baseline=glibc results/latest\n"
               "  compare  per pair of two runs, time and memory ratios with their intervals and\n"
               "           whether they are significant (exit 1 on a regression with --fail-on-regression)\n"
               "           e.g. ./bench compare --fail-on-regression=5 results/20261201T100000Z results/latest\n"
               "\nExamples:\n"
               "  ./bench --quick                                   a smoke test of everything\n"
               "  ./bench --allocator=pymalloc,mimalloc --workload=small_objects\n");
    fprintf(f, "\nExit status: 0 every pair ok, 1 some pair failed (its row says why), 2 bad input,\n"
               "128 + signal when interrupted (nothing is kept).\n");
}
