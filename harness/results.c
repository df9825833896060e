/* results.c: results.csv, and the merging of the children's samples, series, stats and latency. */
#include "results.h"

#include "files.h"
#include "stats.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The leading columns every row has, before the figures. */
static const char pab_row_key_header[] = PAB_KEY_HEADER ",status,processes,unstable,ops_per_sec";

/* What the bounds of each aggregation are called in results.csv. */
static const char *const pab_bound_suffix[][2] = {
    [PAB_AGG_INTERVAL] = {"_lo", "_hi"},
    [PAB_AGG_RANGE] = {"_min", "_max"},
    [PAB_AGG_SAME] = {NULL, NULL},
};

/* The passes whose system calls are counted (syscalls.h), in column order. */
static const char *const pab_syscall_pass[2] = {"cold", "warm"};

/* Status text goes into CSV cells unquoted, so it must hold no separator. */
static void make_cell_safe(char *s)
{
    for (; *s; s++) {
        if (*s == ',')
            *s = ';';
        else if (*s == '"')
            *s = '\'';
        else if ((unsigned char)*s < ' ')
            *s = ' ';
    }
}

static void drop_figures(pab_row *row)
{
    memset(row->figure, 0, sizeof row->figure);
    row->unstable = false;
}

static void set_status(pab_row *row, const char *lead, const char *fmt, va_list ap)
{
    int n = snprintf(row->status, sizeof row->status, "%s", lead);
    vsnprintf(row->status + n, sizeof row->status - (size_t)n, fmt, ap);
    make_cell_safe(row->status);
    row->ok = false;
    drop_figures(row);
}

void pab_row_fail(pab_row *row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(row, "failed: ", fmt, ap);
    va_end(ap);
}

void pab_row_skip(pab_row *row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(row, "not run: ", fmt, ap);
    va_end(ap);
    row->skipped = true;
}

char *pab_row_key(const pab_row *row) { return pab_format("%s,%s,%u", row->allocator, row->workload, row->threads); }

int pab_row_add_process(pab_row *row, const char *path, char *err, size_t errlen)
{
    if (row->nprocesses == PAB_MAX_PROCESSES) {
        snprintf(err, errlen, "more than %d processes", PAB_MAX_PROCESSES);
        return -1;
    }
    char *text = pab_read_file(path);
    if (!text) {
        snprintf(err, errlen, "child exited 0 but wrote no figures");
        return -1;
    }
    pab_notes notes;
    int rc = pab_figures_parse(text, &row->process[row->nprocesses], &notes, err, errlen);
    free(text);
    if (rc == 0 && row->nprocesses++ == 0)
        row->notes = notes;
    return rc;
}

int pab_row_add_figures(pab_row *row, const pab_figures *f, char *err, size_t errlen)
{
    if (row->nprocesses == PAB_MAX_PROCESSES) {
        snprintf(err, errlen, "more than %d processes", PAB_MAX_PROCESSES);
        return -1;
    }
    row->process[row->nprocesses++] = *f;
    return 0;
}

/* The processes' values of figure f, when every process knows it. */
static size_t known_values(const pab_row *row, pab_figure f, double *out)
{
    for (size_t p = 0; p < row->nprocesses; p++) {
        if (!row->process[p].known[f])
            return 0;
        out[p] = row->process[p].value[f];
    }
    return row->nprocesses;
}

static bool summarise_figure(const pab_row *row, pab_figure f, pab_summary *s)
{
    double v[PAB_MAX_PROCESSES], sorted[PAB_MAX_PROCESSES];
    size_t n = known_values(row, f, v);
    memset(s, 0, sizeof *s);
    if (n == 0)
        return true;
    memcpy(sorted, v, n * sizeof *v);
    s->known = true;
    s->center = pab_median(sorted, n);
    switch (pab_figure_aggregation[f]) {
    case PAB_AGG_INTERVAL:
        s->bounded = pab_log_t_interval(v, n, 0.05, &s->low, &s->high);
        break;
    case PAB_AGG_RANGE:
        s->bounded = true;
        s->low = sorted[0];
        s->high = sorted[n - 1];
        break;
    case PAB_AGG_SAME:
        return sorted[0] == sorted[n - 1];
    }
    return true;
}

void pab_row_summarise(pab_row *row)
{
    if (!row->ok)
        return;
    for (int f = 0; f < PAB_FIG_COUNT; f++)
        if (!summarise_figure(row, (pab_figure)f, &row->figure[f])) {
            pab_row_fail(row, "the processes disagree on %s, which the workload fixes", pab_figure_name[f]);
            return;
        }
    /* The time the processes measured: the warm one, or a real program's wall time. */
    double times[PAB_MAX_PROCESSES];
    size_t n = known_values(row, PAB_FIG_ns_per_op, times);
    if (n == 0)
        n = known_values(row, PAB_FIG_wall_seconds, times);
    row->unstable = pab_unstable(times, n);
}

/* ---- results.csv ---- */

static void write_header(FILE *f)
{
    fputs(pab_row_key_header, f);
    for (int i = 0; i < PAB_FIG_COUNT; i++) {
        fprintf(f, ",%s", pab_figure_name[i]);
        const char *const *bounds = pab_bound_suffix[pab_figure_aggregation[i]];
        if (bounds[0])
            fprintf(f, ",%s%s,%s%s", pab_figure_name[i], bounds[0], pab_figure_name[i], bounds[1]);
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < PAB_SYSCALL_COUNT; i++)
            fprintf(f, ",%s_%s_calls", pab_syscall_pass[pass], pab_syscall_name[i]);
    fputs(",allocator_instructions_per_op,total_instructions_per_op\n", f);
}

