/*
 * pyobj.h: a miniature of CPython 3.11's object layer, so that workloads
 * make the allocation sequence CPython makes. Objects are real blocks from
 * the allocator under test, laid out as CPython lays them out: a pre-header
 * (GC head, managed-dict pointers) then the object, whose first word is the
 * reference count and second its type. Containers keep their items'
 * pointers inside their own blocks exactly as CPython does, so a workload
 * needs no bookkeeping outside the measured heap, and dropping the last
 * reference frees a whole structure in CPython's order (tuple and list items
 * last to first, dict and instance entries first to last).
 *
 * A NULL object stands for one CPython never allocates (a cached small int,
 * an interned string, a constant); the functions accept it anywhere.
 * Every constructor returns NULL when the allocator does, having freed
 * what it had made; growth operations return -1 and leave the container
 * valid. All sizes: cpython_sizes.h.
 */
#ifndef PAB_PYOBJ_H
#define PAB_PYOBJ_H

#include "cpython_sizes.h"
#include "workload.h"

#include <stddef.h>
#include <stdint.h>

typedef enum pyo_kind {
    PYO_LEAF = 1,  /* int, float, str, bytes: no references */
    PYO_TUPLE,
    PYO_LIST,
    PYO_DICT,
    PYO_INSTANCE,  /* plain class: managed dict with inline values */
    PYO_SLOTS,     /* class with __slots__ */
    PYO_SET,
} pyo_kind;

typedef struct pyo pyo; /* opaque: a pointer to the PyObject part */

/* A leaf object of `size` request bytes (whole block written, as CPython
 * initialises its int digits, float value and string characters). */
pyo *pyo_leaf(const pab_ctx *c, size_t size);
/* An int of value v made by arithmetic: cpython_sizes.h py_int_size. */
pyo *pyo_int(const pab_ctx *c, uint64_t v);
pyo *pyo_float(const pab_ctx *c);
/* A compact ASCII str of `len` characters. */
pyo *pyo_str(const pab_ctx *c, size_t len);

/* A tuple of n empty items; pyo_tuple_set fills them, taking the reference. */
pyo *pyo_tuple(const pab_ctx *c, size_t n);
void pyo_tuple_set(pyo *t, size_t i, pyo *item);

pyo *pyo_list(const pab_ctx *c); /* [] : no item array yet */
/* list.append(item), taking the reference; on failure the caller keeps it. */
int pyo_list_append(const pab_ctx *c, pyo *list, pyo *item);
size_t pyo_list_len(const pyo *list);
pyo *pyo_list_get(const pyo *list, size_t i);
/* list[i] = None: drops the item's reference, keeps the slot. */
void pyo_list_clear_item(const pab_ctx *c, pyo *list, size_t i);

/* {} : no keys table until the first insertion (Py_EMPTY_KEYS). */
pyo *pyo_dict(const pab_ctx *c, int unicode_keys);
/* d[new key] = value, taking both references; the key is new. */
int pyo_dict_insert(const pab_ctx *c, pyo *dict, pyo *key, pyo *value);
size_t pyo_dict_len(const pyo *dict);

/* An instance of a warmed-up plain class with `nattrs` attributes set in
 * __init__: the object and its values array (cpython_sizes.h). */
pyo *pyo_instance(const pab_ctx *c, size_t nattrs);
void pyo_instance_set(pyo *obj, size_t i, pyo *value);
pyo *pyo_instance_get(const pyo *obj, size_t i);

pyo *pyo_slots(const pab_ctx *c, size_t nslots);
void pyo_slots_set(pyo *obj, size_t i, pyo *value);

pyo *pyo_set(const pab_ctx *c);
/* s.add(new key), taking the reference; the key is not in the set yet.
 * On failure (the growth after inserting) the set keeps the key. */
int pyo_set_add(const pab_ctx *c, pyo *set, pyo *key);

pyo *pyo_incref(pyo *o);
/* Drops one reference; at zero frees the object and what it alone holds. */
void pyo_decref(const pab_ctx *c, pyo *o);
/* Clears an instance's attributes (the cyclic collector's tp_clear). */
void pyo_instance_clear(const pab_ctx *c, pyo *obj);

/* ---- the cyclic collector (Modules/gcmodule.c) ------------------------
 * pyobj keeps no generation lists: a workload that models the collector
 * attaches hooks for the length of its pass (one at a time per process),
 * and pyobj calls them on every object of a GC kind (all kinds but leaves;
 * each is tracked from birth, so dicts and tuples are never untracked). */
typedef struct pyo_gc_hooks {
    /* The object's block was just allocated and its head written
     * (_PyObject_GC_Link: where a collection may start, before the new
     * object is tracked). */
    void (*link)(void *owner, pyo *obj);
    /* The object is about to be freed, its references already dropped
     * (PyObject_GC_UnTrack and PyObject_GC_Del). */
    void (*unlink)(void *owner, pyo *obj);
    void *owner;
} pyo_gc_hooks;
void pyo_gc_attach(const pyo_gc_hooks *hooks); /* NULL detaches */

/* The two words of the PyGC_Head before a GC object (next, prev): pyobj
 * zeroes them and never reads them; the collector owns them. */
uintptr_t *pyo_gc_head(const pyo *obj);
pyo *pyo_from_gc_head(uintptr_t *head);
int pyo_is_gc(const pyo *obj);
size_t pyo_refcount(const pyo *obj);
typedef void (*pyo_visit)(pyo *ref, void *arg);
/* tp_traverse: visit(ref, arg) for each non-NULL reference obj holds. */
void pyo_traverse(const pyo *obj, pyo_visit visit, void *arg);
/* tp_clear of lists, instances and slotted instances; tuples have none in
 * CPython; dicts and sets keep their references (no workload makes them
 * cyclic garbage). */
void pyo_clear(const pab_ctx *c, pyo *obj);

/* The number of allocator operations pyo_list_append makes growing a list
 * from empty to n items, and the bytes its item array then holds. */
uint64_t pyo_list_growth_ops(size_t n);
size_t pyo_list_capacity_after(size_t n);
/* The same for a dict or set filled with n distinct keys from empty. */
uint64_t pyo_dict_growth_ops(size_t n);
uint64_t pyo_set_growth_ops(size_t n);

#endif
