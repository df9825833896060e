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

bool pym_radix_mark(uintptr_t base, bool used)
{
    pym_radix_bot *hi = pym_radix_bottom(base, used);
    if (hi == NULL)
        return false;
    int32_t tail = (int32_t)(base & PYM_ARENA_MASK);
    if (tail == 0) {
        pym_radix_frame(hi, base)->tail_hi = used ? -1 : 0;
        return true;
    }
    /* Not frame aligned: the arena's top part lies in the next frame, which
     * may sit under other mid and root entries. */
    pym_radix_frame(hi, base)->tail_hi = used ? tail : 0;
    uintptr_t next = base + PYM_ARENA_SIZE;
    pym_radix_bot *lo = pym_radix_bottom(next, used);
    if (lo == NULL) {
        pym_radix_frame(hi, base)->tail_hi = 0;
        return false;
    }
    pym_radix_frame(lo, next)->tail_lo = used ? tail : 0;
    return true;
}
