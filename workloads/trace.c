/*
 * trace: a trace file recorded from a real program (./bench record, traces/
 * FORMAT.md), replayed call by call; --workload=trace --trace=FILE[,FILE...]
 * makes one row per file, labelled trace/STEM.
 *
 * Routing is the configuration's: a call of CPython's raw domain, or one
 * from outside its allocator, is served by the allocator's raw entries
 * (allocator.h: the system malloc under pymalloc, cpython and pymalloc+X),
 * mem and object calls by its main entries; allocators without raw entries
 * (PYTHONMALLOC=malloc and its preloaded mallocs) serve everything.
 *
 * What a replay cannot be: threads are replayed in the one thread, in the
 * order the recorder saw their calls; an aligned allocation (posix_memalign
 * and its kin) is replayed as a plain one of its size, since the interface
 * has no aligned entry, and the pass reports how many there were
 * (aligned_as_plain). replay.c writes every new block, so calloc's zeroing
 * is paid as a malloc's touch.
 *
 * The op and block tables are mapped, not malloc'ed, and loaded before the
 * allocator starts, and the records go into them one by one from the mapped
 * file, so the allocator under test serves only the trace's requests. A
 * preloaded malloc is the allocator under test even before it "starts":
 * when the records were first gathered in a malloc'ed array and freed,
 * tcmalloc kept that array's pages and served the replay from them, below
 * the baseline (a peak of 0.4 MiB over 57.6 MiB live on ast_walk).
 *
 * scale = replays of the whole trace per pass; no randomness, the seed is
 * ignored. pab_mark once, in the first replay, after the call at which the
 * most bytes are live. Operations per pass: scale * the trace's records.
 */
#include "replay.h"
#include "trace_reader.h"

#include <stdio.h>
#include <sys/mman.h>

static pab_replay trace_file;
static uint64_t trace_aligned;

/* n bytes of zeroes outside every allocator, or NULL. */
static void *trace_map(size_t n)
{
    void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void trace_unmap(const void *p, size_t n)
{
    if (p)
        munmap((void *)p, n ? n : 1);
}

static void trace_unload(void)
{
    trace_unmap(trace_file.ops, trace_file.nops * sizeof *trace_file.ops);
    trace_unmap(trace_file.blocks, trace_file.nblocks * sizeof *trace_file.blocks);
    trace_file = (pab_replay){0};
    trace_aligned = 0;
}

static pab_replay_op trace_op_of(const pab_trace_record *rec)
{
    bool raw = rec->domain == PAB_TRACE_RAW || rec->domain == PAB_TRACE_LIBC;
    switch (rec->op) {
    case PAB_TRACE_REALLOC:
        return (pab_replay_op){PAB_REPLAY_RESIZE, false, (uint32_t)rec->id, rec->size};
    case PAB_TRACE_FREE:
    case PAB_TRACE_EXIT_FREE:
        return (pab_replay_op){PAB_REPLAY_FREE, false, (uint32_t)rec->id, 0};
    default: /* MALLOC, CALLOC, MEMALIGN */
        return (pab_replay_op){PAB_REPLAY_NEW, raw, (uint32_t)rec->id, rec->size};
    }
}

/* The reader's records as replay ops, into trace_file; -1 with why in err. */
static int trace_convert(pab_trace_reader *t, const char *input, char *err, size_t errlen)
{
    const pab_trace_header *h = pab_trace_header_of(t);
    if (h->blocks > UINT32_MAX || h->records > SIZE_MAX / sizeof(pab_replay_op)) {
        snprintf(err, errlen, "trace %s: %llu blocks, more than a replay can name", input,
                 (unsigned long long)h->blocks);
        return -1;
    }
    pab_replay_op *ops = trace_map(h->records * sizeof *ops);
    pab_replay_block *blocks = trace_map(h->blocks * sizeof *blocks);
    trace_file = (pab_replay){ops, h->records, blocks, h->blocks, 0};
    if (!ops || !blocks) {
        trace_unload();
        snprintf(err, errlen, "trace %s: out of memory for %llu records", input, (unsigned long long)h->records);
        return -1;
    }
    pab_trace_record rec;
    int got;
    for (uint64_t i = 0; (got = pab_trace_next(t, &rec)) == 1; i++) {
        ops[i] = trace_op_of(&rec);
        trace_aligned += rec.op == PAB_TRACE_MEMALIGN;
    }
    if (got < 0) {
        snprintf(err, errlen, "%s", pab_trace_error(t));
        trace_unload();
        return -1;
    }
    pab_replay_find_peak(&trace_file);
    return 0;
}

static int trace_load(const char *input, char *err, size_t errlen)
{
    trace_unload();
    pab_trace_reader *t = pab_trace_open(input, err, errlen);
    if (!t)
        return -1;
    int rc = trace_convert(t, input, err, errlen);
    pab_trace_close(t);
    return rc;
}

static int trace_run(const pab_ctx *c)
{
    int rc = pab_replay_run(c, &trace_file, c->scale);
    pab_report(c, "aligned_as_plain", (double)(trace_aligned * c->scale));
    return rc;
}

static uint64_t trace_expected_ops(uint64_t scale, uint64_t seed)
{
    (void)seed;
    return scale * trace_file.nops;
}

const pab_workload pab_trace = {
    .name = "trace",
    .description = "a trace file recorded by ./bench record, replayed call by call (--trace=FILE)",
    .default_scale = 1,
    .quick_scale = 1,
    .run = trace_run,
    .expected_ops = trace_expected_ops,
    .load = trace_load,
};
