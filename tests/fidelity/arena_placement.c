/* The mmap interposer behind arena_placement.h. */
#include "arena_placement.h"

#include <stdbool.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { PLACEMENT_ARENA = 1 << 20, PLACEMENT_SLOTS = 256 };
#define PLACEMENT_NODE_SPAN ((uintptr_t)1 << 34) /* what one radix bottom node covers */

typedef struct placement_region {
    uintptr_t base;
    bool used[PLACEMENT_SLOTS];
    placement_counts counts;
} placement_region;

static placement_region regions[PLACEMENT_SIDES];
static int selected = PLACEMENT_NO_SIDE;

/* The kernel's mmap, bypassing this file's own definition. */
static void *kernel_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

static int kernel_munmap(void *addr, size_t len) { return (int)syscall(SYS_munmap, addr, len); }

static void *reserve(uintptr_t at, size_t len)
{
    int fixed = at ? MAP_FIXED : 0;
    return kernel_mmap((void *)at, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | fixed, -1, 0);
}

/* Keeps only [start, start + len) of a reservation [got, got + got_len). */
static void trim_reservation(uintptr_t got, size_t got_len, uintptr_t start, size_t len)
{
    if (start > got)
        kernel_munmap((void *)got, start - got);
    if (got + got_len > start + len)
        kernel_munmap((void *)(start + len), got + got_len - (start + len));
}

static int reserve_region(placement_region *r, size_t residue)
{
    size_t len = (size_t)PLACEMENT_SLOTS * PLACEMENT_ARENA + PLACEMENT_ARENA;
    size_t got_len = PLACEMENT_NODE_SPAN + len;
    void *got = reserve(0, got_len);
    if (got == MAP_FAILED)
        return -1;
    uintptr_t start = ((uintptr_t)got + PLACEMENT_NODE_SPAN - 1) & ~(PLACEMENT_NODE_SPAN - 1);
    trim_reservation((uintptr_t)got, got_len, start, len);
    *r = (placement_region){.base = start + residue};
    return 0;
}

int placement_init(size_t residue)
{
    for (int side = 0; side < PLACEMENT_SIDES; side++)
        if (reserve_region(&regions[side], residue) != 0)
            return -1;
    return 0;
}

void placement_select(int side) { selected = side; }

uintptr_t placement_base(int side) { return regions[side].base; }

int placement_contains(int side, const void *p)
{
    uintptr_t a = (uintptr_t)p, base = regions[side].base;
    return base && a >= base && a < base + (size_t)PLACEMENT_SLOTS * PLACEMENT_ARENA;
}

placement_counts placement_counts_of(int side) { return regions[side].counts; }

static bool is_arena_request(void *addr, size_t len, int flags, int fd)
{
    return selected != PLACEMENT_NO_SIDE && !addr && len == PLACEMENT_ARENA && fd == -1 &&
           (flags & (MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED)) == (MAP_ANONYMOUS | MAP_PRIVATE);
}

static void *place_arena(int prot, int flags)
{
    placement_region *r = &regions[selected];
    for (size_t slot = 0; slot < PLACEMENT_SLOTS; slot++)
        if (!r->used[slot]) {
            void *want = (void *)(r->base + slot * PLACEMENT_ARENA);
            void *got = kernel_mmap(want, PLACEMENT_ARENA, prot, flags | MAP_FIXED, -1, 0);
            if (got != MAP_FAILED) {
                r->used[slot] = true;
                r->counts.mapped++;
            }
            return got;
        }
    return MAP_FAILED; /* the region is full: the allocator sees an out-of-memory */
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (is_arena_request(addr, len, flags, fd))
        return place_arena(prot, flags);
    return kernel_mmap(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    return mmap(addr, len, prot, flags, fd, off);
}

/* An arena given back keeps its slot reserved (PROT_NONE) so nothing else lands there. */
int munmap(void *addr, size_t len)
{
    for (int side = 0; side < PLACEMENT_SIDES; side++) {
        placement_region *r = &regions[side];
        if (!placement_contains(side, addr))
            continue;
        uintptr_t off = (uintptr_t)addr - r->base;
        size_t slot = off / PLACEMENT_ARENA;
        if (off % PLACEMENT_ARENA || len != PLACEMENT_ARENA || !r->used[slot]) {
            r->counts.bad_unmaps++;
            return kernel_munmap(addr, len);
        }
        r->used[slot] = false;
        r->counts.unmapped++;
        return reserve((uintptr_t)addr, len) == MAP_FAILED ? -1 : 0;
    }
    return kernel_munmap(addr, len);
}
