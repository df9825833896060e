/*
 * threads_handoff: a thread pool handing requests off, so that most blocks
 * are freed by another thread than the one that made them. The Python it
 * models:
 *
 *     def worker(inbox, outbox, to_make, to_serve):
 *         for k in range(to_make):
 *             outbox.put((BIG + k, 'x' * size()))   # a request: int, str, tuple
 *         for k in range(to_serve):
 *             req = inbox.get()
 *             reply = 'y' * size()                  # made and dropped serving it
 *             del req, reply                        # the request freed here
 *
 * (the two loops interleaved a batch at a time, below). Thread t of n makes
 * its share of `scale` requests and puts them in the queue of thread t+1
 * (round a ring), and serves the requests thread t-1 made, so with n > 1
 * every request is freed by another thread. With one thread, producer and
 * consumer alternate in that thread: it makes a batch and then serves it,
 * and its row's stats say so (counter same_thread_handoff = 1).
 *
 * Queues are bounded (queue.Queue(maxsize)) and hold QUEUE_BATCHES
 * batches; they live outside the measured heap, as the suite's plumbing.
 * Each thread makes its first batch, every thread meets (the mark: every
 * first batch made and queued), then serves batch b and makes batch b+1
 * until both its shares are done: its sequence of operations depends on
 * the seed and t only (sizes from pab_rng_of_thread, requests served in the
 * order they were made). A queue of 4 batches never blocks a ring for good:
 * a thread held up putting batch b+1 means the next one has not served
 * b-2, so it is not waiting for requests but putting, and so on round the
 * ring back to a thread that cannot be that far behind itself.
 *
 * Counters (stats.csv, phase workload): handed_off, the requests put in a
 * queue; handoff_balance, the requests put less the requests freed, per
 * thread and summed (0: each one freed once); cross_thread_frees.
 * Operations of thread t: 3 per request made (int, str, tuple) and 5 per
 * request served (reply made and freed, the request's 3 blocks freed).
 */
#include "pab_rng.h"
#include "pyobj.h"

#include <pthread.h>

enum { BATCH = 64, QUEUE_BATCHES = 4, QUEUE_CAPACITY = BATCH * QUEUE_BATCHES };
enum { MADE_OPS = 3, SERVED_OPS = 5 };

typedef struct request {
    pyo *obj;
    unsigned maker;
} request;

/* Requests on their way from thread t to thread t+1. */
typedef struct handoff_queue {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t head, count;
    request items[QUEUE_CAPACITY];
} handoff_queue;

static handoff_queue queues[PAB_THREADS_MAX];
static pthread_once_t queues_once = PTHREAD_ONCE_INIT;

/* What each thread did, written by it and read by thread 0 after a barrier. */
static struct tally {
    uint64_t handed_off, freed, cross_thread_frees;
} tallies[PAB_THREADS_MAX];

static void init_queues(void)
{
    for (size_t i = 0; i < PAB_THREADS_MAX; i++) {
        pthread_mutex_init(&queues[i].lock, NULL);
        pthread_cond_init(&queues[i].changed, NULL);
    }
}

static void queue_put(const pab_ctx *c, handoff_queue *q, const request *items, size_t n)
{
    pthread_mutex_lock(&q->lock);
    if (q->count + n > QUEUE_CAPACITY)
        pab_will_wait(c);
    while (q->count + n > QUEUE_CAPACITY)
        pthread_cond_wait(&q->changed, &q->lock);
    for (size_t i = 0; i < n; i++)
        q->items[(q->head + q->count + i) % QUEUE_CAPACITY] = items[i];
    q->count += n;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}

/* Up to n requests, waiting for them when `wait`; how many. */
static size_t queue_take(const pab_ctx *c, handoff_queue *q, request *out, size_t n, int wait)
{
    pthread_mutex_lock(&q->lock);
    if (wait && q->count < n)
        pab_will_wait(c);
    while (wait && q->count < n)
        pthread_cond_wait(&q->changed, &q->lock);
    size_t got = q->count < n ? q->count : n;
    for (size_t i = 0; i < got; i++)
        out[i] = q->items[(q->head + i) % QUEUE_CAPACITY];
    q->head = (q->head + got) % QUEUE_CAPACITY;
    q->count -= got;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
    return got;
}

static pyo *make_request(const pab_ctx *c, pab_rng *rng, uint64_t k)
{
    pyo *number = pyo_int(c, PY_INT_CACHE_MAX + 1 + k);
    pyo *text = number ? pyo_str(c, 16 + pab_rng_below(rng, 185)) : NULL;
    pyo *req = text ? pyo_tuple(c, 2) : NULL;
    if (!req) {
        pyo_decref(c, text);
        pyo_decref(c, number);
        return NULL;
    }
    pyo_tuple_set(req, 0, number);
    pyo_tuple_set(req, 1, text);
    return req;
}

