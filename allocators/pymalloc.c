/* pymalloc: the suite's reimplementation of CPython's obmalloc (allocators/pymalloc/). */
#include "allocator.h"
#include "pymalloc/pymalloc.h"

#include <stdlib.h>

static void pab_pymalloc_stats(const pab_allocator *self, pab_stats *out)
{
    (void)self;
    pymalloc_stats s;
    pymalloc_get_stats(&s);
    pab_stats_clear(out);
    out->in_use_bytes = (double)s.blocks_allocated_bytes;
    out->mapped_bytes = (double)s.arenas_current * (1u << 20);
    pab_stats_add(out, "arenas_allocated_total", (double)s.arenas_allocated_total);
    pab_stats_add(out, "arenas_reclaimed", (double)s.arenas_reclaimed);
    pab_stats_add(out, "arenas_highwater", (double)s.arenas_highwater);
    pab_stats_add(out, "arenas_current", (double)s.arenas_current);
    pab_stats_add(out, "pools_used", (double)s.pools_used);
    pab_stats_add(out, "pools_free", (double)s.pools_free);
    pab_stats_add(out, "blocks_available_bytes", (double)s.blocks_available_bytes);
    /* The same names as cpython's counters, so stats.csv compares the two. */
    pab_stats_add(out, "pool_header_bytes", (double)s.pool_header_bytes);
    pab_stats_add(out, "quantization_bytes", (double)s.quantization_bytes);
    pab_stats_add(out, "arena_alignment_bytes", (double)s.arena_alignment_bytes);
    pab_stats_add(out, "radix_nodes_mid", (double)s.radix_nodes_mid);
    pab_stats_add(out, "radix_nodes_bottom", (double)s.radix_nodes_bottom);
}

static const char *pab_pymalloc_version(const pab_allocator *self)
{
    (void)self;
    return "pyallocbench reimplementation of CPython 3.11/3.12 obmalloc";
}

const pab_allocator pab_pymalloc = {
    .name = "pymalloc",
    .pythonmalloc = "",
    .description = "this suite's reimplementation of CPython's obmalloc",
    .malloc = pymalloc_malloc,
    .realloc = pymalloc_realloc,
    .free = pymalloc_free,
    .raw_malloc = malloc,
    .raw_realloc = realloc,
    .raw_free = free,
    .stats = pab_pymalloc_stats,
    .version = pab_pymalloc_version,
};
