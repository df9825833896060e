/*
 * delayed: glibc's malloc with a fixed delay added to every call, for the
 * suite's own power check (harness/selfcheck/power.sh): a slowdown of known
 * size that a verdict must find. Test only: no default run measures it.
 *
 * The delay, in nanoseconds per call, comes from PAB_DELAY_NS (give it with
 * --env); init calibrates a spin loop against the monotonic clock, since a
 * clock read (25-30 ns here) is longer than the delays wanted.
 *
 * Known fault: a spin of a few volatile increments overlaps with the
 * caller's own instructions in an out-of-order core, so the slowdown is not
 * the calibrated one (6.6 ns asked added about 2 ns a call on slots_vs_dict).
 * Measure the slowdown it really causes before reading power from it.
 */
#include "allocator.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static uint64_t delayed_loops;

static void delayed_spin(uint64_t loops)
{
    for (volatile uint64_t i = 0; i < loops; i++)
        ;
}

static double delayed_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static const char *delayed_init(pab_allocator *self)
{
    (void)self;
    const char *text = getenv("PAB_DELAY_NS");
    char *end;
    double ns = text ? strtod(text, &end) : 0;
    if (!text || end == text || *end || ns < 0)
        return "needs PAB_DELAY_NS=<nanoseconds per call, >= 0> (give it with --env)";
    enum { CALIBRATION_LOOPS = 20000000 };
    double start = delayed_now_ns();
    delayed_spin(CALIBRATION_LOOPS);
    double per_loop = (delayed_now_ns() - start) / CALIBRATION_LOOPS;
    delayed_loops = (uint64_t)(ns / per_loop + 0.5);
    return NULL;
}

static void *delayed_malloc(size_t size)
{
    delayed_spin(delayed_loops);
    return malloc(size);
}

static void *delayed_realloc(void *ptr, size_t size)
{
    delayed_spin(delayed_loops);
    return realloc(ptr, size);
}

static void delayed_free(void *ptr)
{
    delayed_spin(delayed_loops);
    free(ptr);
}

static const char *delayed_version(const pab_allocator *self)
{
    (void)self;
    return "glibc plus a calibrated delay per call (PAB_DELAY_NS)";
}

const pab_allocator pab_delayed = {
    .name = "delayed",
    .description = "glibc with PAB_DELAY_NS added to every call (test only: the suite's power check)",
    .test_only = true,
    .init = delayed_init,
    .malloc = delayed_malloc,
    .realloc = delayed_realloc,
    .free = delayed_free,
    .version = delayed_version,
};
