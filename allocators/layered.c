/*
 * layered.c: see layered.h. The instance's entries are pymalloc's own
 * functions with `preload` set to the lower allocator's library, so a
 * request above 512 bytes reaches it through malloc; its statistics are
 * pymalloc's followed by the lower allocator's.
 */
#include "layered.h"

#include "pymalloc/pymalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const pab_allocator pab_pymalloc;

static const char *layered_init(pab_allocator *self) { return pab_allocator_start(self->below); }

static void layered_teardown(const pab_allocator *self) { pab_allocator_stop(self->below); }

/* A total is only known when both layers know their part. */
static double layered_sum(double small, double large)
{
    return small < 0 || large < 0 ? -1 : small + large;
}

static void layered_stats(const pab_allocator *self, pab_stats *out)
{
    pab_stats small_stats, large_stats;
    pab_allocator_stats(&pab_pymalloc, &small_stats);
    pab_allocator_stats(self->below, &large_stats);

    pab_stats_clear(out);
    out->in_use_bytes = layered_sum(small_stats.in_use_bytes, large_stats.in_use_bytes);
    out->resident_bytes = layered_sum(small_stats.resident_bytes, large_stats.resident_bytes);
    out->mapped_bytes = layered_sum(small_stats.mapped_bytes, large_stats.mapped_bytes);
    /* The large allocator's totals are among its own counters; pymalloc's are not. */
    pab_stats_add(out, "pymalloc_in_use_bytes", small_stats.in_use_bytes);
    pab_stats_add(out, "pymalloc_mapped_bytes", small_stats.mapped_bytes);
    for (int i = 0; i < small_stats.ncounters; i++)
        pab_stats_add(out, small_stats.counters[i].name, small_stats.counters[i].value);
    for (int i = 0; i < large_stats.ncounters; i++)
        pab_stats_add(out, large_stats.counters[i].name, large_stats.counters[i].value);
}

static void layered_trim(const pab_allocator *self) { pab_allocator_trim(self->below); }

static const char *layered_version(const pab_allocator *self)
{
    static char text[256];
    snprintf(text, sizeof text, "%s + %s", pab_pymalloc.version(&pab_pymalloc),
             self->below->version(self->below));
    return text;
}

/* A new string, printf-style, or NULL when memory runs out. */
__attribute__((format(printf, 1, 2))) static char *owned_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

pab_allocator *pab_layered_make(const pab_allocator *front, const pab_allocator *below, char *err,
                                size_t errlen)
{
    if (front != &pab_pymalloc) {
        snprintf(err, errlen, "'%s%c%s': only %s layers over another allocator", front->name,
                 PAB_LAYER_SEPARATOR, below->name, PAB_LAYERED_FRONT);
        return NULL;
    }
    if (!below->preload) {
        snprintf(err, errlen, "'%s%c%s': the allocator below must be a preloaded one (over the system "
                              "malloc, %s is plain %s)",
                 front->name, PAB_LAYER_SEPARATOR, below->name, front->name, front->name);
        return NULL;
    }
    pab_allocator *a = calloc(1, sizeof *a);
    if (a) {
        a->owned_name = owned_format("%s%c%s", front->name, PAB_LAYER_SEPARATOR, below->name);
        a->owned_description =
            owned_format("%s up to 512 bytes, %s (preloaded) above", front->name, below->name);
        a->below = calloc(1, sizeof *a->below);
    }
    if (!a || !a->owned_name || !a->owned_description || !a->below) {
        pab_allocator_free(a);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *a->below = *below;
    a->name = a->owned_name;
    a->description = a->owned_description;
    a->preload = below->preload;
    a->pythonmalloc = ""; /* CPython's default pymalloc, over the preloaded malloc */
    a->init = layered_init;
    a->teardown = layered_teardown;
    a->malloc = pymalloc_malloc;
    a->realloc = pymalloc_realloc;
    a->free = pymalloc_free;
    a->raw_malloc = malloc;
    a->raw_realloc = realloc;
    a->raw_free = free;
    a->stats = layered_stats;
    a->trim = layered_trim;
    a->version = layered_version;
    return a;
}
