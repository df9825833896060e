/* summary.c: one line per pair, columns from the table below, aligned. */
#include "summary.h"

#include <stdio.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef enum pab_cell_kind { PAB_CELL_TEXT, PAB_CELL_CENTER, PAB_CELL_BOUNDS } pab_cell_kind;

typedef struct pab_summary_column {
    const char *header;
    pab_cell_kind kind;
    pab_figure figure;                     /* what a numeric cell shows ... */
    double scale;                          /* ... divided by this ... */
    const char *format;                    /* ... printed so */
    const char *(*text)(const pab_row *r); /* a text cell instead */
} pab_summary_column;

enum { PAB_MIB = 1 << 20 };

static const char *row_allocator(const pab_row *r) { return r->allocator; }
static const char *row_workload(const pab_row *r) { return r->workload; }
/* Used at once by cell(), so one buffer does. */
static const char *row_threads(const pab_row *r)
{
    static char text[16];
    snprintf(text, sizeof text, "%u", r->threads);
    return text;
}
static const char *row_status(const pab_row *r) { return r->ok && r->unstable ? "ok (unstable)" : r->status; }

static const pab_summary_column pab_summary_columns[] = {
    {"allocator", PAB_CELL_TEXT, 0, 0, NULL, row_allocator},
    {"workload", PAB_CELL_TEXT, 0, 0, NULL, row_workload},
    {"threads", PAB_CELL_TEXT, 0, 0, NULL, row_threads},
    {"ns/op", PAB_CELL_CENTER, PAB_FIG_ns_per_op, 1, "%.2f", NULL},
    {"95% interval", PAB_CELL_BOUNDS, PAB_FIG_ns_per_op, 1, "%.2f", NULL},
    {"cold ns/op", PAB_CELL_CENTER, PAB_FIG_cold_ns_per_op, 1, "%.2f", NULL},
    {"peak MiB", PAB_CELL_CENTER, PAB_FIG_peak_rss_bytes, PAB_MIB, "%.1f", NULL},
    {"final MiB", PAB_CELL_CENTER, PAB_FIG_final_rss_bytes, PAB_MIB, "%.1f", NULL},
    {"trimmed MiB", PAB_CELL_CENTER, PAB_FIG_trimmed_rss_bytes, PAB_MIB, "%.1f", NULL},
    {"cold faults", PAB_CELL_CENTER, PAB_FIG_cold_minor_faults, 1, "%.0f", NULL},
    {"frag", PAB_CELL_CENTER, PAB_FIG_fragmentation, 1, "%.2f", NULL},
    {"status", PAB_CELL_TEXT, 0, 0, NULL, row_status},
};

/* A --real run's rows: the program's own figures. */
static const pab_summary_column pab_real_columns[] = {
    {"allocator", PAB_CELL_TEXT, 0, 0, NULL, row_allocator},
    {"program", PAB_CELL_TEXT, 0, 0, NULL, row_workload},
    {"wall s", PAB_CELL_CENTER, PAB_FIG_wall_seconds, 1, "%.3f", NULL},
    {"95% interval", PAB_CELL_BOUNDS, PAB_FIG_wall_seconds, 1, "%.3f", NULL},
    {"user s", PAB_CELL_CENTER, PAB_FIG_user_seconds, 1, "%.3f", NULL},
    {"sys s", PAB_CELL_CENTER, PAB_FIG_system_seconds, 1, "%.3f", NULL},
    {"peak MiB above -c pass", PAB_CELL_CENTER, PAB_FIG_peak_rss_bytes, PAB_MIB, "%.1f", NULL},
    {"faults", PAB_CELL_CENTER, PAB_FIG_cold_minor_faults, 1, "%.0f", NULL},
    {"status", PAB_CELL_TEXT, 0, 0, NULL, row_status},
};

enum { PAB_MAX_COLUMNS = 16 };

static void cell(const pab_summary_column *c, const pab_row *r, char *out, size_t len)
{
    const pab_summary *s = r ? &r->figure[c->figure] : NULL;
    char lo[32], hi[32];
    if (!r)
        snprintf(out, len, "%s", c->header);
    else if (c->kind == PAB_CELL_TEXT)
        snprintf(out, len, "%s", c->text(r));
    else if (!r->ok || !s->known || (c->kind == PAB_CELL_BOUNDS && !s->bounded))
        snprintf(out, len, "-");
    else if (c->kind == PAB_CELL_CENTER)
        snprintf(out, len, c->format, s->center / c->scale);
    else {
        snprintf(lo, sizeof lo, c->format, s->low / c->scale);
        snprintf(hi, sizeof hi, c->format, s->high / c->scale);
        snprintf(out, len, "%s-%s", lo, hi);
    }
}

/* Characters on screen, counting each UTF-8 sequence once. */
static size_t display_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void print_line(FILE *f, const pab_summary_column *cols, size_t ncols, const pab_row *r,
                       const size_t *widths)
{
    char text[PAB_STATUS_MAX];
    for (size_t c = 0; c < ncols; c++) {
        const pab_summary_column *col = &cols[c];
        cell(col, r, text, sizeof text);
        size_t pad = widths[c] - display_width(text);
        bool last = c == ncols - 1;
        if (col->kind != PAB_CELL_TEXT)
            fprintf(f, "%*s%s", (int)pad, "", text);
        else
            fprintf(f, "%s%*s", text, last ? 0 : (int)pad, "");
        fputs(last ? "\n" : "  ", f);
    }
}

void pab_summary_print(FILE *f, const pab_row *rows, size_t n, bool real)
{
    const pab_summary_column *cols = real ? pab_real_columns : pab_summary_columns;
    size_t ncols = real ? sizeof pab_real_columns / sizeof *cols : sizeof pab_summary_columns / sizeof *cols;
    size_t widths[PAB_MAX_COLUMNS];
    char text[PAB_STATUS_MAX];
    for (size_t c = 0; c < ncols; c++) {
        widths[c] = display_width(cols[c].header);
        for (size_t i = 0; i < n; i++) {
            cell(&cols[c], &rows[i], text, sizeof text);
            size_t w = display_width(text);
            widths[c] = w > widths[c] ? w : widths[c];
        }
    }
    print_line(f, cols, ncols, NULL, widths);
    for (size_t i = 0; i < n; i++)
        print_line(f, cols, ncols, &rows[i], widths);
}
