/*
 * slots_vs_dict: many long-lived instances of a plain class and of a
 * __slots__ class, alive together. The Python it models:
 *
 *     class WithDict:
 *         def __init__(self, i):
 *             self.a = i; self.b = 1.5; self.c = None
 *     class WithSlots:
 *         __slots__ = ('a', 'b', 'c')
 *         def __init__(self, i):
 *             self.a = i; self.b = 1.5; self.c = None
 *
 *     with_dict, with_slots = [], []
 *     for i in range(n):
 *         if coin():                       # the seed's coin: no allocation
 *             with_dict.append(WithDict(i))
 *         else:
 *             with_slots.append(WithSlots(i))
 *     # pab_mark here: every instance alive
 *     del with_dict, with_slots
 *
 * In 3.11 a plain instance no longer has a dict object unless __dict__ is
 * asked for: it is the object (56: GC head, managed-dict pointers,
 * PyObject, __weakref__) and a values array of nattrs + 1 = 4 slots
 * (py_values_size: 40) filled in by __init__. A slots instance is one block
 * of 16 + 16 + 3 * 8 = 56 (sys.getsizeof says 56 for both; the values
 * array is what getsizeof does not show). i is an int (32) past 256.
 * Not modelled: range's own objects (a fixed handful, cpython_sizes.h).
 * Counters: dict_instance_bytes and slots_instance_bytes, requested bytes
 * per instance (the object, its values array, not the int).
 *
 * Operations, n = scale, D = instances that are WithDict (replaying the
 * seed's coins):
 *   2 * (2D + (n - D) + max(n - 257, 0) + 2) + R(D) + R(n - D) + (D > 0) + (n - D > 0)
 * (each instance, int and list allocated and freed once; list growth
 * reallocs; each non-empty list's array freed).
 */
#include "pab_rng.h"
#include "pyobj.h"

enum { NATTRS = 3 };

static pyo *make_instance(const pab_ctx *c, int with_dict, pyo *i_obj)
{
    pyo *o = with_dict ? pyo_instance(c, NATTRS) : pyo_slots(c, NATTRS);
    if (!o)
        return NULL;
    if (with_dict)
        pyo_instance_set(o, 0, pyo_incref(i_obj));
    else
        pyo_slots_set(o, 0, pyo_incref(i_obj));
    return o;
}

static int slots_vs_dict_run(const pab_ctx *c)
{
    pab_rng r = {c->seed};
    pyo *lists[2] = {pyo_list(c), NULL};
    if (lists[0])
        lists[1] = pyo_list(c);
    int rc = lists[1] ? 0 : -1;
    for (uint64_t i = 0; i < c->scale && rc == 0; i++) {
        int with_dict = (int)(pab_rng_next(&r) >> 63);
        pyo *i_obj = pyo_int(c, i);
        if (!i_obj && i > PY_INT_CACHE_MAX) {
            rc = -1;
            break;
        }
        pyo *o = make_instance(c, with_dict, i_obj);
        pyo_decref(c, i_obj);
        if (!o || pyo_list_append(c, lists[!with_dict], o) != 0) {
            pyo_decref(c, o);
            rc = -1;
        }
    }
    if (rc == 0) {
        pab_mark(c);
        pab_report(c, "dict_instance_bytes", (double)(PY_INSTANCE + py_values_size(NATTRS + 1)));
        pab_report(c, "slots_instance_bytes", (double)py_slots_instance_size(NATTRS));
    }
    pyo_decref(c, lists[0]);
    pyo_decref(c, lists[1]);
    return rc;
}

static uint64_t slots_vs_dict_expected_ops(uint64_t n, uint64_t seed)
{
    pab_rng r = {seed};
    uint64_t d = 0;
    for (uint64_t i = 0; i < n; i++)
        d += pab_rng_next(&r) >> 63;
    uint64_t ints = py_ints_allocated_below(n);
    return 2 * (2 * d + (n - d) + ints + 2) + pyo_list_growth_ops(d) + pyo_list_growth_ops(n - d) +
           (d > 0) + (n - d > 0);
}

const pab_workload pab_slots_vs_dict = {
    .name = "slots_vs_dict",
    .description = "long-lived instances with __slots__ and with a __dict__, alive together",
    .default_scale = 300000,
    .quick_scale = 3000,
    .run = slots_vs_dict_run,
    .expected_ops = slots_vs_dict_expected_ops,
};
