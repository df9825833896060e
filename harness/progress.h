/* progress.h: "[k/N] allocator × workload" lines on stderr, with time spent and left. */
#ifndef PAB_PROGRESS_H
#define PAB_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pab_progress {
    bool shown;
    size_t total, started;
    double start_s;
} pab_progress;

/* Shown when forced or when stderr is a terminal. */
void pab_progress_begin(pab_progress *p, size_t total, bool force);
/* Before each pair. */
void pab_progress_pair(pab_progress *p, const char *allocator, const char *workload);
/* Seconds since begin. */
double pab_progress_elapsed(const pab_progress *p);

#endif
