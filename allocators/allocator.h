/*
 * allocator.h: the one interface every allocator of the suite implements.
 *
 * An allocator is a struct of function pointers. Workloads and the harness
 * see allocators only through it, so a benchmark pays exactly one indirect
 * call per operation whatever the allocator.
 *
 * Kinds and instances. Each file of allocators/ defines one *kind*, a
 * constant `pab_allocator` named `pab_<name>`, and list.h names every kind:
 * adding an allocator is that file and that line (the build compiles every
 * .c here; the tests are discovered from the table at ctest time). What a
 * run measures is an *instance* made from a spec by pab_allocator_make(): a
 * heap copy of a kind that init() may fill in (cpython resolves its entries
 * there), or a composition made at run time ("pymalloc+jemalloc": pymalloc
 * over a preloaded allocator, layered.c; "pymalloc@gil": one behind a lock
 * model, locked.c). The spec is the instance's label,
 * the allocator column of every results file (harness/contract.h says which
 * characters a label may hold). A kind may also make *variants* of itself
 * from "NAME:KEY=VALUE[:KEY=VALUE...]" (pymalloc:arena=4m), labelled by what
 * differs from the kind.
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
 *    at least the instance's stated alignment (pab_allocator_alignment: 16,
 *    max_align_t, unless it says less, as pymalloc:align=8 does); for 0 to 8
 *    bytes, to at least 8 (jemalloc, mimalloc and tcmalloc hand out 8-aligned
 *    blocks there, as C allows).
 *  - none of the functions may be called before pab_allocator_start()
 *    succeeded or after pab_allocator_stop(); one instance is started per
 *    process (its kind's file-level state is that instance's).
 *  - stats() never allocates through the allocator it describes.
 */
#ifndef PAB_ALLOCATOR_H
#define PAB_ALLOCATOR_H

#include <stdbool.h>
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

typedef struct pab_allocator pab_allocator;

struct pab_allocator {
    const char *name;        /* the label: as --allocator takes it and results files show it */
    const char *description; /* one line for --list */
    const char *preload;     /* library that must serve malloc in the child, or NULL */
    const char *library;     /* a library it dlopens (cpython), or NULL */
    /* A reference point rather than a choice a runtime would make (bump):
     * reports leave it out of their "fastest" and "smallest" verdicts. */
    bool floor;
    /* Made for the suite's own checks: never in a default run. */
    bool test_only;
    /* Its entries may be called from several threads at once. Those that
     * are not (pymalloc, obmalloc, bump) run threaded workloads at one
     * thread only, or behind a lock model (locked.c). */
    bool thread_safe;
    /* How a real CPython runs on it (pyallocbench --real): the PYTHONMALLOC
     * it is given, "malloc" (the system malloc, which `preload` serves when
     * set) or "" (left unset: CPython's default, pymalloc, over the preload
     * when set); NULL when no real interpreter can. */
    const char *pythonmalloc;
    /* The alignment promised above 8 bytes; 0 means 16. */
    unsigned alignment;

    /* Optional: a variant of this kind from PARAMS, the KEY=VALUE list after
     * "NAME:"; NULL with one line (no newline) in err when it is not one. */
    pab_allocator *(*make_variant)(const pab_allocator *kind, const char *params, char *err,
                                   size_t errlen);
    /* With make_variant: specs of variants, NULL-terminated, that together
     * move every key away from the kind's choice (the tests run each). */
    const char *const *(*variants)(void);

    /* Optional. NULL on success; otherwise a static message saying why it
     * cannot run here. May fill in the instance's entries. */
    const char *(*init)(pab_allocator *self);
    /* Optional. */
    void (*teardown)(const pab_allocator *self);

    void *(*malloc)(size_t size);
    void *(*realloc)(void *ptr, size_t size);
    void (*free)(void *ptr);
    /* Optional: what serves CPython's raw domain (PyMem_RawMalloc) and the
     * calls made from outside the interpreter's allocator, where CPython
     * would not send them to the entries above: the system malloc, for
     * pymalloc, obmalloc and pymalloc over another malloc (which then serves
     * the system malloc). NULL: the entries above serve every domain, as
     * under PYTHONMALLOC=malloc. A replayed trace routes by it. */
    void *(*raw_malloc)(size_t size);
    void *(*raw_realloc)(void *ptr, size_t size);
    void (*raw_free)(void *ptr);

    /* Optional: the calling thread gives up what it holds across calls (the
     * GIL model's lock, locked.c): it is about to wait for another thread,
     * or its part of a pass is done. */
    void (*release)(void);

    /* Optional: fills *out; NULL when the allocator keeps no statistics. */
    void (*stats)(const pab_allocator *self, pab_stats *out);
    /* Optional: gives freed memory back to the OS now. */
    void (*trim)(const pab_allocator *self);
    /* Version string of the code actually serving requests (after init). */
    const char *(*version)(const pab_allocator *self);

    /* Set in instances only: the allocator a layered one sends large
     * requests to (layered.c; owned); the spec a child is given to make the
     * same instance, when it is not the name (LABEL=PATH, from_path.h); the
     * kind's own record of a variant (owned); and the strings the instance
     * owns. */
    pab_allocator *below;
    const char *spec;
    void *variant;
    char *owned_name, *owned_description, *owned_spec, *owned_path;
};

/* Between a kind's name and a variant's parameters: pymalloc:arena=4m. */
#define PAB_VARIANT_SEPARATOR ':'

/* Every kind, NULL-terminated, in list.h's order (registry.c). */
extern const pab_allocator *const pab_allocator_kinds[];

/* The specs a run takes when --allocator is not given, NULL-terminated:
 * every kind but the test-only ones, then pymalloc over each preloaded kind. */
const char *const *pab_allocator_defaults(void);
/* What a run with --threads adds to them: every default that is not
 * thread-safe and not a floor, under each lock model (locked.h). */
const char *const *pab_allocator_lock_defaults(void);

/* A new instance from a spec: a kind's name, FRONT+BELOW, NAME:KEY=VALUE...
 * (a variant), either of the first two or a variant followed by @MODEL
 * (locked.h), or LABEL=PATH (a library the user names, from_path.h). NULL
 * with one line (no newline) in err when the spec names nothing. */
pab_allocator *pab_allocator_make(const char *spec, char *err, size_t errlen);
/* What pab_allocator_make takes to make this instance again. */
const char *pab_allocator_spec(const pab_allocator *a);
void pab_allocator_free(pab_allocator *a);

/* The alignment it promises for requests above 8 bytes. */
unsigned pab_allocator_alignment(const pab_allocator *a);

/* init() when the allocator has one: NULL, or why it cannot run here. */
const char *pab_allocator_start(pab_allocator *a);
void pab_allocator_stop(const pab_allocator *a);
/* stats() into *out and true, or an empty record (every figure unknown)
 * and false when the allocator keeps no statistics. */
bool pab_allocator_stats(const pab_allocator *a, pab_stats *out);
/* Whether it can give memory back (trim), and doing so. */
bool pab_allocator_can_trim(const pab_allocator *a);
void pab_allocator_trim(const pab_allocator *a);

/* Starts an empty stats record: every figure unknown, no counters. */
void pab_stats_clear(pab_stats *out);

/* Appends a named counter; silently ignores counters past the capacity. */
void pab_stats_add(pab_stats *out, const char *name, double value);

#endif
