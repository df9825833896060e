/*
 * pymalloc.c: the entry points and the pool layer of a reimplementation of
 * CPython 3.11/3.12's small-object allocator (Objects/obmalloc.c) for 64-bit
 * Linux. Behaviour matches the original operation for operation: the same
 * arenas are mapped and unmapped, the same pools and blocks handed out in the
 * same order, so the statistics of one sequence agree number for number.
 *
 * NOT THREAD-SAFE: like CPython, which calls it under the GIL, it keeps one
 * global state and takes no lock.
 *
 * DESIGN
 * ======
 * Requests of 1..512 bytes are rounded up to a multiple of 16: 32 size
 * classes (class = (n - 1) >> 4, block = 16 * (class + 1)). Everything else,
 * 0 included, goes to malloc (0 asks malloc for 1 byte, as CPython's raw
 * allocator does).
 *
 *   arena: 1 MiB from mmap; 16 KiB pools are carved from the front as needed
 *
 *   pool aligned (address % 16 KiB == 0): 64 pools
 *   +--------+--------+--------+- - - - - - - - - - - - - - - - - -+
 *   | pool 0 | pool 1 | pool 2 |  not carved yet                   |
 *   +--------+--------+--------+- - - - - - - - - - - - - - - - - -+
 *   ^address                   ^pool_address
 *
 *   not pool aligned (as mmap often places it): 63 pools; the slivers at
 *   both ends add up to one pool, the "bytes lost to arena alignment"
 *   +--+--------+--------+- - - - - - - - - - - - - - - - - - - -+--+
 *   |  | pool 0 | pool 1 |  not carved yet                       |  |
 *   +--+--------+--------+- - - - - - - - - - - - - - - - - - - -+--+
 *   ^address              ^pool_address
 *
 *   Each arena is described by a pym_arena in one realloc'ed array (16
 *   slots, then doubled); slots of unmapped arenas are reused first.
 *
 *   pool: 16 KiB, one size class, blocks carved lazily
 *   +--------+-------+-------+-------+-------+- - - - - - -+-------+
 *   | header | block | block | block | block |  virgin      | tail  |
 *   | 48 B   |       |       |       |       |  blocks      | lost  |
 *   +--------+-------+-------+-------+-------+- - - - - - -+-------+
 *                     ^freeblock -> freed block -> ... -> NULL
 *                                               ^header + nextoffset
 *   A block is found in the free list first, then at nextoffset; a pool is
 *   full when both are exhausted. The pool of a block is the block's address
 *   rounded down to 16 KiB, so a free needs no search.
 *
 *   usedpools[class]: ring of pools that have both used and free blocks
 *     head <-> pool <-> pool <-> ... <-> head
 *     Allocation takes from head.next; a full pool leaves the ring; a free
 *     into a full pool puts it back at the front; a pool that empties goes to
 *     its arena's freepools list.
 *
 *   usable_arenas: arenas with an empty or uncarved pool, sorted by that
 *     count, fewest first, so new pools come from the fullest arena and the
 *     emptiest ones drain and are unmapped (all but the last wholly free one,
 *     kept against map/unmap thrashing). nfp2lasta[n] marks the last arena
 *     with n free pools so that re-sorting after a free is O(1).
 *
 *   radix tree: which 1 MiB address frames our arenas cover (an arena not
 *     aligned to 1 MiB straddles two frames); free and realloc consult it to
 *     send foreign pointers to the system allocator.
 *
 * The sizes above are CPython's and the default; variants.h lists the
 * other geometries built, each a copy of these files with its own names
 * (names.h), and two runtime flags choose how arenas are released and
 * ordered (pymalloc_set_policy).
 *
 * Files: pymalloc.c (entry points, pools), arena.c (arenas), radix.c
 * (address_in_range), stats.c (statistics); internal.h documents every type
 * and invariant.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PYM_LIKELY(x) __builtin_expect(!!(x), 1)
#define PYM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PYM_NOINLINE __attribute__((noinline))

/* CPython refuses sizes above PY_SSIZE_T_MAX before any allocator runs. */
#define PYM_MAX_REQUEST ((size_t)PTRDIFF_MAX)

