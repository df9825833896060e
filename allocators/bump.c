/*
 * bump: the speed floor. Hands out memory by advancing a pointer through
 * large mmap'd chunks and never reuses a block while anything is live: free
 * only counts, and realloc copies unless the block is the newest one.
 * Whatever another allocator costs above this is the price of reuse.
 *
 * When the last live block is freed the cursor rewinds to the first chunk,
 * keeping every chunk mapped. Without that, a benchmark that repeats a
 * workload would map fresh memory on every pass and time the kernel's page
 * faults (2 to 19 us each on the VMs this was built on) instead of the
 * allocator, and its RSS would grow without bound. Within one pass, which is
 * where the harness measures memory, nothing is reused.
 *
 * Each block carries a 16-byte header holding its size so realloc knows how
 * much to copy; this keeps blocks 16-byte aligned.
 */
#include "allocator.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

enum { BUMP_CHUNK = 64u << 20, BUMP_HEADER = 16 };

/* Chunks form a list, oldest first, through their first bytes. */
typedef struct bump_chunk {
    struct bump_chunk *next;
    size_t size;
} bump_chunk;

static bump_chunk *bump_first, *bump_last, *bump_current;
static char *bump_cursor, *bump_limit;
/* Live blocks decide the rewind; live bytes are what the program holds. */
static size_t bump_live_blocks, bump_live_bytes, bump_handed_out, bump_mapped;

static void bump_enter(bump_chunk *c)
{
    bump_current = c;
    bump_cursor = (char *)c + ((sizeof(bump_chunk) + 15) & ~(size_t)15);
    bump_limit = (char *)c + c->size;
}

static bump_chunk *bump_map_chunk(size_t need)
{
    size_t size = need + 32 > BUMP_CHUNK ? need + 32 : BUMP_CHUNK;
    bump_chunk *c = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c == MAP_FAILED)
        return NULL;
    *c = (bump_chunk){.next = NULL, .size = size};
    if (bump_last)
        bump_last->next = c;
    else
        bump_first = c;
    bump_last = c;
    bump_mapped += size;
    return c;
}

/* Moves to the next chunk with room for `need` bytes, mapping one if none. */
static int bump_advance(size_t need)
{
    for (bump_chunk *c = bump_current ? bump_current->next : bump_first; c; c = c->next) {
        bump_enter(c);
        if ((size_t)(bump_limit - bump_cursor) >= need)
            return 0;
    }
    bump_chunk *c = bump_map_chunk(need);
    if (!c)
        return -1;
    bump_enter(c);
    return 0;
}

static void *bump_malloc(size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t need = BUMP_HEADER + ((size + 15) & ~(size_t)15);
    if ((size_t)(bump_limit - bump_cursor) < need && bump_advance(need) != 0)
        return NULL;
    char *block = bump_cursor;
    bump_cursor += need;
    bump_handed_out += size;
    bump_live_bytes += size;
    bump_live_blocks++;
    memcpy(block, &size, sizeof size);
    return block + BUMP_HEADER;
}

static size_t bump_size_of(const void *ptr)
{
    size_t size;
    memcpy(&size, (const char *)ptr - BUMP_HEADER, sizeof size);
    return size;
}

static void bump_free(void *ptr)
{
    if (!ptr)
        return;
    bump_live_bytes -= bump_size_of(ptr);
    if (--bump_live_blocks == 0 && bump_first)
        bump_enter(bump_first);
}

/* The newest block can grow or shrink where it stands, as in any bump
 * allocator: no older block is reused, and `s += piece` in a loop does not
 * turn into quadratic memory. Any other block is copied. */
static void *bump_resize_top(char *ptr, size_t old, size_t size)
{
    char *end = ptr + ((old + 15) & ~(size_t)15);
    size_t need = (size + 15) & ~(size_t)15;
    if (end != bump_cursor || need > (size_t)(bump_limit - ptr))
        return NULL;
    bump_cursor = ptr + need;
    bump_handed_out += size > old ? size - old : 0;
    bump_live_bytes = bump_live_bytes - old + size;
    memcpy(ptr - BUMP_HEADER, &size, sizeof size);
    return ptr;
}

static void *bump_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return bump_malloc(size);
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t old = bump_size_of(ptr);
    void *same = bump_resize_top(ptr, old, size);
    if (same)
        return same;
    void *fresh = bump_malloc(size);
    if (fresh) {
        memcpy(fresh, ptr, old < size ? old : size);
        bump_live_bytes -= old;
        bump_live_blocks--; /* the old block is dead; fresh is live, so no rewind */
    }
    return fresh;
}


static void bump_teardown(const pab_allocator *self)
{
    (void)self;
    while (bump_first) {
        bump_chunk *next = bump_first->next;
        munmap(bump_first, bump_first->size);
        bump_first = next;
    }
    bump_last = bump_current = NULL;
    bump_cursor = bump_limit = NULL;
    bump_live_blocks = bump_live_bytes = bump_handed_out = bump_mapped = 0;
}

static void bump_stats(const pab_allocator *self, pab_stats *out)
{
    (void)self;
    pab_stats_clear(out);
    out->in_use_bytes = (double)bump_live_bytes;
    out->mapped_bytes = (double)bump_mapped; /* never given back */
    pab_stats_add(out, "live_blocks", (double)bump_live_blocks);
    pab_stats_add(out, "handed_out_total_bytes", (double)bump_handed_out);
}

static const char *bump_version(const pab_allocator *self)
{
    (void)self;
    return "pyallocbench";
}

const pab_allocator pab_bump = {
    .name = "bump",
    .description = "bump pointer over 64 MiB mmap'd chunks, no reuse while anything is live (the speed floor)",
    .floor = true,
    .teardown = bump_teardown,
    .malloc = bump_malloc,
    .realloc = bump_realloc,
    .free = bump_free,
    .stats = bump_stats,
    .version = bump_version,
};
