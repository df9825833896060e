/*
 * internal.h: the types, invariants and shared state of pymalloc, for its own
 * files and for its unit tests. Nothing here is part of the public interface
 * (pymalloc.h). The design and its picture are at the top of pymalloc.c.
 *
 * Naming: public entry points are pymalloc_*, everything internal is pym_*
 * (PYM_* for constants).
 *
 * Not thread-safe: every function touches the single global state `pym`
 * without locking, as CPython does under its GIL.
 */
#ifndef PYMALLOC_INTERNAL_H
#define PYMALLOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pymalloc.h"

/* ---- Geometry (64-bit Linux, CPython built with its radix tree) ---------- */

/*
 * The tunables, CPython 3.11's unless the build defines them (a variant:
 * variants.h lists the ones built, each its own copy of these files), with
 * the invariants they must keep, asserted below:
 *   PYM_ALIGNMENT_SHIFT          3 or 4: blocks 8 or 16 bytes aligned and
 *                                classes that far apart; a free block must
 *                                hold a pointer, and 16 is max_align_t.
 *   PYM_SMALL_REQUEST_THRESHOLD  requests of 1..threshold bytes are served
 *                                from pools; a multiple of the alignment,
 *                                16 to 128 classes (the ring initialiser),
 *                                and a block that big must fit in a pool.
 *   PYM_ARENA_BITS, PYM_POOL_BITS  arenas of 2^a bytes from mmap cut into
 *                                pools of 2^p; p >= 12 (a page, so pools
 *                                never share one with the system), at least
 *                                PYMALLOC_MIN_POOLS_PER_ARENA pools an arena,
 *                                and a < 32 (the radix tree's 32-bit offsets).
 */
#ifndef PYM_ALIGNMENT_SHIFT
#define PYM_ALIGNMENT_SHIFT 4
#endif
#ifndef PYM_SMALL_REQUEST_THRESHOLD
#define PYM_SMALL_REQUEST_THRESHOLD 512u
#endif
#ifndef PYM_ARENA_BITS
#define PYM_ARENA_BITS 20
#endif
#ifndef PYM_POOL_BITS
#define PYM_POOL_BITS 14
#endif

#define PYM_ALIGNMENT (1u << PYM_ALIGNMENT_SHIFT)
/* Requests of 1..threshold bytes are served from pools; 0 and more go to malloc. */
#define PYM_NUM_CLASSES (PYM_SMALL_REQUEST_THRESHOLD / PYM_ALIGNMENT)

#define PYM_ARENA_SIZE ((uintptr_t)1 << PYM_ARENA_BITS)
#define PYM_ARENA_MASK (PYM_ARENA_SIZE - 1)

#define PYM_POOL_SIZE ((uintptr_t)1 << PYM_POOL_BITS)
#define PYM_POOL_MASK (PYM_POOL_SIZE - 1)
#define PYM_POOLS_PER_ARENA ((unsigned)(PYM_ARENA_SIZE / PYM_POOL_SIZE))

_Static_assert(PYM_ALIGNMENT_SHIFT == 3 || PYM_ALIGNMENT_SHIFT == 4, "blocks are 8 or 16 aligned");
_Static_assert(PYM_SMALL_REQUEST_THRESHOLD % PYM_ALIGNMENT == 0, "the threshold is a class's block size");
_Static_assert(PYM_NUM_CLASSES >= 16 && PYM_NUM_CLASSES <= 128, "the ring initialiser names 16 to 128 rings");
_Static_assert(PYM_POOL_BITS >= 12 && PYM_ARENA_BITS < 32, "pools of a page or more, arenas below 4 GiB");
_Static_assert(PYMALLOC_GEOMETRY_FITS(PYM_ARENA_BITS, PYM_POOL_BITS, PYM_SMALL_REQUEST_THRESHOLD),
               "at least PYMALLOC_MIN_POOLS_PER_ARENA pools an arena, and a threshold-sized block in a pool");

