/*
 * small_objects: many small objects built into one structure, then all freed
 * at once when reference counting drops it. The Python it models:
 *
 *     class Point:
 *         def __init__(self, x, y):
 *             self.x = x
 *             self.y = y
 *
 *     def build(n):
 *         rows = []
 *         for i in range(n):
 *             rows.append((i << 40, i * 0.5, str(i), {'id': i, 'w': 0.25}, Point(i, 1.5)))
 *         return rows
 *
 *     rows = build(scale)   # pab_mark here: every row alive, the peak
 *     del rows
 *
 * What row i asks of the allocator, in order (CPython 3.11, traced with
 * workloads/traces/record_preload.c; sizes in cpython_sizes.h):
 *   i from range()       32 (_PyLong_FromMedium), none for i <= 256 (cached)
 *   i << 40              36: long_lshift allocates oldsize + wordshift + 1
 *                        = 3 digits and only normalises ob_size; none for 0
 *   i * 0.5              24, a float
 *   str(i)               a scratch int of 1 + size_a + size_a/99 digits (32;
 *                        28 for 0: long_to_decimal_string_internal), the str
 *                        of 48 + digits + 1, then the scratch freed
 *   {'id': i, 'w': 0.25} 64, then its first keys table 120 (unicode keys)
 *   Point(i, 1.5)        56, then its values array 32 (2 attributes)
 *   the 5-tuple          80, then rows.append may realloc the item array
 * 'id', 'w', 0.25 and 1.5 are constants, never allocated; i itself is held
 * by the dict and the Point and freed with the dict. Teardown frees rows
 * last to first, each tuple's items last to first (pyobj.c).
 * No randomness: the seed is ignored.
 *
 * Operations for n = scale rows, R(n) = reallocs of list growth to n items:
 *   16n + 2*max(n-1, 0) + 2*max(n-257, 0) + R(n) + 2 + (n > 0)
 * (each row's allocations are made and freed once; the list object is
 * allocated and freed, its item array freed).
 */
#include "small_objects.h"

enum { ROW_ITEMS = 5, POINT_ATTRS = 2 };

static size_t decimal_digits(uint64_t v)
{
    size_t d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

/* str(i): the scratch int is made and freed around the string. */
static pyo *int_to_str(const pab_ctx *c, uint64_t i)
{
    pyo *scratch = pyo_leaf(c, i == 0 ? PY_VAR_HEAD + 4 : PY_VAR_HEAD + 8);
    if (!scratch)
        return NULL;
    pyo *s = pyo_str(c, decimal_digits(i));
    pyo_decref(c, scratch);
    return s;
}

static pyo *make_dict(const pab_ctx *c, pyo *i_obj)
{
    pyo *d = pyo_dict(c, 1);
    if (!d)
        return NULL;
    if (pyo_dict_insert(c, d, NULL, pyo_incref(i_obj)) != 0) {
        pyo_decref(c, i_obj);
        pyo_decref(c, d);
        return NULL;
    }
    /* The second key fits the first table: no allocation can fail. */
    pyo_dict_insert(c, d, NULL, NULL);
    return d;
}

static pyo *make_point(const pab_ctx *c, pyo *i_obj)
{
    pyo *p = pyo_instance(c, POINT_ATTRS);
    if (p)
        pyo_instance_set(p, 0, pyo_incref(i_obj));
    return p;
}

int small_objects_append_row(const pab_ctx *c, pyo *rows, uint64_t i)
{
    pyo *i_obj = pyo_int(c, i);
    if (!i_obj && i > PY_INT_CACHE_MAX)
        return -1;
    pyo *parts[ROW_ITEMS] = {NULL};
    int ok = 1;
    if (i > 0)
        ok = (parts[0] = pyo_leaf(c, PY_VAR_HEAD + 12)) != NULL;
    ok = ok && (parts[1] = pyo_float(c)) != NULL;
    ok = ok && (parts[2] = int_to_str(c, i)) != NULL;
    ok = ok && (parts[3] = make_dict(c, i_obj)) != NULL;
    ok = ok && (parts[4] = make_point(c, i_obj)) != NULL;
    pyo *row = ok ? pyo_tuple(c, ROW_ITEMS) : NULL;
    if (row) {
        for (size_t k = 0; k < ROW_ITEMS; k++)
            pyo_tuple_set(row, k, parts[k]);
        ok = pyo_list_append(c, rows, row) == 0;
        if (!ok)
            pyo_decref(c, row);
    } else {
        for (size_t k = ROW_ITEMS; k-- > 0;)
            pyo_decref(c, parts[k]);
        ok = 0;
    }
    pyo_decref(c, i_obj); /* the loop variable moves on */
    return ok ? 0 : -1;
}

pyo *small_objects_rows(const pab_ctx *c, uint64_t first, uint64_t end)
{
    pyo *rows = pyo_list(c);
    for (uint64_t i = first; rows && i < end; i++) {
        if (small_objects_append_row(c, rows, i) != 0) {
            pyo_decref(c, rows);
            return NULL;
        }
    }
    return rows;
}

uint64_t small_objects_rows_ops(uint64_t first, uint64_t end)
{
    uint64_t n = end - first;
    uint64_t past_zero = end > 1 ? end - (first > 1 ? first : 1) : 0;
    uint64_t past_cache = py_ints_allocated_below(end) - py_ints_allocated_below(first);
    return 16 * n + 2 * past_zero + 2 * past_cache + pyo_list_growth_ops(n) + 2 + (n > 0);
}

static int small_objects_run(const pab_ctx *c)
{
    pyo *rows = small_objects_rows(c, 0, c->scale);
    if (!rows)
        return -1;
    pab_mark(c);
    pyo_decref(c, rows);
    return 0;
}

static uint64_t small_objects_expected_ops(uint64_t n, uint64_t seed)
{
    (void)seed;
    return small_objects_rows_ops(0, n);
}

const pab_workload pab_small_objects = {
    .name = "small_objects",
    .description = "rows of ints, floats, strs, dicts and instances built, then dropped at once",
    .default_scale = 100000,
    .quick_scale = 2000,
    .run = small_objects_run,
    .expected_ops = small_objects_expected_ops,
};