/* Each ring head starts pointing to itself: every ring empty. */
#define PYM_RING(c) {&pym.usedpools[c], &pym.usedpools[c]}
#define PYM_RINGS8(c) PYM_RING(c), PYM_RING(c + 1), PYM_RING(c + 2), PYM_RING(c + 3), \
    PYM_RING(c + 4), PYM_RING(c + 5), PYM_RING(c + 6), PYM_RING(c + 7)
#define PYM_RINGS16(c) PYM_RINGS8(c), PYM_RINGS8(c + 8)
#define PYM_RINGS32(c) PYM_RINGS16(c), PYM_RINGS16(c + 16)
#define PYM_RINGS64(c) PYM_RINGS32(c), PYM_RINGS32(c + 32)
#define PYM_RINGS128(c) PYM_RINGS64(c), PYM_RINGS64(c + 64)
#if PYM_NUM_CLASSES == 16
#define PYM_ALL_RINGS PYM_RINGS16(0)
#elif PYM_NUM_CLASSES == 32
#define PYM_ALL_RINGS PYM_RINGS32(0)
#elif PYM_NUM_CLASSES == 64
#define PYM_ALL_RINGS PYM_RINGS64(0)
#elif PYM_NUM_CLASSES == 128
#define PYM_ALL_RINGS PYM_RINGS128(0)
#else
#error "the ring initialiser names 16, 32, 64 or 128 rings"
#endif
pym_state pym = {
    .usedpools = {PYM_ALL_RINGS},
};

static void *pym_system_malloc(size_t nbytes)
{
    return malloc(nbytes != 0 ? nbytes : 1);
}

static pym_free_block *pym_block_at(pym_pool *pool, uint32_t offset)
{
    return (pym_free_block *)(void *)((unsigned char *)pool + offset);
}

/* The pool's free list just ran dry: carve the next virgin block, or, when
 * the pool is used up, unlink it from its ring (full pools are in no list).
 * The block size is read from the pool rather than passed in, so that the
 * malloc fast path need not keep the class index alive for this rare call. */
static void pym_pool_extend(pym_pool *pool)
{
    if (PYM_UNLIKELY(pool->nextoffset <= pool->maxnextoffset)) {
        pool->freeblock = pym_block_at(pool, pool->nextoffset);
        pool->nextoffset += pym_class_block_size(pool->szidx);
        pool->freeblock->next = NULL;
        return;
    }
    pool->links.prev->next = pool->links.next;
    pool->links.next->prev = pool->links.prev;
}

/* Links `pool` at the front of usedpools[cls]. */
static void pym_ring_push_front(pym_pool *pool, unsigned cls)
{
    pym_pool_links *head = &pym.usedpools[cls];
    pool->links.next = head->next;
    pool->links.prev = head;
    head->next->prev = &pool->links;
    head->next = &pool->links;
}

/* No used pool of this class: take an empty one and hand out its first
 * block. A pool last used for the same class keeps its free list. */
static void *pym_alloc_from_new_pool(unsigned cls)
{
    pym_pool *pool = pym_arena_take_pool();
    if (pool == NULL)
        return NULL;
    pym_ring_push_front(pool, cls);
    pool->count = 1;
    if (pool->szidx == cls) {
        pym_free_block *bp = pool->freeblock;
        pool->freeblock = bp->next;
        return bp;
    }
    unsigned size = pym_class_block_size(cls);
    pool->szidx = cls;
    pool->nextoffset = (uint32_t)PYM_POOL_OVERHEAD + 2 * size;
    pool->maxnextoffset = (uint32_t)PYM_POOL_SIZE - size;
    pool->freeblock = pym_block_at(pool, (uint32_t)PYM_POOL_OVERHEAD + size);
    pool->freeblock->next = NULL;
    return pym_block_at(pool, (uint32_t)PYM_POOL_OVERHEAD);
}

/* Returns block `p` to its pool and moves the pool between lists as its
 * state changes: full -> used (front of the ring), used -> empty (arena). */
static inline void pym_pool_free(pym_pool *pool, void *p)
{
    pym_free_block *b = p;
    pym_free_block *lastfree = pool->freeblock;
    b->next = lastfree;
    pool->freeblock = b;
    pool->count--;
    if (PYM_UNLIKELY(lastfree == NULL)) {
        pym_ring_push_front(pool, pool->szidx);
        return;
    }
    if (PYM_LIKELY(pool->count != 0))
        return;
    pool->links.prev->next = pool->links.next;
    pool->links.next->prev = pool->links.prev;
    pym_arena_return_pool(pool);
}

