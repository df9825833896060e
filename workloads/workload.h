/*
 * workload.h: the one interface every workload implements, and the small
 * counting interface (the meter) through which it reports to the harness.
 *
 * A workload models, in C, the allocation sequence some Python code makes in
 * CPython 3.11. It sees the allocator only through allocators/allocator.h and
 * never includes a harness header: the harness fills in a pab_meter and the
 * workload counts through the inline helpers below.
 *
 * One call of run() is one complete pass: it allocates, reaches its
 * measurement point (pab_mark), and frees everything it allocated, so the
 * harness can repeat it in a timed loop and live_bytes ends at zero.
 * Everything random comes from the seed, so a (seed, scale) pair always makes
 * the same sequence of (operation, size).
 *
 * Cost: each counted operation adds an increment, an add and one predictable
 * compare to the allocator call; sampling (reading RSS) happens only when the
 * harness asks for it, never in a timed pass (next_sample = UINT64_MAX).
 */
#ifndef PAB_WORKLOAD_H
#define PAB_WORKLOAD_H

#include "../allocators/allocator.h"

#include <stdint.h>

typedef struct pab_meter {
    uint64_t ops;         /* malloc, realloc and free calls made */
    int64_t live_bytes;   /* bytes requested and not yet freed */
    uint64_t next_sample; /* ops count at which on_sample is due */
    void (*on_sample)(struct pab_meter *m); /* may move next_sample on */
    void (*on_mark)(struct pab_meter *m);   /* the workload's measurement point */
    /* A figure of the workload's own (e.g. reallocs that moved), reported
     * once per pass after its loop, never per operation. */
    void (*on_counter)(struct pab_meter *m, const char *name, double value);
    void *owner;          /* the harness's own data */
} pab_meter;

/* The most threads one pass of a threaded workload runs (--threads). */
enum { PAB_THREADS_MAX = 64 };

/* What one run needs: the allocator, the meter, the seed and the scale;
 * for a threaded workload also which of how many threads this is (0 of 0
 * is one thread) and where its threads meet. */
typedef struct pab_ctx {
    const pab_allocator *alloc;
    pab_meter *meter; /* this thread's own */
    uint64_t seed;
    uint64_t scale;
    unsigned thread, nthreads;
    /* Returns once every thread of the pass has called it; NULL with one
     * thread. Called through pab_barrier only. */
    void (*barrier)(const struct pab_ctx *c);
} pab_ctx;

typedef struct pab_workload {
    const char *name;        /* as --workload takes it */
    const char *description; /* one line for --list */
    uint64_t default_scale;  /* a full run */
    uint64_t quick_scale;    /* --quick: a fraction of a second per pass */
    /* One complete pass; 0 on success, -1 if the allocator returned NULL. */
    int (*run)(const pab_ctx *ctx);
    /* The number of operations one pass makes, by the formula its file
     * states; tests hold run() to it. */
    uint64_t (*expected_ops)(uint64_t scale, uint64_t seed);
    /* Set for a threaded workload (threads_*), whose run() is then one
     * thread's part of a pass (ctx->thread of ctx->nthreads, all started
     * together); the operations of that part. Its expected_ops is the pass
     * at one thread, so a caller that knows nothing of threads runs it as
     * a single-threaded workload. NULL for a single-threaded workload. */
    uint64_t (*thread_ops)(uint64_t scale, uint64_t seed, unsigned thread, unsigned nthreads);
    /* Optional, for a workload that replays a file the user gives (trace.c):
     * reads and checks `input` into the file's state, before any pass (and
     * expected_ops); 0, or -1 with one line in err. Such a workload runs
     * only on inputs, one row each (pab_workload_with_input), never in a
     * default run. */
    int (*load)(const char *input, char *err, size_t errlen);
    /* Optional: builds the workload's own tables (trace_replay's decoded
     * trace) before the harness takes its baseline RSS, so that their pages
     * are not counted as the allocator's memory. run() builds them too when
     * nothing called this first. */
    void (*prepare)(void);

    /* Set in instances only: the input, and the strings the instance owns. */
    const char *input;
    char *owned_name, *owned_input;
} pab_workload;

