/*
 * arena.c: the arena layer. Maps and unmaps arenas, keeps their objects in
 * a growable array, hands out empty pools from the fullest arena (or the
 * oldest usable one, fifo) and takes them back, keeping usable_arenas
 * sorted with nfp2lasta.
 * The invariants are stated in internal.h; the design in pymalloc.c.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS is not in strict C11 + POSIX */
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"

static void *pym_mmap_arena(void *ctx, size_t size)
{
    (void)ctx;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void pym_munmap_arena(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    munmap(ptr, size);
}

static const pym_arena_allocator pym_default_arena_allocator = {
    .ctx = NULL,
    .alloc = pym_mmap_arena,
    .free = pym_munmap_arena,
};

static pym_arena_allocator pym_arena_source = {
    .ctx = NULL,
    .alloc = pym_mmap_arena,
    .free = pym_munmap_arena,
};

void pym_set_arena_allocator(const pym_arena_allocator *a)
{
    pym_arena_source = a != NULL ? *a : pym_default_arena_allocator;
}

/* Doubles the arena-object array and puts the new slots on the unused list.
 * Only called when every arena is full, so nothing points into the old array
 * (usable_arenas and nfp2lasta are all NULL) and realloc may move it. */
static bool pym_grow_arena_objects(void)
{
    uint32_t old = pym.maxarenas;
    uint32_t grown = old != 0 ? old << 1 : PYM_INITIAL_ARENA_OBJECTS;
    if (grown <= old)
        return false;
    pym_arena *moved = realloc(pym.arenas, (size_t)grown * sizeof *moved);
    if (moved == NULL)
        return false;
    for (uint32_t i = old; i < grown; i++) {
        moved[i].address = 0;
        moved[i].nextarena = i + 1 < grown ? &moved[i + 1] : NULL;
    }
    pym.arenas = moved;
    pym.unused_arena_objects = &moved[old];
    pym.maxarenas = grown;
    return true;
}

/* Maps a fresh arena into an unused slot; NULL when mapping fails. Its first
 * pool starts at the first pool boundary, so an arena that is not pool
 * aligned has 63 pools. */
static pym_arena *pym_new_arena(void)
{
    if (pym.unused_arena_objects == NULL && !pym_grow_arena_objects())
        return NULL;
    pym_arena *a = pym.unused_arena_objects;
    pym.unused_arena_objects = a->nextarena;

    void *address = pym_arena_source.alloc(pym_arena_source.ctx, PYM_ARENA_SIZE);
    if (address != NULL && !pym_radix_mark((uintptr_t)address, true)) {
        pym_arena_source.free(pym_arena_source.ctx, address, PYM_ARENA_SIZE);
        address = NULL;
    }
    if (address == NULL) {
        a->nextarena = pym.unused_arena_objects;
        pym.unused_arena_objects = a;
        return NULL;
    }

    a->address = (uintptr_t)address;
    pym.narenas_currently_allocated++;
    pym.ntimes_arena_allocated++;
    if (pym.narenas_currently_allocated > pym.narenas_highwater)
        pym.narenas_highwater = pym.narenas_currently_allocated;

    a->freepools = NULL;
    a->pool_address = a->address;
    a->nfreepools = PYM_POOLS_PER_ARENA;
    uintptr_t excess = a->address & PYM_POOL_MASK;
    if (excess != 0) {
        a->nfreepools--;
        a->pool_address += PYM_POOL_SIZE - excess;
    }
    a->ntotalpools = a->nfreepools;
    return a;
}

/* Unlinks the head of usable_arenas, which just lost its last free pool. */
static void pym_drop_full_head(void)
{
    pym.usable_arenas = pym.usable_arenas->nextarena;
    if (pym.usable_arenas != NULL)
        pym.usable_arenas->prevarena = NULL;
}

/* The head of usable_arenas, which takes the next pool, is losing one. In
 * the fullest order it has the fewest free pools, so it stays the head and
 * only the fingers move. */
static void pym_move_fingers_of_head(pym_arena *a)
{
    if (pym.nfp2lasta[a->nfreepools] == a)
        pym.nfp2lasta[a->nfreepools] = NULL;
    if (a->nfreepools > 1)
        pym.nfp2lasta[a->nfreepools - 1] = a;
}

pym_pool *pym_arena_take_pool(void)
{
    if (pym.usable_arenas == NULL) {
        pym_arena *fresh = pym_new_arena();
        if (fresh == NULL)
            return NULL;
        fresh->nextarena = fresh->prevarena = NULL;
        pym.usable_arenas = pym.usable_tail = fresh;
        pym.nfp2lasta[fresh->nfreepools] = fresh;
    }
    pym_arena *a = pym.usable_arenas;
    if (pym.order == PYMALLOC_ORDER_FULLEST)
        pym_move_fingers_of_head(a);

    pym_pool *pool = a->freepools;
    if (pool != NULL) {
        a->freepools = pool->links.next != NULL ? pym_pool_from_links(pool->links.next) : NULL;
    } else {
        pool = (pym_pool *)a->pool_address;
        pool->arenaindex = (uint32_t)(a - pym.arenas);
        pool->szidx = PYM_UNSIZED_POOL;
        a->pool_address += PYM_POOL_SIZE;
    }
    if (--a->nfreepools == 0)
        pym_drop_full_head();
    return pool;
}

/* Unlinks `a` from usable_arenas. */
static void pym_unlink_usable(pym_arena *a)
{
    if (a->prevarena != NULL)
        a->prevarena->nextarena = a->nextarena;
    else
        pym.usable_arenas = a->nextarena;
    if (a->nextarena != NULL)
        a->nextarena->prevarena = a->prevarena;
}

/* Returns a wholly free arena, already out of usable_arenas, to the system. */
static void pym_release_arena(pym_arena *a)
{
    a->nextarena = pym.unused_arena_objects;
    pym.unused_arena_objects = a;
    pym_radix_mark(a->address, false);
    pym_arena_source.free(pym_arena_source.ctx, (void *)a->address, PYM_ARENA_SIZE);
    a->address = 0;
    pym.narenas_currently_allocated--;
}

/* `a` just went from 0 to 1 free pool: it joins usable_arenas at the front,
 * where the fewest free pools sort. */
static void pym_push_usable(pym_arena *a)
{
    a->nextarena = pym.usable_arenas;
    a->prevarena = NULL;
    if (pym.usable_arenas != NULL)
        pym.usable_arenas->prevarena = a;
    pym.usable_arenas = a;
    if (pym.nfp2lasta[1] == NULL)
        pym.nfp2lasta[1] = a;
}

/* `a` now has nf free pools and may sort after its right neighbours: move it
 * to just after `lastnf`, the last arena that had nf - 1. */
static void pym_slide_right(pym_arena *a, pym_arena *lastnf)
{
    pym_unlink_usable(a);
    a->prevarena = lastnf;
    a->nextarena = lastnf->nextarena;
    if (a->nextarena != NULL)
        a->nextarena->prevarena = a;
    lastnf->nextarena = a;
}

/* Whether `a`, wholly free, goes back to the system now. keep-one keeps the
 * last arena of the list so that a loop allocating and freeing one arena's
 * worth does not map and unmap every turn (bpo-37257). In fifo order the
 * last is merely the newest, and keeping each that is last when it empties
 * could keep every one: there only the one usable arena is kept, which
 * keeps at most one wholly free. */
static bool pym_should_release(const pym_arena *a)
{
    switch (pym.release) {
    case PYMALLOC_RELEASE_EAGER:
        return true;
    case PYMALLOC_RELEASE_NEVER:
        return false;
    default:
        return a->nextarena != NULL || (pym.order == PYMALLOC_ORDER_FIFO && a->prevarena != NULL);
    }
}

/* `a` just went from 0 to 1 free pool: in fifo order it joins the end. */
static void pym_append_usable(pym_arena *a)
{
    a->nextarena = NULL;
    if (pym.usable_arenas == NULL) {
        a->prevarena = NULL;
        pym.usable_arenas = a;
    } else {
        a->prevarena = pym.usable_tail;
        pym.usable_tail->nextarena = a;
    }
    pym.usable_tail = a;
}

/* fifo order: arenas keep their place; only joining and leaving move them. */
static void pym_fifo_return(pym_arena *a)
{
    uint32_t nf = ++a->nfreepools;
    if (nf == a->ntotalpools && pym_should_release(a)) {
        if (pym.usable_tail == a)
            pym.usable_tail = a->prevarena;
        pym_unlink_usable(a);
        pym_release_arena(a);
    } else if (nf == 1) {
        pym_append_usable(a);
    }
}

void pym_arena_return_pool(pym_pool *pool)
{
    pym_arena *a = &pym.arenas[pool->arenaindex];
    pool->links.next = a->freepools != NULL ? &a->freepools->links : NULL;
    a->freepools = pool;
    if (pym.order == PYMALLOC_ORDER_FIFO) {
        pym_fifo_return(a);
        return;
    }

    uint32_t nf = a->nfreepools;
    /* If `a` was the last arena with nf free pools, the finger moves to its
     * left neighbour when that one has nf too. nf == 0 arenas are unlisted. */
    pym_arena *lastnf = pym.nfp2lasta[nf];
    if (lastnf == a) {
        pym_arena *left = a->prevarena;
        pym.nfp2lasta[nf] = (left != NULL && left->nfreepools == nf) ? left : NULL;
    }
    a->nfreepools = ++nf;

    if (nf == a->ntotalpools && pym_should_release(a)) {
        pym_unlink_usable(a);
        pym_release_arena(a);
        return;
    }
    if (nf == 1) {
        pym_push_usable(a);
        return;
    }
    if (pym.nfp2lasta[nf] == NULL)
        pym.nfp2lasta[nf] = a;
    if (a == lastnf)
        return;     /* it was the rightmost with nf - 1: still in order */
    pym_slide_right(a, lastnf);
}
