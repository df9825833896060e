/*
 * Error-path tests of pymalloc: every mmap, calloc and realloc that pymalloc
 * makes in a representative sequence is failed in turn, through the seam of
 * fault_inject.h (a --wrap link of this binary only), and the allocator must
 * come out of it consistent. `test_pymalloc_faults <name>` runs one test.
 *
 * What pymalloc does when it cannot have an arena (as CPython 3.11's
 * _PyObject_Malloc): its own allocate path returns NULL and the request is
 * served by the system malloc instead, so pymalloc_malloc does not return
 * NULL; the block is simply not ours (pym_address_in_range says false) and
 * pymalloc_free later hands it to free(). Each such block is checked to be
 * exactly that.
 *
 * Each scenario (fail call N of one kind, once or N..N+39) runs in a forked
 * child of a process that never touched pymalloc, so every scenario starts
 * from an empty allocator and an empty radix tree. The child checks:
 *   - every request: one that met an injected fault fell back to the system,
 *     any other small request is ours and inside a live arena's pool of its
 *     class; usable_arenas sorted, nfp2lasta exact;
 *   - every operation that went through the seam (and every 64th): the arena
 *     objects (each slot on the unused list once with address 0, or in use;
 *     unused + used == maxarenas; used == narenas_currently_allocated), the
 *     mappings (the arenas in use are exactly the wrapper's live mappings: a
 *     failed arena and a freed one were unmapped) and the radix tree at
 *     probes around every slot ever used ("ours" exactly for live arenas, not
 *     for freed ones) and at never-mapped addresses;
 *   - every fault, and every phase end: every entry of every radix node is
 *     what the live arenas imply (no half-marked frame), node counters right;
 *     at the first and last fault, after them and at phase ends, every held
 *     block keeps its byte pattern (distinct and writable), no two overlap,
 *     and the statistics count exactly the held blocks of pymalloc;
 *   - every free: the block's pattern.
 * The sequence ends freeing everything: one arena, wholly free, is left (the
 * keep-one-arena rule); then, nothing failing any more, a new arena is mapped
 * and used, and all is freed again. LeakSanitizer, in the sanitizer build,
 * checks each child's heap at its exit.
 *
 * Arenas are placed (fault_place_arenas) in a window around a 16 GiB
 * boundary, where one bottom node of the radix tree ends: the first arena
 * straddles it, so its marking needs three callocs (the mid node and two
 * bottom nodes); when the last of them fails, the arena's first frame is
 * already marked and must be unmarked again.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, fork */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault_inject.h"
#include "internal.h"

static char scenario[128] = "setup";

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: [%s] check failed: %s\n", __FILE__,      \
                    __LINE__, scenario, #cond);                              \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

#define MIB ((uintptr_t)1 << 20)
/* What one bottom node of the radix tree covers: 16 GiB. */
#define BOT_SPAN ((uintptr_t)1 << PYM_RADIX_MID_SHIFT)
/* The reserved window is [boundary - WINDOW, boundary + WINDOW). */
#define WINDOW (32 * MIB)
#define BLOCKS_OF_512 31u
#define BURST 40ul

/* ---- the address window and the arena slots ------------------------------- */

static uintptr_t boundary; /* a multiple of BOT_SPAN */

/* Reserves (PROT_NONE) a window around a 16 GiB boundary. Done once in the
 * parent; every child inherits it. */
static void reserve_window(void)
{
    size_t len = BOT_SPAN + 2 * WINDOW;
    void *p = __real_mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(p != MAP_FAILED);
    uintptr_t start = (uintptr_t)p, end = start + len;
    uintptr_t b = (start + WINDOW + BOT_SPAN - 1) & ~(BOT_SPAN - 1);
    CHECK(b - WINDOW >= start && b + WINDOW <= end);
    if (b - WINDOW > start)
        CHECK(__real_munmap(p, b - WINDOW - start) == 0);
    if (end > b + WINDOW)
        CHECK(__real_munmap((void *)(b + WINDOW), end - (b + WINDOW)) == 0);
    boundary = b;
}

/* Pool aligned (64 pools, as uniform arenas keep exactly one when all is
 * freed) but not frame aligned, so most arenas straddle two frames. */
#define SLOT_TAIL (2 * PYM_POOL_SIZE)
#define NSLOTS 24
static uintptr_t slots[NSLOTS];

static void make_slots(void)
{
    const uintptr_t b = boundary;
    slots[0] = b - MIB + SLOT_TAIL;     /* straddles b: frames in two bottom nodes */
    slots[1] = b + SLOT_TAIL;           /* starts where slots[0] ends: shares frame b */
    slots[2] = b - 2 * MIB + SLOT_TAIL; /* ends where slots[0] starts */
    slots[3] = b + 4 * MIB;             /* frame aligned: exactly one frame */
    slots[4] = b - 6 * MIB + SLOT_TAIL;
    for (size_t i = 5; i < NSLOTS; i++)
        slots[i] = b + (6 + (i - 5)) * MIB + SLOT_TAIL;
    CHECK(slots[NSLOTS - 1] + MIB <= b + WINDOW);
}

