/* callgrind.c: see callgrind.h. The file format is valgrind's "Callgrind
 * format": `fn=(id) name` opens a function's block (later `fn=(id)` alone),
 * `calls=N pos` announces a call whose next line is `pos inclusive-cost`,
 * and `totals:` (or `summary:`) is everything collected. */
#include "callgrind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PAB_MAX_NAME_IDS = 1 << 16 };

/* Which compressed function ids name one of our trampolines. */
typedef struct name_table {
    bool trampoline[PAB_MAX_NAME_IDS];
} name_table;

/* For "fn=(12) name" or "cfn=(12)": whether the function is a trampoline. */
static bool names_trampoline(name_table *t, const char *spec)
{
    char *end;
    long id = spec[0] == '(' ? strtol(spec + 1, &end, 10) : -1;
    if (id < 0 || id >= PAB_MAX_NAME_IDS || *end != ')')
        return strncmp(spec, PAB_COUNTED_PREFIX, strlen(PAB_COUNTED_PREFIX)) == 0 &&
               strcmp(spec, PAB_COUNTED_PASS) != 0;
    const char *name = end + 1 + (end[1] == ' ');
    if (*name && *name != '\n')
        t->trampoline[id] = strncmp(name, PAB_COUNTED_PREFIX, strlen(PAB_COUNTED_PREFIX)) == 0 &&
                            strncmp(name, PAB_COUNTED_PASS, strlen(PAB_COUNTED_PASS)) != 0;
    return t->trampoline[id];
}

/* The last number of a cost line. */
static double last_number(const char *line)
{
    const char *space = strrchr(line, ' ');
    return strtod(space ? space + 1 : line, NULL);
}

bool pab_callgrind_read(const char *path, pab_instruction_counts *out)
{
    static name_table names;
    memset(&names, 0, sizeof names);
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[8192];
    bool in_trampoline = false, call_cost_next = false, have_total = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "fn=", 3) == 0) {
            in_trampoline = names_trampoline(&names, line + 3);
        } else if (strncmp(line, "cfn=", 4) == 0) {
            names_trampoline(&names, line + 4);
        } else if (strncmp(line, "calls=", 6) == 0) {
            call_cost_next = true;
        } else if (strncmp(line, "totals:", 7) == 0 || strncmp(line, "summary:", 8) == 0) {
            out->total = last_number(line);
            have_total = true;
        } else if (call_cost_next && (line[0] == '*' || line[0] == '+' || line[0] == '-' ||
                                      (line[0] >= '0' && line[0] <= '9'))) {
            if (in_trampoline)
                out->allocator += last_number(line);
            call_cost_next = false;
        }
    }
    fclose(f);
    out->known = have_total && out->total > 0;
    return out->known;
}
