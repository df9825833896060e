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
 * Recorded under PYTHONMALLOC=malloc, it does not say which domain a call
 * came through: every call is replayed through the allocator's main
 * entries. replay.c replays it; the op and block tables are this file's own
 * static arrays, so the allocator under test sees only the trace's
 * requests.
 *
 * scale = how many times the whole trace is replayed per pass; no
 * randomness, the seed is ignored. pab_mark comes once, in the first
 * replay, right after the operation at which the most bytes are live (at
 * the start when scale is 0). Operations per pass: scale * TRACE_OPS.
 */
#include "replay.h"

typedef struct trace_op {
    char kind; /* 'm', 'r' or 'f' */
    uint32_t id;
    uint32_t size;
} trace_op;

static const trace_op trace_ops[] = {
#include "python311_trace.inc"
};

enum { TRACE_OPS = sizeof trace_ops / sizeof *trace_ops };

/* Every id is born by an op, so TRACE_OPS bounds the blocks. */
static pab_replay_op trace_replay_ops[TRACE_OPS];
static pab_replay_block trace_blocks[TRACE_OPS];
static pab_replay trace;

/* The embedded ops as replay.h's, new blocks numbered in order; once. */
static pab_replay *trace_prepared(void)
{
    if (trace.ops)
        return &trace;
    uint32_t next_id = 0;
    for (size_t i = 0; i < TRACE_OPS; i++) {
        const trace_op *op = &trace_ops[i];
        pab_replay_op *out = &trace_replay_ops[i];
        if (op->kind == 'm')
            *out = (pab_replay_op){PAB_REPLAY_NEW, false, next_id++, op->size};
        else
            *out = (pab_replay_op){op->kind == 'r' ? PAB_REPLAY_RESIZE : PAB_REPLAY_FREE, false, op->id, op->size};
    }
    trace = (pab_replay){trace_replay_ops, TRACE_OPS, trace_blocks, next_id, 0};
    pab_replay_find_peak(&trace);
    return &trace;
}

static void trace_replay_prepare(void) { trace_prepared(); }

static int trace_replay_run(const pab_ctx *c) { return pab_replay_run(c, trace_prepared(), c->scale); }

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
    .prepare = trace_replay_prepare,
};
