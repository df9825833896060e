/*
 * bump: the speed floor. Hands out memory by advancing a pointer through
 * large mmap'd chunks and never reuses anything: free does nothing and
 * realloc always copies. Whatever another allocator costs above this is the
 * price of reuse. Each block carries a 16-byte header holding its size so
 * realloc knows how much to copy; this keeps blocks 16-byte aligned.
 */
#define _GNU_SOURCE
#include "allocator.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

enum { BUMP_CHUNK = 64u << 20, BUMP_HEADER = 16 };

/* Chunks form a list through their first bytes so teardown can unmap them. */
typedef struct bump_chunk {
    struct bump_chunk *next;
    size_t size;
} bump_chunk;

static bump_chunk *bump_chunks;
static char *bump_cursor, *bump_limit;
static size_t bump_handed_out, bump_mapped;

static int bump_new_chunk(size_t need)
{
    size_t size = need + sizeof(bump_chunk) > BUMP_CHUNK ? need + sizeof(bump_chunk) : BUMP_CHUNK;
    bump_chunk *c = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (c == MAP_FAILED)
        return -1;
    c->next = bump_chunks;
    c->size = size;
    bump_chunks = c;
    bump_mapped += size;
    bump_cursor = (char *)c + ((sizeof(bump_chunk) + 15) & ~(size_t)15);
    bump_limit = (char *)c + size;
    return 0;
}

static void *bump_malloc(size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t need = BUMP_HEADER + ((size + 15) & ~(size_t)15);
    if ((size_t)(bump_limit - bump_cursor) < need && bump_new_chunk(need + 16) != 0)
        return NULL;
    char *block = bump_cursor;
    bump_cursor += need;
    bump_handed_out += size;
    memcpy(block, &size, sizeof size);
    return block + BUMP_HEADER;
}

static void bump_free(void *ptr) { (void)ptr; }

static void *bump_realloc(void *ptr, size_t size)
{
    void *fresh = bump_malloc(size);
    if (ptr && fresh) {
        size_t old;
        memcpy(&old, (char *)ptr - BUMP_HEADER, sizeof old);
        memcpy(fresh, ptr, old < size ? old : size);
    }
    return fresh;
}

static const char *bump_init(void) { return NULL; }

static void bump_teardown(void)
{
    while (bump_chunks) {
        bump_chunk *next = bump_chunks->next;
        munmap(bump_chunks, bump_chunks->size);
        bump_chunks = next;
    }
    bump_cursor = bump_limit = NULL;
    bump_handed_out = bump_mapped = 0;
}

static void bump_stats(pab_stats *out)
{
    pab_stats_clear(out);
    out->in_use_bytes = (double)bump_handed_out; /* nothing is ever given back */
    out->mapped_bytes = (double)bump_mapped;
    pab_stats_add(out, "chunks_bytes", (double)bump_mapped);
}

static const char *bump_version(void) { return "pyallocbench"; }

const pab_allocator pab_bump = {
    .name = "bump",
    .description = "bump pointer over 64 MiB mmap'd chunks, never reuses (the speed floor)",
    .init = bump_init,
    .teardown = bump_teardown,
    .malloc = bump_malloc,
    .realloc = bump_realloc,
    .free = bump_free,
    .stats = bump_stats,
    .version = bump_version,
};