/* The table of every workload, NULL-terminated (registry.c). */
extern const pab_workload *const pab_workloads[];

/* The table entry named `name`, or NULL. */
const pab_workload *pab_workload_find(const char *name);

/* The instance of `kind` (one with load) on the file at `path`, labelled
 * KIND/STEM: STEM is the file's name without its extension, in lower case,
 * with every character other than a-z, 0-9 and '_' written as '_'. The
 * input is not loaded. NULL with one line in err (out of memory). */
pab_workload *pab_workload_with_input(const pab_workload *kind, const char *path, char *err, size_t errlen);

/* The first n characters of text as a label's variant, as above (lower
 * case, other characters written as '_'), into out, cut to fit len; their
 * number. */
size_t pab_workload_variant(const char *text, size_t n, char *out, size_t len);

/* The kind behind a label: the entry named `label`, or for KIND/STEM the
 * entry KIND when it takes inputs; NULL otherwise. */
const pab_workload *pab_workload_kind_of(const char *label);

/* Frees an instance; does nothing for a table entry. */
void pab_workload_free(const pab_workload *w);

/* The operations of one pass at `nthreads` threads (the sum of its
 * threads' parts; expected_ops for a single-threaded workload). */
uint64_t pab_workload_ops(const pab_workload *w, uint64_t scale, uint64_t seed, unsigned nthreads);

static inline void pab_count(pab_meter *m, int64_t live_delta)
{
    m->ops++;
    m->live_bytes += live_delta;
    if (__builtin_expect(m->ops >= m->next_sample, 0))
        m->on_sample(m);
}

static inline void *pab_malloc(const pab_ctx *c, size_t n)
{
    void *p = c->alloc->malloc(n);
    pab_count(c->meter, p ? (int64_t)n : 0);
    return p;
}

/* `old` is the size the block was requested with; workloads know it. */
static inline void *pab_realloc(const pab_ctx *c, void *p, size_t old, size_t n)
{
    void *q = c->alloc->realloc(p, n);
    pab_count(c->meter, q ? (int64_t)n - (int64_t)old : 0);
    return q;
}

static inline void pab_free(const pab_ctx *c, void *p, size_t n)
{
    c->alloc->free(p);
    pab_count(c->meter, -(int64_t)n);
}

/* The calling thread is about to wait for another one: a lock it holds
 * across allocator calls (the GIL model) is given up first, as CPython
 * releases the GIL around a blocking call. */
static inline void pab_will_wait(const pab_ctx *c)
{
    if (c->alloc->release)
        c->alloc->release();
}

/* Every thread of the pass meets here (nothing with one thread). */
static inline void pab_barrier(const pab_ctx *c)
{
    if (c->barrier) {
        pab_will_wait(c);
        c->barrier(c);
    }
}

static inline unsigned pab_nthreads(const pab_ctx *c) { return c->nthreads ? c->nthreads : 1; }

/* Where thread t's share of `total` items begins when they are split as
 * evenly as they go over n threads: its share is [first(t), first(t+1)). */
static inline uint64_t pab_share_first(uint64_t total, unsigned t, unsigned n)
{
    return total / n * t + (t < total % n ? t : total % n);
}

static inline uint64_t pab_share(uint64_t total, unsigned t, unsigned n)
{
    return pab_share_first(total, t + 1, n) - pab_share_first(total, t, n);
}

static inline void pab_mark(const pab_ctx *c)
{
    c->meter->on_mark(c->meter);
}

static inline void pab_report(const pab_ctx *c, const char *name, double value)
{
    c->meter->on_counter(c->meter, name, value);
}

#endif
