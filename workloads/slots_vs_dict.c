/*
 * slots_vs_dict: many long-lived instances of a __slots__ class
 * (slots_vs_dict/slots) or of a plain class (slots_vs_dict/dict), one row
 * each, both of n = 150000 instances so that a pass of each is the same
 * work and their times per pass and peaks compare (the advice table,
 * plots/pab_plots/advice.py). The Python it models:
 *
 *     class WithDict:
 *         def __init__(self, i):
 *             self.a = i; self.b = 1.5; self.c = None
 *     class WithSlots:
 *         __slots__ = ('a', 'b', 'c')
 *         def __init__(self, i):
 *             self.a = i; self.b = 1.5; self.c = None
 *
 *     kept = [Kind(i) for i in range(n)]   # Kind: WithSlots or WithDict
 *     # pab_mark here: every instance alive
 *     del kept
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
 * Operations, n = scale, b = blocks per instance (2 with a dict, 1 with
 * slots):
 *   2 * (b n + max(n - 257, 0) + 1) + R(n) + (n > 0)
 * (each instance's blocks, int and the list allocated and freed once; list
 * growth reallocs; the non-empty list's array freed).
 */
#include "pyobj.h"

enum { NATTRS = 3, INSTANCES = 150000, QUICK_INSTANCES = 1500 };

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

static int kept_instances(const pab_ctx *c, int with_dict)
{
    pyo *kept = pyo_list(c);
    int rc = kept ? 0 : -1;
    for (uint64_t i = 0; i < c->scale && rc == 0; i++) {
        pyo *i_obj = pyo_int(c, i);
        if (!i_obj && i > PY_INT_CACHE_MAX) {
            rc = -1;
            break;
        }
        pyo *o = make_instance(c, with_dict, i_obj);
        pyo_decref(c, i_obj);
        if (!o || pyo_list_append(c, kept, o) != 0) {
            pyo_decref(c, o);
            rc = -1;
        }
    }
    if (rc == 0)
        pab_mark(c);
    pyo_decref(c, kept);
    return rc;
}

static int slots_run(const pab_ctx *c)
{
    int rc = kept_instances(c, 0);
    if (rc == 0)
        pab_report(c, "slots_instance_bytes", (double)py_slots_instance_size(NATTRS));
    return rc;
}

static int dict_run(const pab_ctx *c)
{
    int rc = kept_instances(c, 1);
    if (rc == 0)
        pab_report(c, "dict_instance_bytes", (double)(PY_INSTANCE + py_values_size(NATTRS + 1)));
    return rc;
}

static uint64_t kept_ops(uint64_t n, uint64_t blocks)
{
    return 2 * (blocks * n + py_ints_allocated_below(n) + 1) + pyo_list_growth_ops(n) + (n > 0);
}

static uint64_t slots_ops(uint64_t n, uint64_t seed)
{
    (void)seed;
    return kept_ops(n, 1);
}

static uint64_t dict_ops(uint64_t n, uint64_t seed)
{
    (void)seed;
    return kept_ops(n, 2);
}

const pab_workload pab_slots_vs_dict_slots = {
    .name = "slots_vs_dict/slots",
    .description = "long-lived instances of a class with __slots__",
    .default_scale = INSTANCES,
    .quick_scale = QUICK_INSTANCES,
    .run = slots_run,
    .expected_ops = slots_ops,
};

const pab_workload pab_slots_vs_dict_dict = {
    .name = "slots_vs_dict/dict",
    .description = "long-lived instances of a plain class (a values array beside each)",
    .default_scale = INSTANCES,
    .quick_scale = QUICK_INSTANCES,
    .run = dict_run,
    .expected_ops = dict_ops,
};
