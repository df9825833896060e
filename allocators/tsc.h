/*
 * tsc.h: the x86 time-stamp counter as a clock, calibrated against
 * CLOCK_MONOTONIC. Shared by `delayed`, whose waits it times, and the
 * child's latency pass (harness/latency.h), which times single calls.
 *
 * pab_tsc_fenced() reads the counter between two lfences: nothing before
 * it is still executing when it reads (lfence waits for every earlier
 * instruction to finish locally), and nothing after starts before it has
 * read. That serialises the caller around each read, which is the point
 * for a timing and a cost for everything else (latency.h says how much).
 * Without x86 the clock is CLOCK_MONOTONIC itself in ns, one tick per ns,
 * and pab_tsc_present() says so.
 */
#ifndef PAB_TSC_H
#define PAB_TSC_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>

static inline bool pab_tsc_present(void) { return true; }

static inline uint64_t pab_tsc_fenced(void)
{
    _mm_lfence();
    uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
}
#else
static inline bool pab_tsc_present(void) { return false; }

static inline uint64_t pab_tsc_fenced(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}
#endif

/* Ticks of pab_tsc_fenced() per nanosecond, counted over calibration_ns of
 * CLOCK_MONOTONIC (20 ms gives 4 significant figures). */
double pab_tsc_ticks_per_ns(double calibration_ns);

#endif
