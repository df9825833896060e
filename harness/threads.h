/*
 * threads.h: the child's pool for a threaded workload (workload.h's
 * thread_ops). Its threads are started once per process, before the cold
 * pass, and each pass releases them all at a barrier and ends when all of
 * them have met at another, so a timed pass runs from barrier to barrier
 * and nothing of starting threads is in it. Each thread counts through its
 * own meter; the pool sums them where one meter's figures would go.
 */
#ifndef PAB_THREADS_H
#define PAB_THREADS_H

#include "../workloads/workload.h"

#include <stdbool.h>

/* Starts n threads (1 to PAB_THREADS_MAX) for passes of w; `failed` is
 * called from a thread whose part of a pass returned -1 (the others may
 * be waiting for it, so it must not return). 0, or -1 with why in err. */
int pab_pool_start(const pab_workload *w, unsigned n, void (*failed)(void), char *err, size_t errlen);

/* One pass on every thread: thread 0 counts through `first` (the memory
 * pass's meter, or a timed one), the others through timed meters of their
 * own; alloc, seed and scale come from `proto`. Afterwards the meters'
 * sums are pab_pool_ops and pab_pool_live_bytes. */
void pab_pool_pass(const pab_ctx *proto, pab_meter *first);

/* Summed over the threads' meters: valid between passes and, for a
 * workload's mark, while the other threads wait at a barrier. */
uint64_t pab_pool_ops(void);
int64_t pab_pool_live_bytes(void);

/* Whether the pool is running (a threaded workload's process). */
bool pab_pool_running(void);

/* Ends the threads and waits for them (at the end of the process). */
void pab_pool_join(void);

#endif