static void drop(const pab_ctx *c, const request *r)
{
    struct tally *mine = &tallies[c->thread];
    pyo_decref(c, r->obj);
    mine->freed++;
    mine->cross_thread_frees += r->maker != c->thread;
}

/* The next batch of this thread's requests into its outbox; -1 (what it
 * made freed) when the allocator fails. */
static int make_batch(const pab_ctx *c, handoff_queue *out, pab_rng *rng, uint64_t *made, uint64_t share)
{
    request batch[BATCH];
    size_t n = share - *made < BATCH ? (size_t)(share - *made) : BATCH;
    for (size_t i = 0; i < n; i++) {
        batch[i] = (request){make_request(c, rng, *made + i), c->thread};
        if (!batch[i].obj) {
            for (size_t j = 0; j < i; j++)
                pyo_decref(c, batch[j].obj);
            return -1;
        }
    }
    queue_put(c, out, batch, n);
    *made += n;
    tallies[c->thread].handed_off += n;
    return 0;
}

/* The next batch of the previous thread's requests, served. */
static int serve_batch(const pab_ctx *c, handoff_queue *in, pab_rng *rng, uint64_t *served, uint64_t share)
{
    request batch[BATCH];
    size_t n = share - *served < BATCH ? (size_t)(share - *served) : BATCH;
    queue_take(c, in, batch, n, 1);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        pyo *reply = rc == 0 ? pyo_str(c, 8 + pab_rng_below(rng, 120)) : NULL;
        rc = reply ? 0 : -1;
        pyo_decref(c, reply);
        drop(c, &batch[i]);
    }
    *served += n;
    return rc;
}

/* After a failure, with one thread: what is still queued is freed. */
static void drain(const pab_ctx *c, handoff_queue *in)
{
    request batch[BATCH];
    for (size_t n; (n = queue_take(c, in, batch, BATCH, 0)) > 0;)
        for (size_t i = 0; i < n; i++)
            drop(c, &batch[i]);
}

static void report(const pab_ctx *c, unsigned n)
{
    struct tally sum = {0};
    for (unsigned t = 0; t < n; t++) {
        sum.handed_off += tallies[t].handed_off;
        sum.freed += tallies[t].freed;
        sum.cross_thread_frees += tallies[t].cross_thread_frees;
    }
    pab_report(c, "handed_off", (double)sum.handed_off);
    pab_report(c, "handoff_balance", (double)sum.handed_off - (double)sum.freed);
    pab_report(c, "cross_thread_frees", (double)sum.cross_thread_frees);
    pab_report(c, "same_thread_handoff", n == 1);
}

static int handoff_run(const pab_ctx *c)
{
    pthread_once(&queues_once, init_queues);
    unsigned n = pab_nthreads(c), before = (c->thread + n - 1) % n;
    handoff_queue *out = &queues[c->thread], *in = &queues[before];
    uint64_t to_make = pab_share(c->scale, c->thread, n), to_serve = pab_share(c->scale, before, n);
    uint64_t made = 0, served = 0;
    pab_rng rng = pab_rng_of_thread(c->seed, c->thread);
    tallies[c->thread] = (struct tally){0};
    int rc = make_batch(c, out, &rng, &made, to_make);
    pab_barrier(c);
    if (c->thread == 0)
        pab_mark(c);
    pab_barrier(c);
    while (rc == 0 && (made < to_make || served < to_serve)) {
        if (served < to_serve)
            rc = serve_batch(c, in, &rng, &served, to_serve);
        if (rc == 0 && made < to_make)
            rc = make_batch(c, out, &rng, &made, to_make);
    }
    if (rc != 0)
        drain(c, in);
    pab_barrier(c);
    if (c->thread == 0)
        report(c, n);
    return rc;
}

static uint64_t handoff_thread_ops(uint64_t scale, uint64_t seed, unsigned t, unsigned n)
{
    (void)seed;
    return MADE_OPS * pab_share(scale, t, n) + SERVED_OPS * pab_share(scale, (t + n - 1) % n, n);
}

static uint64_t handoff_expected_ops(uint64_t scale, uint64_t seed) { return handoff_thread_ops(scale, seed, 0, 1); }

const pab_workload pab_threads_handoff = {
    .name = "threads_handoff",
    .description = "requests made by one thread, queued to the next round a ring and freed there",
    .default_scale = 200000,
    .quick_scale = 4000,
    .run = handoff_run,
    .expected_ops = handoff_expected_ops,
    .thread_ops = handoff_thread_ops,
};
