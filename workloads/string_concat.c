/*
 * string_concat: a string built piece by piece, three ways, one row each
 * (string_concat/inplace, string_concat/copy, string_concat/join), all of n
 * pieces so that a pass of each is the same work and their times per pass
 * compare (the advice table, plots/pab_plots/advice.py). The copying += is
 * quadratic, so n is small: 1000 pieces (about 8.5 KB of str, 4.3 MB copied
 * per pass by copy; a timed repetition's million calls are 500 of its
 * passes, where 10000 pieces would copy 100 times as much per repetition).
 * The Python it models (pieces are constant strings of 1 to 16 characters
 * chosen by the seed, so taking one allocates nothing):
 *
 *     def inplace(pieces):          # n pieces
 *         s = ''
 *         for p in pieces:
 *             s += p                # s has one reference: resized in place
 *         return len(s)             # pab_mark here: s whole
 *
 *     def shared(pieces):           # n pieces: each step copies it all
 *         g = {'s': ''}
 *         for p in pieces:
 *             g['s'] += p           # g holds a second reference: new string
 *         return len(g['s'])        # pab_mark here: s whole
 *
 *     def joined(pieces):           # n pieces
 *         parts = []
 *         for p in pieces:
 *             parts.append(p)
 *         s = ''.join(parts)        # pab_mark here: s and parts alive, the peak
 *         return len(s)
 *
 * Sequences (traced, tests/workloads/crosscheck.sh): each loop first makes
 * its list iterator (48: 32 + GC head) and frees it when the loop ends.
 * inplace: '' + p returns p itself; the second piece makes a new str
 * (48 + len + 1), every later one reallocs it (Objects/unicodeobject.c
 * PyUnicode_Append -> resize_compact -> PyObject_Realloc). shared: the dict
 * (64) and its keys (120) first; from the second piece on, a new str, the
 * old contents copied, the old str freed (unicode_concatenate finds two
 * references). joined: list growth (list_resize), then one str of the total
 * length (_PyUnicode_JoinArray; a single piece is returned as is); parts is
 * freed before s, in the order the frame clears its locals.
 *
 * Counters, reported once per pass: inplace's inplace_reallocs,
 * inplace_reallocs_moved (the allocator returned another address),
 * inplace_moved_bytes (what those moves copied: the old block); copy's
 * shared_copied_bytes (what the program copied making new strings).
 *
 * Operations, n = scale, R(n) = reallocs of list growth:
 *   inplace  2 + (n >= 2 ? n : 0)
 *   copy     6 + 2 * max(n - 1, 0)
 *   join     4 + R(n) + (n > 0) + 2 * (n >= 2)
 */
#include "pab_rng.h"
#include "pyobj.h"

#include <string.h>

enum { PIECE_MAX = 16, LIST_ITERATOR = PY_GC_HEAD + 32 };

/* The common n of the three rows, and --quick's. */
enum { PIECES = 1000, QUICK_PIECES = 500 };

typedef struct concat_counts {
    uint64_t reallocs, moved;
    double moved_bytes, shared_copied;
} concat_counts;

static size_t str_request(size_t len) { return PY_ASCII_BASE + len + 1; }
static size_t piece_length(pab_rng *r) { return 1 + (size_t)pab_rng_below(r, PIECE_MAX); }

/* Writes what PyUnicode_New writes: the header and the terminating NUL. */
static void str_header(char *s, size_t len)
{
    memset(s, 0, PY_ASCII_BASE);
    memcpy(s + PY_ASCII_BASE - 8 * 4, &len, sizeof len);
    s[PY_ASCII_BASE + len] = 0;
}

static void str_append(char *s, size_t at, size_t len)
{
    memset(s + PY_ASCII_BASE + at, 'a' + (int)(len % 26), len);
    s[PY_ASCII_BASE + at + len] = 0;
}

static int inplace(const pab_ctx *c, uint64_t n, concat_counts *k)
{
    pab_rng r = {c->seed};
    void *it = pab_malloc(c, LIST_ITERATOR);
    if (!it)
        return -1;
    memset(it, 0, LIST_ITERATOR);
    char *s = NULL;
    size_t len = piece_length(&r);
    int rc = 0;
    for (uint64_t i = 1; i < n && rc == 0; i++) {
        size_t piece = piece_length(&r);
        if (!s) {
            if (!(s = pab_malloc(c, str_request(len + piece)))) {
                rc = -1;
                break;
            }
            str_header(s, len + piece);
            str_append(s, 0, len);
        } else {
            char *t = pab_realloc(c, s, str_request(len), str_request(len + piece));
            if (!t) {
                rc = -1;
                break;
            }
            k->reallocs++;
            if (t != s) {
                k->moved++;
                k->moved_bytes += (double)str_request(len);
            }
            s = t;
        }
        str_append(s, len, piece);
        len += piece;
    }
    pab_free(c, it, LIST_ITERATOR);
    if (rc == 0)
        pab_mark(c);
    if (s)
        pab_free(c, s, str_request(len));
    return rc;
}

