#include "output.h"

#include <inttypes.h>
#include <stdio.h>

/* Below this many live bytes at the mark, fragmentation is not reported. */
enum { PAB_FRAGMENTATION_MIN_LIVE = 256 << 10 };

/* Closes f and tells whether every write before reached the file. */
static int close_checked(FILE *f)
{
    int failed = ferror(f);
    return (fclose(f) != 0 || failed) ? -1 : 0;
}

/* The version goes on one line whatever the allocator returns. */
static void put_one_line(FILE *f, const char *text)
{
    for (; *text; text++)
        fputc(*text == '\n' || *text == '\r' ? ' ' : *text, f);
    fputc('\n', f);
}

int pab_write_figures(const char *path, const pab_memory_pass *r, const pab_timing *t,
                      const char *version)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "ops_per_sec=%.0f\n", 1e9 / t->ns_per_op);
    fprintf(f, "ns_per_op=%.4f\n", t->ns_per_op);
    fprintf(f, "ns_per_op_spread=%.4f\n", t->ns_per_op_spread);
    fprintf(f, "repetitions=%d\n", t->repetitions);
    fprintf(f, "ops_per_pass=%" PRIu64 "\n", r->ops);
    fprintf(f, "baseline_rss_bytes=%" PRId64 "\n", r->baseline_rss_bytes);
    fprintf(f, "peak_rss_bytes=%" PRId64 "\n", r->peak_rss_bytes);
    fprintf(f, "mark_rss_bytes=%" PRId64 "\n", r->mark.rss_bytes);
    fprintf(f, "final_rss_bytes=%" PRId64 "\n", r->final.rss_bytes);
    fprintf(f, "trimmed_rss_bytes=%" PRId64 "\n", r->trimmed.rss_bytes);
    fprintf(f, "live_bytes=%" PRId64 "\n", r->live_at_mark);
    /* RSS readings wander by about 0.1 MiB, so over fewer live bytes the
     * ratio is noise: the column is left empty. */
    fputs("fragmentation=", f);
    if (r->live_at_mark >= PAB_FRAGMENTATION_MIN_LIVE)
        fprintf(f, "%.4f", (double)r->mark.rss_bytes / (double)r->live_at_mark);
    fputc('\n', f);
    fputs("version=", f);
    put_one_line(f, version);
    return close_checked(f);
}

int pab_write_series(const char *path, const pab_memory_pass *r)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("ops,rss_bytes,live_bytes\n", f);
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
    fputs("phase,counter,value\n", f);
    put_phase(f, "mark", &r->mark);
    put_phase(f, "final", &r->final);
    put_phase(f, "trimmed", &r->trimmed);
    for (int i = 0; i < r->ncounters; i++)
        put_stat(f, "workload", r->counters[i].name, r->counters[i].value);
    return close_checked(f);
}
