/*
 * perf.h: hardware counters around the timed passes, where the machine has
 * them. Virtual machines often do not (perf_event_open fails, or `perf
 * stat` says <not supported>): then every figure stays unknown and
 * metadata.json says why, never a number from elsewhere.
 */
#ifndef PAB_PERF_H
#define PAB_PERF_H

#include <stdbool.h>
#include <stdint.h>

enum { PAB_PERF_INSTRUCTIONS, PAB_PERF_CYCLES, PAB_PERF_CACHE_MISSES, PAB_PERF_DTLB_MISSES,
       PAB_PERF_COUNT };

typedef struct pab_perf {
    int fd[PAB_PERF_COUNT];
    bool open;
} pab_perf;

/* Opens the counters for this process, for its life; false (and why, a
 * static string) when any of them cannot be had. */
bool pab_perf_open(pab_perf *p, const char **why);
/* The counters' values now; only after a successful open. */
void pab_perf_read(const pab_perf *p, uint64_t out[PAB_PERF_COUNT]);

#endif