/* Reserved, in existing bottom nodes' ranges, and never a slot. */
static uintptr_t never_mapped(int which)
{
    return which == 0 ? boundary - 20 * MIB + 0x1230 : boundary + 31 * MIB + 0x40;
}

/* The slots the probes look at: the current plan, up to one past the last
 * slot an arena was ever seen at (the rest are like that one). */
static const uintptr_t *plan;
static size_t nplan;
static size_t slots_seen;

static void use_plan(const uintptr_t *p, size_t n)
{
    plan = p;
    nplan = n;
    fault_place_arenas(p, n, PYM_ARENA_SIZE);
}

/* ---- byte patterns --------------------------------------------------------- */

static uint64_t pattern_key(uint32_t id, uint32_t size)
{
    uint64_t z = ((uint64_t)id << 32 | size) + 0x9E3779B97F4A7C15u;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

#define PATTERN_STEP 0xD1B54A32D192ED03u /* odd: no two words of a block alike */

static void pattern_fill(unsigned char *p, uint32_t id, uint32_t size)
{
    uint64_t w = pattern_key(id, size);
    uint32_t i = 0;
    for (; i + 8 <= size; i += 8, w += PATTERN_STEP)
        memcpy(p + i, &w, 8);
    memcpy(p + i, &w, size - i);
}

/* True when the first `len` bytes are those pattern_fill(id, size) wrote. */
static bool pattern_ok(const unsigned char *p, uint32_t id, uint32_t size, uint32_t len)
{
    uint64_t w = pattern_key(id, size);
    uint32_t i = 0;
    for (; i + 8 <= len; i += 8, w += PATTERN_STEP) {
        uint64_t got;
        memcpy(&got, p + i, 8);
        if (got != w)
            return false;
    }
    return memcmp(p + i, &w, len - i) == 0;
}

/* ---- the blocks the test holds --------------------------------------------- */

typedef struct held {
    unsigned char *p; /* NULL once freed, until compact() */
    uint32_t size;
    uint32_t id;
} held;

#define MAX_HELD 40000u
static held *table;
static held *scratch; /* for the overlap check */
static size_t nheld;
static uint32_t next_id = 1;

static void table_init(void)
{
    table = malloc(MAX_HELD * sizeof *table);
    scratch = malloc(MAX_HELD * sizeof *scratch);
    CHECK(table != NULL && scratch != NULL);
}

static void table_done(void)
{
    free(table);
    free(scratch);
}

static bool is_small(size_t size)
{
    return size - 1 < PYM_SMALL_REQUEST_THRESHOLD;
}

/* ---- state checks ---------------------------------------------------------- */

/* The copy in test_pymalloc.c: usable_arenas sorted by nfreepools, doubly
 * linked, nfp2lasta[n] exactly its last arena with n free pools. */
static size_t check_usable_arenas(void)
{
    pym_arena *last_with[PYM_POOLS_PER_ARENA + 1] = {NULL};
    pym_arena *prev = NULL;
    size_t n = 0;
    for (pym_arena *a = pym.usable_arenas; a != NULL; a = a->nextarena) {
        CHECK(n++ < pym.maxarenas);
        CHECK(a >= pym.arenas && a < pym.arenas + pym.maxarenas);
        CHECK(a->address != 0);
        CHECK(a->prevarena == prev);
        CHECK(a->nfreepools > 0 && a->nfreepools <= a->ntotalpools);
        CHECK(prev == NULL || prev->nfreepools <= a->nfreepools);
        last_with[a->nfreepools] = a;
        prev = a;
    }
    for (unsigned i = 0; i <= PYM_POOLS_PER_ARENA; i++)
        CHECK(pym.nfp2lasta[i] == last_with[i]);
    return n;
}

/* Every arena object is accounted for, and the arenas in use are exactly
 * the mappings the wrapper has handed out and not seen unmapped. */
static void check_arenas(void)
{
    static bool on_unused[1024];
    CHECK(pym.maxarenas <= 1024);
    memset(on_unused, 0, sizeof on_unused);
    size_t unused = 0;
    for (pym_arena *a = pym.unused_arena_objects; a != NULL; a = a->nextarena) {
        CHECK(a >= pym.arenas && a < pym.arenas + pym.maxarenas);
        size_t i = (size_t)(a - pym.arenas);
        CHECK(!on_unused[i]);
        on_unused[i] = true;
        CHECK(a->address == 0);
        unused++;
    }
    size_t used = 0, with_free_pools = 0;
    uintptr_t live[256];
    size_t nlive = fault_live_mappings(live, 256);
    CHECK(nlive <= 256);
    for (uint32_t i = 0; i < pym.maxarenas; i++) {
        const pym_arena *a = &pym.arenas[i];
        if (a->address == 0)
            continue;
        used++;
        with_free_pools += a->nfreepools != 0;
        CHECK(a->ntotalpools == PYM_POOLS_PER_ARENA - ((a->address & PYM_POOL_MASK) != 0));
        CHECK(a->nfreepools <= a->ntotalpools);
        CHECK(a->pool_address >= a->address && a->pool_address <= a->address + PYM_ARENA_SIZE);
        bool mapped = false;
        for (size_t k = 0; k < nlive; k++)
            mapped |= live[k] == a->address;
        CHECK(mapped);
        for (size_t k = slots_seen; k < nplan; k++)
            if (plan[k] == a->address)
                slots_seen = k + 1;
    }
    CHECK(unused + used == pym.maxarenas);
    CHECK(used == pym.narenas_currently_allocated);
    CHECK(used <= pym.narenas_highwater);
    CHECK(nlive == used);
    CHECK(check_usable_arenas() == with_free_pools);
}

static bool expect_ours(uintptr_t p)
{
    for (uint32_t i = 0; i < pym.maxarenas; i++) {
        uintptr_t a = pym.arenas[i].address;
        if (a != 0 && p - a < PYM_ARENA_SIZE)
            return true;
    }
    return false;
}

static void check_probe(uintptr_t p)
{
    if (pym_address_in_range((void *)p) != expect_ours(p)) {
        fprintf(stderr, "radix tree: %#lx (boundary %+ld bytes) is %s, expected %s\n",
                (unsigned long)p, (long)(p - boundary),
                pym_address_in_range((void *)p) ? "ours" : "not ours",
                expect_ours(p) ? "ours" : "not ours");
        CHECK(pym_address_in_range((void *)p) == expect_ours(p));
    }
}

/* "Ours" exactly for live arenas, around every slot of the plan that was
 * ever used (freed ones included) and the next, never used, and at addresses
 * nothing ever mapped. */
static void check_radix_probes(void)
{
    for (size_t i = 0; i < nplan && i <= slots_seen; i++) {
        uintptr_t s = plan[i], frame = s & ~PYM_ARENA_MASK;
        const uintptr_t probes[] = {
            s - 1, s, s + PYM_ARENA_SIZE / 2, s + PYM_ARENA_SIZE - 1, s + PYM_ARENA_SIZE,
            frame, frame + PYM_ARENA_SIZE - 1, frame + PYM_ARENA_SIZE,
            frame + 2 * PYM_ARENA_SIZE - 1,
        };
        for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++)
            check_probe(probes[k]);
    }
    for (int w = 0; w < 2; w++) {
        CHECK(!expect_ours(never_mapped(w)));
        CHECK(!pym_address_in_range((void *)never_mapped(w)));
    }
    int on_stack = 0;
    CHECK(!pym_address_in_range(&on_stack));
    CHECK(!pym_address_in_range(table));
}

