/*
 * arena_placement.h: decides where the arenas of the two allocators under
 * comparison land in memory, so that both see exactly the same addresses.
 *
 * Where mmap puts an arena is not policy but luck, and the luck shows in the
 * statistics: an arena that is not 16 KiB aligned loses one of its 64 pools
 * (which then changes how many arenas a workload needs), and the radix
 * tree's node counts depend on the addresses. This file defines mmap, mmap64
 * and munmap for the test executable, which both libpython3 (it imports
 * mmap64) and our pymalloc bind to. While a side is selected, each 1 MiB
 * anonymous mapping is placed in that side's private region, in the lowest
 * free 1 MiB slot, at a chosen offset from a 16 GiB boundary (one radix
 * bottom node covers 16 GiB). Both sides therefore get identical addresses
 * up to the region base, and the offset within a pool (`residue`) decides
 * whether arenas are pool-aligned or not, on both sides at once.
 * Every other mapping is passed to the kernel unchanged.
 */
#ifndef ARENA_PLACEMENT_H
#define ARENA_PLACEMENT_H

#include <stddef.h>
#include <stdint.h>

enum { PLACEMENT_NO_SIDE = -1, PLACEMENT_SIDES = 2 };

/* Reserves both regions; residue < 1 MiB, a multiple of the page size. 0 on success. */
int placement_init(size_t residue);

/* Arenas mapped from now on go to `side`'s region (PLACEMENT_NO_SIDE: to the kernel). */
void placement_select(int side);

/* Start of `side`'s region: the address of its first arena slot. */
uintptr_t placement_base(int side);

/* Whether p lies inside `side`'s region. */
int placement_contains(int side, const void *p);

typedef struct placement_counts {
    size_t mapped, unmapped;
    size_t bad_unmaps; /* munmap of part of an arena, or of a slot not mapped */
} placement_counts;

placement_counts placement_counts_of(int side);

#endif
