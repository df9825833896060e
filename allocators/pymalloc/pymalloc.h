/*
 * pymalloc.h: a standalone reimplementation of CPython 3.12's small-object
 * allocator (Objects/obmalloc.c) for 64-bit Linux. Needs nothing beyond libc.
 * Like the original it is not thread-safe: CPython calls it under the GIL.
 * The design is described at the top of pymalloc.c.
 */
#ifndef PYMALLOC_H
#define PYMALLOC_H

#include <stddef.h>
#include <stdio.h>

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

#endif