/* The tree's entry for the frame starting at `frame`; zero when no node. */
static pym_arena_coverage coverage_of(uintptr_t frame)
{
    const uintptr_t top_mask = ((uintptr_t)1 << PYM_RADIX_TOP_BITS) - 1;
    const uintptr_t mid_mask = ((uintptr_t)1 << PYM_RADIX_MID_BITS) - 1;
    const uintptr_t bot_mask = ((uintptr_t)1 << PYM_RADIX_BOT_BITS) - 1;
    pym_arena_coverage none = {0, 0};
    const pym_radix_mid *mid = pym_radix.mids[(frame >> PYM_RADIX_TOP_SHIFT) & top_mask];
    if (mid == NULL)
        return none;
    const pym_radix_bot *bot = mid->bots[(frame >> PYM_RADIX_MID_SHIFT) & mid_mask];
    if (bot == NULL)
        return none;
    return bot->frames[(frame >> PYM_RADIX_BOT_SHIFT) & bot_mask];
}

/* The coverage the live arenas imply for the frame starting at `frame`. */
static pym_arena_coverage expected_coverage(uintptr_t frame)
{
    pym_arena_coverage c = {0, 0};
    for (uint32_t i = 0; i < pym.maxarenas; i++) {
        uintptr_t a = pym.arenas[i].address;
        if (a == 0)
            continue;
        uint32_t tail = (uint32_t)(a & PYM_ARENA_MASK);
        uintptr_t start_frame = a & ~PYM_ARENA_MASK;
        if (start_frame == frame)
            c.covered += (uint32_t)PYM_ARENA_SIZE - tail;
        if (tail != 0 && start_frame + PYM_ARENA_SIZE == frame) {
            c.lo = tail;
            c.covered += tail;
        }
    }
    return c;
}

/* Every entry of every node is what the live arenas imply: no frame marked
 * for an arena that is gone or was never had, none missing; the node
 * counters count the nodes. */
