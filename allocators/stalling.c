/*
 * stalling: glibc's malloc with a 50 µs stall on every M-th call of each
 * kind (malloc, realloc, free), for the latency pass's own test
 * (tests/latency): outliers of known number and size that the histogram
 * must find. Test only: no default run measures it.
 *
 * PAB_STALL_EVERY (given with --env) is M. Each kind counts its own calls,
 * so a workload that alternates malloc and free cannot put every stall on
 * one kind: a pass of n calls of a kind stalls exactly floor(n / M) of them.
 * The stall spins on CLOCK_MONOTONIC rather than sleeping, since a sleep
 * takes the kernel's timer slack on top (50 µs more by default) and would
 * land the stalls above 100 µs as well; a spin can only be made longer, by
 * the machine taking the CPU away.
 */
#include "allocator.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

enum { STALL_NS = 50000, STALL_EVERY_MAX = 1000000000 };

typedef enum stall_kind { STALL_MALLOC, STALL_REALLOC, STALL_FREE, STALL_KINDS } stall_kind;

static uint64_t stall_every;               /* M */
static uint64_t stall_calls[STALL_KINDS]; /* of each kind since its last stall */

static int64_t stall_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void stall_maybe(stall_kind kind)
{
    if (++stall_calls[kind] < stall_every)
        return;
    stall_calls[kind] = 0;
    int64_t start = stall_now_ns();
    while (stall_now_ns() - start < STALL_NS)
        ;
}

static const char *stalling_init(pab_allocator *self)
{
    (void)self;
    const char *text = getenv("PAB_STALL_EVERY");
    char *end;
    unsigned long long every = text ? strtoull(text, &end, 10) : 0;
    if (!text || end == text || *end || text[0] < '1' || text[0] > '9' || every > STALL_EVERY_MAX)
        return "needs PAB_STALL_EVERY=<M: one call in M of each kind stalls 50 µs, 1 to 1e9> (give it with --env)";
    stall_every = every;
    for (int k = 0; k < STALL_KINDS; k++)
        stall_calls[k] = 0;
    return NULL;
}

static void *stalling_malloc(size_t size)
{
    stall_maybe(STALL_MALLOC);
    return malloc(size);
}

static void *stalling_realloc(void *ptr, size_t size)
{
    stall_maybe(STALL_REALLOC);
    return realloc(ptr, size);
}

static void stalling_free(void *ptr)
{
    stall_maybe(STALL_FREE);
    free(ptr);
}

static const char *stalling_version(const pab_allocator *self)
{
    (void)self;
    return "glibc plus a 50 µs stall every PAB_STALL_EVERY calls of each kind";
}

const pab_allocator pab_stalling = {
    .name = "stalling",
    .description = "glibc stalling 50 µs every PAB_STALL_EVERY-th call (test only: the latency pass's test)",
    .test_only = true,
    .init = stalling_init,
    .malloc = stalling_malloc,
    .realloc = stalling_realloc,
    .free = stalling_free,
    .version = stalling_version,
};
