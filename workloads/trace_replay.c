/*
 * trace_replay: a real CPython 3.11 allocation trace, replayed call by call.
 * The other workloads model a sequence; this one is the sequence itself:
 * traces/python311.trace was recorded from Debian's /usr/bin/python3 3.11.2
 * (PYTHONMALLOC=malloc) running traces/snippet.py, everyday code: a JSON
 * document built, dumped and parsed, class instances made from it and
 * sorted, grouping into dicts, a dict comprehension, f-strings, regex
 * matches, and a second JSON dump. traces/README.md says how to re-record.
 *
 * The trace names blocks by id, not address: "m SIZE" makes the next id,
 * "r ID SIZE" and "f ID" name one. It frees every block it makes (blocks
 * that outlived the recording are freed at its end, in allocation order),
 * so each replay ends with nothing alive. It is compiled in (traces/
 * embed.cmake): a workload reads no file.
 *
 * Memory: the block table is this file's own static array, indexed by id
 * and sized by the number of operations (every id is born by one), so the
 * allocator under test sees only the trace's requests. Every new block is
 * written whole, and the grown tail of a realloc, since CPython fills the
 * objects and buffers it allocates (headers, item slots, characters).
 *
 * scale = how many times the whole trace is replayed per pass; no
 * randomness, the seed is ignored. pab_mark comes once, in the first
 * replay, right after the operation at which the most bytes are live (at
 * the start when scale is 0). Operations per pass: scale * TRACE_OPS.
 */
#include "workload.h"

#include <string.h>

typedef struct trace_op {
    char kind; /* 'm', 'r' or 'f' */
    uint32_t id;
    uint32_t size;
} trace_op;

static const trace_op trace_ops[] = {
#include "python311_trace.inc"
};

enum { TRACE_OPS = sizeof trace_ops / sizeof *trace_ops, TOUCH_BYTE = 0xA5 };

typedef struct trace_block {
    void *ptr;
    size_t size;
} trace_block;

static trace_block trace_blocks[TRACE_OPS];

/* The index of the operation after which the most bytes are live. */
static size_t trace_peak_op(void)
{
    static size_t peak_op = SIZE_MAX;
    if (peak_op != SIZE_MAX)
        return peak_op;
    uint32_t next_id = 0;
    int64_t live = 0, peak = -1;
    for (size_t i = 0; i < TRACE_OPS; i++) {
        const trace_op *op = &trace_ops[i];
        if (op->kind == 'm') {
            trace_blocks[next_id++].size = op->size;
            live += op->size;
        } else {
            live -= (int64_t)trace_blocks[op->id].size;
            trace_blocks[op->id].size = op->kind == 'r' ? op->size : 0;
            live += (int64_t)trace_blocks[op->id].size;
        }
        if (live > peak) {
            peak = live;
            peak_op = i;
        }
    }
    return peak_op;
}

/* One operation; -1 if the allocator returned NULL (the table still holds
 * every block that is alive). */
static int trace_step(const pab_ctx *c, const trace_op *op, uint32_t *next_id)
{
    if (op->kind == 'm') {
        void *p = pab_malloc(c, op->size);
        if (!p)
            return -1;
        memset(p, TOUCH_BYTE, op->size);
        trace_blocks[(*next_id)++] = (trace_block){p, op->size};
        return 0;
    }
    trace_block *b = &trace_blocks[op->id];
    if (op->kind == 'f') {
        pab_free(c, b->ptr, b->size);
        *b = (trace_block){NULL, 0};
        return 0;
    }
    void *q = pab_realloc(c, b->ptr, b->size, op->size);
    if (!q)
        return -1;
    if (op->size > b->size)
        memset((char *)q + b->size, TOUCH_BYTE, op->size - b->size);
    *b = (trace_block){q, op->size};
    return 0;
}

/* After a failure: frees, in allocation order, every block made so far. */
static void trace_free_all(const pab_ctx *c, uint32_t made)
{
    for (uint32_t id = 0; id < made; id++) {
        trace_block *b = &trace_blocks[id];
        if (b->ptr)
            pab_free(c, b->ptr, b->size);
        *b = (trace_block){NULL, 0};
    }
}

static int trace_replay_once(const pab_ctx *c, size_t mark_after)
{
    uint32_t next_id = 0;
    for (size_t i = 0; i < TRACE_OPS; i++) {
        if (trace_step(c, &trace_ops[i], &next_id) != 0) {
            trace_free_all(c, next_id);
            return -1;
        }
        if (i == mark_after)
            pab_mark(c);
    }
    return 0;
}

static int trace_replay_run(const pab_ctx *c)
{
    size_t peak = trace_peak_op();
    if (c->scale == 0)
        pab_mark(c);
    for (uint64_t r = 0; r < c->scale; r++)
        if (trace_replay_once(c, r == 0 ? peak : SIZE_MAX) != 0)
            return -1;
    return 0;
}

static uint64_t trace_replay_expected_ops(uint64_t scale, uint64_t seed)
{
    (void)seed;
    return scale * TRACE_OPS;
}

const pab_workload pab_trace_replay = {
    .name = "trace_replay",
    .description = "a CPython 3.11 malloc trace (JSON, regex, sort, f-strings) replayed call by call",
    .default_scale = 600,
    .quick_scale = 4,
    .run = trace_replay_run,
    .expected_ops = trace_replay_expected_ops,
};
