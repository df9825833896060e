/*
 * allocator.h: the one interface every allocator of the suite implements.
 *
 * An allocator is a constant struct of function pointers. Workloads and the
 * harness see allocators only through it, so a benchmark pays exactly one
 * indirect call per operation whatever the allocator, and adding an allocator
 * is one file defining a `pab_allocator` plus one line in registry.c.
 *
 * Allocators that replace the process's malloc (jemalloc, mimalloc,
 * tcmalloc) cannot be linked side by side: two of them in one process mix
 * their symbols and crash. They are therefore named by `preload`, the shared
 * library the harness puts in LD_PRELOAD of the child process that measures
 * them; their malloc/free entries are then simply libc's names, which the
 * preloaded library serves. Their statistics calls are looked up at init with
 * dlsym, so nothing here links against them.
 *
 * Invariants every implementation keeps:
 *  - malloc(0) returns a unique pointer that free() accepts (or NULL only on
 *    exhaustion); free(NULL) does nothing; realloc(NULL, n) is malloc(n).
 *  - every pointer returned for a request of more than 8 bytes is aligned to
 *    at least 16 bytes; for 0 to 8 bytes, to at least 8 (jemalloc, mimalloc
 *    and tcmalloc hand out 8-aligned blocks there, as C allows).
 *  - none of the functions may be called before init() returned 0 or after
 *    teardown(); init/teardown are called once per process.
 *  - stats() never allocates through the allocator it describes.
 */
#ifndef PAB_ALLOCATOR_H
#define PAB_ALLOCATOR_H

#include <stddef.h>

enum { PAB_STATS_MAX_COUNTERS = 24 };

/* One allocator-specific figure, e.g. "arenas_allocated" or "pageheap_free_bytes". */
typedef struct pab_counter {
    const char *name; /* static string, snake_case, unique within one allocator */
    double value;
} pab_counter;

/* What an allocator says about itself. Figures it does not know are -1. */
typedef struct pab_stats {
    double in_use_bytes;   /* bytes handed to the program and not yet freed, as it counts them */
    double resident_bytes; /* of its own memory, what is in RAM */
    double mapped_bytes;   /* address space it has obtained from the OS */
    int ncounters;
    pab_counter counters[PAB_STATS_MAX_COUNTERS];
} pab_stats;

typedef struct pab_allocator {
    const char *name;        /* as --allocator takes it */
    const char *description; /* one line for --list */
    const char *preload;     /* library that must serve malloc in the child, or NULL */

    /* NULL on success; otherwise a static message saying why it cannot run here. */
    const char *(*init)(void);
    void (*teardown)(void);

    void *(*malloc)(size_t size);
    void *(*realloc)(void *ptr, size_t size);
    void (*free)(void *ptr);

    /* Fills *out; NULL when the allocator keeps no statistics. */
    void (*stats)(pab_stats *out);
    /* Gives freed memory back to the OS now; NULL when it has no such call. */
    void (*trim)(void);
    /* Version string of the code actually serving requests (after init). */
    const char *(*version)(void);
} pab_allocator;

/* The table of every allocator, NULL-terminated (registry.c). */
extern const pab_allocator *const pab_allocators[];

/* The table entry named `name`, or NULL. */
const pab_allocator *pab_allocator_find(const char *name);

/* Starts an empty stats record: every figure unknown, no counters. */
void pab_stats_clear(pab_stats *out);

/* Appends a named counter; silently ignores counters past the capacity. */
void pab_stats_add(pab_stats *out, const char *name, double value);

#endif
