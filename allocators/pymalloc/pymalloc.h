/*
 * pymalloc.h: a standalone reimplementation of CPython 3.12's small-object
 * allocator (Objects/obmalloc.c) for 64-bit Linux. Needs nothing beyond libc.
 * Like the original it is not thread-safe: CPython calls it under the GIL.
 * The design is described at the top of pymalloc.c.
 */
#ifndef PYMALLOC_H
#define PYMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "names.h"

void *pymalloc_malloc(size_t nbytes);
void *pymalloc_realloc(void *ptr, size_t nbytes);
void pymalloc_free(void *ptr);

/* Prints the statistics in the layout of CPython's _PyObject_DebugMallocStats. */
void pymalloc_print_stats(FILE *out);

/* The figures behind the printout, for programs that want numbers. */
typedef struct pymalloc_stats {
    size_t arenas_allocated_total;   /* mmap'd over the process's life */
    size_t arenas_reclaimed;         /* munmap'd */
    size_t arenas_highwater;         /* most alive at once */
    size_t arenas_current;           /* alive now */
    size_t pools_used;               /* carved pools holding a size class */
    size_t pools_free;               /* carved pools on arenas' free lists, plus never-carved ones */
    size_t blocks_allocated_bytes;   /* bytes in blocks handed out */
    size_t blocks_available_bytes;   /* bytes in free blocks of used pools */
    size_t pool_header_bytes;        /* the headers of used pools */
    size_t quantization_bytes;       /* pool tails too small for one more block */
    size_t arena_alignment_bytes;    /* a pool per arena not on a pool boundary */
    size_t radix_nodes_mid;          /* radix-tree interior nodes */
    size_t radix_nodes_bottom;       /* radix-tree leaves */
} pymalloc_stats;

void pymalloc_get_stats(pymalloc_stats *out);

/* What happens to an arena whose every pool is empty. */
typedef enum pymalloc_release {
    PYMALLOC_RELEASE_KEEP_ONE, /* unmapped unless it is the last usable one (CPython 3.9+, bpo-37257;
                                  in fifo order, unless it is the only one) */
    PYMALLOC_RELEASE_EAGER,    /* unmapped at once (CPython before 3.9) */
    PYMALLOC_RELEASE_NEVER,    /* kept mapped for the process's life */
} pymalloc_release;

/* Which usable arena new pools come from. */
typedef enum pymalloc_order {
    PYMALLOC_ORDER_FULLEST, /* the one with the fewest free pools (CPython's sort) */
    PYMALLOC_ORDER_FIFO,    /* the one usable longest, arenas never re-sorted */
} pymalloc_order;

/* Sets both; false (and nothing changed) once an arena is mapped. */
bool pymalloc_set_policy(pymalloc_release release, pymalloc_order order);

/* The pool header's size, which the geometry rule below needs before any
 * pool exists (internal.h asserts it is sizeof the header, rounded). */
#define PYMALLOC_POOL_HEADER_BYTES 48u
/* An arena not pool aligned loses a pool: with 4 or more it keeps at least
 * 3, so that an arena never goes from full to wholly free in one step,
 * which usable_arenas has no transition for. */
#define PYMALLOC_MIN_POOLS_PER_ARENA 4u
/* Whether arenas of 2^arena_bits bytes, pools of 2^pool_bits and blocks up
 * to `threshold` bytes work together: the build asserts it of every copy,
 * the registry checks it of what a user asks for. */
#define PYMALLOC_GEOMETRY_FITS(arena_bits, pool_bits, threshold)                             \
    ((pool_bits) + 2 <= (arena_bits) &&                                                       \
     ((size_t)1 << (pool_bits)) - PYMALLOC_POOL_HEADER_BYTES >= (size_t)(threshold))
_Static_assert(1u << 2 == PYMALLOC_MIN_POOLS_PER_ARENA, "the rule above spells 4 pools as 2 bits");

/* One compiled copy: its geometry and entries. Every copy defines its own
 * (the default under this name, variants renamed by names.h). */
typedef struct pymalloc_build {
    unsigned arena_bits, pool_bits, alignment, threshold;
    void *(*malloc)(size_t nbytes);
    void *(*realloc)(void *ptr, size_t nbytes);
    void (*free)(void *ptr);
    void (*get_stats)(pymalloc_stats *out);
    bool (*set_policy)(pymalloc_release release, pymalloc_order order);
} pymalloc_build;

extern const pymalloc_build pymalloc_this_build;

#endif
