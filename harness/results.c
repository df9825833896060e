/* results.c: results.csv, and the merging of the children's series and stats. */
#include "results.h"

#include "files.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const pab_figure_names[PAB_FIG_COUNT] = {
#define PAB_FIGURE_NAME(name) #name,
    PAB_FIGURES(PAB_FIGURE_NAME)
#undef PAB_FIGURE_NAME
};

/* The leading columns every row has, before the figures. */
static const char pab_row_key_header[] = "allocator,workload,status";

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
    for (int f = 0; f < PAB_FIG_COUNT; f++) {
        free(row->text[f]);
        row->text[f] = NULL;
        row->value[f] = 0;
    }
}

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

void pab_row_free(pab_row *row) { drop_figures(row); }

static int figure_index(const char *key)
{
    for (int f = 0; f < PAB_FIG_COUNT; f++)
        if (strcmp(pab_figure_names[f], key) == 0)
            return f;
    return -1;
}

static bool parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    return *text && !*end && errno != ERANGE && isfinite(*out);
}

/* Takes one key=value line; -1 if it names a figure but the value is no
 * number. Other keys (version=, which the probe already gave) are skipped. */
static int take_figure_line(pab_row *row, char *line, char *err, size_t errlen)
{
    char *eq = strchr(line, '=');
    if (!eq)
        return 0;
    *eq = '\0';
    const char *value = eq + 1;
    int f = figure_index(line);
    if (f < 0)
        return 0;
    /* An empty value is a figure the child could not honestly give. */
    if (*value && !parse_number(value, &row->value[f])) {
        snprintf(err, errlen, "child wrote %s=%s, not a finite number", line, value);
        return -1;
    }
    free(row->text[f]);
    row->text[f] = pab_format("%s", value);
    return 0;
}

int pab_row_load_figures(pab_row *row, const char *path, char *err, size_t errlen)
{
    char *text = pab_read_file(path);
    if (!text) {
        snprintf(err, errlen, "child exited 0 but wrote no figures");
        return -1;
    }
    int rc = 0;
    for (char *save = text, *line; rc == 0 && (line = strsep(&save, "\n")) != NULL;) {
        line[strcspn(line, "\r")] = '\0';
        rc = take_figure_line(row, line, err, errlen);
    }
    free(text);
    for (int f = 0; rc == 0 && f < PAB_FIG_COUNT; f++)
        if (!row->text[f]) {
            snprintf(err, errlen, "child's figures lack %s", pab_figure_names[f]);
            rc = -1;
        }
    if (rc != 0)
        drop_figures(row);
    return rc;
}

static void write_row(FILE *f, const pab_row *row)
{
    fprintf(f, "%s,%s,%s", row->allocator, row->workload, row->status);
    for (int i = 0; i < PAB_FIG_COUNT; i++)
        fprintf(f, ",%s", row->ok && row->text[i] ? row->text[i] : "");
    fputc('\n', f);
}

int pab_results_write_csv(const char *path, const pab_row *rows, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(pab_row_key_header, f);
    for (int i = 0; i < PAB_FIG_COUNT; i++)
        fprintf(f, ",%s", pab_figure_names[i]);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++)
        write_row(f, &rows[i]);
    int failed = ferror(f);
    return (fclose(f) != 0 || failed) ? -1 : 0;
}

/* ---- series.csv and stats.csv ---- */

static const struct {
    const char *file;   /* in the results folder */
    const char *suffix; /* after the child's PREFIX */
    const char *header; /* the child's header, per the process contract */
} pab_merged_table[PAB_MERGED_COUNT] = {
    {"series.csv", ".series.csv", "ops,rss_bytes,live_bytes"},
    {"stats.csv", ".stats.csv", "phase,counter,value"},
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
        fprintf(m->files[i], "allocator,workload,%s\n", pab_merged_table[i].header);
    }
    return 0;
}

/* The child's file, checked: its first line must be the contract's header. */
static char *read_child_file(const char *prefix, int i, char *err, size_t errlen)
{
    char *path = pab_format("%s%s", prefix, pab_merged_table[i].suffix);
    char *text = pab_read_file(path);
    free(path);
    size_t hlen = strlen(pab_merged_table[i].header);
    if (!text)
        snprintf(err, errlen, "child wrote no %s", pab_merged_table[i].file);
    else if (strncmp(text, pab_merged_table[i].header, hlen) != 0 ||
             (text[hlen] != '\n' && text[hlen] != '\r')) {
        snprintf(err, errlen, "child's %s does not start with '%s'", pab_merged_table[i].file,
                 pab_merged_table[i].header);
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
        char *path = pab_format("%s%s", prefix, pab_merged_table[i].suffix);
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