static void check_radix_tree(void)
{
    const size_t nmid = (size_t)1 << PYM_RADIX_TOP_BITS;
    const size_t nbot = (size_t)1 << PYM_RADIX_MID_BITS;
    const size_t nframe = (size_t)1 << PYM_RADIX_BOT_BITS;
    size_t mids = 0, bots = 0, marked = 0;
    for (size_t i = 0; i < nmid; i++) {
        const pym_radix_mid *mid = pym_radix.mids[i];
        if (mid == NULL)
            continue;
        mids++;
        for (size_t j = 0; j < nbot; j++) {
            const pym_radix_bot *bot = mid->bots[j];
            if (bot == NULL)
                continue;
            bots++;
            for (size_t k = 0; k < nframe; k++) {
                pym_arena_coverage c = bot->frames[k];
                if (c.lo == 0 && c.covered == 0)
                    continue;
                uintptr_t frame = (uintptr_t)i << PYM_RADIX_TOP_SHIFT |
                                  (uintptr_t)j << PYM_RADIX_MID_SHIFT |
                                  (uintptr_t)k << PYM_RADIX_BOT_SHIFT;
                pym_arena_coverage e = expected_coverage(frame);
                if (c.lo != e.lo || c.covered != e.covered)
                    fprintf(stderr, "radix frame %#lx (boundary %+ld): lo %u covered %u, expected %u %u\n",
                            (unsigned long)frame, (long)(frame - boundary), c.lo, c.covered,
                            e.lo, e.covered);
                CHECK(c.lo == e.lo && c.covered == e.covered);
                marked++;
            }
        }
    }
    CHECK(mids == pym_radix_mid_count && bots == pym_radix_bot_count);
    /* Every marked frame matched; as many are marked as the live arenas
     * imply (a frame two arenas share counted once), so none is missing. */
    uintptr_t frames[2 * 1024];
    size_t nframes = 0;
    for (uint32_t i = 0; i < pym.maxarenas; i++) {
        uintptr_t a = pym.arenas[i].address;
        if (a == 0)
            continue;
        uintptr_t f = a & ~PYM_ARENA_MASK;
        frames[nframes++] = f;
        if ((a & PYM_ARENA_MASK) != 0)
            frames[nframes++] = f + PYM_ARENA_SIZE;
    }
    size_t distinct = 0;
    for (size_t i = 0; i < nframes; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= frames[j] == frames[i];
        distinct += !seen;
    }
    CHECK(marked == distinct);
}

/* A block handed out by pymalloc lies in a carved pool of its class inside a
 * live arena. */
static void check_own_block(const unsigned char *p, uint32_t size)
{
    pym_pool *pool = pym_pool_of(p);
    CHECK(pool->arenaindex < pym.maxarenas);
    const pym_arena *a = &pym.arenas[pool->arenaindex];
    CHECK(a->address != 0);
    CHECK((uintptr_t)pool >= a->address && (uintptr_t)pool < a->pool_address);
    CHECK((uintptr_t)pool + PYM_POOL_SIZE <= a->address + PYM_ARENA_SIZE);
    CHECK(pool->szidx == pym_size_class(size));
    CHECK(pool->count >= 1);
    CHECK((uintptr_t)p >= (uintptr_t)pool + PYM_POOL_OVERHEAD);
    CHECK((uintptr_t)p + pym_class_block_size(pool->szidx) <= (uintptr_t)pool + PYM_POOL_SIZE);
    CHECK(((uintptr_t)p - (uintptr_t)pool - PYM_POOL_OVERHEAD) % pym_class_block_size(pool->szidx) == 0);
}

static int by_address(const void *x, const void *y)
{
    uintptr_t a = (uintptr_t)((const held *)x)->p, b = (uintptr_t)((const held *)y)->p;
    return a < b ? -1 : a > b;
}

/* Every held block: its pattern intact, inside its pool when ours, no two
 * overlapping; the statistics count exactly the held blocks of pymalloc. */
static void check_blocks(void)
{
    size_t n = 0, own_bytes = 0;
    for (size_t i = 0; i < nheld; i++) {
        const held *h = &table[i];
        if (h->p == NULL)
            continue;
        CHECK(pattern_ok(h->p, h->id, h->size, h->size));
        if (pym_address_in_range(h->p)) {
            check_own_block(h->p, h->size);
            own_bytes += pym_class_block_size((unsigned)pym_size_class(h->size));
        }
        scratch[n++] = *h;
    }
    qsort(scratch, n, sizeof *scratch, by_address);
    for (size_t i = 1; i < n; i++)
        CHECK((uintptr_t)scratch[i - 1].p + scratch[i - 1].size <= (uintptr_t)scratch[i].p);
    pymalloc_stats s;
    pymalloc_get_stats(&s);
    CHECK(s.blocks_allocated_bytes == own_bytes);
    CHECK(s.arenas_current == pym.narenas_currently_allocated);
}

