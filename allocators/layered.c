/*
 * Layered allocators, the way runtimes ship them: our pymalloc serves
 * requests up to 512 bytes and sends the rest (and size 0) to malloc, which
 * a preloaded jemalloc, mimalloc or tcmalloc serves. So the entries are
 * pymalloc's own functions with `preload` set, and their statistics are
 * pymalloc's followed by the large-block allocator's.
 */
#include "allocator.h"
#include "preloaded.h"
#include "pymalloc/pymalloc.h"

#include <stdio.h>

extern const pab_allocator pab_pymalloc, pab_jemalloc, pab_mimalloc, pab_tcmalloc;

static const char *layered_init(const pab_allocator *large)
{
    const char *why = pab_pymalloc.init();
    return why ? why : large->init();
}

static void layered_teardown(const pab_allocator *large)
{
    large->teardown();
    pab_pymalloc.teardown();
}

/* A total is only known when both layers know their part. */
static double layered_sum(double small, double large)
{
    return small < 0 || large < 0 ? -1 : small + large;
}

static void layered_stats(const pab_allocator *large, pab_stats *out)
{
    pab_stats small_stats, large_stats;
    pab_pymalloc.stats(&small_stats);
    large->stats(&large_stats);

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

static const char *layered_version(const pab_allocator *large, char *text, size_t size)
{
    snprintf(text, size, "%s + %s", pab_pymalloc.version(), large->version());
    return text;
}

/* One table entry per large-block allocator; only `large` differs. */
#define PAB_LAYERED(large, LIBRARY)                                                      \
    static const char *layered_##large##_init(void) { return layered_init(&pab_##large); }  \
    static void layered_##large##_teardown(void) { layered_teardown(&pab_##large); }         \
    static void layered_##large##_stats(pab_stats *out) { layered_stats(&pab_##large, out); } \
    static void layered_##large##_trim(void) { pab_##large.trim(); }                        \
    static const char *layered_##large##_version(void)                                      \
    {                                                                                       \
        static char text[256];                                                              \
        return layered_version(&pab_##large, text, sizeof text);                            \
    }                                                                                       \
    const pab_allocator pab_pymalloc_##large = {                                            \
        .name = "pymalloc+" #large,                                                         \
        .description = "pymalloc up to 512 bytes, " #large " (preloaded) above",             \
        .preload = LIBRARY,                                                                 \
        .init = layered_##large##_init,                                                     \
        .teardown = layered_##large##_teardown,                                             \
        .malloc = pymalloc_malloc,                                                          \
        .realloc = pymalloc_realloc,                                                        \
        .free = pymalloc_free,                                                              \
        .stats = layered_##large##_stats,                                                   \
        .trim = layered_##large##_trim,                                                     \
        .version = layered_##large##_version,                                               \
    };

PAB_LAYERED(jemalloc, PAB_JEMALLOC_LIBRARY)
PAB_LAYERED(mimalloc, PAB_MIMALLOC_LIBRARY)
PAB_LAYERED(tcmalloc, PAB_TCMALLOC_LIBRARY)
