/*
 * replay.h: replays a sequence of allocation calls whose blocks are named
 * by id, the engine behind trace_replay (the trace compiled in) and trace
 * (a trace file recorded by ./bench record).
 *
 * Each new block is written whole, and the grown tail of a realloc, since
 * CPython fills what it allocates. A block keeps the domain it was made in:
 * a raw one (CPython's raw domain, or a call from outside its allocator) is
 * served, resized and freed by the allocator's raw entries where it has
 * them (allocator.h), the others by its main entries, the way CPython
 * routes them under the configuration the allocator stands for.
 *
 * Invariants the ops keep (trace_reader.c checks them for files): the id of
 * a new block is the number of new blocks before it; a realloc or free
 * names a live block; every block is freed by the end. So one pass ends
 * with nothing alive and can be repeated.
 */
#ifndef PAB_REPLAY_H
#define PAB_REPLAY_H

#include "workload.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum pab_replay_kind { PAB_REPLAY_NEW, PAB_REPLAY_RESIZE, PAB_REPLAY_FREE } pab_replay_kind;

typedef struct pab_replay_op {
    uint8_t kind; /* pab_replay_kind */
    bool raw;     /* NEW only: made in the raw domain */
    uint32_t id;
    uint64_t size; /* NEW, RESIZE: bytes requested */
} pab_replay_op;

typedef struct pab_replay_block {
    void *ptr;
    size_t size;
    bool raw;
} pab_replay_block;

typedef struct pab_replay {
    const pab_replay_op *ops;
    size_t nops;
    pab_replay_block *blocks; /* nblocks entries, all empty between passes */
    size_t nblocks;
    size_t peak_op; /* the op after which the most bytes are live */
} pab_replay;

/* Fills r->peak_op from the ops (r->blocks serve as scratch and are left
 * empty). */
void pab_replay_find_peak(pab_replay *r);

/* Replays the ops `times` times; pab_mark after peak_op of the first
 * replay (at once when times is 0). 0, or -1 when the allocator returned
 * NULL, after freeing every block made so far. */
int pab_replay_run(const pab_ctx *c, pab_replay *r, uint64_t times);

#endif
