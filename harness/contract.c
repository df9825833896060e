/* contract.c: see contract.h. */
#include "contract.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const pab_child_file_suffix[PAB_FILE_COUNT] = {
#define PAB_CHILD_FILE_SUFFIX(id, suffix, header) suffix,
    PAB_CHILD_FILES(PAB_CHILD_FILE_SUFFIX)
#undef PAB_CHILD_FILE_SUFFIX
};

const char *const pab_child_file_header[PAB_FILE_COUNT] = {
#define PAB_CHILD_FILE_HEADER(id, suffix, header) header,
    PAB_CHILD_FILES(PAB_CHILD_FILE_HEADER)
#undef PAB_CHILD_FILE_HEADER
};

const char *const pab_figure_name[PAB_FIG_COUNT] = {
#define PAB_FIGURE_NAME(name, format) #name,
    PAB_FIGURES(PAB_FIGURE_NAME)
#undef PAB_FIGURE_NAME
};

static const char *const pab_figure_printf[PAB_FIG_COUNT] = {
#define PAB_FIGURE_FORMAT(name, format) format,
    PAB_FIGURES(PAB_FIGURE_FORMAT)
#undef PAB_FIGURE_FORMAT
};

/* ---- labels ---- */

static bool is_name_char(char c, bool lower_only)
{
    if (lower_only)
        return islower((unsigned char)c) || isdigit((unsigned char)c) || c == '_';
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

/* Whether s is made of names separated by single `sep`s (sep 0: one name). */
static bool names_valid(const char *s, char sep, bool lower_only, int max_parts)
{
    size_t len = strlen(s);
    if (len == 0 || len >= PAB_LABEL_MAX)
        return false;
    int parts = 1;
    bool empty = true;
    for (const char *c = s; *c; c++) {
        if (sep && *c == sep) {
            if (empty || ++parts > max_parts)
                return false;
            empty = true;
        } else if (is_name_char(*c, lower_only)) {
            empty = false;
        } else {
            return false;
        }
    }
    return !empty;
}

bool pab_allocator_label_valid(const char *label) { return names_valid(label, '+', false, 8); }

bool pab_workload_label_valid(const char *label) { return names_valid(label, '/', true, 2); }

bool pab_pair_stem(const char *allocator, const char *workload, char *out, size_t len)
{
    int n = snprintf(out, len, "%s__%s", allocator, workload);
    if (n < 0 || (size_t)n >= len)
        return false;
    for (char *c = out + strlen(allocator) + 2; *c; c++)
        if (*c == '/')
            *c = '.';
    return true;
}

/* ---- figures ---- */

void pab_figure_set(pab_figures *f, pab_figure which, double value)
{
    f->value[which] = value;
    f->known[which] = isfinite(value);
}

void pab_figure_format(const pab_figures *f, pab_figure which, char *out, size_t len)
{
    if (f->known[which])
        snprintf(out, len, pab_figure_printf[which], f->value[which]);
    else if (len)
        out[0] = '\0';
}

/* The version goes on one line whatever the allocator returns. */
static void put_one_line(FILE *out, const char *text)
{
    for (; *text; text++)
        fputc(*text == '\n' || *text == '\r' ? ' ' : *text, out);
    fputc('\n', out);
}

int pab_figures_write(FILE *out, const pab_figures *f, const char *version)
{
    char text[64];
    for (int i = 0; i < PAB_FIG_COUNT; i++) {
        pab_figure_format(f, (pab_figure)i, text, sizeof text);
        fprintf(out, "%s=%s\n", pab_figure_name[i], text);
    }
    fputs(PAB_VERSION_KEY "=", out);
    put_one_line(out, version ? version : "");
    return ferror(out) ? -1 : 0;
}

static int figure_index(const char *key)
{
    for (int i = 0; i < PAB_FIG_COUNT; i++)
        if (strcmp(pab_figure_name[i], key) == 0)
            return i;
    return -1;
}

static bool parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    return *text && !*end && errno != ERANGE && isfinite(*out);
}

/* One key=value line into f; seen[] catches a figure given twice. */
static int take_line(char *line, pab_figures *f, bool *seen, char *err, size_t errlen)
{
    char *eq = strchr(line, '=');
    if (!eq) {
        snprintf(err, errlen, "child's figures have a line without '=': '%.40s'", line);
        return -1;
    }
    *eq = '\0';
    const char *value = eq + 1;
    if (strcmp(line, PAB_VERSION_KEY) == 0)
        return 0;
    int i = figure_index(line);
    if (i < 0 || seen[i]) {
        snprintf(err, errlen, "child's figures %s '%.40s'", i < 0 ? "name an unknown figure" : "repeat",
                 line);
        return -1;
    }
    seen[i] = true;
    if (!*value)
        return 0;
    if (!parse_number(value, &f->value[i])) {
        snprintf(err, errlen, "child wrote %s=%.40s, not a finite number", line, value);
        return -1;
    }
    f->known[i] = true;
    return 0;
}

int pab_figures_parse(char *text, pab_figures *f, char *err, size_t errlen)
{
    bool seen[PAB_FIG_COUNT] = {0};
    memset(f, 0, sizeof *f);
    for (char *save = text, *line; (line = strsep(&save, "\n")) != NULL;) {
        line[strcspn(line, "\r")] = '\0';
        if (*line && take_line(line, f, seen, err, errlen) != 0)
            return -1;
    }
    for (int i = 0; i < PAB_FIG_COUNT; i++)
        if (!seen[i]) {
            snprintf(err, errlen, "child's figures lack %s", pab_figure_name[i]);
            return -1;
        }
    return 0;
}
