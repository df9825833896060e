/*
 * delayed: glibc's malloc with a known delay added to its calls, for the
 * suite's own power check (harness/selfcheck/power.sh): a slowdown of known
 * size that a verdict must find. Test only: no default run measures it.
 *
 * PAB_DELAY_NS (given with --env) is the delay per call on average. A short
 * spin cannot deliver it: a few nanoseconds of work overlap with the
 * caller's in an out-of-order core (6.6 ns of volatile increments added
 * about 2 ns a call), and fencing every call costs 15 ns of pipeline drain
 * on its own. So every `period`-th call waits for period * PAB_DELAY_NS,
 * at least MIN_WAIT_NS, on the time-stamp counter between two lfences:
 * nothing before the wait overlaps it, nothing after starts early, and the
 * fences' cost is spread over the period. Measured with glibc on a
 * malloc/free loop of 18 ns a call: 2, 4, 8 and 16 ns asked added 2.2, 5.4,
 * 9.2 and 18.5 ns, so the slowdown is about the one asked, a little above;
 * power.sh measures the one it really causes in the same run.
 */
#include "allocator.h"
#include "tsc.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__x86_64__) || defined(__i386__)
enum { MIN_WAIT_NS = 400, CALIBRATION_NS = 20000000 };

static uint64_t delayed_period; /* calls per wait; 0: no delay */
static uint64_t delayed_ticks;  /* time-stamp counter ticks per wait */
static uint64_t delayed_calls;  /* since the last wait */

static void delayed_wait(void)
{
    if (delayed_period == 0 || ++delayed_calls < delayed_period)
        return;
    delayed_calls = 0;
    _mm_lfence();
    uint64_t start = __rdtsc();
    while (__rdtsc() - start < delayed_ticks)
        ;
    _mm_lfence();
}

static const char *delayed_init(pab_allocator *self)
{
    (void)self;
    const char *text = getenv("PAB_DELAY_NS");
    char *end;
    double ns = text ? strtod(text, &end) : 0;
    if (!text || end == text || *end || !(ns >= 0) || ns > 1e6)
        return "needs PAB_DELAY_NS=<nanoseconds per call, 0 to 1e6> (give it with --env)";
    delayed_calls = 0;
    delayed_period = ns > 0 ? (uint64_t)(MIN_WAIT_NS / ns) + 1 : 0;
    delayed_ticks = (uint64_t)((double)delayed_period * ns * pab_tsc_ticks_per_ns(CALIBRATION_NS) + 0.5);
    return NULL;
}
#else
static void delayed_wait(void)
{
}

static const char *delayed_init(pab_allocator *self)
{
    (void)self;
    return "needs an x86 time-stamp counter (rdtsc) to time its delay";
}
#endif

static void *delayed_malloc(size_t size)
{
    delayed_wait();
    return malloc(size);
}

static void *delayed_realloc(void *ptr, size_t size)
{
    delayed_wait();
    return realloc(ptr, size);
}

static void delayed_free(void *ptr)
{
    delayed_wait();
    free(ptr);
}

static const char *delayed_version(const pab_allocator *self)
{
    (void)self;
    return "glibc plus a timed wait every few calls (PAB_DELAY_NS per call on average)";
}

const pab_allocator pab_delayed = {
    .name = "delayed",
    .description = "glibc with PAB_DELAY_NS per call added (test only: the suite's power check)",
    .test_only = true,
    .init = delayed_init,
    .malloc = delayed_malloc,
    .realloc = delayed_realloc,
    .free = delayed_free,
    .version = delayed_version,
};
