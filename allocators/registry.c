/* The table of kinds (from list.h), the default specs, and instances made from specs. */
#include "allocator.h"
#include "from_path.h"
#include "layered.h"
#include "locked.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAB_ALLOCATOR(name) extern const pab_allocator pab_##name;
#include "list.h"
#undef PAB_ALLOCATOR

const pab_allocator *const pab_allocator_kinds[] = {
#define PAB_ALLOCATOR(name) &pab_##name,
#include "list.h"
#undef PAB_ALLOCATOR
    NULL,
};

enum { PAB_NKINDS = sizeof pab_allocator_kinds / sizeof pab_allocator_kinds[0] - 1 };

static const pab_allocator *find_kind(const char *name, size_t len)
{
    for (const pab_allocator *const *k = pab_allocator_kinds; *k; k++)
        if (strlen((*k)->name) == len && strncmp((*k)->name, name, len) == 0)
            return *k;
    return NULL;
}

const char *const *pab_allocator_defaults(void)
{
    /* Every kind, then pymalloc over each preloaded one; made once. */
    static char layered[PAB_NKINDS][64];
    static const char *specs[2 * PAB_NKINDS + 1];
    if (specs[0])
        return specs;
    size_t n = 0, nl = 0;
    for (const pab_allocator *const *k = pab_allocator_kinds; *k; k++)
        if (!(*k)->test_only)
            specs[n++] = (*k)->name;
    for (const pab_allocator *const *k = pab_allocator_kinds; *k; k++)
        if ((*k)->preload) {
            snprintf(layered[nl], sizeof layered[nl], "%s%c%s", PAB_LAYERED_FRONT, PAB_LAYER_SEPARATOR,
                     (*k)->name);
            specs[n++] = layered[nl++];
        }
    return specs;
}

const char *const *pab_allocator_lock_defaults(void)
{
    static char locked[2 * 2 * PAB_NKINDS][96];
    static const char *specs[2 * 2 * PAB_NKINDS + 1];
    static const char *const models[] = {"mutex", "gil"};
    if (specs[0])
        return specs;
    size_t n = 0;
    char err[256];
    for (const char *const *s = pab_allocator_defaults(); *s; s++) {
        pab_allocator *a = pab_allocator_make(*s, err, sizeof err);
        bool wanted = a && !a->thread_safe && !a->floor;
        pab_allocator_free(a);
        for (size_t m = 0; wanted && m < sizeof models / sizeof models[0]; m++) {
            snprintf(locked[n], sizeof locked[n], "%s%c%s", *s, PAB_LOCK_SEPARATOR, models[m]);
            specs[n] = locked[n];
            n++;
        }
    }
    return specs;
}

static void list_kinds(char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *const *s = pab_allocator_defaults(); *s && used < len; s++)
        used += (size_t)snprintf(out + used, len - used, "%s%s", s == pab_allocator_defaults() ? "" : ", ", *s);
    for (const pab_allocator *const *k = pab_allocator_kinds; *k && used < len; k++)
        if ((*k)->test_only)
            used += (size_t)snprintf(out + used, len - used, ", %s", (*k)->name);
    for (const char *const *s = pab_allocator_lock_defaults(); *s && used < len; s++)
        used += (size_t)snprintf(out + used, len - used, ", %s", *s);
}

static pab_allocator *copy_kind(const pab_allocator *kind)
{
    pab_allocator *a = malloc(sizeof *a);
    if (a)
        *a = *kind;
    return a;
}

/* LABEL=PATH: the label may not be a kind's name, or results would mix the two. */
static pab_allocator *make_from_path(const char *spec, const char *equals, char *err, size_t errlen)
{
    size_t label_len = (size_t)(equals - spec);
    char label[128];
    if (label_len == 0 || label_len >= sizeof label) {
        snprintf(err, errlen, "allocator '%s': LABEL=PATH needs a label of 1 to %zu characters", spec,
                 sizeof label - 1);
        return NULL;
    }
    memcpy(label, spec, label_len);
    label[label_len] = '\0';
    if (find_kind(label, label_len)) {
        snprintf(err, errlen, "allocator '%s': '%s' is a built-in allocator's name; give the library another label",
                 spec, label);
        return NULL;
    }
    return pab_from_path_make(label, equals + 1, pab_allocator_kinds, err, errlen);
}

