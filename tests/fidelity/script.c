/* Building operation scripts (script.h). */
#include "script.h"

#include <stdio.h>
#include <stdlib.h>

static void *grow_array(void *p, size_t n, size_t elem)
{
    void *q = realloc(p, n * elem);
    if (!q) {
        fprintf(stderr, "fidelity: out of memory building a script\n");
        exit(2);
    }
    return q;
}

static void push(script *s, script_kind kind, uint32_t slot, uint32_t size)
{
    if (s->nops == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4096;
        s->ops = grow_array(s->ops, s->cap, sizeof *s->ops);
    }
    s->ops[s->nops++] = (script_op){(uint8_t)kind, slot, size};
}

void script_init(script *s, uint64_t seed)
{
    *s = (script){0};
    pab_test_rng_seed(&s->rng, seed);
}

void script_release(script *s)
{
    free(s->ops);
    free(s->live);
    free(s->live_index);
    free(s->free_slots);
    *s = (script){0};
}

static uint32_t take_slot(script *s)
{
    if (s->nfree)
        return s->free_slots[--s->nfree];
    if (s->nslots == s->slot_cap) {
        s->slot_cap = s->slot_cap ? 2 * s->slot_cap : 4096;
        s->live = grow_array(s->live, s->slot_cap, sizeof *s->live);
        s->live_index = grow_array(s->live_index, s->slot_cap, sizeof *s->live_index);
        s->free_slots = grow_array(s->free_slots, s->slot_cap, sizeof *s->free_slots);
    }
    return s->nslots++;
}

uint32_t script_malloc(script *s, uint32_t size)
{
    uint32_t slot = take_slot(s);
    s->live_index[slot] = s->nlive;
    s->live[s->nlive++] = slot;
    push(s, SCRIPT_MALLOC, slot, size);
    return slot;
}

void script_realloc(script *s, uint32_t slot, uint32_t size) { push(s, SCRIPT_REALLOC, slot, size); }

void script_free(script *s, uint32_t slot)
{
    uint32_t at = s->live_index[slot], last = s->live[--s->nlive];
    s->live[at] = last;
    s->live_index[last] = at;
    s->free_slots[s->nfree++] = slot;
    push(s, SCRIPT_FREE, slot, 0);
}

void script_checkpoint(script *s) { push(s, SCRIPT_CHECKPOINT, 0, 0); }

uint32_t script_random_live(script *s) { return s->live[pab_test_rng_below(&s->rng, s->nlive)]; }

void script_free_all(script *s)
{
    while (s->nlive)
        script_free(s, script_random_live(s));
    script_checkpoint(s);
}
