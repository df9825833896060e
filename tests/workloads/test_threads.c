/*
 * test_threads: the threaded workloads on the child's pool (harness/threads.h).
 *
 *   test_threads model [WORKLOAD]            recording allocator, 1, 2 and 4 threads
 *   test_threads alloc ALLOCATOR [WORKLOAD]  the same passes under a real allocator
 *
 * The recording allocator serves from glibc and keeps pointer -> requested
 * size under a mutex; every thread hashes its own (operation, size)
 * sequence. Checks: each thread's operations equal its thread_ops and the
 * pass's the workload's sum; every free names a block that is live, with
 * the size it was requested with (a block freed twice is unknown the
 * second time); no block is left and the threads' live bytes sum to 0; the
 * mark is reached once; the same seed and thread count give every thread
 * the same sequence, another seed another one; threads_handoff's counters:
 * each request handed off is freed once (the balance is 0), all of them
 * by another thread at more than one. Under a real allocator (pymalloc
 * behind a lock model) the live bytes, marks and counters. Built with
 * ThreadSanitizer (PAB_TSAN) it is the race check of the workloads, the
 * pool, pymalloc and the lock models. Exit 0 pass, 1 fail, 2 usage.
 */
#include "meter.h"
#include "rec_table.h"
#include "threads.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned thread_counts[] = {1, 2, 4};

/* ---- recording allocator, for every thread at once ---- */
static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER; /* over rec_table.h's table */
static size_t rec_mismatches;                                /* under rec_lock */
static _Thread_local uint64_t rec_digest, rec_ops;

static void rec_insert_locked(void *p, size_t n)
{
    pthread_mutex_lock(&rec_lock);
    rec_insert(p, n);
    pthread_mutex_unlock(&rec_lock);
}

/* p's size, SIZE_MAX (counted) when it is not a live block. */
static size_t rec_remove_locked(void *p)
{
    pthread_mutex_lock(&rec_lock);
    size_t size = rec_remove(p);
    rec_mismatches += size == SIZE_MAX;
    pthread_mutex_unlock(&rec_lock);
    return size;
}

static void rec_hash(uint64_t op, uint64_t size)
{
    rec_ops++;
    rec_digest = (rec_digest ^ op) * 0x100000001B3ull;
    rec_digest = (rec_digest ^ size) * 0x100000001B3ull;
    rec_digest ^= rec_digest >> 29;
}

static void *rec_malloc(size_t n)
{
    rec_hash('m', n);
    void *p = malloc(n ? n : 1);
    if (p)
        rec_insert_locked(p, n);
    return p;
}

static void *rec_realloc(void *p, size_t n)
{
    rec_hash('r', n);
    if (p && rec_remove_locked(p) == SIZE_MAX)
        return NULL;
    void *q = realloc(p, n ? n : 1);
    if (q)
        rec_insert_locked(q, n);
    return q;
}

static void rec_free(void *p)
{
    rec_hash('f', p ? rec_remove_locked(p) : 0);
    free(p);
}

static const pab_allocator rec_allocator = {
    .name = "recording",
    .thread_safe = true,
    .malloc = rec_malloc,
    .realloc = rec_realloc,
    .free = rec_free,
};

/* ---- a pass on the pool ---- */
typedef struct thread_record {
    uint64_t digest, ops;
} thread_record;

static const pab_workload *under_test;
static thread_record records[PAB_THREADS_MAX];

/* The workload as the pool runs it, each thread's record taken after its part. */
static int recorded_part(const pab_ctx *c)
{
    rec_digest = 0xCBF29CE484222325ull;
    rec_ops = 0;
    int rc = under_test->run(c);
    records[c->thread] = (thread_record){rec_digest, rec_ops};
    return rc;
}

static void part_failed(void)
{
    fprintf(stderr, "FAIL %s: a thread's part returned -1\n", under_test->name);
    exit(1);
}

typedef struct pass_result {
    int marks;
    int64_t live_at_mark, live_at_end;
    uint64_t ops;
    double balance, handed_off, cross, same_thread;
    thread_record threads[PAB_THREADS_MAX];
} pass_result;

static pass_result *current;

static void on_mark(pab_meter *m)
{
    (void)m;
    current->marks++;
    current->live_at_mark = pab_pool_live_bytes();
}

static void on_counter(pab_meter *m, const char *name, double value)
{
    (void)m;
    if (strcmp(name, "handoff_balance") == 0)
        current->balance = value;
    else if (strcmp(name, "handed_off") == 0)
        current->handed_off = value;
    else if (strcmp(name, "cross_thread_frees") == 0)
        current->cross = value;
    else if (strcmp(name, "same_thread_handoff") == 0)
        current->same_thread = value;
}

static void never_sample(pab_meter *m) { m->next_sample = UINT64_MAX; }

static pass_result pool_pass(const pab_workload *w, const pab_allocator *a, unsigned n, uint64_t seed, uint64_t scale)
{
    static pab_workload recorded;
    pass_result r = {.balance = -1, .handed_off = -1, .cross = -1, .same_thread = -1};
    char err[256];
    under_test = w;
    recorded = *w;
    recorded.run = recorded_part;
    current = &r;
    if (pab_pool_start(&recorded, n, part_failed, err, sizeof err) != 0) {
        fprintf(stderr, "FAIL %s: %s\n", w->name, err);
        exit(1);
    }
    pab_meter first = {.next_sample = UINT64_MAX, .on_sample = never_sample, .on_mark = on_mark,
                       .on_counter = on_counter};
    pab_ctx proto = {.alloc = a, .seed = seed, .scale = scale};
    pab_pool_pass(&proto, &first);
    r.ops = pab_pool_ops();
    r.live_at_end = pab_pool_live_bytes();
    pab_pool_join();
    memcpy(r.threads, records, sizeof records);
    return r;
}

