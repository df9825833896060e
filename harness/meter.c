#include "meter.h"
#include "files.h"
#include "rss.h"
#include "threads.h"

#include <string.h>
#include <sys/resource.h>

/* What the meter's callbacks need; m->owner points at it. */
typedef struct memory_owner {
    pab_memory_pass *r;
    const pab_allocator *alloc;
    bool pooled;
} memory_owner;

/* Fewer than this many ops between /proc reads (4 µs each) would make the
 * memory pass mostly reading /proc. */
enum { MIN_INTERVAL = 256 };

static uint64_t first_interval(const pab_workload *w, uint64_t scale, uint64_t seed)
{
    uint64_t expected = w->expected_ops ? w->expected_ops(scale, seed) : 0;
    uint64_t interval = MIN_INTERVAL;
    while (interval < expected / PAB_SERIES_CAPACITY)
        interval *= 2;
    return interval;
}

static int read_phase(pab_phase *p, const pab_memory_pass *r, const pab_allocator *a)
{
    int64_t rss = pab_rss_current();
    if (rss < 0)
        return -1;
    p->rss_bytes = rss - r->baseline_rss_bytes;
    p->has_stats = pab_allocator_stats(a, &p->stats);
    return 0;
}

/* Doubles the interval and keeps the points that fall on the new grid, so the
 * series stays evenly spaced in operations and bounded in size. */
static void thin_series(pab_memory_pass *r)
{
    r->interval *= 2;
    size_t kept = 0;
    for (size_t i = 0; i < r->npoints; i++)
        if (r->points[i].ops % r->interval == 0)
            r->points[kept++] = r->points[i];
    r->npoints = kept;
}

static void on_sample(pab_meter *m)
{
    pab_memory_pass *r = ((memory_owner *)m->owner)->r;
    if (r->npoints == PAB_SERIES_CAPACITY)
        thin_series(r);
    if (m->ops % r->interval == 0) {
        int64_t rss = pab_rss_current();
        if (rss < 0) {
            r->error = "cannot read /proc/self/statm";
            m->next_sample = UINT64_MAX;
            return;
        }
        r->points[r->npoints++] =
            (pab_series_point){m->ops, rss - r->baseline_rss_bytes, m->live_bytes};
    }
    m->next_sample = (m->ops / r->interval + 1) * r->interval;
}

void pab_page_faults(int64_t *minor, int64_t *major)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    *minor = u.ru_minflt;
    *major = u.ru_majflt;
}

static void on_mark(pab_meter *m)
{
    memory_owner *o = m->owner;
    double start = 1e9 * pab_now_s();
    o->r->marked = true;
    o->r->live_at_mark = o->pooled ? pab_pool_live_bytes() : m->live_bytes;
    if (read_phase(&o->r->mark, o->r, o->alloc) != 0)
        o->r->error = "cannot read /proc/self/statm";
    o->r->mark_ns += 1e9 * pab_now_s() - start;
}

static void on_counter(pab_meter *m, const char *name, double value)
{
    pab_memory_pass *r = ((memory_owner *)m->owner)->r;
    for (int i = 0; i < r->ncounters; i++)
        if (strcmp(r->counters[i].name, name) == 0) {
            r->counters[i].value = value;
            return;
        }
    if (r->ncounters == PAB_WORKLOAD_COUNTERS_MAX) {
        r->error = "the workload reported more counters than the child keeps";
        return;
    }
    r->counters[r->ncounters++] = (pab_counter){name, value};
}

static int start(pab_memory_pass *r)
{
    if (pab_rss_reset_peak() != 0) {
        r->error = "cannot reset the peak RSS (write to /proc/self/clear_refs)";
        return -1;
    }
    r->baseline_rss_bytes = pab_rss_current();
    if (r->baseline_rss_bytes < 0) {
        r->error = "cannot read /proc/self/statm";
        return -1;
    }
    r->points[r->npoints++] = (pab_series_point){0, 0, 0};
    return 0;
}

static int64_t max_i64(int64_t a, int64_t b) { return a > b ? a : b; }

static int finish(pab_memory_pass *r, const pab_allocator *a)
{
    /* The peak is read before trim, whose work must not count in it. */
    int64_t peak = pab_rss_peak();
    if (peak < 0) {
        r->error = "cannot read VmHWM from /proc/self/status";
        return -1;
    }
    r->peak_rss_bytes = peak - r->baseline_rss_bytes;
    if (read_phase(&r->final, r, a) != 0) {
        r->error = "cannot read /proc/self/statm";
        return -1;
    }
    /* The kernel folds its per-thread RSS counts into VmHWM lazily, so the
     * peak can trail a reading taken before it by a few pages. */
    r->peak_rss_bytes = max_i64(r->peak_rss_bytes, max_i64(r->mark.rss_bytes, r->final.rss_bytes));
    for (size_t i = 0; i < r->npoints; i++)
        r->peak_rss_bytes = max_i64(r->peak_rss_bytes, r->points[i].rss_bytes);
    if (!pab_allocator_can_trim(a)) {
        r->trimmed = r->final;
        return 0;
    }
    pab_allocator_trim(a);
    if (read_phase(&r->trimmed, r, a) != 0) {
        r->error = "cannot read /proc/self/statm";
        return -1;
    }
    return 0;
}

int pab_memory_pass_run(pab_memory_pass *r, const pab_allocator *a, const pab_workload *w,
                        uint64_t scale, uint64_t seed, bool sampled, bool pooled)
{
    memset(r, 0, sizeof *r);
    r->interval = sampled && !pooled ? first_interval(w, scale, seed) : UINT64_MAX;
    memory_owner owner = {r, a, pooled};
    pab_meter m = {
        .next_sample = r->interval,
        .on_sample = on_sample,
        .on_mark = on_mark,
        .on_counter = on_counter,
        .owner = &owner,
    };
    pab_ctx ctx = {.alloc = a, .meter = &m, .seed = seed, .scale = scale};
    if (start(r) != 0)
        return -1;
    int64_t minor0, major0, minor1, major1;
    pab_page_faults(&minor0, &major0);
    double t0 = 1e9 * pab_now_s();
    int rc = 0;
    if (pooled)
        pab_pool_pass(&ctx, &m);
    else
        rc = w->run(&ctx);
    r->pass_ns = 1e9 * pab_now_s() - t0 - r->mark_ns;
    pab_page_faults(&minor1, &major1);
    r->minor_faults = minor1 - minor0;
    r->major_faults = major1 - major0;
    if (rc != 0) {
        r->error = "the allocator returned NULL during the memory pass";
        return -1;
    }
    r->ops = pooled ? pab_pool_ops() : m.ops;
    if (finish(r, a) != 0 || r->error)
        return -1;
    if (!r->marked) {
        r->error = "the workload never reached its measurement point (pab_mark)";
        return -1;
    }
    return 0;
}

static void never_sample(pab_meter *m) { m->next_sample = UINT64_MAX; }
static void ignore_mark(pab_meter *m) { (void)m; }
static void ignore_counter(pab_meter *m, const char *name, double value)
{
    (void)m, (void)name, (void)value;
}

pab_meter pab_meter_timed(void)
{
    return (pab_meter){
        .next_sample = UINT64_MAX,
        .on_sample = never_sample,
        .on_mark = ignore_mark,
        .on_counter = ignore_counter,
    };
}
