/*
 * script.h: a deterministic sequence of allocator operations on numbered
 * slots, built once and replayed identically against each allocator.
 * Checkpoints split it into segments after which statistics are compared.
 */
#ifndef SCRIPT_H
#define SCRIPT_H

#include "pab_test_rng.h"

#include <stddef.h>
#include <stdint.h>

typedef enum script_kind { SCRIPT_MALLOC, SCRIPT_REALLOC, SCRIPT_FREE, SCRIPT_CHECKPOINT } script_kind;

typedef struct script_op {
    uint8_t kind;
    uint32_t slot;
    uint32_t size;
} script_op;

typedef struct script {
    script_op *ops;
    size_t nops, cap;
    uint32_t nslots, slot_cap;
    /* Builder state: which slots are live, as a dense array for picking one at random. */
    uint32_t *live, *live_index, nlive;
    uint32_t *free_slots, nfree;
    pab_test_rng rng;
} script;

void script_init(script *s, uint64_t seed);
void script_release(script *s);

/* Each returns the slot used. */
uint32_t script_malloc(script *s, uint32_t size);
void script_realloc(script *s, uint32_t slot, uint32_t size);
void script_free(script *s, uint32_t slot);
void script_checkpoint(script *s);

/* A random live slot; the script must have one. */
uint32_t script_random_live(script *s);

/* Frees every live block in random order, then checkpoints. */
void script_free_all(script *s);

#endif