static void check_cheap(void)
{
    check_arenas();
    check_radix_probes();
}

static void check_full(void)
{
    check_cheap();
    check_radix_tree();
    check_blocks();
}

/* At most this many faults are injected in the current scenario. */
static unsigned long armed_count;

static void arm(fault_kind kind, unsigned long first, unsigned long count)
{
    fault_arm(kind, first, count);
    armed_count = count;
}

/* Calls that went through the seam so far; an operation that made none
 * changed no arena and no radix node. */
static unsigned long seam_calls(void)
{
    unsigned long n = fault_munmap_calls();
    for (int k = 0; k < FAULT_KINDS; k++)
        n += fault_calls((fault_kind)k);
    return n;
}

/*
 * After every operation: usable_arenas and nfp2lasta. After one that went
 * through the seam (mapped, unmapped, grew the arena array or made a radix
 * node, or failed trying), and every 64th: the arena accounting and the
 * radix probes. After a fault: the whole tree, and the blocks at the first
 * and the last fault of the scenario and at the next operation that
 * succeeds after each of those.
 */
static unsigned long ops_since_check;
static bool blocks_check_due;
static void check_after(bool faulted, bool through_seam)
{
    check_usable_arenas();
    if (through_seam || faulted || ++ops_since_check == 64) {
        check_cheap();
        ops_since_check = 0;
    }
    if (faulted) {
        check_radix_tree();
        unsigned long n = fault_injected_total();
        if (n == 1 || n == armed_count) {
            check_blocks();
            blocks_check_due = true;
        }
    } else if (blocks_check_due) {
        check_cheap();
        check_radix_tree();
        check_blocks();
        blocks_check_due = false;
    }
}

/* ---- operations ------------------------------------------------------------- */

/* pymalloc_malloc, checked: a request that met an injected fault was served
 * by the system (not NULL, not ours); any other small request is ours. */
static size_t hold_malloc(uint32_t size)
{
    CHECK(nheld < MAX_HELD);
    unsigned long before = fault_injected_total(), seam = seam_calls();
    unsigned char *p = pymalloc_malloc(size);
    bool faulted = fault_injected_total() != before;
    CHECK(p != NULL);
    bool ours = pym_address_in_range(p);
    if (faulted)
        CHECK(is_small(size) && !ours);
    else
        CHECK(ours == is_small(size));
    if (ours)
        check_own_block(p, size);
    pattern_fill(p, next_id, size);
    size_t k = nheld++;
    table[k] = (held){.p = p, .size = size, .id = next_id++};
    check_after(faulted, seam_calls() != seam);
    return k;
}

static void release(size_t i)
{
    held *h = &table[i];
    CHECK(h->p != NULL);
    CHECK(pattern_ok(h->p, h->id, h->size, h->size));
    unsigned long before = fault_injected_total(), seam = seam_calls();
    pymalloc_free(h->p);
    CHECK(fault_injected_total() == before); /* free allocates nothing */
    h->p = NULL;
    check_after(false, seam_calls() != seam);
}

/* pymalloc_realloc, checked: on failure (only a system realloc can fail) the
 * old block is intact and kept; otherwise the prefix moved along. */
static void hold_realloc(size_t i, uint32_t size)
{
    held *h = &table[i];
    CHECK(h->p != NULL && pattern_ok(h->p, h->id, h->size, h->size));
    bool was_ours = pym_address_in_range(h->p);
    unsigned long before = fault_injected_total(), seam = seam_calls();
    unsigned long realloc_faults = fault_injected(FAULT_REALLOC);
    unsigned char *q = pymalloc_realloc(h->p, size);
    bool faulted = fault_injected_total() != before;
    if (q == NULL) {
        CHECK(faulted && fault_injected(FAULT_REALLOC) == realloc_faults + 1);
        CHECK(!was_ours);
        CHECK(pattern_ok(h->p, h->id, h->size, h->size));
        check_after(true, true);
        return;
    }
    uint32_t kept = size < h->size ? size : h->size;
    CHECK(pattern_ok(q, h->id, h->size, kept));
    bool ours = pym_address_in_range(q);
    if (!was_ours)
        CHECK(!ours); /* a system block stays with the system */
    else if (q != h->p)
        CHECK(ours == (is_small(size) && !faulted));
    if (ours)
        check_own_block(q, size);
    h->p = q;
    h->size = size;
    h->id = next_id++;
    pattern_fill(q, h->id, size);
    check_after(faulted, seam_calls() != seam);
}

static void compact(void)
{
    size_t n = 0;
    for (size_t i = 0; i < nheld; i++)
        if (table[i].p != NULL)
            table[n++] = table[i];
    nheld = n;
}

static void release_all(void)
{
    for (size_t i = 0; i < nheld; i++)
        if (table[i].p != NULL)
            release(i);
    nheld = 0;
}

