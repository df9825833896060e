/* real.c: see real.h. */
#include "real.h"

#include "contract.h"
#include "files.h"

#include "../workloads/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { REAL_CHECK_TIMEOUT_S = 60 };

/* The program's script: the first argument that is not an option of the
 * interpreter's, unless -c or -m comes first; NULL then. */
static const char *script_of(const pab_options *o)
{
    for (size_t i = 1; i < o->nprogram; i++) {
        const char *arg = o->program[i];
        if (strcmp(arg, "-c") == 0 || strcmp(arg, "-m") == 0)
            return NULL;
        if (arg[0] != '-')
            return arg;
    }
    return NULL;
}

/* real/STEM: the script's name without .py, or after -m the module's, as a
 * workload label may hold it. */
static void label_of(const pab_options *o, char *out, size_t len)
{
    const char *name = script_of(o);
    for (size_t i = 1; !name && i + 1 < o->nprogram; i++)
        if (strcmp(o->program[i], "-m") == 0)
            name = o->program[i + 1];
    if (!name)
        name = "command";
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    size_t n = strlen(base), k = (size_t)snprintf(out, len, "real/");
    if (n > 3 && strcmp(base + n - 3, ".py") == 0)
        n -= 3;
    if (k >= len || pab_workload_variant(base, n, out + k, len - k < 49 ? len - k : 49) == 0)
        snprintf(out, len, "real/command");
}

/* Runs argv with a's configuration (NULL: CPython's default) and gives its
 * stdout, or NULL with why (the last line of its stderr) in err. */
static char *run_for_output(const pab_runner *r, char **argv, char *err, size_t errlen)
{
    FILE *so = tmpfile(), *se = tmpfile();
    char *out = NULL;
    if (!so || !se) {
        snprintf(err, errlen, "cannot make a temporary file");
    } else {
        pab_end end = pab_runner_run(r, NULL, argv, so, se, REAL_CHECK_TIMEOUT_S);
        char *text = pab_read_fd(fileno(se));
        if (end.kind == PAB_END_EXITED && end.code == 0)
            out = pab_read_fd(fileno(so));
        else
            pab_runner_describe_end(r, end, text, REAL_CHECK_TIMEOUT_S, err, errlen);
        free(text);
    }
    if (so)
        fclose(so);
    if (se)
        fclose(se);
    return out;
}

/* sys.executable and the version of the interpreter the user named. */
static int resolve(const pab_runner *r, const pab_options *o, pab_real *p, char *err, size_t errlen)
{
    char *path = strchr(o->program[0], '/') ? strdup(o->program[0]) : pab_find_program(o->program[0]);
    if (!path) {
        snprintf(err, errlen, "--real: cannot find the interpreter '%s'", o->program[0]);
        return PAB_EXIT_BAD_INPUT;
    }
    char why[PAB_STATUS_MAX];
    char *argv[] = {path, "-c", "import sys; print(sys.executable); print(sys.version.split()[0])", NULL};
    char *text = run_for_output(r, argv, why, sizeof why);
    free(path);
    char exe[4096], version[64];
    if (!text || sscanf(text, "%4095[^\n]\n%63s", exe, version) != 2 || exe[0] != '/') {
        snprintf(err, errlen, "--real: %s is not a Python interpreter that runs here%s%s", o->program[0],
                 text ? "" : ": ", text ? "" : why);
        free(text);
        return PAB_EXIT_BAD_INPUT;
    }
    free(text);
    p->interpreter = strdup(exe);
    p->version = strdup(version);
    return PAB_EXIT_OK;
}

static int check_inputs(const pab_options *o, char *err, size_t errlen)
{
    const char *script = script_of(o);
    struct stat st;
    if (script && (stat(script, &st) != 0 || !S_ISREG(st.st_mode))) {
        snprintf(err, errlen, "--real: cannot find the script %s", script);
        return PAB_EXIT_BAD_INPUT;
    }
    if (getenv("PYTHONMALLOC") || pab_runner_env_has(o, "PYTHONMALLOC")) {
        snprintf(err, errlen, "--real: PYTHONMALLOC is set; each allocator's configuration sets it (unset it, or "
                              "drop that --env)");
        return PAB_EXIT_BAD_INPUT;
    }
    for (size_t i = 0; i < o->nallocators; i++)
        if (!o->allocators[i]->pythonmalloc) {
            snprintf(err, errlen, "--real: %s is no configuration a real CPython can run on", o->allocators[i]->name);
            return PAB_EXIT_BAD_INPUT;
        }
    return PAB_EXIT_OK;
}

int pab_real_prepare(const pab_runner *r, const pab_options *o, pab_real *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    int rc = check_inputs(o, err, errlen);
    if (rc == PAB_EXIT_OK)
        rc = resolve(r, o, p, err, errlen);
    if (rc != PAB_EXIT_OK)
        return rc;
    p->argv = calloc(o->nprogram + 1, sizeof *p->argv);
    if (!p->interpreter || !p->version || !p->argv) {
        snprintf(err, errlen, "out of memory");
        return PAB_EXIT_FAILED;
    }
    p->argv[0] = p->interpreter;
    for (size_t i = 1; i < o->nprogram; i++)
        p->argv[i] = o->program[i];
    p->baseline_argv[0] = p->interpreter;
    p->baseline_argv[1] = "-c";
    p->baseline_argv[2] = "pass";
    label_of(o, p->label, sizeof p->label);
    p->row = (pab_workload){.name = p->label, .description = "a real interpreter's process"};
    char why[PAB_STATUS_MAX];
    char *out = run_for_output(r, p->argv, why, sizeof why);
    if (!out) {
        snprintf(err, errlen, "--real: the program failed in its trial run under CPython's default: %s", why);
        return PAB_EXIT_FAILED;
    }
    free(out);
    return PAB_EXIT_OK;
}

void pab_real_free(pab_real *p)
{
    free(p->interpreter);
    free(p->version);
    free(p->argv);
    memset(p, 0, sizeof *p);
}
