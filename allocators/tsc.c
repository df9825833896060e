/* tsc.c: see tsc.h. */
#include "tsc.h"

static double monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

double pab_tsc_ticks_per_ns(double calibration_ns)
{
    double start = monotonic_ns(), now;
    uint64_t ticks = pab_tsc_fenced();
    while ((now = monotonic_ns()) - start < calibration_ns)
        ;
    return (double)(pab_tsc_fenced() - ticks) / (now - start);
}
