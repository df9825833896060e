/* threads.c: see threads.h. */
#include "threads.h"

#include "meter.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct {
    unsigned n;
    bool running, stopping;
    const pab_workload *workload;
    void (*failed)(void);
    pthread_t threads[PAB_THREADS_MAX];
    /* start: every thread and the caller, before a pass; done: after it;
     * inside: the threads alone, for the workload's pab_barrier. */
    pthread_barrier_t start, done, inside;
    pab_ctx ctx[PAB_THREADS_MAX];
    pab_meter meters[PAB_THREADS_MAX]; /* thread 0's is the caller's instead */
} pool;

static void inside_barrier(const pab_ctx *c)
{
    (void)c;
    pthread_barrier_wait(&pool.inside);
}

static void *thread_main(void *arg)
{
    unsigned t = (unsigned)(uintptr_t)arg;
    for (;;) {
        pthread_barrier_wait(&pool.start);
        if (pool.stopping)
            return NULL;
        const pab_ctx *c = &pool.ctx[t];
        if (pool.workload->run(c) != 0)
            pool.failed();
        /* Its part is done: a lock held across calls goes back (locked.h). */
        if (c->alloc->release)
            c->alloc->release();
        pthread_barrier_wait(&pool.done);
    }
}

static void destroy_barriers(void)
{
    pthread_barrier_destroy(&pool.start);
    pthread_barrier_destroy(&pool.done);
    pthread_barrier_destroy(&pool.inside);
}

int pab_pool_start(const pab_workload *w, unsigned n, void (*failed)(void), char *err, size_t errlen)
{
    if (n < 1 || n > PAB_THREADS_MAX) {
        snprintf(err, errlen, "--threads=%u: from 1 to %d", n, PAB_THREADS_MAX);
        return -1;
    }
    pool.n = n;
    pool.workload = w;
    pool.failed = failed;
    pool.stopping = false;
    if (pthread_barrier_init(&pool.start, NULL, n + 1) != 0 || pthread_barrier_init(&pool.done, NULL, n + 1) != 0 ||
        pthread_barrier_init(&pool.inside, NULL, n) != 0) {
        snprintf(err, errlen, "cannot make the pool's barriers");
        return -1;
    }
    for (unsigned t = 0; t < n; t++) {
        int rc = pthread_create(&pool.threads[t], NULL, thread_main, (void *)(uintptr_t)t);
        if (rc != 0) {
            snprintf(err, errlen, "cannot start thread %u of %u: %s", t + 1, n, strerror(rc));
            return -1;
        }
    }
    pool.running = true;
    return 0;
}

void pab_pool_pass(const pab_ctx *proto, pab_meter *first)
{
    for (unsigned t = 0; t < pool.n; t++) {
        pool.meters[t] = pab_meter_timed();
        pool.ctx[t] = (pab_ctx){.alloc = proto->alloc, .meter = t == 0 ? first : &pool.meters[t],
                                .seed = proto->seed, .scale = proto->scale, .thread = t, .nthreads = pool.n,
                                .barrier = pool.n > 1 ? inside_barrier : NULL};
    }
    pthread_barrier_wait(&pool.start);
    pthread_barrier_wait(&pool.done);
}

uint64_t pab_pool_ops(void)
{
    uint64_t ops = pool.ctx[0].meter->ops;
    for (unsigned t = 1; t < pool.n; t++)
        ops += pool.meters[t].ops;
    return ops;
}

int64_t pab_pool_live_bytes(void)
{
    int64_t live = pool.ctx[0].meter->live_bytes;
    for (unsigned t = 1; t < pool.n; t++)
        live += pool.meters[t].live_bytes;
    return live;
}

bool pab_pool_running(void) { return pool.running; }

void pab_pool_join(void)
{
    if (!pool.running)
        return;
    pool.stopping = true;
    pthread_barrier_wait(&pool.start);
    for (unsigned t = 0; t < pool.n; t++)
        pthread_join(pool.threads[t], NULL);
    destroy_barriers();
    pool.running = false;
}