/* INNER@MODEL: the inner allocator made from its own spec, then wrapped. */
static pab_allocator *make_locked(const char *spec, const char *at, char *err, size_t errlen)
{
    char inner_spec[128];
    if ((size_t)(at - spec) >= sizeof inner_spec) {
        snprintf(err, errlen, "allocator '%s': too long", spec);
        return NULL;
    }
    memcpy(inner_spec, spec, (size_t)(at - spec));
    inner_spec[at - spec] = '\0';
    pab_allocator *inner = pab_allocator_make(inner_spec, err, errlen);
    return inner ? pab_locked_make(inner, at + 1, err, errlen) : NULL;
}

/* NAME:PARAMS: the kind makes it. A layered allocator has no variants: its
 * pymalloc is the one CPython ships over that malloc. */
static pab_allocator *make_variant(const char *spec, const char *colon, char *err, size_t errlen)
{
    size_t name_len = (size_t)(colon - spec);
    const pab_allocator *kind = find_kind(spec, name_len);
    if (strchr(spec, PAB_LAYER_SEPARATOR)) {
        snprintf(err, errlen, "allocator '%s': only a single allocator has variants, not a layered one", spec);
        return NULL;
    }
    if (!kind || !kind->make_variant) {
        snprintf(err, errlen, "allocator '%s': '%.*s' has no variants (NAME:KEY=VALUE is for pymalloc)", spec,
                 (int)name_len, spec);
        return NULL;
    }
    return kind->make_variant(kind, colon + 1, err, errlen);
}

pab_allocator *pab_allocator_make(const char *spec, char *err, size_t errlen)
{
    char valid[1024];
    /* The lock model comes last and is a plain word: an '@' inside a path
     * (LABEL=/opt/x@1/lib.so) or a variant's value is not one. */
    const char *at = strrchr(spec, PAB_LOCK_SEPARATOR);
    if (at && !strpbrk(at, "/=:"))
        return make_locked(spec, at, err, errlen);
    const char *equals = strchr(spec, '=');
    const char *colon = strchr(spec, PAB_VARIANT_SEPARATOR);
    if (colon && (!equals || colon < equals))
        return make_variant(spec, colon, err, errlen);
    if (equals)
        return make_from_path(spec, equals, err, errlen);
    const char *plus = strchr(spec, PAB_LAYER_SEPARATOR);
    size_t front_len = plus ? (size_t)(plus - spec) : strlen(spec);
    const pab_allocator *front = find_kind(spec, front_len);
    const pab_allocator *below = plus ? find_kind(plus + 1, strlen(plus + 1)) : NULL;
    if (front && !plus) {
        pab_allocator *a = copy_kind(front);
        if (!a)
            snprintf(err, errlen, "out of memory");
        return a;
    }
    if (front && below)
        return pab_layered_make(front, below, err, errlen);
    list_kinds(valid, sizeof valid);
    snprintf(err, errlen, "unknown allocator '%s' (name a built-in one, or a library as LABEL=/path/to/lib.so); valid: %s",
             spec, valid);
    return NULL;
}

void pab_allocator_free(pab_allocator *a)
{
    if (!a)
        return;
    pab_allocator_free(a->below);
    free(a->owned_name);
    free(a->owned_description);
    free(a->owned_spec);
    free(a->owned_path);
    free(a->variant);
    free(a);
}

const char *pab_allocator_spec(const pab_allocator *a) { return a->spec ? a->spec : a->name; }

unsigned pab_allocator_alignment(const pab_allocator *a) { return a->alignment ? a->alignment : 16; }

const char *pab_allocator_start(pab_allocator *a) { return a->init ? a->init(a) : NULL; }

void pab_allocator_stop(const pab_allocator *a)
{
    if (a->teardown)
        a->teardown(a);
}

bool pab_allocator_stats(const pab_allocator *a, pab_stats *out)
{
    pab_stats_clear(out);
    if (a->stats)
        a->stats(a, out);
    return a->stats != NULL;
}

bool pab_allocator_can_trim(const pab_allocator *a) { return a->trim != NULL; }

void pab_allocator_trim(const pab_allocator *a)
{
    if (a->trim)
        a->trim(a);
}

void pab_stats_clear(pab_stats *out)
{
    out->in_use_bytes = -1;
    out->resident_bytes = -1;
    out->mapped_bytes = -1;
    out->ncounters = 0;
}

void pab_stats_add(pab_stats *out, const char *name, double value)
{
    if (out->ncounters < PAB_STATS_MAX_COUNTERS)
        out->counters[out->ncounters++] = (pab_counter){name, value};
}
