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
#define PAB_FIGURE_NAME(name, format, aggregation) #name,
    PAB_FIGURES(PAB_FIGURE_NAME)
#undef PAB_FIGURE_NAME
};

const char *const pab_figure_printf[PAB_FIG_COUNT] = {
#define PAB_FIGURE_FORMAT(name, format, aggregation) format,
    PAB_FIGURES(PAB_FIGURE_FORMAT)
#undef PAB_FIGURE_FORMAT
};

const pab_aggregation pab_figure_aggregation[PAB_FIG_COUNT] = {
#define PAB_FIGURE_AGGREGATION(name, format, aggregation) aggregation,
    PAB_FIGURES(PAB_FIGURE_AGGREGATION)
#undef PAB_FIGURE_AGGREGATION
};

const char *const pab_note_name[PAB_NOTE_COUNT] = {
#define PAB_NOTE_NAME(name) #name,
    PAB_NOTES(PAB_NOTE_NAME)
#undef PAB_NOTE_NAME
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

/* NAME:KEY=VALUE[:KEY=VALUE...], each part between ':' a name '=' a name;
 * NAME may be up to `names` names joined by '+' (a spec, which the registry
 * then refuses with its reason: a layered allocator has no variants). */
static bool variant_valid(const char *label, int names)
{
    char copy[PAB_LABEL_MAX];
    if (strlen(label) >= sizeof copy)
        return false;
    strcpy(copy, label);
    char *save = copy, *name = strsep(&save, ":");
    if (!save || !names_valid(name, '+', false, names))
        return false;
    for (char *part; (part = strsep(&save, ":")) != NULL;)
        if (!strchr(part, '=') || !names_valid(part, '=', false, 2))
            return false;
    return true;
}

/* A name, up to eight joined by '+', or a variant (NAME:KEY=VALUE..., its
 * NAME up to `variant_names` names), optionally followed by @MODEL. */
static bool label_valid(const char *label, int variant_names)
{
    char front[PAB_LABEL_MAX];
    const char *at = strchr(label, '@');
    size_t n = at ? (size_t)(at - label) : strlen(label);
    if (n >= sizeof front || strlen(label) >= PAB_LABEL_MAX)
        return false;
    memcpy(front, label, n);
    front[n] = '\0';
    bool front_ok = strchr(front, ':') ? variant_valid(front, variant_names) : names_valid(front, '+', false, 8);
    return front_ok && (!at || names_valid(at + 1, 0, true, 1));
}

bool pab_allocator_label_valid(const char *label) { return label_valid(label, 1); }

bool pab_allocator_spec_label(const char *spec, char *out, size_t len)
{
    const char *equals = strchr(spec, '='), *colon = strchr(spec, ':');
    if (colon && colon < equals) {
        snprintf(out, len, "%s", spec);
        return strlen(spec) < len && label_valid(spec, 8);
    }
    size_t n = equals ? (size_t)(equals - spec) : strlen(spec);
    if (n >= len)
        return false;
    memcpy(out, spec, n);
    out[n] = '\0';
    return equals ? names_valid(out, 0, false, 1) : pab_allocator_label_valid(out);
}

bool pab_workload_label_valid(const char *label) { return names_valid(label, '/', true, 2); }

bool pab_pair_stem(const char *allocator, const char *workload, unsigned threads, char *out, size_t len)
{
    int n = threads == 1 ? snprintf(out, len, "%s__%s", allocator, workload)
                         : snprintf(out, len, "%s__%s__t%u", allocator, workload, threads);
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

void pab_figure_print(pab_figure which, bool known, double value, char *out, size_t len)
{
    if (known)
        snprintf(out, len, pab_figure_printf[which], value);
    else if (len)
        out[0] = '\0';
}

/* A note goes on one line whatever the allocator returns. */
static void put_one_line(FILE *out, const char *text)
{
    for (; *text; text++)
        fputc(*text == '\n' || *text == '\r' ? ' ' : *text, out);
    fputc('\n', out);
}

int pab_figures_write(FILE *out, const pab_figures *f, const pab_notes *notes)
{
    char text[64];
    for (int i = 0; i < PAB_FIG_COUNT; i++) {
        pab_figure_print((pab_figure)i, f->known[i], f->value[i], text, sizeof text);
        fprintf(out, "%s=%s\n", pab_figure_name[i], text);
    }
    for (int i = 0; i < PAB_NOTE_COUNT; i++) {
        fprintf(out, "%s=", pab_note_name[i]);
        put_one_line(out, notes->text[i]);
    }
    return ferror(out) ? -1 : 0;
}

static int note_index(const char *key)
{
    for (int i = 0; i < PAB_NOTE_COUNT; i++)
        if (strcmp(pab_note_name[i], key) == 0)
            return i;
    return -1;
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

/* One key=value line into f or notes; seen[] catches a figure given twice. */
static int take_line(char *line, pab_figures *f, pab_notes *notes, bool *seen, char *err, size_t errlen)
{
    char *eq = strchr(line, '=');
    if (!eq) {
        snprintf(err, errlen, "child's figures have a line without '=': '%.40s'", line);
        return -1;
    }
    *eq = '\0';
    const char *value = eq + 1;
    int note = note_index(line);
    if (note >= 0) {
        snprintf(notes->text[note], PAB_NOTE_MAX, "%s", value);
        return 0;
    }
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

int pab_figures_parse(char *text, pab_figures *f, pab_notes *notes, char *err, size_t errlen)
{
    bool seen[PAB_FIG_COUNT] = {0};
    memset(f, 0, sizeof *f);
    memset(notes, 0, sizeof *notes);
    for (char *save = text, *line; (line = strsep(&save, "\n")) != NULL;) {
        line[strcspn(line, "\r")] = '\0';
        if (*line && take_line(line, f, notes, seen, err, errlen) != 0)
            return -1;
    }
    for (int i = 0; i < PAB_FIG_COUNT; i++)
        if (!seen[i]) {
            snprintf(err, errlen, "child's figures lack %s", pab_figure_name[i]);
            return -1;
        }
    return 0;
}
