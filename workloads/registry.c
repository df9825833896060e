/* The table of workloads, from list.h. */
#include "workload.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAB_WORKLOAD(name) extern const pab_workload pab_##name;
#include "list.h"
#undef PAB_WORKLOAD

const pab_workload *const pab_workloads[] = {
#define PAB_WORKLOAD(name) &pab_##name,
#include "list.h"
#undef PAB_WORKLOAD
    NULL,
};

const pab_workload *pab_workload_find(const char *name)
{
    for (const pab_workload *const *w = pab_workloads; *w; w++)
        if (strcmp((*w)->name, name) == 0)
            return *w;
    return NULL;
}

enum { STEM_MAX = 48 };

/* The file's name without directory or extension, as a label may hold it. */
size_t pab_workload_variant(const char *text, size_t n, char *out, size_t len)
{
    size_t k = 0;
    for (; k < n && k + 1 < len; k++) {
        unsigned char c = (unsigned char)tolower((unsigned char)text[k]);
        out[k] = (isdigit(c) || (c >= 'a' && c <= 'z') || c == '_') ? (char)c : '_';
    }
    if (len)
        out[k] = '\0';
    return k;
}

static void stem_of(const char *path, char *out, size_t len)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    if (pab_workload_variant(base, n, out, len) == 0)
        snprintf(out, len, "input");
}

pab_workload *pab_workload_with_input(const pab_workload *kind, const char *path, char *err, size_t errlen)
{
    char stem[STEM_MAX];
    stem_of(path, stem, sizeof stem);
    pab_workload *w = malloc(sizeof *w);
    if (w) {
        *w = *kind;
        w->owned_name = malloc(strlen(kind->name) + strlen(stem) + 2);
        w->owned_input = strdup(path);
    }
    if (!w || !w->owned_name || !w->owned_input) {
        if (w) {
            free(w->owned_name);
            free(w->owned_input);
        }
        free(w);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sprintf(w->owned_name, "%s/%s", kind->name, stem);
    w->name = w->owned_name;
    w->input = w->owned_input;
    return w;
}

const pab_workload *pab_workload_kind_of(const char *label)
{
    const pab_workload *w = pab_workload_find(label);
    if (w)
        return w;
    const char *slash = strchr(label, '/');
    for (const pab_workload *const *k = pab_workloads; slash && *k; k++)
        if ((*k)->load && strlen((*k)->name) == (size_t)(slash - label) &&
            strncmp((*k)->name, label, (size_t)(slash - label)) == 0)
            return *k;
    return NULL;
}

void pab_workload_free(const pab_workload *w)
{
    if (!w || !w->owned_name)
        return;
    free(w->owned_name);
    free(w->owned_input);
    free((pab_workload *)w);
}

uint64_t pab_workload_ops(const pab_workload *w, uint64_t scale, uint64_t seed, unsigned nthreads)
{
    if (!w->thread_ops)
        return w->expected_ops(scale, seed);
    uint64_t ops = 0;
    for (unsigned t = 0; t < nthreads; t++)
        ops += w->thread_ops(scale, seed, t, nthreads);
    return ops;
}
