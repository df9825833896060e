/*
 * Unit tests of pymalloc's structures, through internal.h. One test per
 * process (`test_pymalloc <name>`), since the allocator's state is global and
 * several tests need it fresh.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

#define MIB ((uintptr_t)1 << 20)
#define CLASS_512 31u
#define BLOCKS_OF_512 31u /* (16384 - 48) / 512 */

/* ---- helpers -------------------------------------------------------------- */

static bool ring_is_empty(unsigned cls)
{
    return pym.usedpools[cls].next == &pym.usedpools[cls];
}

static pym_pool *ring_front(unsigned cls)
{
    return ring_is_empty(cls) ? NULL : pym_pool_from_links(pym.usedpools[cls].next);
}

static pym_arena *arena_of(const void *p)
{
    return &pym.arenas[pym_pool_of(p)->arenaindex];
}

/* usable_arenas is sorted by nfreepools, doubly linked, and nfp2lasta[n]
 * names exactly its last arena with n free pools. */
static void check_usable_arenas(void)
{
    pym_arena *last_with[PYM_POOLS_PER_ARENA + 1] = {NULL};
    pym_arena *prev = NULL;
    for (pym_arena *a = pym.usable_arenas; a != NULL; a = a->nextarena) {
        CHECK(a->address != 0);
        CHECK(a->prevarena == prev);
        CHECK(a->nfreepools > 0 && a->nfreepools <= a->ntotalpools);
        CHECK(prev == NULL || prev->nfreepools <= a->nfreepools);
        last_with[a->nfreepools] = a;
        prev = a;
    }
    for (unsigned n = 0; n <= PYM_POOLS_PER_ARENA; n++)
        CHECK(pym.nfp2lasta[n] == last_with[n]);
}

/* An arena allocator that counts its calls and places arenas where the test
 * says, inside a region the test reserved; NULL `places` means plain mmap. */
typedef struct placing_source {
    uintptr_t *places;
    size_t nplaces;
    size_t next;
    size_t allocs;
    size_t frees;
    uintptr_t last_freed;
} placing_source;

static void *placing_alloc(void *ctx, size_t size)
{
    placing_source *s = ctx;
    s->allocs++;
    if (s->places == NULL) {
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == MAP_FAILED ? NULL : p;
    }
    return s->next < s->nplaces ? (void *)s->places[s->next++] : NULL;
}

static void placing_free(void *ctx, void *ptr, size_t size)
{
    placing_source *s = ctx;
    s->frees++;
    s->last_freed = (uintptr_t)ptr;
    if (s->places == NULL)
        munmap(ptr, size);
}

static void use_source(placing_source *s)
{
    pym_arena_allocator a = {.ctx = s, .alloc = placing_alloc, .free = placing_free};
    pym_set_arena_allocator(&a);
}

