/* glibc: the system malloc (ptmalloc2), the default every runtime starts from. */
#include "allocator.h"

#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdlib.h>

static void glibc_stats(const pab_allocator *self, pab_stats *out)
{
    (void)self;
    struct mallinfo2 mi = mallinfo2();
    /* Small blocks in the arenas plus chunks served directly by mmap. */
    out->in_use_bytes = (double)(mi.uordblks + mi.hblkhd);
    out->mapped_bytes = (double)(mi.arena + mi.hblkhd);
    pab_stats_add(out, "arena_bytes", (double)mi.arena);
    pab_stats_add(out, "mmap_bytes", (double)mi.hblkhd);
    pab_stats_add(out, "mmap_chunks", (double)mi.hblks);
    pab_stats_add(out, "free_bytes", (double)mi.fordblks);
    pab_stats_add(out, "free_chunks", (double)mi.ordblks);
    pab_stats_add(out, "fastbin_free_bytes", (double)mi.fsmblks);
    pab_stats_add(out, "releasable_bytes", (double)mi.keepcost);
}

static void glibc_trim(const pab_allocator *self)
{
    (void)self;
    malloc_trim(0);
}

static const char *glibc_version(const pab_allocator *self)
{
    (void)self;
    return gnu_get_libc_version();
}

const pab_allocator pab_glibc = {
    .name = "glibc",
    .pythonmalloc = "malloc",
    .description = "the system malloc (glibc ptmalloc2)",
    .thread_safe = true,
    .malloc = malloc,
    .realloc = realloc,
    .free = free,
    .stats = glibc_stats,
    .trim = glibc_trim,
    .version = glibc_version,
};
