#include "output.h"

#include "stats.h"

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

/* The median of n values, without disturbing them. */
static double median_of(const double *v, int n)
{
    double copy[PAB_MAX_REPETITIONS];
    memcpy(copy, v, (size_t)n * sizeof *v);
    return pab_median(copy, (size_t)n);
}

void pab_figures_fill(pab_figures *f, const pab_memory_pass *cold, const pab_timing *t)
{
    memset(f, 0, sizeof *f);
    pab_figure_set(f, PAB_FIG_ns_per_op, median_of(t->ns_per_op, t->repetitions));
    pab_figure_set(f, PAB_FIG_cold_ns_per_op, cold->pass_ns / (double)cold->ops);
    pab_figure_set(f, PAB_FIG_repetitions, t->repetitions);
    pab_figure_set(f, PAB_FIG_passes_per_repetition, t->passes);
    pab_figure_set(f, PAB_FIG_ops_per_pass, (double)cold->ops);
    pab_figure_set(f, PAB_FIG_live_bytes, (double)cold->live_at_mark);
    pab_figure_set(f, PAB_FIG_baseline_rss_bytes, (double)cold->baseline_rss_bytes);
    pab_figure_set(f, PAB_FIG_peak_rss_bytes, (double)cold->peak_rss_bytes);
    pab_figure_set(f, PAB_FIG_mark_rss_bytes, (double)cold->mark.rss_bytes);
    pab_figure_set(f, PAB_FIG_final_rss_bytes, (double)cold->final.rss_bytes);
    pab_figure_set(f, PAB_FIG_trimmed_rss_bytes, (double)cold->trimmed.rss_bytes);
    /* RSS readings wander by about 0.1 MiB, so over fewer live bytes the
     * ratio is noise: the figure is left unknown. */
    if (cold->live_at_mark >= PAB_FRAGMENTATION_MIN_LIVE)
        pab_figure_set(f, PAB_FIG_fragmentation, (double)cold->mark.rss_bytes / (double)cold->live_at_mark);
    pab_figure_set(f, PAB_FIG_cold_minor_faults, (double)cold->minor_faults);
    pab_figure_set(f, PAB_FIG_cold_major_faults, (double)cold->major_faults);
    pab_figure_set(f, PAB_FIG_warm_minor_faults, median_of(t->minor_faults, t->repetitions));
    pab_figure_set(f, PAB_FIG_warm_major_faults, median_of(t->major_faults, t->repetitions));
    if (t->counters_known) {
        pab_figure_set(f, PAB_FIG_instructions_per_op, t->counters_per_op[PAB_PERF_INSTRUCTIONS]);
        pab_figure_set(f, PAB_FIG_cycles_per_op, t->counters_per_op[PAB_PERF_CYCLES]);
        pab_figure_set(f, PAB_FIG_cache_misses_per_op, t->counters_per_op[PAB_PERF_CACHE_MISSES]);
        pab_figure_set(f, PAB_FIG_dtlb_misses_per_op, t->counters_per_op[PAB_PERF_DTLB_MISSES]);
    }
}

int pab_write_figures(const char *path, const pab_figures *f, const pab_notes *notes)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return -1;
    int rc = pab_figures_write(out, f, notes);
    return close_checked(out) != 0 ? -1 : rc;
}

int pab_write_samples(const char *path, const pab_memory_pass *cold, const pab_timing *t)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%s\n", pab_child_file_header[PAB_FILE_SAMPLES]);
    fprintf(f, "0,cold,%.4f,%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",\n",
            cold->pass_ns / (double)cold->ops, cold->minor_faults, cold->major_faults, cold->peak_rss_bytes,
            cold->final.rss_bytes, cold->trimmed.rss_bytes);
    for (int i = 0; i < t->repetitions; i++)
        fprintf(f, "%d,warm,%.4f,%.1f,%.1f,,,,\n", i + 1, t->ns_per_op[i], t->minor_faults[i],
                t->major_faults[i]);
    return close_checked(f);
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