/* Everything but allocation from a used pool: a fresh pool, or the system
 * for 0, > threshold bytes and when no arena can be mapped. Kept out of line so
 * that the fast path below is a leaf that needs no stack frame: inlined, its
 * call made GCC save three callee-saved registers on every malloc. */
static PYM_NOINLINE void *pym_malloc_slow(size_t nbytes)
{
    if (nbytes - 1 < PYM_SMALL_REQUEST_THRESHOLD) {
        void *bp = pym_alloc_from_new_pool(pym_size_class(nbytes));
        if (bp != NULL)
            return bp;
    }
    return pym_system_malloc(nbytes);
}

/* CPython's _PyObject_Malloc, once the PY_SSIZE_T_MAX check has passed.
 * The fast path pops the free list of the first used pool of the class. */
static inline void *pym_malloc(size_t nbytes)
{
    /* nbytes - 1 wraps for 0, sending it to the system like > threshold. */
    if (PYM_LIKELY(nbytes - 1 < PYM_SMALL_REQUEST_THRESHOLD)) {
        pym_pool_links *head = &pym.usedpools[pym_size_class(nbytes)];
        if (PYM_LIKELY(head->next != head)) {
            pym_pool *pool = pym_pool_from_links(head->next);
            pool->count++;
            pym_free_block *bp = pool->freeblock;
            if (PYM_UNLIKELY((pool->freeblock = bp->next) == NULL))
                pym_pool_extend(pool);
            return bp;
        }
    }
    return pym_malloc_slow(nbytes);
}

void *pymalloc_malloc(size_t nbytes)
{
    if (PYM_UNLIKELY(nbytes > PYM_MAX_REQUEST))
        return NULL;
    return pym_malloc(nbytes);
}

void pymalloc_free(void *ptr)
{
    if (ptr == NULL)
        return;
    if (PYM_UNLIKELY(!pym_address_in_range(ptr))) {
        free(ptr);
        return;
    }
    pym_pool_free(pym_pool_of(ptr), ptr);
}

/* Keeps the block when the new size fits and shaves off less than a
 * quarter; otherwise moves it, even into a smaller class. */
static void *pym_realloc_own_block(void *ptr, size_t nbytes)
{
    pym_pool *pool = pym_pool_of(ptr);
    size_t size = pym_class_block_size(pool->szidx);
    if (nbytes <= size) {
        if (4 * nbytes > 3 * size)
            return ptr;
        size = nbytes;
    }
    void *moved = pym_malloc(nbytes);
    if (moved != NULL) {
        memcpy(moved, ptr, size);
        pym_pool_free(pool, ptr);
    }
    return moved;
}

void *pymalloc_realloc(void *ptr, size_t nbytes)
{
    if (PYM_UNLIKELY(nbytes > PYM_MAX_REQUEST))
        return NULL;
    if (ptr == NULL)
        return pym_malloc(nbytes);
    if (pym_address_in_range(ptr))
        return pym_realloc_own_block(ptr, nbytes);
    /* A system block stays with the system even when the new size is small:
     * how much of it is valid to copy is unknowable. */
    return realloc(ptr, nbytes != 0 ? nbytes : 1);
}

bool pymalloc_set_policy(pymalloc_release release, pymalloc_order order)
{
    /* The lists are kept in one order's invariants: switching under live
     * arenas would break them. */
    if (pym.narenas_currently_allocated != 0)
        return false;
    pym.release = release;
    pym.order = order;
    return true;
}

const pymalloc_build pymalloc_this_build = {
    .arena_bits = PYM_ARENA_BITS,
    .pool_bits = PYM_POOL_BITS,
    .alignment = PYM_ALIGNMENT,
    .threshold = PYM_SMALL_REQUEST_THRESHOLD,
    .malloc = pymalloc_malloc,
    .realloc = pymalloc_realloc,
    .free = pymalloc_free,
    .get_stats = pymalloc_get_stats,
    .set_policy = pymalloc_set_policy,
};
