/*
 * stats_text.h: reads the text of _PyObject_DebugMallocStats (or our
 * pymalloc_print_stats, which copies its layout) into numbered lines, and
 * compares two such reports number for number.
 *
 * Each non-blank line becomes a key (its words, with every number replaced
 * by '#') and the list of its numbers. Size-class rows have no words, so
 * their key is "class N". A key seen twice ("Total = #") gets its occurrence
 * appended. Column widths are ignored; every number and every line must match.
 */
#ifndef STATS_TEXT_H
#define STATS_TEXT_H

#include <stdio.h>

enum { STATS_MAX_LINES = 96, STATS_MAX_NUMBERS = 6, STATS_KEY_LEN = 96, STATS_TEXT_LEN = 128 };

typedef struct stats_line {
    char key[STATS_KEY_LEN];
    char text[STATS_TEXT_LEN]; /* the line as printed, for diffs */
    int nnumbers;
    long long numbers[STATS_MAX_NUMBERS];
} stats_line;

typedef struct stats_report {
    int nlines;
    stats_line lines[STATS_MAX_LINES];
} stats_report;

/* Parses `text`; -1 (with a line on stderr) when it does not look like a stats report. */
int stats_parse(const char *text, stats_report *out);

/* The numbers of the line with `key`, or NULL. */
const stats_line *stats_find(const stats_report *r, const char *key);

/*
 * Prints to `diff` every line whose numbers differ or which only one side
 * has, labelled with `label_a`/`label_b`. Returns the number of such lines.
 */
int stats_compare(const stats_report *a, const stats_report *b, const char *label_a, const char *label_b,
                  FILE *diff);

#endif
