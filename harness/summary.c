/* summary.c: one line per pair, columns from the table below, aligned. */
#include "summary.h"

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
static const char *row_status(const pab_row *r) { return r->ok && r->unstable ? "ok (unstable)" : r->status; }

static const pab_summary_column pab_summary_columns[] = {
    {"allocator", PAB_CELL_TEXT, 0, 0, NULL, row_allocator},
    {"workload", PAB_CELL_TEXT, 0, 0, NULL, row_workload},
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
enum { PAB_NCOLUMNS = sizeof pab_summary_columns / sizeof pab_summary_columns[0] };

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

static void print_line(FILE *f, const pab_row *r, const size_t *widths)
{
    char text[PAB_STATUS_MAX];
    for (int c = 0; c < PAB_NCOLUMNS; c++) {
        const pab_summary_column *col = &pab_summary_columns[c];
        cell(col, r, text, sizeof text);
        size_t pad = widths[c] - display_width(text);
        bool last = c == PAB_NCOLUMNS - 1;
        if (col->kind != PAB_CELL_TEXT)
            fprintf(f, "%*s%s", (int)pad, "", text);
        else
            fprintf(f, "%s%*s", text, last ? 0 : (int)pad, "");
        fputs(last ? "\n" : "  ", f);
    }
}

void pab_summary_print(FILE *f, const pab_row *rows, size_t n)
{
    size_t widths[PAB_NCOLUMNS];
    char text[PAB_STATUS_MAX];
    for (int c = 0; c < PAB_NCOLUMNS; c++) {
        widths[c] = display_width(pab_summary_columns[c].header);
        for (size_t i = 0; i < n; i++) {
            cell(&pab_summary_columns[c], &rows[i], text, sizeof text);
            size_t w = display_width(text);
            widths[c] = w > widths[c] ? w : widths[c];
        }
    }
    print_line(f, NULL, widths);
    for (size_t i = 0; i < n; i++)
        print_line(f, &rows[i], widths);
}
