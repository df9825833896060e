/* perf.c: see perf.h. */
#include "perf.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
    uint32_t type;
    uint64_t config;
} pab_perf_events[PAB_PERF_COUNT] = {
    [PAB_PERF_INSTRUCTIONS] = {PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
    [PAB_PERF_CYCLES] = {PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    [PAB_PERF_CACHE_MISSES] = {PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
    [PAB_PERF_DTLB_MISSES] = {PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_DTLB | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
                                                      (PERF_COUNT_HW_CACHE_RESULT_MISS << 16)},
};

static int open_event(int i)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = pab_perf_events[i].type;
    attr.config = pab_perf_events[i].config;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

bool pab_perf_open(pab_perf *p, const char **why)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; i < PAB_PERF_COUNT; i++) {
        p->fd[i] = open_event(i);
        if (p->fd[i] < 0) {
            *why = errno == ENOENT || errno == EOPNOTSUPP ? "not supported by this machine"
                   : errno == EACCES || errno == EPERM   ? "not permitted (perf_event_paranoid)"
                                                         : "perf_event_open failed";
            for (int j = 0; j < i; j++)
                close(p->fd[j]);
            return false;
        }
    }
    p->open = true;
    return true;
}

void pab_perf_read(const pab_perf *p, uint64_t out[PAB_PERF_COUNT])
{
    for (int i = 0; i < PAB_PERF_COUNT; i++)
        if (read(p->fd[i], &out[i], sizeof out[i]) != (ssize_t)sizeof out[i])
            out[i] = 0;
}
