#include "output.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Below this many live bytes at the mark, fragmentation is not reported. */
enum { PAB_FRAGMENTATION_MIN_LIVE = 256 << 10 };

/* Closes f and tells whether every write before reached the file. */
static int close_checked(FILE *f)
{
    int failed = ferror(f);
    return (fclose(f) != 0 || failed) ? -1 : 0;
}

void pab_figures_fill(pab_figures *f, const pab_memory_pass *r, const pab_timing *t)
{
    memset(f, 0, sizeof *f);
    pab_figure_set(f, PAB_FIG_ops_per_sec, 1e9 / t->ns_per_op);
    pab_figure_set(f, PAB_FIG_ns_per_op, t->ns_per_op);
    pab_figure_set(f, PAB_FIG_ns_per_op_spread, t->ns_per_op_spread);
    pab_figure_set(f, PAB_FIG_repetitions, t->repetitions);
    pab_figure_set(f, PAB_FIG_ops_per_pass, (double)r->ops);
    pab_figure_set(f, PAB_FIG_baseline_rss_bytes, (double)r->baseline_rss_bytes);
    pab_figure_set(f, PAB_FIG_peak_rss_bytes, (double)r->peak_rss_bytes);
    pab_figure_set(f, PAB_FIG_mark_rss_bytes, (double)r->mark.rss_bytes);
    pab_figure_set(f, PAB_FIG_final_rss_bytes, (double)r->final.rss_bytes);
    pab_figure_set(f, PAB_FIG_trimmed_rss_bytes, (double)r->trimmed.rss_bytes);
    pab_figure_set(f, PAB_FIG_live_bytes, (double)r->live_at_mark);
    /* RSS readings wander by about 0.1 MiB, so over fewer live bytes the
     * ratio is noise: the figure is left unknown. */
    if (r->live_at_mark >= PAB_FRAGMENTATION_MIN_LIVE)
        pab_figure_set(f, PAB_FIG_fragmentation, (double)r->mark.rss_bytes / (double)r->live_at_mark);
}

int pab_write_figures(const char *path, const pab_figures *f, const char *version)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return -1;
    int rc = pab_figures_write(out, f, version);
    return close_checked(out) != 0 ? -1 : rc;
}

int pab_write_series(const char *path, const pab_memory_pass *r)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%s\n", pab_child_file_header[PAB_FILE_SERIES]);
    for (size_t i = 0; i < r->npoints; i++)
        fprintf(f, "%" PRIu64 ",%" PRId64 ",%" PRId64 "\n", r->points[i].ops,
                r->points[i].rss_bytes, r->points[i].live_bytes);
    return close_checked(f);
}

static void put_stat(FILE *f, const char *phase, const char *counter, double value)
{
    fprintf(f, "%s,%s,%.15g\n", phase, counter, value);
}

static void put_phase(FILE *f, const char *phase, const pab_phase *p)
{
    if (!p->has_stats)
        return;
    const pab_stats *s = &p->stats;
    /* -1 means the allocator does not know: such rows are left out. */
    if (s->in_use_bytes >= 0)
        put_stat(f, phase, "in_use_bytes", s->in_use_bytes);
    if (s->resident_bytes >= 0)
        put_stat(f, phase, "resident_bytes", s->resident_bytes);
    if (s->mapped_bytes >= 0)
        put_stat(f, phase, "mapped_bytes", s->mapped_bytes);
    for (int i = 0; i < s->ncounters; i++)
        put_stat(f, phase, s->counters[i].name, s->counters[i].value);
}

int pab_write_stats(const char *path, const pab_memory_pass *r)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%s\n", pab_child_file_header[PAB_FILE_STATS]);
    put_phase(f, "mark", &r->mark);
    put_phase(f, "final", &r->final);
    put_phase(f, "trimmed", &r->trimmed);
    for (int i = 0; i < r->ncounters; i++)
        put_stat(f, "workload", r->counters[i].name, r->counters[i].value);
    return close_checked(f);
}