static int shared(const pab_ctx *c, uint64_t n, concat_counts *k)
{
    pab_rng r = {c->seed ^ 0x5348415245440000ull};
    void *it = pab_malloc(c, LIST_ITERATOR);
    if (!it)
        return -1;
    memset(it, 0, LIST_ITERATOR);
    pyo *g = pyo_dict(c, 1);
    if (!g || pyo_dict_insert(c, g, NULL, NULL) != 0) {
        pyo_decref(c, g);
        pab_free(c, it, LIST_ITERATOR);
        return -1;
    }
    char *s = NULL;
    size_t len = piece_length(&r);
    int rc = 0;
    for (uint64_t i = 1; i < n; i++) {
        size_t piece = piece_length(&r);
        char *t = pab_malloc(c, str_request(len + piece));
        if (!t) {
            rc = -1;
            break;
        }
        str_header(t, len + piece);
        if (s) {
            memcpy(t + PY_ASCII_BASE, s + PY_ASCII_BASE, len);
            pab_free(c, s, str_request(len));
        } else {
            str_append(t, 0, len);
        }
        k->shared_copied += (double)(len + piece);
        str_append(t, len, piece);
        s = t;
        len += piece;
    }
    pab_free(c, it, LIST_ITERATOR);
    if (rc == 0)
        pab_mark(c);
    /* g's last reference goes: its value s, its keys, then g itself. */
    if (s)
        pab_free(c, s, str_request(len));
    pyo_decref(c, g);
    return rc;
}

/* The pieces are constants: the list holds references that own nothing. */
static int joined(const pab_ctx *c, uint64_t n)
{
    pab_rng r = {c->seed ^ 0x4A4F494E45440000ull};
    pyo *parts = pyo_list(c);
    void *it = parts ? pab_malloc(c, LIST_ITERATOR) : NULL;
    if (!it) {
        pyo_decref(c, parts);
        return -1;
    }
    memset(it, 0, LIST_ITERATOR);
    size_t total = 0;
    int rc = 0;
    for (uint64_t i = 0; i < n && rc == 0; i++) {
        total += piece_length(&r);
        rc = pyo_list_append(c, parts, NULL);
    }
    pab_free(c, it, LIST_ITERATOR);
    char *s = NULL;
    if (rc == 0 && n >= 2) {
        if ((s = pab_malloc(c, str_request(total))) != NULL) {
            str_header(s, total);
            memset(s + PY_ASCII_BASE, 'j', total);
        } else {
            rc = -1;
        }
    }
    if (rc == 0)
        pab_mark(c);
    pyo_decref(c, parts);
    if (s)
        pab_free(c, s, str_request(total));
    return rc;
}

static int inplace_run(const pab_ctx *c)
{
    concat_counts k = {0, 0, 0, 0};
    if (inplace(c, c->scale, &k) != 0)
        return -1;
    pab_report(c, "inplace_reallocs", (double)k.reallocs);
    pab_report(c, "inplace_reallocs_moved", (double)k.moved);
    pab_report(c, "inplace_moved_bytes", k.moved_bytes);
    return 0;
}

static int copy_run(const pab_ctx *c)
{
    concat_counts k = {0, 0, 0, 0};
    if (shared(c, c->scale, &k) != 0)
        return -1;
    pab_report(c, "shared_copied_bytes", k.shared_copied);
    return 0;
}

static int join_run(const pab_ctx *c) { return joined(c, c->scale); }

static uint64_t inplace_ops(uint64_t n, uint64_t seed)
{
    (void)seed;
    return 2 + (n >= 2 ? n : 0);
}

static uint64_t copy_ops(uint64_t n, uint64_t seed)
{
    (void)seed;
    return 6 + 2 * (n > 1 ? n - 1 : 0);
}

static uint64_t join_ops(uint64_t n, uint64_t seed)
{
    (void)seed;
    return 4 + pyo_list_growth_ops(n) + (n > 0) + 2 * (n >= 2);
}

const pab_workload pab_string_concat_inplace = {
    .name = "string_concat/inplace",
    .description = "a str built by s += p, resized in place (one reference)",
    .default_scale = PIECES,
    .quick_scale = QUICK_PIECES,
    .run = inplace_run,
    .expected_ops = inplace_ops,
};

const pab_workload pab_string_concat_copy = {
    .name = "string_concat/copy",
    .description = "a str built by g['s'] += p, copied whole each step (two references)",
    .default_scale = PIECES,
    .quick_scale = QUICK_PIECES,
    .run = copy_run,
    .expected_ops = copy_ops,
};

const pab_workload pab_string_concat_join = {
    .name = "string_concat/join",
    .description = "a str built by ''.join of a list of its pieces",
    .default_scale = PIECES,
    .quick_scale = QUICK_PIECES,
    .run = join_run,
    .expected_ops = join_ops,
};
