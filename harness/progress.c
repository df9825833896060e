/* progress.c: see progress.h. Time left is the mean time of the pairs done so
 * far times the pairs still to come: rough, since workloads differ. */
#include "progress.h"
#include "files.h"

#include <stdio.h>
#include <unistd.h>

void pab_progress_begin(pab_progress *p, size_t total, bool force)
{
    p->shown = force || isatty(STDERR_FILENO);
    p->total = total;
    p->started = 0;
    p->start_s = pab_now_s();
}

double pab_progress_elapsed(const pab_progress *p) { return pab_now_s() - p->start_s; }

static void format_duration(double s, char *out, size_t len)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(out, len, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(out, len, "%lds", t);
}

void pab_progress_pair(pab_progress *p, const char *allocator, const char *workload)
{
    size_t done = p->started++;
    if (!p->shown)
        return;
    double elapsed = pab_progress_elapsed(p);
    char spent[32], left[32] = "?";
    format_duration(elapsed, spent, sizeof spent);
    if (done > 0)
        format_duration(elapsed / (double)done * (double)(p->total - done), left, sizeof left);
    fprintf(stderr, "[%zu/%zu] %s × %s  (%s elapsed, ~%s left)\n", p->started, p->total, allocator, workload,
            spent, left);
}
