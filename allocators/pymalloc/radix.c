/*
 * radix.c: records which 1 MiB frames of the address space live arenas
 * cover, so that free() can tell our blocks from the system's in constant
 * time. Layout and lookup rule: internal.h ("Radix tree").
 */
#include <stdlib.h>

#include "internal.h"

/* In BSS: the OS backs a page of it only once an arena lands there. */
pym_radix_root pym_radix;
size_t pym_radix_mid_count;
size_t pym_radix_bot_count;

/* The bottom node covering `a`; created when `create` (NULL if that fails),
 * otherwise NULL when absent. */
static pym_radix_bot *pym_radix_bottom(uintptr_t a, bool create)
{
    const uintptr_t top_mask = ((uintptr_t)1 << PYM_RADIX_TOP_BITS) - 1;
    const uintptr_t mid_mask = ((uintptr_t)1 << PYM_RADIX_MID_BITS) - 1;
    pym_radix_mid **mid = &pym_radix.mids[(a >> PYM_RADIX_TOP_SHIFT) & top_mask];
    if (*mid == NULL) {
        if (!create || (*mid = calloc(1, sizeof **mid)) == NULL)
            return NULL;
        pym_radix_mid_count++;
    }
    pym_radix_bot **bot = &(*mid)->bots[(a >> PYM_RADIX_MID_SHIFT) & mid_mask];
    if (*bot == NULL) {
        if (!create || (*bot = calloc(1, sizeof **bot)) == NULL)
            return NULL;
        pym_radix_bot_count++;
    }
    return *bot;
}

static pym_arena_coverage *pym_radix_frame(pym_radix_bot *bot, uintptr_t a)
{
    const uintptr_t bot_mask = ((uintptr_t)1 << PYM_RADIX_BOT_BITS) - 1;
    return &bot->frames[(a >> PYM_RADIX_BOT_SHIFT) & bot_mask];
}

/* Sets (used) or clears the top of `frame` taken by an arena starting
 * `tail` bytes into it; as in CPython, setting twice is setting once. */
static void pym_radix_set_top(pym_arena_coverage *frame, uint32_t tail, bool used)
{
    frame->covered = frame->lo + (used ? (uint32_t)PYM_ARENA_SIZE - tail : 0);
}

/* Sets or clears the bottom `tail` bytes of `frame`, where an arena from the
 * frame below ends, keeping whatever top part the frame has. */
static void pym_radix_set_bottom(pym_arena_coverage *frame, uint32_t tail, bool used)
{
    uint32_t top = frame->covered - frame->lo;
    frame->lo = used ? tail : 0;
    frame->covered = frame->lo + top;
}

bool pym_radix_mark(uintptr_t base, bool used)
{
    pym_radix_bot *hi = pym_radix_bottom(base, used);
    if (hi == NULL)
        return false;
    uint32_t tail = (uint32_t)(base & PYM_ARENA_MASK);
    pym_radix_set_top(pym_radix_frame(hi, base), tail, used);
    if (tail == 0)
        return true;
    /* Not frame aligned: the arena's top part lies in the next frame, which
     * may sit under other mid and root entries. */
    uintptr_t next = base + PYM_ARENA_SIZE;
    pym_radix_bot *lo = pym_radix_bottom(next, used);
    if (lo == NULL) {
        pym_radix_set_top(pym_radix_frame(hi, base), tail, false);
        return false;
    }
    pym_radix_set_bottom(pym_radix_frame(lo, next), tail, used);
    return true;
}
