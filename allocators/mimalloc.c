/*
 * mimalloc 2.0.9: served by libmimalloc.so.2 in LD_PRELOAD of the child, so
 * the entries are libc's names. Its statistics calls are looked up at init.
 *
 * Debian builds mimalloc without MI_STAT, so it does not count the bytes it
 * hands out: in_use_bytes stays unknown. What it does count reliably is what
 * it asks of the OS: reserved and committed memory and segments (its
 * "touched" and "pages" rows count only decreases in this build and go
 * negative, so they are left out). mi_process_info gives committed bytes
 * exactly; reserved bytes and segments exist only in the text of
 * mi_stats_print_out, printed with one decimal in the largest unit.
 */
#include "allocator.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runtime soname from Debian 12's package. */
#define MIMALLOC_LIBRARY "libmimalloc.so.2"

typedef void (*mimalloc_output_fn)(const char *msg, void *arg);
typedef void (*mimalloc_print_fn)(mimalloc_output_fn out, void *arg);
typedef void (*mimalloc_process_info_fn)(size_t *elapsed_msecs, size_t *user_msecs,
                                         size_t *system_msecs, size_t *current_rss,
                                         size_t *peak_rss, size_t *current_commit,
                                         size_t *peak_commit, size_t *page_faults);
typedef void (*mimalloc_collect_fn)(bool force);
typedef int (*mimalloc_version_fn)(void);

static mimalloc_print_fn mimalloc_stats_print_out;
static mimalloc_process_info_fn mimalloc_process_info;
static mimalloc_collect_fn mimalloc_collect;
static mimalloc_version_fn mimalloc_version_call;

static const char *mimalloc_init(pab_allocator *self)
{
    (void)self;
    mimalloc_stats_print_out = (mimalloc_print_fn)dlsym(RTLD_DEFAULT, "mi_stats_print_out");
    mimalloc_process_info = (mimalloc_process_info_fn)dlsym(RTLD_DEFAULT, "mi_process_info");
    mimalloc_collect = (mimalloc_collect_fn)dlsym(RTLD_DEFAULT, "mi_collect");
    mimalloc_version_call = (mimalloc_version_fn)dlsym(RTLD_DEFAULT, "mi_version");
    if (!mimalloc_stats_print_out || !mimalloc_process_info || !mimalloc_collect ||
        !mimalloc_version_call)
        return "mimalloc is not loaded (mi_* not found): it needs LD_PRELOAD=" MIMALLOC_LIBRARY;
    return NULL;
}


/*
 * The rows read from the printout. Each row is "label: peak total freed
 * current ...", amounts like "0", "12 B", "64.2 KiB" or "1.5 Ki". The
 * callback gets the text in pieces, so it is gathered into lines in a fixed
 * buffer: nothing here may allocate, malloc being mimalloc itself.
 */
typedef struct mimalloc_rows {
    char line[256];
    size_t length;
    double reserved_peak, reserved, reset, segments;
} mimalloc_rows;

/* Reads one amount at *text and moves past it; returns -1 when there is none. */
static double mimalloc_parse_amount(const char **text)
{
    char *end;
    double value = strtod(*text, &end);
    if (end == *text)
        return -1;
    const char *unit = end + strspn(end, " ");
    const char *prefix = strchr("KMGT", *unit);
    if (*unit && prefix && unit[1] == 'i') {
        for (const char *p = "KMGT"; p <= prefix; p++)
            value *= 1024;
        end = (char *)unit + strcspn(unit, " ");
    } else if (unit[0] == 'B' && (unit[1] == ' ' || unit[1] == '\0')) {
        end = (char *)unit + 1;
    }
    *text = end;
    return value;
}

/* The current value is the fourth amount; peak the first. */
static void mimalloc_parse_row(const char *label, const char *text, mimalloc_rows *rows)
{
    double amounts[4];
    for (int i = 0; i < 4; i++)
        if ((amounts[i] = mimalloc_parse_amount(&text)) < 0 && i < 3)
            return;
    if (strcmp(label, "reserved") == 0) {
        rows->reserved_peak = amounts[0];
        rows->reserved = amounts[3];
    } else if (strcmp(label, "reset") == 0) {
        rows->reset = amounts[3];
    } else if (strcmp(label, "segments") == 0) {
        rows->segments = amounts[3];
    }
}

static void mimalloc_take_line(mimalloc_rows *rows)
{
    rows->line[rows->length] = '\0';
    rows->length = 0;
    char *colon = strchr(rows->line, ':');
    if (!colon)
        return;
    *colon = '\0';
    const char *label = rows->line + strspn(rows->line, " ");
    mimalloc_parse_row(label, colon + 1, rows);
}

static void mimalloc_gather(const char *msg, void *arg)
{
    mimalloc_rows *rows = arg;
    for (; *msg; msg++) {
        if (*msg == '\n')
            mimalloc_take_line(rows);
        else if (rows->length < sizeof rows->line - 1)
            rows->line[rows->length++] = *msg;
    }
}

static void mimalloc_stats(const pab_allocator *self, pab_stats *out)
{
    (void)self;
    mimalloc_rows rows = {.reserved_peak = -1, .reserved = -1, .reset = -1, .segments = -1};
    mimalloc_stats_print_out(mimalloc_gather, &rows);
    if (rows.length)
        mimalloc_take_line(&rows);

    size_t elapsed, user, system, rss, peak_rss, commit, peak_commit, faults;
    mimalloc_process_info(&elapsed, &user, &system, &rss, &peak_rss, &commit, &peak_commit, &faults);

    pab_stats_clear(out);
    out->mapped_bytes = rows.reserved;
    pab_stats_add(out, "reserved_bytes", rows.reserved);
    pab_stats_add(out, "reserved_peak_bytes", rows.reserved_peak);
    pab_stats_add(out, "committed_bytes", (double)commit);
    pab_stats_add(out, "committed_peak_bytes", (double)peak_commit);
    pab_stats_add(out, "reset_bytes", rows.reset);
    pab_stats_add(out, "segments", rows.segments);
}

static void mimalloc_trim(const pab_allocator *self)
{
    (void)self;
    mimalloc_collect(true);
}

static const char *mimalloc_version(const pab_allocator *self)
{
    (void)self;
    static char text[32];
    int v = mimalloc_version_call();
    snprintf(text, sizeof text, "mimalloc %d.%d.%d", v / 100, v / 10 % 10, v % 10);
    return text;
}

const pab_allocator pab_mimalloc = {
    .name = "mimalloc",
    .pythonmalloc = "malloc",
    .description = "mimalloc (Debian's libmimalloc2.0, preloaded)",
    .preload = MIMALLOC_LIBRARY,
    .thread_safe = true,
    .init = mimalloc_init,
    .malloc = malloc,
    .realloc = realloc,
    .free = free,
    .stats = mimalloc_stats,
    .trim = mimalloc_trim,
    .version = mimalloc_version,
};