/* ---- checks ---- */
static int failures;

static void check(int ok, const char *workload, unsigned n, const char *what, long long got, long long want)
{
    if (ok)
        return;
    fprintf(stderr, "FAIL %s at %u threads: %s (got %lld, want %lld)\n", workload, n, what, got, want);
    failures++;
}

static int is_handoff(const pab_workload *w) { return strcmp(w->name, "threads_handoff") == 0; }

/* What every pass must leave, on any allocator. */
static void check_pass(const pab_workload *w, unsigned n, const pass_result *r, uint64_t scale)
{
    check(r->marks == 1, w->name, n, "pab_mark called once", r->marks, 1);
    check(r->live_at_mark > 0, w->name, n, "something alive at the mark", r->live_at_mark, 1);
    check(r->live_at_end == 0, w->name, n, "the threads' live bytes sum to 0", r->live_at_end, 0);
    if (!is_handoff(w))
        return;
    check(r->handed_off == (double)scale, w->name, n, "every request handed off", (long long)r->handed_off,
          (long long)scale);
    check(r->balance == 0, w->name, n, "every request handed off freed once", (long long)r->balance, 0);
    long long cross = n > 1 ? (long long)scale : 0;
    check(r->cross == (double)cross, w->name, n, "requests freed by another thread", (long long)r->cross, cross);
    check(r->same_thread == (n == 1), w->name, n, "same_thread_handoff says one thread", (long long)r->same_thread,
          n == 1);
}

static void model_checks(const pab_workload *w)
{
    uint64_t scale = w->quick_scale;
    for (size_t k = 0; k < sizeof thread_counts / sizeof *thread_counts; k++) {
        unsigned n = thread_counts[k];
        pass_result a = pool_pass(w, &rec_allocator, n, 1, scale), b = pool_pass(w, &rec_allocator, n, 1, scale);
        pass_result other = pool_pass(w, &rec_allocator, n, 2, scale);
        check_pass(w, n, &a, scale);
        check(rec_live_blocks == 0, w->name, n, "blocks left allocated", (long long)rec_live_blocks, 0);
        check(rec_mismatches == 0, w->name, n, "frees of blocks not live", (long long)rec_mismatches, 0);
        uint64_t want = pab_workload_ops(w, scale, 1, n);
        check(a.ops == want, w->name, n, "ops equal the threads' thread_ops", (long long)a.ops, (long long)want);
        int differs = 0;
        for (unsigned t = 0; t < n; t++) {
            uint64_t part = w->thread_ops(scale, 1, t, n);
            check(a.threads[t].ops == part, w->name, n, "a thread's ops equal its thread_ops",
                  (long long)a.threads[t].ops, (long long)part);
            check(a.threads[t].digest == b.threads[t].digest, w->name, n,
                  "same seed and threads, same sequence in every thread", (long long)t, -1);
            differs |= a.threads[t].digest != other.threads[t].digest;
        }
        check(differs, w->name, n, "another seed, another sequence", 0, 1);
        printf("%s at %u threads: %llu ops, live at mark %lld bytes, thread 0 digest %016llx\n", w->name, n,
               (unsigned long long)a.ops, (long long)a.live_at_mark, (unsigned long long)a.threads[0].digest);
    }
}

static void allocator_checks(const pab_workload *w, const pab_allocator *a)
{
    for (size_t k = 0; k < sizeof thread_counts / sizeof *thread_counts; k++) {
        unsigned n = thread_counts[k];
        pass_result r = pool_pass(w, a, n, 1, w->quick_scale);
        check_pass(w, n, &r, w->quick_scale);
        printf("%s under %s at %u threads: %llu ops\n", w->name, a->name, n, (unsigned long long)r.ops);
    }
}

int main(int argc, char **argv)
{
    int is_model = argc >= 2 && strcmp(argv[1], "model") == 0;
    int is_alloc = argc >= 3 && strcmp(argv[1], "alloc") == 0;
    if ((!is_model && !is_alloc) || argc > (is_model ? 3 : 4)) {
        fprintf(stderr, "usage: test_threads model [WORKLOAD] | alloc ALLOCATOR [WORKLOAD]\n");
        return 2;
    }
    const char *only = argc > (is_model ? 2 : 3) ? argv[is_model ? 2 : 3] : NULL;
    pab_allocator *a = NULL;
    char err[512];
    if (is_alloc) {
        const char *why = NULL;
        if (!(a = pab_allocator_make(argv[2], err, sizeof err)) || (why = pab_allocator_start(a))) {
            fprintf(stderr, "test_threads: %s\n", why ? why : err);
            return 2;
        }
    } else if (!(rec_table = calloc(TABLE_SIZE, sizeof *rec_table))) {
        fprintf(stderr, "test_threads: out of memory\n");
        return 1;
    }
    int tested = 0;
    for (const pab_workload *const *w = pab_workloads; *w; w++) {
        if (!(*w)->thread_ops || (only && strcmp((*w)->name, only) != 0))
            continue;
        tested++;
        if (is_model)
            model_checks(*w);
        else
            allocator_checks(*w, a);
    }
    if (!tested) {
        fprintf(stderr, "test_threads: no threaded workload%s%s\n", only ? " named " : "", only ? only : "");
        return 2;
    }
    if (a)
        pab_allocator_stop(a);
    pab_allocator_free(a);
    free(rec_table);
    return failures ? 1 : 0;
}
