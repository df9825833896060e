/*
 * tcmalloc (gperftools 2.10): served by libtcmalloc_minimal.so.4 in
 * LD_PRELOAD of the child, so the entries are libc's names.
 *
 * The minimal variant is the same allocator without the heap checker and
 * heap profiler: the full libtcmalloc.so.4 also loads libunwind and liblzma
 * for their stack traces, machinery a runtime embedding tcmalloc for speed
 * does not ship and that would only add to the baseline being measured.
 *
 * Its statistics and release calls are looked up at init, not linked.
 */
#include "allocator.h"

#include <dlfcn.h>
#include <stdlib.h>

/* Runtime soname from Debian 12's package. */
#define TCMALLOC_LIBRARY "libtcmalloc_minimal.so.4"

typedef int (*tcmalloc_property_fn)(const char *name, size_t *value);
typedef void (*tcmalloc_release_fn)(void);
typedef const char *(*tcmalloc_version_fn)(int *major, int *minor, const char **patch);

static tcmalloc_property_fn tcmalloc_property;
static tcmalloc_release_fn tcmalloc_release;
static tcmalloc_version_fn tcmalloc_version_call;

static const char *tcmalloc_init(pab_allocator *self)
{
    (void)self;
    tcmalloc_property = (tcmalloc_property_fn)dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty");
    tcmalloc_release = (tcmalloc_release_fn)dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory");
    tcmalloc_version_call = (tcmalloc_version_fn)dlsym(RTLD_DEFAULT, "tc_version");
    if (!tcmalloc_property || !tcmalloc_release || !tcmalloc_version_call)
        return "tcmalloc is not loaded (MallocExtension_* not found): it needs "
               "LD_PRELOAD=" TCMALLOC_LIBRARY;
    return NULL;
}


static double tcmalloc_read(const char *property)
{
    size_t value;
    return tcmalloc_property(property, &value) ? (double)value : -1;
}

/* Each figure is a counter under its MallocExtension property name. */
static const char *const tcmalloc_figures[] = {
    "generic.current_allocated_bytes",   "generic.heap_size",
    "generic.total_physical_bytes",      "tcmalloc.pageheap_free_bytes",
    "tcmalloc.pageheap_unmapped_bytes",  "tcmalloc.central_cache_free_bytes",
    "tcmalloc.transfer_cache_free_bytes", "tcmalloc.thread_cache_free_bytes",
};

static void tcmalloc_stats(const pab_allocator *self, pab_stats *out)
{
    (void)self;
    pab_stats_clear(out);
    out->in_use_bytes = tcmalloc_read("generic.current_allocated_bytes");
    /* tcmalloc's own estimate: the heap minus what it has madvised away, plus metadata. */
    out->resident_bytes = tcmalloc_read("generic.total_physical_bytes");
    out->mapped_bytes = tcmalloc_read("generic.heap_size");
    for (size_t i = 0; i < sizeof tcmalloc_figures / sizeof tcmalloc_figures[0]; i++)
        pab_stats_add(out, tcmalloc_figures[i], tcmalloc_read(tcmalloc_figures[i]));
}

static void tcmalloc_trim(const pab_allocator *self)
{
    (void)self;
    tcmalloc_release();
}

static const char *tcmalloc_version(const pab_allocator *self)
{
    (void)self;
    int major, minor;
    const char *patch;
    return tcmalloc_version_call(&major, &minor, &patch);
}

const pab_allocator pab_tcmalloc = {
    .name = "tcmalloc",
    .pythonmalloc = "malloc",
    .description = "tcmalloc from gperftools (Debian's libtcmalloc_minimal4, preloaded)",
    .preload = TCMALLOC_LIBRARY,
    .thread_safe = true,
    .init = tcmalloc_init,
    .malloc = malloc,
    .realloc = realloc,
    .free = free,
    .stats = tcmalloc_stats,
    .trim = tcmalloc_trim,
    .version = tcmalloc_version,
};