/* Arena objects start as 16 and double each time the array runs out. */
#define PYM_INITIAL_ARENA_OBJECTS 16u

/* Size-class index of a pool just carved from its arena: matches no class, so
 * the pool is always laid out on first use. */
#define PYM_UNSIZED_POOL 0xffffu

/* Class index of a request of 1..threshold bytes. Pointer-wide because it indexes
 * usedpools on the malloc fast path: an unsigned made GCC zero-extend it and
 * compute the ring head's address twice. */
static inline size_t pym_size_class(size_t nbytes)
{
    return (nbytes - 1) >> PYM_ALIGNMENT_SHIFT;
}

/* Block size of class index `cls`. */
static inline unsigned pym_class_block_size(unsigned cls)
{
    return (cls + 1) << PYM_ALIGNMENT_SHIFT;
}

/* ---- Blocks --------------------------------------------------------------- */

/* A free block holds only the link to the next free block of its pool.
 * Invariant: the list ends in NULL; blocks past pool->nextoffset were never
 * handed out and are on no list. */
typedef struct pym_free_block {
    struct pym_free_block *next;
} pym_free_block;

/* ---- Pools ---------------------------------------------------------------- */

/* The links come first so that a list head (usedpools[c]) is a bare
 * pym_pool_links and a pool is reached from its links by a cast: the same
 * effect as CPython's "header-as-pool" trick, without pointers that point
 * before an array. */
typedef struct pym_pool_links {
    struct pym_pool_links *next;
    struct pym_pool_links *prev;
} pym_pool_links;

/*
 * The header at the start of every carved pool (16 KiB in CPython).
 * A pool is in exactly one of three states once carved:
 *   used   0 < count < capacity: in the ring usedpools[szidx], freeblock != NULL
 *   full   count == capacity:    in no list; freeblock == NULL
 *   empty  count == 0:           on its arena's freepools list (links.next only)
 * nextoffset is the offset of the first never-handed-out block; the pool has
 * been carved completely once nextoffset > maxnextoffset.
 */
typedef struct pym_pool {
    pym_pool_links links;
    pym_free_block *freeblock;
    uint32_t count;          /* blocks handed out and not freed */
    uint32_t arenaindex;     /* index of the owning arena in pym.arenas */
    uint32_t szidx;          /* size class, or PYM_UNSIZED_POOL */
    uint32_t nextoffset;     /* bytes from pool start to the next virgin block */
    uint32_t maxnextoffset;  /* largest nextoffset at which a block still fits */
} pym_pool;

/* Blocks start this far into a pool: the header rounded up to the alignment.
 * 48 bytes, as in CPython, so the statistics agree. */
#define PYM_POOL_OVERHEAD \
    ((sizeof(pym_pool) + PYM_ALIGNMENT - 1) & ~(size_t)(PYM_ALIGNMENT - 1))

_Static_assert(PYM_POOL_OVERHEAD == PYMALLOC_POOL_HEADER_BYTES, "CPython's pool header takes 48 bytes");

/* Blocks of class `cls` that fit in one pool. */
static inline unsigned pym_blocks_per_pool(unsigned cls)
{
    return (unsigned)((PYM_POOL_SIZE - PYM_POOL_OVERHEAD) / pym_class_block_size(cls));
}

static inline pym_pool *pym_pool_of(const void *block)
{
    return (pym_pool *)((uintptr_t)block & ~PYM_POOL_MASK);
}

static inline pym_pool *pym_pool_from_links(pym_pool_links *links)
{
    return (pym_pool *)(void *)links;
}

/* ---- Arenas --------------------------------------------------------------- */

/*
 * One arena (1 MiB in CPython), or (address == 0) an unused slot of the arena-object array.
 *   unused slot:  on pym.unused_arena_objects through nextarena only.
 *   nfreepools>0: in the doubly-linked pym.usable_arenas list.
 *   nfreepools=0: in no list (every pool is carved and not empty).
 * nfreepools counts empty pools on `freepools` plus pools never carved
 * (those between pool_address and the arena's end).
 */
