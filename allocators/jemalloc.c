/*
 * jemalloc: served by libjemalloc.so.2 in LD_PRELOAD of the child, so the
 * entries are libc's names. Its control interface, mallctl, is looked up at
 * init rather than linked, so this file costs nothing in processes that run
 * another allocator.
 */
#include "allocator.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Runtime soname from Debian 12's package. */
#define JEMALLOC_LIBRARY "libjemalloc.so.2"

typedef int (*jemalloc_mallctl_fn)(const char *name, void *oldp, size_t *oldlenp, void *newp,
                                   size_t newlen);

static jemalloc_mallctl_fn jemalloc_mallctl;

static const char *jemalloc_init(pab_allocator *self)
{
    (void)self;
    jemalloc_mallctl = (jemalloc_mallctl_fn)dlsym(RTLD_DEFAULT, "mallctl");
    if (!jemalloc_mallctl)
        return "jemalloc is not loaded (mallctl not found): it needs LD_PRELOAD=" JEMALLOC_LIBRARY;
    return NULL;
}


/* -1 when the name is unknown to this build, so a missing figure stays visibly unknown. */
static double jemalloc_read_size(const char *name)
{
    size_t value, len = sizeof value;
    if (jemalloc_mallctl(name, &value, &len, NULL, 0) != 0)
        return -1;
    return (double)value;
}

/* Each figure is a counter under its mallctl name, so it reads as jemalloc's
 * documentation names it. */
static const char *const jemalloc_figures[] = {
    "stats.allocated", "stats.active",   "stats.metadata",
    "stats.resident",  "stats.mapped",   "stats.retained",
};

static void jemalloc_stats(const pab_allocator *self, pab_stats *out)
{
    (void)self;
    /* The stats.* figures are a snapshot taken when the epoch advances. */
    uint64_t epoch = 1;
    size_t len = sizeof epoch;
    jemalloc_mallctl("epoch", &epoch, &len, &epoch, len);

    pab_stats_clear(out);
    out->in_use_bytes = jemalloc_read_size("stats.allocated");
    out->resident_bytes = jemalloc_read_size("stats.resident");
    out->mapped_bytes = jemalloc_read_size("stats.mapped");
    for (size_t i = 0; i < sizeof jemalloc_figures / sizeof jemalloc_figures[0]; i++)
        pab_stats_add(out, jemalloc_figures[i], jemalloc_read_size(jemalloc_figures[i]));
}

/* 4096 is MALLCTL_ARENAS_ALL: purge the dirty pages of every arena now
 * instead of after opt.dirty_decay_ms. */
static void jemalloc_trim(const pab_allocator *self)
{
    (void)self;
    jemalloc_mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
}

static const char *jemalloc_version(const pab_allocator *self)
{
    (void)self;
    static char text[128];
    const char *version = NULL;
    size_t len = sizeof version;
    if (jemalloc_mallctl("version", &version, &len, NULL, 0) != 0 || !version)
        version = "(version unknown)";
    snprintf(text, sizeof text, "jemalloc %s", version);
    return text;
}

const pab_allocator pab_jemalloc = {
    .name = "jemalloc",
    .pythonmalloc = "malloc",
    .description = "jemalloc (Debian's libjemalloc2, preloaded)",
    .preload = JEMALLOC_LIBRARY,
    .thread_safe = true,
    .init = jemalloc_init,
    .malloc = malloc,
    .realloc = realloc,
    .free = free,
    .stats = jemalloc_stats,
    .trim = jemalloc_trim,
    .version = jemalloc_version,
};