/* A read-write region of `mib` MiB starting on a 1 MiB boundary. */
static uintptr_t reserve_aligned(size_t mib)
{
    size_t len = (mib + 1) * MIB;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    return ((uintptr_t)p + MIB - 1) & ~(MIB - 1);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_size_classes(void)
{
    for (size_t n = 1; n <= 512; n++) {
        unsigned char *p = pymalloc_malloc(n);
        CHECK(p != NULL);
        CHECK(pym_address_in_range(p));
        CHECK((uintptr_t)p % 16 == 0);
        pym_pool *pool = pym_pool_of(p);
        CHECK(pool->szidx == (n - 1) / 16);
        CHECK(pym_class_block_size(pool->szidx) >= n);
        CHECK(pym_class_block_size(pool->szidx) < n + 16);
        memset(p, 0xab, n);
        pymalloc_free(p);
    }
    static const size_t edges[][2] = {
        {1, 0}, {16, 0}, {17, 1}, {32, 1}, {33, 2}, {496, 30}, {497, 31}, {512, 31},
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        CHECK(pym_size_class(edges[i][0]) == edges[i][1]);
        void *p = pymalloc_malloc(edges[i][0]);
        CHECK(pym_pool_of(p)->szidx == edges[i][1]);
        pymalloc_free(p);
    }
    void *zero = pymalloc_malloc(0), *big = pymalloc_malloc(513);
    CHECK(zero != NULL && big != NULL);
    CHECK(!pym_address_in_range(zero));
    CHECK(!pym_address_in_range(big));
    pymalloc_free(zero);
    pymalloc_free(big);
}

static void test_requests_0_512_513(void)
{
    unsigned char *zero = pymalloc_malloc(0);
    unsigned char *full = pymalloc_malloc(512);
    unsigned char *over = pymalloc_malloc(513);
    CHECK(zero != NULL && full != NULL && over != NULL);
    CHECK(!pym_address_in_range(zero));
    CHECK(pym_address_in_range(full));
    CHECK(!pym_address_in_range(over));
    memset(full, 1, 512);
    memset(over, 2, 513);
    pymalloc_stats s;
    pymalloc_get_stats(&s);
    CHECK(s.blocks_allocated_bytes == 512); /* the system's blocks are not counted */
    CHECK(s.pools_used == 1);
    pymalloc_free(zero);
    pymalloc_free(full);
    pymalloc_free(over);
    pymalloc_free(NULL);
    pymalloc_get_stats(&s);
    CHECK(s.blocks_allocated_bytes == 0 && s.pools_used == 0);
    CHECK(pymalloc_malloc(SIZE_MAX) == NULL);
}

static void test_full_pool_leaves_usedpools(void)
{
    void *blocks[BLOCKS_OF_512];
    for (unsigned i = 0; i < BLOCKS_OF_512; i++) {
        blocks[i] = pymalloc_malloc(512);
        CHECK(pym_pool_of(blocks[i]) == pym_pool_of(blocks[0]));
    }
    pym_pool *first = pym_pool_of(blocks[0]);
    CHECK(first->count == BLOCKS_OF_512);
    CHECK(first->freeblock == NULL);
    CHECK(ring_is_empty(CLASS_512));

    /* The next block opens a second pool, which becomes the ring. */
    void *other = pymalloc_malloc(512);
    pym_pool *second = pym_pool_of(other);
    CHECK(second != first);
    CHECK(ring_front(CLASS_512) == second);

    /* One free puts the full pool back, at the front, and its freed block is
     * the next one handed out. */
    pymalloc_free(blocks[7]);
    CHECK(ring_front(CLASS_512) == first);
    CHECK(pym_pool_from_links(first->links.next) == second);
    CHECK(pymalloc_malloc(512) == blocks[7]);
    CHECK(ring_front(CLASS_512) == second);
    CHECK(first->count == BLOCKS_OF_512);
    check_usable_arenas();
}

static void test_empty_pool_goes_to_arena(void)
{
    void *keep = pymalloc_malloc(100); /* keeps the arena in use */
    void *a = pymalloc_malloc(16);
    void *b = pymalloc_malloc(16);
    pym_pool *pool = pym_pool_of(a);
    pym_arena *arena = arena_of(a);
    uint32_t nfree = arena->nfreepools;

    pymalloc_free(a);
    CHECK(ring_front(0) == pool);
    pymalloc_free(b);
    CHECK(pool->count == 0);
    CHECK(ring_is_empty(0));
    CHECK(arena->freepools == pool);
    CHECK(arena->nfreepools == nfree + 1);
    check_usable_arenas();

    /* Same class again: the cached pool with its free list, last freed first. */
    CHECK(pymalloc_malloc(16) == b);
    CHECK(arena->freepools == NULL);
    pymalloc_free(b);
    /* Another class: the same pool, laid out afresh. */
    void *c = pymalloc_malloc(48);
    CHECK(pym_pool_of(c) == pool);
    CHECK(pool->szidx == 2);
    CHECK((uintptr_t)c == (uintptr_t)pool + PYM_POOL_OVERHEAD);
    pymalloc_free(c);
    pymalloc_free(keep);
    check_usable_arenas();
}

/* Fills `n` arenas' worth of 512-byte blocks, using arenas placed 1 MiB
 * aligned (64 pools each). */
static void **fill_arenas(size_t n, size_t *count)
{
    *count = n * PYM_POOLS_PER_ARENA * BLOCKS_OF_512;
    void **blocks = malloc(*count * sizeof *blocks);
    CHECK(blocks != NULL);
    for (size_t i = 0; i < *count; i++)
        blocks[i] = pymalloc_malloc(512);
    return blocks;
}

static void test_arena_release_keeps_one(void)
{
    uintptr_t region = reserve_aligned(4);
    uintptr_t places[] = {region, region + MIB, region + 2 * MIB, region + 3 * MIB};
    placing_source src = {.places = places, .nplaces = 4};
    use_source(&src);

    size_t count;
    void **blocks = fill_arenas(3, &count);
    CHECK(src.allocs == 3);
    CHECK(pym.usable_arenas == NULL); /* all full */
    pymalloc_stats s;
    pymalloc_get_stats(&s);
    CHECK(s.arenas_current == 3 && s.arenas_highwater == 3);
    CHECK(s.pools_used == 3 * PYM_POOLS_PER_ARENA && s.pools_free == 0);

    /* Free the middle arena first: it becomes wholly free while last in the
     * list, so it is kept. */
    size_t per_arena = count / 3;
    for (size_t i = per_arena; i < 2 * per_arena; i++) {
        pymalloc_free(blocks[i]);
        check_usable_arenas();
    }
    CHECK(src.frees == 0);
    CHECK(pym.usable_arenas != NULL && pym.usable_arenas->address == places[1]);
    CHECK(pym.usable_arenas->nfreepools == PYM_POOLS_PER_ARENA);

    /* Now the first: once wholly free it sorts before the kept one, so it
     * goes back to the system. */
    for (size_t i = 0; i < per_arena; i++)
        pymalloc_free(blocks[i]);
    check_usable_arenas();
    CHECK(src.frees == 1 && src.last_freed == places[0]);
    CHECK(!pym_address_in_range((void *)(places[0] + 100)));
    CHECK(pym_address_in_range((void *)(places[1] + 100)));

    /* And the last: again one of two empty arenas goes. */
    for (size_t i = 2 * per_arena; i < count; i++)
        pymalloc_free(blocks[i]);
    check_usable_arenas();
    pymalloc_get_stats(&s);
    CHECK(src.frees == 2);
    CHECK(s.arenas_allocated_total == 3 && s.arenas_reclaimed == 2 && s.arenas_current == 1);
    CHECK(s.pools_used == 0 && s.pools_free == PYM_POOLS_PER_ARENA);
    CHECK(pym.usable_arenas->nextarena == NULL);

    /* A loop that allocates and frees an arena's worth maps nothing new. */
    for (int turn = 0; turn < 3; turn++) {
        void **again = fill_arenas(1, &count);
        for (size_t i = 0; i < count; i++)
            pymalloc_free(again[i]);
        free(again);
    }
    CHECK(src.allocs == 3 && src.frees == 2);
    free(blocks);
}

/* Three aligned arenas filled with 512-byte blocks under a policy; `src`
 * places them, so the fixture stays where it was filled. */
typedef struct three_arenas {
    placing_source src;
    uintptr_t places[3];
    size_t count, per_arena;
    void **blocks;
} three_arenas;

static void fill_three(three_arenas *t, pymalloc_release release, pymalloc_order order)
{
    uintptr_t region = reserve_aligned(3);
    for (size_t i = 0; i < 3; i++)
        t->places[i] = region + i * MIB;
    t->src = (placing_source){.places = t->places, .nplaces = 3};
    use_source(&t->src);
    CHECK(pymalloc_set_policy(release, order));
    t->blocks = fill_arenas(3, &t->count);
    t->per_arena = t->count / 3;
    CHECK(!pymalloc_set_policy(PYMALLOC_RELEASE_KEEP_ONE, PYMALLOC_ORDER_FULLEST)); /* arenas are alive */
}

/* eager (CPython before 3.9): every arena goes back the moment it is wholly free. */
static void test_arena_release_eager(void)
{
    three_arenas t;
    fill_three(&t, PYMALLOC_RELEASE_EAGER, PYMALLOC_ORDER_FULLEST);
    for (size_t i = t.per_arena; i < 2 * t.per_arena; i++)
        pymalloc_free(t.blocks[i]);
    CHECK(t.src.frees == 1 && t.src.last_freed == t.places[1]);
    for (size_t i = 0; i < t.count; i++)
        if (i < t.per_arena || i >= 2 * t.per_arena)
            pymalloc_free(t.blocks[i]);
    check_usable_arenas();
    CHECK(t.src.frees == 3 && pym.usable_arenas == NULL && pym.narenas_currently_allocated == 0);
    free(t.blocks);
}

/* never: wholly free arenas stay mapped and serve the next fill. */
static void test_arena_release_never(void)
{
    three_arenas t;
    fill_three(&t, PYMALLOC_RELEASE_NEVER, PYMALLOC_ORDER_FULLEST);
    for (size_t i = 0; i < t.count; i++)
        pymalloc_free(t.blocks[i]);
    check_usable_arenas();
    CHECK(t.src.frees == 0 && pym.narenas_currently_allocated == 3);
    free(t.blocks);
    t.blocks = fill_arenas(3, &t.count);
    CHECK(t.src.allocs == 3);
    for (size_t i = 0; i < t.count; i++)
        pymalloc_free(t.blocks[i]);
    free(t.blocks);
}

/* usable_arenas in fifo order: doubly linked, ending at usable_tail. */
static void check_fifo_arenas(void)
{
    pym_arena *prev = NULL;
    for (pym_arena *a = pym.usable_arenas; a != NULL; prev = a, a = a->nextarena) {
        CHECK(a->address != 0 && a->prevarena == prev);
        CHECK(a->nfreepools > 0 && a->nfreepools <= a->ntotalpools);
    }
    CHECK(prev == NULL || pym.usable_tail == prev);
}

/* fifo: arenas stay in the order they became usable, pools come from the
 * oldest, and keep-one keeps a wholly free arena only when it is the one
 * usable arena. */
static void test_usable_arenas_fifo(void)
{
    three_arenas t;
    fill_three(&t, PYMALLOC_RELEASE_KEEP_ONE, PYMALLOC_ORDER_FIFO);
    void **third = t.blocks + 2 * t.per_arena;
    /* Arena 2 gets a free pool, arena 0 two, then arena 2 a second: sorted
     * by free pools arena 0 would come first, in fifo arena 2 does. */
    for (size_t b = 0; b < BLOCKS_OF_512; b++)
        pymalloc_free(third[b]);
    for (size_t b = 0; b < 2 * BLOCKS_OF_512; b++)
        pymalloc_free(t.blocks[b]);
    for (size_t b = BLOCKS_OF_512; b < 2 * BLOCKS_OF_512; b++)
        pymalloc_free(third[b]);
    check_fifo_arenas();
    CHECK(pym.usable_arenas->address == t.places[2] && pym.usable_tail->address == t.places[0]);
    void *p = pymalloc_malloc(512);
    CHECK(arena_of(p)->address == t.places[2]);
    pymalloc_free(p);
    /* Arenas 0 and 1 empty while another is usable and go; arena 2, the
     * one left, is kept. */
    for (size_t i = 2 * BLOCKS_OF_512; i < t.count; i++)
        if (i < 2 * t.per_arena || i >= 2 * t.per_arena + 2 * BLOCKS_OF_512)
            pymalloc_free(t.blocks[i]);
    check_fifo_arenas();
    CHECK(t.src.frees == 2 && pym.narenas_currently_allocated == 1 && pym.usable_arenas == pym.usable_tail);
    free(t.blocks);
}

/* The tree alone, on addresses nothing is mapped at. */
static void test_radix_tail_boundaries(void)
{
    const uintptr_t frame = (uintptr_t)0x7f1234500000u; /* 1 MiB aligned */
    const uintptr_t base = frame + 0x5000;            /* not aligned */
    CHECK(pym_radix_mark(base, true));
    CHECK(!pym_address_in_range((void *)(base - 1)));
    CHECK(pym_address_in_range((void *)base));
    CHECK(pym_address_in_range((void *)(frame + MIB - 1)));
    CHECK(pym_address_in_range((void *)(frame + MIB)));
    CHECK(pym_address_in_range((void *)(base + MIB - 1)));
    CHECK(!pym_address_in_range((void *)(base + MIB)));
    CHECK(!pym_address_in_range((void *)frame));

    /* A neighbour starting where it ends shares the frame boundary. */
    CHECK(pym_radix_mark(base + MIB, true));
    CHECK(pym_address_in_range((void *)(base + MIB - 1)));
    CHECK(pym_address_in_range((void *)(base + MIB)));
    CHECK(pym_address_in_range((void *)(base + 2 * MIB - 1)));
    CHECK(!pym_address_in_range((void *)(base + 2 * MIB)));
    CHECK(pym_radix_mark(base, false));
    CHECK(!pym_address_in_range((void *)(base + MIB - 1)));
    CHECK(pym_address_in_range((void *)(base + MIB)));
    CHECK(pym_radix_mark(base + MIB, false));
    CHECK(!pym_address_in_range((void *)(base + MIB)));

    /* An aligned arena covers exactly its frame. */
    CHECK(pym_radix_mark(frame, true));
    CHECK(!pym_address_in_range((void *)(frame - 1)));
    CHECK(pym_address_in_range((void *)frame));
    CHECK(pym_address_in_range((void *)(frame + MIB - 1)));
    CHECK(!pym_address_in_range((void *)(frame + MIB)));
    CHECK(pym_radix_mark(frame, false));
    CHECK(!pym_address_in_range((void *)frame));
    CHECK(pym_radix_mid_count == 1 && pym_radix_bot_count == 1);

    /* Straddling the end of a mid node's range: the two frames are under
     * different mid entries, so a second bottom node appears. */
    const uintptr_t mid_span = (uintptr_t)1 << PYM_RADIX_MID_SHIFT;
    const uintptr_t edge = (uintptr_t)0x7e0000000000u + 5 * mid_span - 0x3000;
    CHECK(pym_radix_mark(edge, true));
    CHECK(pym_radix_bot_count == 3);
    CHECK(pym_address_in_range((void *)(edge + MIB - 1)));
    CHECK(pym_address_in_range((void *)(5 * mid_span + (uintptr_t)0x7e0000000000u)));
    CHECK(!pym_address_in_range((void *)(edge + MIB)));
    CHECK(!pym_address_in_range((void *)(edge - 1)));
    CHECK(pym_radix_mark(edge, false));
    CHECK(!pym_address_in_range((void *)(edge + MIB - 1)));

    int on_stack;
    void *heap = malloc(16);
    CHECK(!pym_address_in_range(&on_stack));
    CHECK(!pym_address_in_range(heap));
    free(heap);
}

/* A whole arena placed off both the 1 MiB and the 16 KiB grid. */
static void test_unaligned_arena(void)
{
    uintptr_t region = reserve_aligned(3);
    uintptr_t base = region + 0x5000;
    uintptr_t places[] = {base, region + 2 * MIB};
    placing_source src = {.places = places, .nplaces = 2};
    use_source(&src);

    void *p = pymalloc_malloc(64);
    pym_arena *arena = arena_of(p);
    CHECK(arena->address == base);
    CHECK(arena->ntotalpools == PYM_POOLS_PER_ARENA - 1);
    CHECK((uintptr_t)pym_pool_of(p) == region + 0x8000); /* next pool boundary */
    CHECK(!pym_address_in_range((void *)(base - 1)));
    CHECK(pym_address_in_range((void *)base));
    CHECK(pym_address_in_range((void *)(region + MIB)));
    CHECK(pym_address_in_range((void *)(base + MIB - 1)));
    CHECK(!pym_address_in_range((void *)(base + MIB)));

    /* Every block lies inside its arena, pools included. */
    size_t count = (size_t)arena->ntotalpools * BLOCKS_OF_512;
    void **blocks = malloc(count * sizeof *blocks);
    CHECK(blocks != NULL);
    for (size_t i = 0; i < count; i++) {
        blocks[i] = pymalloc_malloc(512);
        uintptr_t start = arena_of(blocks[i])->address;
        CHECK((uintptr_t)blocks[i] >= start && (uintptr_t)blocks[i] + 512 <= start + MIB);
        CHECK(pym_address_in_range(blocks[i]));
    }
    CHECK(src.allocs == 2); /* the 64-byte pool took one of the 63 */
    pymalloc_stats s;
    pymalloc_get_stats(&s);
    CHECK(s.pools_used == PYM_POOLS_PER_ARENA); /* all 63 here, 1 in the second */
    CHECK(s.pools_free == PYM_POOLS_PER_ARENA - 1);
    /* CPython charges one whole pool per arena that is not pool aligned. */
    char text[4096];
    FILE *out = fmemopen(text, sizeof text, "w");
    CHECK(out != NULL);
    pymalloc_print_stats(out);
    CHECK(fclose(out) == 0);
    CHECK(strstr(text, "# bytes lost to arena alignment    =               16,384\n") != NULL);
    CHECK(strstr(text, "1 unused pools * 16384 bytes") == NULL); /* 63 free in the second */
    CHECK(strstr(text, "63 unused pools * 16384 bytes") != NULL);
    for (size_t i = 0; i < count; i++)
        pymalloc_free(blocks[i]);
    pymalloc_free(p);
    check_usable_arenas();
    free(blocks);
}

static void test_realloc_shrink_rule(void)
{
    unsigned char *p = pymalloc_malloc(512);
    for (int i = 0; i < 512; i++)
        p[i] = (unsigned char)i;
    /* 4 * 385 > 3 * 512: kept. */
    CHECK(pymalloc_realloc(p, 385) == p);
    CHECK(pymalloc_realloc(p, 512) == p);
    /* 4 * 384 == 3 * 512: moved to the 384 class, first 384 bytes copied. */
    unsigned char *q = pymalloc_realloc(p, 384);
    CHECK(q != p);
    CHECK(pym_pool_of(q)->szidx == pym_size_class(384));
    for (int i = 0; i < 384; i++)
        CHECK(q[i] == (unsigned char)i);
    /* 32-byte class: 25 stays (100 > 96); 24 moves (96 == 96), even though
     * the new block is of the same class. */
    unsigned char *r = pymalloc_malloc(32);
    CHECK(pymalloc_realloc(r, 25) == r);
    unsigned char *r2 = pymalloc_realloc(r, 24);
    CHECK(r2 != r && pym_pool_of(r2)->szidx == 1);
    /* Growing past 512 leaves the pools, keeping the bytes. */
    unsigned char *big = pymalloc_realloc(q, 600);
    CHECK(!pym_address_in_range(big));
    for (int i = 0; i < 384; i++)
        CHECK(big[i] == (unsigned char)i);
    /* A system block stays with the system even when it shrinks small. */
    unsigned char *small = pymalloc_realloc(big, 8);
    CHECK(!pym_address_in_range(small));
    CHECK(small[7] == 7);
    /* Shrinking a pool block to 0 moves it to the system (malloc(1)). */
    unsigned char *none = pymalloc_realloc(r2, 0);
    CHECK(none != NULL && !pym_address_in_range(none));
    /* realloc(NULL) allocates. */
    void *fresh = pymalloc_realloc(NULL, 16);
    CHECK(pym_address_in_range(fresh));
    pymalloc_free(fresh);
    pymalloc_free(none);
    pymalloc_free(small);
    CHECK(pymalloc_realloc(NULL, SIZE_MAX) == NULL);
}

/* The printout of a fixed sequence on one pool-aligned arena, as CPython
 * 3.11's _PyObject_DebugMallocStats printed it for the same sequence. */
static const char expected_stats[] =
    "Small block threshold = 512, in 32 size classes.\n"
    "\n"
    "class   size   num pools   blocks in use  avail blocks\n"
    "-----   ----   ---------   -------------  ------------\n"
    "    0     16           1               1          1020\n"
    "   31    512           1               1            30\n"
    "\n"
    "# arenas allocated total           =                    1\n"
    "# arenas reclaimed                 =                    0\n"
    "# arenas highwater mark            =                    1\n"
    "# arenas allocated current         =                    1\n"
    "1 arenas * 1048576 bytes/arena     =            1,048,576\n"
    "\n"
    "# bytes in allocated blocks        =                  528\n"
    "# bytes in available blocks        =               31,680\n"
    "62 unused pools * 16384 bytes      =            1,015,808\n"
    "# bytes lost to pool headers       =                   96\n"
    "# bytes lost to quantization       =                  464\n"
    "# bytes lost to arena alignment    =                    0\n"
    "Total                              =            1,048,576\n"
    "\n"
    "arena map counts\n"
    "# arena map mid nodes              =                    1\n"
    "# arena map bot nodes              =                    1\n"
    "\n"
    "# bytes lost to arena map root     =              262,144\n"
    "# bytes lost to arena map mid      =              262,144\n"
    "# bytes lost to arena map bot      =              131,072\n"
    "Total                              =              655,360\n";

static void test_print_stats_layout(void)
{
    uintptr_t places[] = {reserve_aligned(1)};
    placing_source src = {.places = places, .nplaces = 1};
    use_source(&src);
    void *a = pymalloc_malloc(16), *b = pymalloc_malloc(100), *c = pymalloc_malloc(512);
    void *d = pymalloc_malloc(0), *e = pymalloc_malloc(513);
    pymalloc_free(b);

    char text[4096];
    FILE *out = fmemopen(text, sizeof text, "w");
    CHECK(out != NULL);
    pymalloc_print_stats(out);
    CHECK(fclose(out) == 0);
    if (strcmp(text, expected_stats) != 0) {
        fprintf(stderr, "got:\n%s", text);
        CHECK(strcmp(text, expected_stats) == 0);
    }
    pymalloc_stats s;
    pymalloc_get_stats(&s);
    CHECK(s.blocks_allocated_bytes == 528 && s.blocks_available_bytes == 31680);
    CHECK(s.pools_used == 2 && s.pools_free == 62);
    CHECK(s.radix_nodes_mid == 1 && s.radix_nodes_bottom == 1);
    pymalloc_free(a);
    pymalloc_free(c);
    pymalloc_free(d);
    pymalloc_free(e);
}

/* Many arenas, freed in an order that makes them slide along usable_arenas
 * and cross the growth of the arena-object array (16, then 32). The arenas
 * are 1 MiB aligned: with a mix of 63- and 64-pool arenas, CPython (and so
 * this) can keep two empty arenas, not one. */
static void test_usable_arenas_order(void)
{
    enum { ARENAS = 20 };
    uintptr_t region = reserve_aligned(ARENAS);
    uintptr_t places[ARENAS];
    for (size_t i = 0; i < ARENAS; i++)
        places[i] = region + i * MIB;
    placing_source src = {.places = places, .nplaces = ARENAS};
    use_source(&src);
    enum { POOLS = ARENAS * PYM_POOLS_PER_ARENA, N = POOLS * BLOCKS_OF_512 };
    void **blocks = malloc(N * sizeof *blocks);
    void **again = malloc(N * sizeof *again);
    size_t *order = malloc(POOLS * sizeof *order);
    CHECK(blocks != NULL && again != NULL && order != NULL);
    for (size_t i = 0; i < N; i++)
        blocks[i] = pymalloc_malloc(512);
    CHECK(pym.maxarenas == 32 && src.allocs == ARENAS);

    /* Empty whole pools in a shuffled order, so arenas gain free pools at
     * different rates and must slide; now and then take some back, which
     * drains the head arena. */
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < POOLS; i++)
        order[i] = i;
    for (size_t i = POOLS - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t j = (size_t)(x % (i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    size_t nagain = 0;
    for (size_t k = 0; k < POOLS; k++) {
        for (size_t b = 0; b < BLOCKS_OF_512; b++)
            pymalloc_free(blocks[order[k] * BLOCKS_OF_512 + b]);
        check_usable_arenas();
        if (k % 5 == 4) {
            for (size_t b = 0; b < 2 * BLOCKS_OF_512; b++)
                again[nagain++] = pymalloc_malloc(512);
            check_usable_arenas();
        }
    }
    for (size_t i = 0; i < nagain; i++)
        pymalloc_free(again[i]);
    check_usable_arenas();
    pymalloc_stats s;
    pymalloc_get_stats(&s);
    CHECK(s.arenas_current == 1 && s.blocks_allocated_bytes == 0);
    CHECK(src.allocs == ARENAS && src.frees == ARENAS - 1);
    free(order);
    free(again);
    free(blocks);
}

static const struct {
    const char *name;
    void (*run)(void);
} tests[] = {
    {"size_classes", test_size_classes},
    {"requests_0_512_513", test_requests_0_512_513},
    {"full_pool_leaves_usedpools", test_full_pool_leaves_usedpools},
    {"empty_pool_goes_to_arena", test_empty_pool_goes_to_arena},
    {"arena_release_keeps_one", test_arena_release_keeps_one},
    {"radix_tail_boundaries", test_radix_tail_boundaries},
    {"unaligned_arena", test_unaligned_arena},
    {"realloc_shrink_rule", test_realloc_shrink_rule},
    {"print_stats_layout", test_print_stats_layout},
    {"usable_arenas_order", test_usable_arenas_order},
    {"arena_release_eager", test_arena_release_eager},
    {"arena_release_never", test_arena_release_never},
    {"usable_arenas_fifo", test_usable_arenas_fifo},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s TEST (or 'list')\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (strcmp(argv[1], "list") == 0) {
            puts(tests[i].name);
        } else if (strcmp(argv[1], tests[i].name) == 0) {
            tests[i].run();
            printf("%s: ok\n", tests[i].name);
            return 0;
        }
    }
    if (strcmp(argv[1], "list") == 0)
        return 0;
    fprintf(stderr, "unknown test: %s\n", argv[1]);
    return 2;
}