/* The cold then the warm counts, empty when unknown. */
static void write_syscalls(FILE *f, const pab_syscall_counts *c)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < PAB_SYSCALL_COUNT; i++) {
            if (c && c->known)
                fprintf(f, ",%.0f", pass ? c->warm[i] : c->cold[i]);
            else
                fputc(',', f);
        }
}

static void write_row(FILE *f, const pab_row *row)
{
    char text[64];
    const pab_summary *warm = &row->figure[PAB_FIG_ns_per_op];
    fprintf(f, "%s,%s,%u,%s", row->allocator, row->workload, row->threads, row->status);
    if (row->ok)
        fprintf(f, ",%zu,%d,", row->nprocesses, row->unstable);
    else
        fputs(",,,", f);
    if (row->ok && warm->known)
        fprintf(f, "%.0f", 1e9 / warm->center);
    for (int i = 0; i < PAB_FIG_COUNT; i++) {
        const pab_summary *s = &row->figure[i];
        bool known = row->ok && s->known;
        pab_figure_print((pab_figure)i, known, s->center, text, sizeof text);
        fprintf(f, ",%s", text);
        if (!pab_bound_suffix[pab_figure_aggregation[i]][0])
            continue;
        pab_figure_print((pab_figure)i, known && s->bounded, s->low, text, sizeof text);
        fprintf(f, ",%s", text);
        pab_figure_print((pab_figure)i, known && s->bounded, s->high, text, sizeof text);
        fprintf(f, ",%s", text);
    }
    write_syscalls(f, row->ok ? &row->syscalls : NULL);
    if (row->ok && row->instructions.known)
        fprintf(f, ",%.2f,%.2f\n", row->instructions.allocator / row->instructions_ops,
                row->instructions.total / row->instructions_ops);
    else
        fputs(",,\n", f);
}

int pab_results_write_csv(const char *path, const pab_row *rows, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    write_header(f);
    for (size_t i = 0; i < n; i++)
        write_row(f, &rows[i]);
    int failed = ferror(f);
    return (fclose(f) != 0 || failed) ? -1 : 0;
}

/* ---- samples.csv, series.csv, stats.csv, latency.csv, latency_bins.csv ---- */

static const struct {
    const char *file;
    pab_child_file child;
    const char *lead_header; /* what the parent puts before the child's columns */
} pab_merged_table[PAB_MERGED_COUNT] = {
    [PAB_MERGED_SAMPLES] = {"samples.csv", PAB_FILE_SAMPLES, PAB_KEY_HEADER ",process"},
    [PAB_MERGED_SERIES] = {"series.csv", PAB_FILE_SERIES, PAB_KEY_HEADER},
    [PAB_MERGED_STATS] = {"stats.csv", PAB_FILE_STATS, PAB_KEY_HEADER},
    [PAB_MERGED_LATENCY] = {"latency.csv", PAB_FILE_LATENCY, PAB_KEY_HEADER},
    [PAB_MERGED_LATENCY_BINS] = {"latency_bins.csv", PAB_FILE_LATENCY_BINS, PAB_KEY_HEADER},
};

int pab_merged_open(pab_merged *m, const char *dir)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < PAB_MERGED_COUNT; i++) {
        char *path = pab_format("%s/%s", dir, pab_merged_table[i].file);
        m->files[i] = fopen(path, "w");
        free(path);
        if (!m->files[i]) {
            pab_merged_close(m);
            return -1;
        }
        fprintf(m->files[i], "%s,%s\n", pab_merged_table[i].lead_header,
                pab_child_file_header[pab_merged_table[i].child]);
    }
    return 0;
}

char *pab_merged_read(pab_merged_file which, const char *prefix, char *err, size_t errlen)
{
    pab_child_file child = pab_merged_table[which].child;
    const char *header = pab_child_file_header[child];
    char *path = pab_format("%s%s", prefix, pab_child_file_suffix[child]);
    char *text = pab_read_file(path);
    free(path);
    size_t hlen = strlen(header);
    if (!text)
        snprintf(err, errlen, "child wrote no %s", pab_merged_table[which].file);
    else if (strncmp(text, header, hlen) != 0 || (text[hlen] != '\n' && text[hlen] != '\r')) {
        snprintf(err, errlen, "child's %s does not start with '%s'", pab_merged_table[which].file, header);
        free(text);
        text = NULL;
    }
    return text;
}

void pab_merged_append(pab_merged *m, pab_merged_file which, char *text, const char *lead)
{
    char *save = text, *line;
    strsep(&save, "\n"); /* the header */
    while ((line = strsep(&save, "\n")) != NULL) {
        line[strcspn(line, "\r")] = '\0';
        if (*line)
            fprintf(m->files[which], "%s,%s\n", lead, line);
    }
}

void pab_merged_forget(const char *prefix)
{
    for (int i = 0; i < PAB_FILE_COUNT; i++) {
        char *path = pab_format("%s%s", prefix, pab_child_file_suffix[i]);
        unlink(path);
        free(path);
    }
}

int pab_merged_close(pab_merged *m)
{
    int rc = 0;
    for (int i = 0; i < PAB_MERGED_COUNT; i++) {
        if (!m->files[i])
            continue;
        if (ferror(m->files[i]))
            rc = -1;
        if (fclose(m->files[i]) != 0)
            rc = -1;
        m->files[i] = NULL;
    }
    return rc;
}
