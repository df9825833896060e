/* results.c: results.csv, and the merging of the children's series and stats. */
#include "results.h"

#include "files.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The leading columns every row has, before the figures. */
static const char pab_row_key_header[] = PAB_KEY_HEADER ",status";

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

static void drop_figures(pab_row *row) { memset(&row->figures, 0, sizeof row->figures); }

void pab_row_fail(pab_row *row, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(row->status, sizeof row->status, "failed: ");
    va_start(ap, fmt);
    vsnprintf(row->status + n, sizeof row->status - (size_t)n, fmt, ap);
    va_end(ap);
    make_cell_safe(row->status);
    row->ok = false;
    drop_figures(row);
}

int pab_row_load_figures(pab_row *row, const char *path, char *err, size_t errlen)
{
    char *text = pab_read_file(path);
    if (!text) {
        snprintf(err, errlen, "child exited 0 but wrote no figures");
        return -1;
    }
    int rc = pab_figures_parse(text, &row->figures, err, errlen);
    free(text);
    if (rc != 0)
        drop_figures(row);
    return rc;
}

static void write_row(FILE *f, const pab_row *row)
{
    char text[64];
    fprintf(f, "%s,%s,%s", row->allocator, row->workload, row->status);
    for (int i = 0; i < PAB_FIG_COUNT; i++) {
        pab_figure_format(&row->figures, (pab_figure)i, text, sizeof text);
        fprintf(f, ",%s", row->ok ? text : "");
    }
    fputc('\n', f);
}

int pab_results_write_csv(const char *path, const pab_row *rows, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(pab_row_key_header, f);
    for (int i = 0; i < PAB_FIG_COUNT; i++)
        fprintf(f, ",%s", pab_figure_name[i]);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++)
        write_row(f, &rows[i]);
    int failed = ferror(f);
    return (fclose(f) != 0 || failed) ? -1 : 0;
}

/* ---- series.csv and stats.csv ---- */

/* The run's file for each merged child file. */
static const struct {
    const char *file;
    pab_child_file child;
} pab_merged_table[PAB_MERGED_COUNT] = {
    {"series.csv", PAB_FILE_SERIES},
    {"stats.csv", PAB_FILE_STATS},
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
        fprintf(m->files[i], PAB_KEY_HEADER ",%s\n", pab_child_file_header[pab_merged_table[i].child]);
    }
    return 0;
}

/* The child's file, checked: its first line must be the contract's header. */
static char *read_child_file(const char *prefix, int i, char *err, size_t errlen)
{
    pab_child_file which = pab_merged_table[i].child;
    const char *header = pab_child_file_header[which];
    char *path = pab_format("%s%s", prefix, pab_child_file_suffix[which]);
    char *text = pab_read_file(path);
    free(path);
    size_t hlen = strlen(header);
    if (!text)
        snprintf(err, errlen, "child wrote no %s", pab_merged_table[i].file);
    else if (strncmp(text, header, hlen) != 0 || (text[hlen] != '\n' && text[hlen] != '\r')) {
        snprintf(err, errlen, "child's %s does not start with '%s'", pab_merged_table[i].file, header);
        free(text);
        text = NULL;
    }
    return text;
}

static void append_lines(FILE *f, char *text, const char *allocator, const char *workload)
{
    char *save = text, *line;
    strsep(&save, "\n"); /* the header */
    while ((line = strsep(&save, "\n")) != NULL) {
        line[strcspn(line, "\r")] = '\0';
        if (*line)
            fprintf(f, "%s,%s,%s\n", allocator, workload, line);
    }
}

int pab_merged_append(pab_merged *m, const char *prefix, const char *allocator, const char *workload,
                      char *err, size_t errlen)
{
    char *texts[PAB_MERGED_COUNT] = {0};
    int rc = 0;
    for (int i = 0; rc == 0 && i < PAB_MERGED_COUNT; i++)
        if (!(texts[i] = read_child_file(prefix, i, err, errlen)))
            rc = -1;
    for (int i = 0; i < PAB_MERGED_COUNT; i++) {
        if (rc == 0)
            append_lines(m->files[i], texts[i], allocator, workload);
        free(texts[i]);
    }
    return rc;
}

void pab_merged_forget(const char *prefix)
{
    for (int i = 0; i < PAB_MERGED_COUNT; i++) {
        char *path = pab_format("%s%s", prefix, pab_child_file_suffix[pab_merged_table[i].child]);
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