typedef struct pym_arena {
    uintptr_t address;        /* as returned by the arena allocator; 0 = unused slot */
    uintptr_t pool_address;   /* next pool to carve, pool aligned */
    uint32_t nfreepools;
    uint32_t ntotalpools;     /* PYM_POOLS_PER_ARENA, one less when the arena is not pool aligned */
    pym_pool *freepools;      /* empty pools, linked through links.next */
    struct pym_arena *nextarena;
    struct pym_arena *prevarena;
} pym_arena;

/* Where arenas come from: mmap/munmap unless a test or a differential
 * comparison installs its own (same shape as CPython's
 * PyObjectArenaAllocator, so both can be given the same placement). */
typedef struct pym_arena_allocator {
    void *ctx;
    void *(*alloc)(void *ctx, size_t size);
    void (*free)(void *ctx, void *ptr, size_t size);
} pym_arena_allocator;

/* Installs `a` (copied), or the default mmap/munmap when `a` is NULL.
 * Only safe while no arena is alive. */
void pym_set_arena_allocator(const pym_arena_allocator *a);

/* ---- Radix tree (address_in_range) ---------------------------------------- */

/*
 * Key: the address's bits above the arena bits, split into root / mid /
 * bottom as CPython's 64-bit layout does (15 / 15 / 14 for 1 MiB arenas);
 * user-space addresses only ever use root slot 0. A bottom entry describes
 * one ideal (arena aligned) arena frame. An arena starting at offset t into
 * frame F covers [t, arena size) of F and, when t > 0, [0, t) of F+1.
 * Arenas do not overlap, so at most one ends and one begins in a frame, and
 * what no arena covers is a single gap:
 *
 *   frame:  [0 ... lo) covered | [lo ... lo + gap) not ours | [...) covered
 *           gap = arena size - covered
 *
 * CPython records the same facts as tail_lo = lo and tail_hi = t (or -1 for
 * an aligned arena) and tests "t < tail_lo || (tail_hi != 0 && t >= tail_hi)",
 * whose first test flips between the two frames an arena straddles and so
 * mispredicts. Keeping lo and the bytes covered instead makes the test one
 * unsigned compare (see pym_address_in_range), and a zeroed node still means
 * "nothing covered", so nodes can stay calloc'ed and untouched as CPython's.
 */
#define PYM_RADIX_INTERIOR_BITS ((64 - PYM_ARENA_BITS + 2) / 3)
#define PYM_RADIX_TOP_BITS PYM_RADIX_INTERIOR_BITS
#define PYM_RADIX_MID_BITS PYM_RADIX_INTERIOR_BITS
#define PYM_RADIX_BOT_BITS (64 - PYM_ARENA_BITS - 2 * PYM_RADIX_INTERIOR_BITS)
#define PYM_RADIX_BOT_SHIFT PYM_ARENA_BITS
#define PYM_RADIX_MID_SHIFT (PYM_RADIX_BOT_SHIFT + PYM_RADIX_BOT_BITS)
#define PYM_RADIX_TOP_SHIFT (PYM_RADIX_MID_SHIFT + PYM_RADIX_MID_BITS)

typedef struct pym_arena_coverage {
    uint32_t lo;      /* bytes at the bottom covered by an arena from the frame below */
    uint32_t covered; /* bytes covered in all: lo plus the top an arena starting here takes */
} pym_arena_coverage;

typedef struct pym_radix_bot {
    pym_arena_coverage frames[(size_t)1 << PYM_RADIX_BOT_BITS];
} pym_radix_bot;

typedef struct pym_radix_mid {
    pym_radix_bot *bots[(size_t)1 << PYM_RADIX_MID_BITS];
} pym_radix_mid;

typedef struct pym_radix_root {
    pym_radix_mid *mids[(size_t)1 << PYM_RADIX_TOP_BITS];
} pym_radix_root;

