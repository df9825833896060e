/* The table of allocators: adding one is a file defining it and a line here. */
#include "allocator.h"

#include <string.h>

extern const pab_allocator pab_glibc, pab_bump, pab_pymalloc;
extern const pab_allocator pab_jemalloc, pab_mimalloc, pab_tcmalloc;
extern const pab_allocator pab_pymalloc_jemalloc, pab_pymalloc_mimalloc, pab_pymalloc_tcmalloc;
/* Not const: its init writes libpython's addresses into it (see cpython.c). */
extern pab_allocator pab_cpython;

const pab_allocator *const pab_allocators[] = {
    &pab_pymalloc,
    &pab_glibc,
    &pab_bump,
    &pab_jemalloc,
    &pab_mimalloc,
    &pab_tcmalloc,
    &pab_cpython,
    &pab_pymalloc_jemalloc,
    &pab_pymalloc_mimalloc,
    &pab_pymalloc_tcmalloc,
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
