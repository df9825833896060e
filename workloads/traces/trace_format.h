/*
 * trace_format.h: the one definition of the binary allocation trace that
 * recorder.c writes and trace_reader.c reads. FORMAT.md is its prose; every
 * number a file holds is named here, once.
 *
 * A file is a header (fixed part, then the interpreter's version string and
 * the command line), PAB_TRACE_RECORD_SIZE bytes per record, and a trailer
 * repeating the record count. Every integer is little-endian; the helpers at
 * the end encode and decode byte by byte so neither side depends on the
 * host's byte order or on struct padding.
 */
#ifndef PAB_TRACE_FORMAT_H
#define PAB_TRACE_FORMAT_H

#include <stdint.h>

#define PAB_TRACE_MAGIC "PABTRACE"   /* 8 bytes, no NUL, at offset 0 */
#define PAB_TRACE_TRAILER "PABTREND" /* 8 bytes, then the record count again */

enum {
    /* Bumped on any change a version-1 reader would misread. */
    PAB_TRACE_VERSION = 1,
    PAB_TRACE_MAGIC_SIZE = 8,
    /* The header's fixed part; the two strings follow it. */
    PAB_TRACE_HEADER_FIXED_SIZE = 144,
    PAB_TRACE_RECORD_SIZE = 24,
    PAB_TRACE_TRAILER_SIZE = 16,
    /* Caps the strings, so that a corrupt length cannot make a reader
     * allocate or read without bound. */
    PAB_TRACE_STRING_MAX = 65536,
};

/* What a record did. The block id of a new block is always the number of
 * new blocks before it, so a replayer can index a table of header.blocks
 * entries by id. */
typedef enum pab_trace_op {
    PAB_TRACE_MALLOC = 0,   /* new block (malloc, or realloc of NULL or of an unknown block) */
    PAB_TRACE_CALLOC = 1,   /* new block, zero-filled; size is the product */
    PAB_TRACE_REALLOC = 2,  /* live block resized; it keeps its id (realloc, reallocarray) */
    PAB_TRACE_FREE = 3,     /* live block freed (also realloc to 0 that freed) */
    PAB_TRACE_MEMALIGN = 4, /* new block aligned to 1 << align_log2 (posix_memalign, aligned_alloc, memalign) */
    PAB_TRACE_EXIT_FREE = 5, /* written by the recorder at exit for a block still alive, so replay ends empty */
    PAB_TRACE_OP_COUNT
} pab_trace_op;

/* Which door the call came through. RAW, MEM and OBJECT are CPython's
 * PyMemAllocatorDomain values plus one. */
typedef enum pab_trace_domain {
    PAB_TRACE_LIBC = 0,   /* a malloc-family call from outside CPython's allocator API */
    PAB_TRACE_RAW = 1,    /* PyMem_RawMalloc and friends (no GIL needed) */
    PAB_TRACE_MEM = 2,    /* PyMem_Malloc and friends (buffers: list items, str builders) */
    PAB_TRACE_OBJECT = 3, /* PyObject_Malloc and friends (objects; pymalloc by default) */
    PAB_TRACE_DOMAIN_COUNT
} pab_trace_domain;

/* Header flags. */
enum {
    /* The recorded process started other processes (fork, or a child that
     * loaded the recorder); they were not recorded. */
    PAB_TRACE_FLAG_CHILDREN_NOT_RECORDED = 1u << 0,
    /* At exit a CPython domain no longer had the recorder's hook (e.g.
     * -X dev installed the debug hooks): its calls went untraced or
     * showed as libc. */
    PAB_TRACE_FLAG_HOOK_REPLACED = 1u << 1,
    /* The command line was longer than PAB_TRACE_STRING_MAX and cut. */
    PAB_TRACE_FLAG_CMDLINE_CUT = 1u << 2,
    PAB_TRACE_FLAGS_KNOWN = (1u << 3) - 1,
};

/* Byte offsets of the header's fixed part. */
enum {
    PAB_TRACE_OFF_VERSION = 8,          /* u32 */
    PAB_TRACE_OFF_HEADER_SIZE = 12,     /* u32: fixed part + both strings */
    PAB_TRACE_OFF_RECORD_SIZE = 16,     /* u32 */
    PAB_TRACE_OFF_FLAGS = 20,           /* u32 */
    PAB_TRACE_OFF_RECORDS = 24,         /* u64 */
    PAB_TRACE_OFF_BLOCKS = 32,          /* u64: ids issued */
    PAB_TRACE_OFF_THREADS = 40,         /* u32 */
    PAB_TRACE_OFF_PID = 44,             /* u32 */
    PAB_TRACE_OFF_CALLS = 48,           /* u64 per domain: records other than EXIT_FREE */
    PAB_TRACE_OFF_UNKNOWN_FREES = 80,   /* u64 per domain: frees of blocks never seen, dropped */
    PAB_TRACE_OFF_UNKNOWN_REALLOCS = 112, /* u64: reallocs of blocks never seen, recorded as MALLOC */
    PAB_TRACE_OFF_EXIT_FREES = 120,     /* u64: EXIT_FREE records */
    PAB_TRACE_OFF_VERSION_LEN = 128,    /* u32 */
    PAB_TRACE_OFF_CMDLINE_LEN = 132,    /* u32 */
    PAB_TRACE_OFF_RESERVED = 136,       /* 8 bytes, zero */
};

/* Byte offsets inside a record. */
enum {
    PAB_TRACE_REC_OP = 0,         /* u8 */
    PAB_TRACE_REC_DOMAIN = 1,     /* u8 */
    PAB_TRACE_REC_ALIGN_LOG2 = 2, /* u8: MEMALIGN only, 0 otherwise */
    PAB_TRACE_REC_RESERVED = 3,   /* u8, zero */
    PAB_TRACE_REC_THREAD = 4,     /* u32: index in first-seen order, 0 = first thread */
    PAB_TRACE_REC_ID = 8,         /* u64 */
    PAB_TRACE_REC_SIZE = 16,      /* u64: bytes requested (0 for FREE, EXIT_FREE) */
};

static inline void pab_trace_put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static inline void pab_trace_put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static inline uint32_t pab_trace_get32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static inline uint64_t pab_trace_get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

#endif
