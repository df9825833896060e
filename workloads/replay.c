/* replay.c: see replay.h. */
#include "replay.h"

#include <string.h>

enum { TOUCH_BYTE = 0xA5 };

void pab_replay_find_peak(pab_replay *r)
{
    int64_t live = 0, peak = -1;
    r->peak_op = 0;
    for (size_t i = 0; i < r->nops; i++) {
        const pab_replay_op *op = &r->ops[i];
        size_t *size = &r->blocks[op->id].size;
        live -= (int64_t)*size;
        *size = op->kind == PAB_REPLAY_FREE ? 0 : (size_t)op->size;
        live += (int64_t)*size;
        if (live > peak) {
            peak = live;
            r->peak_op = i;
        }
    }
    for (size_t id = 0; id < r->nblocks; id++)
        r->blocks[id] = (pab_replay_block){NULL, 0, false};
}

static void *new_block(const pab_ctx *c, bool raw, size_t n)
{
    if (!raw || !c->alloc->raw_malloc)
        return pab_malloc(c, n);
    void *p = c->alloc->raw_malloc(n);
    pab_count(c->meter, p ? (int64_t)n : 0);
    return p;
}

static void *resize_block(const pab_ctx *c, const pab_replay_block *b, size_t n)
{
    if (!b->raw || !c->alloc->raw_realloc)
        return pab_realloc(c, b->ptr, b->size, n);
    void *q = c->alloc->raw_realloc(b->ptr, n);
    pab_count(c->meter, q ? (int64_t)n - (int64_t)b->size : 0);
    return q;
}

static void free_block(const pab_ctx *c, pab_replay_block *b)
{
    if (b->raw && c->alloc->raw_free) {
        c->alloc->raw_free(b->ptr);
        pab_count(c->meter, -(int64_t)b->size);
    } else {
        pab_free(c, b->ptr, b->size);
    }
    *b = (pab_replay_block){NULL, 0, false};
}

/* One op; -1 if the allocator returned NULL (the table still holds every
 * block that is alive). */
static int step(const pab_ctx *c, pab_replay *r, const pab_replay_op *op)
{
    pab_replay_block *b = &r->blocks[op->id];
    size_t size = (size_t)op->size;
    if (op->kind == PAB_REPLAY_FREE) {
        free_block(c, b);
        return 0;
    }
    if (op->kind == PAB_REPLAY_NEW) {
        void *p = new_block(c, op->raw, size);
        if (!p)
            return -1;
        memset(p, TOUCH_BYTE, size);
        *b = (pab_replay_block){p, size, op->raw};
        return 0;
    }
    /* A resize to 0 that left a block (CPython's allocators make every
     * request of 0 bytes one of 1) is replayed as one of 1: glibc's
     * realloc(p, 0) would free p instead. */
    if (size == 0)
        size = 1;
    void *q = resize_block(c, b, size);
    if (!q)
        return -1;
    if (size > b->size)
        memset((char *)q + b->size, TOUCH_BYTE, size - b->size);
    b->ptr = q;
    b->size = size;
    return 0;
}

static void free_all(const pab_ctx *c, pab_replay *r)
{
    for (size_t id = 0; id < r->nblocks; id++)
        if (r->blocks[id].ptr)
            free_block(c, &r->blocks[id]);
}

static int replay_once(const pab_ctx *c, pab_replay *r, size_t mark_after)
{
    for (size_t i = 0; i < r->nops; i++) {
        if (step(c, r, &r->ops[i]) != 0) {
            free_all(c, r);
            return -1;
        }
        if (i == mark_after)
            pab_mark(c);
    }
    return 0;
}

int pab_replay_run(const pab_ctx *c, pab_replay *r, uint64_t times)
{
    if (times == 0 || r->nops == 0)
        pab_mark(c);
    for (uint64_t t = 0; t < times; t++)
        if (replay_once(c, r, t == 0 ? r->peak_op : SIZE_MAX) != 0)
            return -1;
    return 0;
}