/* Nodes are calloc'ed on demand and, as in CPython, never freed. */
extern pym_radix_root pym_radix;
extern size_t pym_radix_mid_count;
extern size_t pym_radix_bot_count;

/* Records (used = true) or erases the arena at `base`. Returns false only when
 * a node could not be allocated while recording. */
bool pym_radix_mark(uintptr_t base, bool used);

/* True iff p lies inside a live arena. Called on every free and realloc. */
static inline bool pym_address_in_range(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    const uintptr_t top_mask = ((uintptr_t)1 << PYM_RADIX_TOP_BITS) - 1;
    const uintptr_t mid_mask = ((uintptr_t)1 << PYM_RADIX_MID_BITS) - 1;
    const uintptr_t bot_mask = ((uintptr_t)1 << PYM_RADIX_BOT_BITS) - 1;
    const pym_radix_mid *mid = pym_radix.mids[(a >> PYM_RADIX_TOP_SHIFT) & top_mask];
    if (mid == NULL)
        return false;
    const pym_radix_bot *bot = mid->bots[(a >> PYM_RADIX_MID_SHIFT) & mid_mask];
    if (bot == NULL)
        return false;
    const pym_arena_coverage *c = &bot->frames[(a >> PYM_RADIX_BOT_SHIFT) & bot_mask];
    /* p is ours unless it falls in the gap [lo, lo + gap); below lo the
     * unsigned difference wraps past any gap. No branch depends on which of
     * two frames p is in: with CPython's two tests, a malloc/free loop over
     * blocks spread across an arena that straddles frames ran at 8 instead
     * of 2.8 ns per call, depending only on where mmap had put the arena. */
    uint32_t offset = (uint32_t)(a & PYM_ARENA_MASK);
    uint32_t gap = (uint32_t)PYM_ARENA_SIZE - c->covered;
    return offset - c->lo >= gap;
}

/* ---- The global state ----------------------------------------------------- */

typedef struct pym_state {
    /* usedpools[c]: ring of the used pools of class c; the head's next is the
     * pool allocations come from. Empty ring: head.next == head.prev == &head. */
    pym_pool_links usedpools[PYM_NUM_CLASSES];

    pym_arena *arenas;               /* maxarenas slots, realloc'ed when grown */
    uint32_t maxarenas;
    pym_arena *unused_arena_objects; /* singly linked through nextarena */

    /* Arenas with a free pool. In the `fullest` order (CPython's) sorted by
     * nfreepools, fewest first, so that pools come from the fullest arena and
     * the emptiest can be released; in `fifo` in the order they became
     * usable, pools taken from the oldest. */
    pym_arena *usable_arenas;
    /* fifo only: the last of usable_arenas, where an arena that became
     * usable joins (stale while the list is empty). */
    pym_arena *usable_tail;
    /* fullest only: nfp2lasta[n], the last arena in usable_arenas with n
     * free pools, or NULL when there is none; lets a free re-sort an arena
     * in O(1). */
    pym_arena *nfp2lasta[PYM_POOLS_PER_ARENA + 1];

    /* Runtime flags rather than compiled in: they are read once per pool
     * taken or emptied, never per block (pymalloc_set_policy). */
    pymalloc_release release;
    pymalloc_order order;

    size_t narenas_currently_allocated;
    size_t ntimes_arena_allocated;
    size_t narenas_highwater;
} pym_state;

extern pym_state pym;

/* ---- Arena layer (arena.c), used by the pool layer (pymalloc.c) ----------- */

/* An empty pool from the fullest usable arena (mapping a new arena when none
 * has one), already taken off that arena's count; NULL when no arena can be
 * mapped. A pool carved for the first time has szidx == PYM_UNSIZED_POOL. */
pym_pool *pym_arena_take_pool(void);

/* Gives an empty pool, already unlinked from usedpools, back to its arena;
 * re-sorts the arena (fullest order), and unmaps it when it is wholly free
 * as pym.release says: keep-one unless it is the last of usable_arenas. */
void pym_arena_return_pool(pym_pool *pool);

#endif
