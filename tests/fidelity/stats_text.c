/* Parsing and comparing statistics printouts (stats_text.h). */
#include "stats_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A number is a run of digits, possibly grouped by commas ("1,048,576"). */
static const char *read_number(const char *s, long long *value)
{
    long long v = 0;
    while (isdigit((unsigned char)*s) || (*s == ',' && isdigit((unsigned char)s[1]))) {
        if (*s != ',')
            v = v * 10 + (*s - '0');
        s++;
    }
    *value = v;
    return s;
}

static void append_char(char *key, size_t *len, char c)
{
    if (*len + 1 < STATS_KEY_LEN)
        key[(*len)++] = c;
    key[*len] = '\0';
}

/* Words of the line with numbers as '#' and runs of blanks as one space. */
static void parse_line(const char *line, size_t n, stats_line *out)
{
    size_t len = 0;
    const char *s = line, *end = line + n;
    *out = (stats_line){.key = ""};
    snprintf(out->text, sizeof out->text, "%.*s", (int)n, line);
    while (s < end) {
        if (isspace((unsigned char)*s)) {
            while (s < end && isspace((unsigned char)*s))
                s++;
            if (len && s < end)
                append_char(out->key, &len, ' ');
        } else if (isdigit((unsigned char)*s) && (s == line || !isalpha((unsigned char)s[-1]))) {
            long long v;
            s = read_number(s, &v);
            if (out->nnumbers < STATS_MAX_NUMBERS)
                out->numbers[out->nnumbers++] = v;
            append_char(out->key, &len, '#');
        } else {
            append_char(out->key, &len, *s++);
        }
    }
}

static int count_key(const stats_report *r, const char *key)
{
    int n = 0;
    for (int i = 0; i < r->nlines; i++)
        n += strncmp(r->lines[i].key, key, strlen(key)) == 0 &&
             (r->lines[i].key[strlen(key)] == '\0' || r->lines[i].key[strlen(key)] == '@');
    return n;
}

/* Size-class rows by class index; repeated keys numbered so each is compared with its counterpart. */
static void name_line(stats_report *r, stats_line *l)
{
    char key[STATS_KEY_LEN];
    if (strcmp(l->key, "# # # # #") == 0)
        snprintf(key, sizeof key, "class %lld", l->numbers[0]);
    else
        snprintf(key, sizeof key, "%s", l->key);
    int seen = count_key(r, key);
    if (seen)
        snprintf(l->key, sizeof l->key, "%.80s@%d", key, seen + 1);
    else
        snprintf(l->key, sizeof l->key, "%s", key);
}

int stats_parse(const char *text, stats_report *out)
{
    out->nlines = 0;
    for (const char *s = text; *s;) {
        size_t n = strcspn(s, "\n");
        if (strspn(s, " \t") < n) {
            if (out->nlines == STATS_MAX_LINES) {
                fprintf(stderr, "fidelity: a stats report has more than %d lines\n", STATS_MAX_LINES);
                return -1;
            }
            stats_line *l = &out->lines[out->nlines];
            parse_line(s, n, l);
            name_line(out, l);
            out->nlines++;
        }
        s += n + (s[n] == '\n');
    }
    if (!stats_find(out, "# arenas allocated total = #")) {
        fprintf(stderr, "fidelity: a stats report lacks the line '# arenas allocated total'\n");
        return -1;
    }
    return 0;
}

const stats_line *stats_find(const stats_report *r, const char *key)
{
    for (int i = 0; i < r->nlines; i++)
        if (strcmp(r->lines[i].key, key) == 0)
            return &r->lines[i];
    return NULL;
}

static int same_numbers(const stats_line *a, const stats_line *b)
{
    if (a->nnumbers != b->nnumbers)
        return 0;
    for (int i = 0; i < a->nnumbers; i++)
        if (a->numbers[i] != b->numbers[i])
            return 0;
    return 1;
}

int stats_compare(const stats_report *a, const stats_report *b, const char *label_a, const char *label_b,
                  FILE *diff)
{
    int differing = 0;
    for (int i = 0; i < a->nlines; i++) {
        const stats_line *la = &a->lines[i], *lb = stats_find(b, la->key);
        if (lb && same_numbers(la, lb))
            continue;
        differing++;
        fprintf(diff, "  %-8s| %s\n  %-8s| %s\n", label_a, la->text, label_b, lb ? lb->text : "(no such line)");
    }
    for (int i = 0; i < b->nlines; i++)
        if (!stats_find(a, b->lines[i].key)) {
            differing++;
            fprintf(diff, "  %-8s| (no such line)\n  %-8s| %s\n", label_a, label_b, b->lines[i].text);
        }
    return differing;
}