/* All freed: one arena is left, wholly free and the only usable one. */
static void check_keep_one(void)
{
    check_full();
    CHECK(pym.narenas_currently_allocated == 1);
    const pym_arena *a = pym.usable_arenas;
    CHECK(a != NULL && a->nextarena == NULL && a->prevarena == NULL);
    CHECK(a->nfreepools == a->ntotalpools);
    for (unsigned c = 0; c < PYM_NUM_CLASSES; c++)
        CHECK(pym.usedpools[c].next == &pym.usedpools[c]);
    pymalloc_stats s;
    pymalloc_get_stats(&s);
    CHECK(s.arenas_current == 1 && s.pools_used == 0 && s.blocks_allocated_bytes == 0);
}

/* ---- the sequences ------------------------------------------------------------ */

static const uint32_t size_mix[] = {512, 512, 448, 512, 16, 512, 64, 200};
#define MIX (sizeof size_mix / sizeof size_mix[0])

static void grow(size_t n)
{
    for (size_t i = 0; i < n; i++)
        hold_malloc(size_mix[i % MIX]);
}

/* Afterwards, with nothing failing any more: a whole arena's worth and one
 * more block (so a new arena is mapped), all ours; freed, one arena left. */
static void check_allocation_works(void)
{
    fault_disarm();
    unsigned long mmaps = fault_calls(FAULT_MMAP);
    size_t n = PYM_POOLS_PER_ARENA * BLOCKS_OF_512 + 1;
    for (size_t i = 0; i < n; i++) {
        size_t k = hold_malloc(512);
        CHECK(pym_address_in_range(table[k].p));
    }
    CHECK(fault_calls(FAULT_MMAP) > mmaps);
    check_full();
    release_all();
    check_keep_one();
}

/* The representative sequence: grow to five arenas, empty some (they are
 * unmapped), regrow (their slots and addresses are reused), move a few blocks
 * with realloc (within pymalloc, to the system, within the system), free
 * everything. */
static void sequence_main(void)
{
    grow(12000);
    check_full();
    /* Every block of the even arenas (they are unmapped but for one kept)
     * and every third block elsewhere. */
    for (size_t i = 0; i < nheld; i++) {
        bool ours = pym_address_in_range(table[i].p);
        if ((ours && pym_pool_of(table[i].p)->arenaindex % 2 == 0) || i % 3 == 0)
            release(i);
    }
    compact();
    check_full();
    grow(10000);
    check_full();

    size_t moved[6], nmoved = 0;
    for (size_t i = 0; i < nheld && nmoved < 6; i += 101)
        if (table[i].size == 512 && pym_address_in_range(table[i].p))
            moved[nmoved++] = i;
    CHECK(nmoved == 6);
    for (size_t k = 0; k < nmoved; k++)
        hold_realloc(moved[k], 16);     /* shrinks by more than a quarter: moves */
    for (size_t k = 0; k < 3; k++)
        hold_realloc(moved[k], 600);    /* to the system */
    for (size_t k = 0; k < 3; k++)
        hold_realloc(moved[k], 700);    /* the system's realloc */
    hold_realloc(moved[3], 400);        /* within pymalloc, another class */
    check_full();
    release_all();
    check_keep_one();
}

/* Past 16 arenas, so the arena-object array grows (realloc 16 -> 32). */
#define GROWTH_ARENAS 18
static void sequence_growth(void)
{
    size_t n = (GROWTH_ARENAS - 1) * PYM_POOLS_PER_ARENA * BLOCKS_OF_512 + 1;
    for (size_t i = 0; i < n; i++)
        hold_malloc(512);
    check_full();
    for (size_t i = 0; i < nheld; i += 2)
        release(i);
    compact();
    check_full();
    grow(2000);
    check_full();
    release_all();
    check_keep_one();
}

/* ---- running scenarios in fresh children --------------------------------------- */

typedef struct counts {
    unsigned long calls[FAULT_KINDS];
    unsigned long munmaps;
    size_t highwater;
    uint32_t maxarenas;
} counts;

static counts *shared; /* MAP_SHARED: the dry run's child reports here */

static void child_start(void)
{
    fault_reset();
    table_init();
    use_plan(slots, NSLOTS);
}

static void child_finish(void)
{
    table_done();
    fflush(stdout);
    exit(0); /* LeakSanitizer, when built in, checks the child's heap here */
}

static bool run_child(void (*body)(void *), void *arg)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        body(arg);
        child_finish();
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

typedef struct fault_case {
    void (*sequence)(void);
    fault_kind kind;
    unsigned long first, count; /* count 0: dry run */
} fault_case;

static void run_case(void *arg)
{
    const fault_case *fc = arg;
    child_start();
    if (fc->count != 0)
        arm(fc->kind, fc->first, fc->count);
    fc->sequence();
    if (fc->count != 0)
        CHECK(fault_injected(fc->kind) >= 1);
    else
        CHECK(fault_injected_total() == 0);
    for (int k = 0; k < FAULT_KINDS; k++)
        shared->calls[k] = fault_calls((fault_kind)k);
    shared->munmaps = fault_munmap_calls();
    shared->highwater = pym.narenas_highwater;
    shared->maxarenas = pym.maxarenas;
    check_allocation_works();
}

