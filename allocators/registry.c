/* The table of allocators: adding one is a file defining it and a line here. */
#include "allocator.h"

#include <string.h>

extern const pab_allocator pab_glibc, pab_bump, pab_pymalloc;

const pab_allocator *const pab_allocators[] = {
    &pab_pymalloc,
    &pab_glibc,
    &pab_bump,
    NULL,
};

const pab_allocator *pab_allocator_find(const char *name)
{
    for (const pab_allocator *const *a = pab_allocators; *a; a++)
        if (strcmp((*a)->name, name) == 0)
            return *a;
    return NULL;
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