static counts dry_run(void (*sequence)(void))
{
    fault_case fc = {.sequence = sequence};
    snprintf(scenario, sizeof scenario, "dry run");
    CHECK(run_child(run_case, &fc));
    return *shared;
}

static void fail_case(void (*sequence)(void), fault_kind kind, unsigned long first,
                      unsigned long count)
{
    fault_case fc = {.sequence = sequence, .kind = kind, .first = first, .count = count};
    snprintf(scenario, sizeof scenario, "%s call %lu failing%s", fault_kind_name[kind], first,
             count == 1 ? "" : " with the 39 after it");
    if (!run_child(run_case, &fc)) {
        fprintf(stderr, "FAILED: %s\n", scenario);
        exit(1);
    }
}

/* Fails each call of `kind` the sequence makes, once, then as the first of
 * a run of BURST. */
static void each_call(void (*sequence)(void), const counts *dry, fault_kind kind, const char *name)
{
    counts c = *dry;
    /* The seam sees pymalloc's calls (its objects reference mmap, not mmap64). */
    CHECK(c.calls[kind] > 0);
    for (unsigned long n = 1; n <= c.calls[kind]; n++) {
        fail_case(sequence, kind, n, 1);
        fail_case(sequence, kind, n, BURST);
    }
    printf("%s: %lu %s calls (mmap %lu, munmap %lu, calloc %lu, realloc %lu; %zu arenas at most), "
           "each failed alone and with %lu after it\n",
           name, c.calls[kind], fault_kind_name[kind], c.calls[FAULT_MMAP], c.munmaps,
           c.calls[FAULT_CALLOC], c.calls[FAULT_REALLOC], c.highwater, BURST - 1);
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_fault_mmap_each_call(void)
{
    counts c = dry_run(sequence_main);
    /* The sequence is what it claims: several arenas, some unmapped, remapped. */
    CHECK(c.highwater >= 4);
    CHECK(c.munmaps >= 1 && c.calls[FAULT_MMAP] > c.highwater);
    each_call(sequence_main, &c, FAULT_MMAP, "fault_mmap_each_call");
}

static void test_fault_calloc_each_call(void)
{
    counts c = dry_run(sequence_main);
    CHECK(c.calls[FAULT_CALLOC] == 3); /* mid node, bottom node below and above the boundary */
    each_call(sequence_main, &c, FAULT_CALLOC, "fault_calloc_each_call");
}

static void test_fault_realloc_each_call(void)
{
    counts c = dry_run(sequence_main);
    CHECK(c.calls[FAULT_REALLOC] == 4); /* the arena array, three system reallocs */
    each_call(sequence_main, &c, FAULT_REALLOC, "fault_realloc_each_call");
}

/* The arena-object array grows from 16 to 32 at the 17th arena: fail that
 * realloc, and the mmap right after it succeeded. */
static void test_fault_arena_array_growth(void)
{
    counts c = dry_run(sequence_growth);
    CHECK(c.maxarenas == 32 && c.highwater == GROWTH_ARENAS);
    CHECK(c.calls[FAULT_REALLOC] == 2);
    fail_case(sequence_growth, FAULT_REALLOC, 2, 1);
    fail_case(sequence_growth, FAULT_REALLOC, 2, BURST);
    fail_case(sequence_growth, FAULT_MMAP, 17, 1);
    fail_case(sequence_growth, FAULT_MMAP, 17, BURST);
    printf("fault_arena_array_growth: realloc 2 (16 -> 32 arena objects) and mmap 17 failed, "
           "alone and with %lu after\n", BURST - 1);
}

/* The radix tree's rollback: an arena whose first frame lies in an existing
 * bottom node and whose second needs a new one, and that calloc fails. */
static void half_marked(void *arg)
{
    (void)arg;
    child_start();
    const uintptr_t b = boundary;
    static uintptr_t two[2];
    two[0] = b - 6 * MIB + SLOT_TAIL; /* within the bottom node below b */
    two[1] = b - MIB + SLOT_TAIL;     /* straddles b */
    use_plan(two, 2);

    for (size_t i = 0; i < PYM_POOLS_PER_ARENA * BLOCKS_OF_512; i++)
        hold_malloc(512);
    CHECK(pym.usable_arenas == NULL); /* the first arena is full */
    CHECK(fault_calls(FAULT_CALLOC) == 2 && pym_radix_bot_count == 1);

    /* The next block needs the second arena; its top frame's bottom node
     * cannot be had. */
    arm(FAULT_CALLOC, 3, 1);
    size_t k = hold_malloc(512);
    CHECK(fault_injected(FAULT_CALLOC) == 1 && fault_calls(FAULT_MMAP) == 2);
    CHECK(!pym_address_in_range(table[k].p)); /* served by the system */
    CHECK(pym_radix_bot_count == 1);
    CHECK(pym.narenas_currently_allocated == 1 && pym.ntimes_arena_allocated == 1);
    /* Nothing of the arena is ours, not even the frame that was marked
     * before the calloc failed. */
    CHECK(!pym_address_in_range((void *)two[1]));
    CHECK(!pym_address_in_range((void *)(b - 1)));
    CHECK(!pym_address_in_range((void *)b));
    CHECK(!pym_address_in_range((void *)(two[1] + PYM_ARENA_SIZE - 1)));
    pym_arena_coverage below = coverage_of(b - MIB);
    CHECK(below.lo == 0 && below.covered == 0);
    check_full();

    /* The next try maps the same addresses, and this time the node comes. */
    k = hold_malloc(512);
    CHECK(pym_address_in_range(table[k].p));
    CHECK(fault_calls(FAULT_MMAP) == 3 && fault_calls(FAULT_CALLOC) == 4);
    CHECK(pym_radix_bot_count == 2);
    const pym_arena *second = &pym.arenas[pym_pool_of(table[k].p)->arenaindex];
    CHECK(second->address == two[1]);
    CHECK(pym_address_in_range((void *)two[1]));
    CHECK(pym_address_in_range((void *)(b - 1)));
    CHECK(pym_address_in_range((void *)b));
    CHECK(pym_address_in_range((void *)(two[1] + PYM_ARENA_SIZE - 1)));
    CHECK(!pym_address_in_range((void *)(two[1] + PYM_ARENA_SIZE)));
    /* Fill it up to its last two pools, which lie above b, in the new node. */
    size_t above = 0;
    for (size_t i = 0; i < PYM_POOLS_PER_ARENA * BLOCKS_OF_512 - 1; i++) {
        size_t j = hold_malloc(512);
        above += (uintptr_t)table[j].p >= b;
    }
    CHECK(above == 2 * BLOCKS_OF_512); /* the two pools above b */
    check_full();
    release_all();
    check_keep_one();
    check_allocation_works();
}

static void test_fault_radix_half_marked(void)
{
    snprintf(scenario, sizeof scenario, "half-marked radix tree");
    CHECK(run_child(half_marked, NULL));
    printf("fault_radix_half_marked: the failed arena left no frame marked; the next took its place\n");
}

/* The arena-object slot of a failed mmap goes back to the unused list: 40
 * failures in a row use none up and grow nothing. */
static void slot_returned(void *arg)
{
    (void)arg;
    child_start();
    arm(FAULT_MMAP, 1, BURST);
    for (unsigned long i = 0; i < BURST; i++) {
        size_t k = hold_malloc(64);
        CHECK(!pym_address_in_range(table[k].p));
        CHECK(pym.maxarenas == PYM_INITIAL_ARENA_OBJECTS);
        CHECK(pym.unused_arena_objects == &pym.arenas[0]);
        CHECK(pym.narenas_currently_allocated == 0 && pym.ntimes_arena_allocated == 0);
    }
    CHECK(fault_injected(FAULT_MMAP) == BURST && fault_calls(FAULT_REALLOC) == 1);
    check_full();
    size_t k = hold_malloc(64);
    CHECK(pym_address_in_range(table[k].p));
    CHECK(pym_pool_of(table[k].p)->arenaindex == 0 && pym.arenas[0].address == slots[0]);
    release_all();
    check_keep_one();
    check_allocation_works();
}

static void test_fault_mmap_slot_returned(void)
{
    snprintf(scenario, sizeof scenario, "mmap failing %lu times in a row", BURST);
    CHECK(run_child(slot_returned, NULL));
    printf("fault_mmap_slot_returned: %lu failed mmaps kept all 16 arena objects unused\n", BURST);
}

static const struct {
    const char *name;
    void (*run)(void);
} tests[] = {
    {"fault_mmap_each_call", test_fault_mmap_each_call},
    {"fault_calloc_each_call", test_fault_calloc_each_call},
    {"fault_realloc_each_call", test_fault_realloc_each_call},
    {"fault_arena_array_growth", test_fault_arena_array_growth},
    {"fault_radix_half_marked", test_fault_radix_half_marked},
    {"fault_mmap_slot_returned", test_fault_mmap_slot_returned},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s TEST (or 'list')\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "list") == 0) {
        for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
            puts(tests[i].name);
        return 0;
    }
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (strcmp(argv[1], tests[i].name) != 0)
            continue;
        /* The parent never touches pymalloc: each child starts it fresh. */
        shared = __real_mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        CHECK(shared != MAP_FAILED);
        reserve_window();
        make_slots();
        tests[i].run();
        return 0;
    }
    fprintf(stderr, "unknown test: %s\n", argv[1]);
    return 2;
}
