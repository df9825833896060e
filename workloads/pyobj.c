/* pyobj.c: CPython 3.11's object layouts and container policies over the
 * allocator under test (see pyobj.h; sizes and sources in cpython_sizes.h). */
#include "pyobj.h"

#include <string.h>

/* Word 0 of every object: the reference count in the low half and, since
 * CPython derives a block's size from its type and we need it for
 * pab_free, the request size in the high half. Word 1: the kind. */
enum { W_REFSIZE = 0, W_KIND = 1, W_FIRST_FIELD = 2 };

struct pyo {
    uint64_t w[3];
};

static uint64_t *words(const pyo *o) { return (uint64_t *)o; }
static size_t obj_size(const pyo *o) { return (size_t)(words(o)[W_REFSIZE] >> 32); }
static pyo_kind obj_kind(const pyo *o) { return (pyo_kind)words(o)[W_KIND]; }

/* The collector a workload models, if any: a process runs one workload at
 * a time, and without one GC objects are never linked into lists. */
static const pyo_gc_hooks *gc_hooks;

void pyo_gc_attach(const pyo_gc_hooks *hooks) { gc_hooks = hooks; }

static size_t preheader(pyo_kind kind)
{
    switch (kind) {
    case PYO_LEAF:
        return 0;
    case PYO_INSTANCE:
        return PY_GC_HEAD + PY_MANAGED_DICT_PRE;
    default:
        return PY_GC_HEAD;
    }
}

/* Allocates and writes the pre-header (zeroed GC links) and object head. */
static pyo *obj_new(const pab_ctx *c, pyo_kind kind, size_t size)
{
    size_t pre = preheader(kind);
    char *block = pab_malloc(c, size);
    if (!block)
        return NULL;
    memset(block, 0, pre);
    pyo *o = (pyo *)(block + pre);
    words(o)[W_REFSIZE] = 1 | ((uint64_t)size << 32);
    words(o)[W_KIND] = kind;
    if (pre && gc_hooks)
        gc_hooks->link(gc_hooks->owner, o);
    return o;
}

static void obj_free(const pab_ctx *c, pyo *o)
{
    size_t pre = preheader(obj_kind(o));
    if (pre && gc_hooks)
        gc_hooks->unlink(gc_hooks->owner, o);
    pab_free(c, (char *)o - pre, obj_size(o));
}

static pyo **slot_array(const pyo *o, size_t first_word) { return (pyo **)(words(o) + first_word); }

pyo *pyo_leaf(const pab_ctx *c, size_t size)
{
    if (size == 0)
        return NULL;
    pyo *o = obj_new(c, PYO_LEAF, size);
    if (o)
        memset(words(o) + W_FIRST_FIELD, 0x5a, size - PY_OBJECT_HEAD);
    return o;
}

pyo *pyo_int(const pab_ctx *c, uint64_t v) { return pyo_leaf(c, py_int_size(v)); }
pyo *pyo_float(const pab_ctx *c) { return pyo_leaf(c, PY_FLOAT); }
pyo *pyo_str(const pab_ctx *c, size_t len) { return pyo_leaf(c, PY_ASCII_BASE + len + 1); }

pyo *pyo_incref(pyo *o)
{
    if (o)
        words(o)[W_REFSIZE]++;
    return o;
}

/* ---- tuple: ob_size, then the items ---------------------------------- */
enum { TUPLE_N = 2, TUPLE_ITEMS = 3 };

pyo *pyo_tuple(const pab_ctx *c, size_t n)
{
    pyo *t = obj_new(c, PYO_TUPLE, PY_TUPLE_BASE + 8 * n);
    if (!t)
        return NULL;
    words(t)[TUPLE_N] = n;
    memset(slot_array(t, TUPLE_ITEMS), 0, 8 * n);
    return t;
}

void pyo_tuple_set(pyo *t, size_t i, pyo *item) { slot_array(t, TUPLE_ITEMS)[i] = item; }

/* Objects/tupleobject.c tupledealloc: items last to first. */
static void tuple_dealloc(const pab_ctx *c, pyo *t)
{
    pyo **items = slot_array(t, TUPLE_ITEMS);
    for (size_t i = words(t)[TUPLE_N]; i-- > 0;)
        pyo_decref(c, items[i]);
    obj_free(c, t);
}

/* ---- list: ob_size, ob_item, allocated -------------------------------- */
enum { LIST_SIZE = 2, LIST_ITEMS = 3, LIST_ALLOCATED = 4 };

static pyo **list_items(const pyo *l) { return (pyo **)(uintptr_t)words(l)[LIST_ITEMS]; }

pyo *pyo_list(const pab_ctx *c)
{
    pyo *l = obj_new(c, PYO_LIST, PY_LIST);
    if (l)
        memset(words(l) + LIST_SIZE, 0, 3 * 8);
    return l;
}

size_t pyo_list_len(const pyo *l) { return words(l)[LIST_SIZE]; }
pyo *pyo_list_get(const pyo *l, size_t i) { return list_items(l)[i]; }

int pyo_list_append(const pab_ctx *c, pyo *l, pyo *item)
{
    size_t size = words(l)[LIST_SIZE], allocated = words(l)[LIST_ALLOCATED];
    size_t cap = py_list_capacity(allocated, size, size + 1);
    if (cap) {
        /* list_resize reallocs even the first array (from NULL), as here. */
        pyo **items = pab_realloc(c, list_items(l), 8 * allocated, 8 * cap);
        if (!items)
            return -1;
        words(l)[LIST_ITEMS] = (uintptr_t)items;
        words(l)[LIST_ALLOCATED] = cap;
    }
    list_items(l)[size] = item;
    words(l)[LIST_SIZE] = size + 1;
    return 0;
}

void pyo_list_clear_item(const pab_ctx *c, pyo *l, size_t i)
{
    pyo *old = list_items(l)[i];
    list_items(l)[i] = NULL;
    pyo_decref(c, old);
}

/* Objects/listobject.c _list_clear: the list emptied first, then its items
 * dropped last to first and the array freed. */
static void list_clear(const pab_ctx *c, pyo *l)
{
    pyo **items = list_items(l);
    size_t n = pyo_list_len(l), allocated = words(l)[LIST_ALLOCATED];
    memset(words(l) + LIST_SIZE, 0, 3 * 8);
    for (size_t i = n; i-- > 0;)
        pyo_decref(c, items[i]);
    if (items)
        pab_free(c, items, 8 * allocated);
}

/* list_dealloc: items last to first, then the array, as _list_clear. */
static void list_dealloc(const pab_ctx *c, pyo *l)
{
    list_clear(c, l);
    obj_free(c, l);
}

uint64_t pyo_list_growth_ops(size_t n)
{
    uint64_t ops = 0;
    size_t allocated = 0;
    for (size_t size = 0; size < n; size++) {
        size_t cap = py_list_capacity(allocated, size, size + 1);
        if (cap) {
            ops++;
            allocated = cap;
        }
    }
    return ops;
}

size_t pyo_list_capacity_after(size_t n)
{
    size_t allocated = 0;
    for (size_t size = 0; size < n; size++) {
        size_t cap = py_list_capacity(allocated, size, size + 1);
        if (cap)
            allocated = cap;
    }
    return allocated;
}

/* ---- dict: ma_used, ma_version_tag, ma_keys, ma_values ----------------- */
enum { DICT_USED = 2, DICT_KEYS = 4, DICT_UNICODE_FLAG = 5 };
/* The keys table: dk_refcnt, packed log2 sizes and kind, dk_usable,
 * dk_nentries, then the index array and the entries. ma_values is never
 * used by a combined table, so word 5 holds the key kind a new table takes. */
enum { K_LOG2 = 1, K_USABLE = 2, K_NENTRIES = 3 };

typedef struct dict_keys {
    uint64_t w[4];
} dict_keys;

static dict_keys *dict_keys_of(const pyo *d) { return (dict_keys *)(uintptr_t)words(d)[DICT_KEYS]; }
static unsigned keys_log2(const dict_keys *k) { return (unsigned)(k->w[K_LOG2] & 0xff); }
static int keys_unicode(const dict_keys *k) { return (int)(k->w[K_LOG2] >> 16 & 1); }
static size_t keys_index_bytes(const dict_keys *k) { return (size_t)1 << (k->w[K_LOG2] >> 8 & 0xff); }
static size_t keys_entry_words(const dict_keys *k) { return keys_unicode(k) ? 2 : 3; }

static pyo **keys_entry(const dict_keys *k, size_t i)
{
    char *entries = (char *)k + PY_DICT_KEYS_HEAD + keys_index_bytes(k);
    return (pyo **)(entries + 8 * keys_entry_words(k) * i);
}

/* new_keys_object fills the index array with 0xff (empty) and zeroes the entries. */
static dict_keys *keys_new(const pab_ctx *c, unsigned log2_size, int unicode)
{
    size_t size = py_dict_keys_size(log2_size, unicode);
    dict_keys *k = pab_malloc(c, size);
    if (!k)
        return NULL;
    size_t index_bytes = size - PY_DICT_KEYS_HEAD - (unicode ? PY_DICT_UNICODE_ENTRY : PY_DICT_GENERAL_ENTRY) * py_dict_usable(log2_size);
    unsigned log2_index = 0;
    while (((size_t)1 << log2_index) < index_bytes)
        log2_index++;
    k->w[0] = 1;
    k->w[K_LOG2] = log2_size | (uint64_t)log2_index << 8 | (uint64_t)(unicode != 0) << 16;
    k->w[K_USABLE] = py_dict_usable(log2_size);
    k->w[K_NENTRIES] = 0;
    memset((char *)k + PY_DICT_KEYS_HEAD, 0xff, index_bytes);
    memset((char *)k + PY_DICT_KEYS_HEAD + index_bytes, 0, size - PY_DICT_KEYS_HEAD - index_bytes);
    return k;
}

static void keys_free(const pab_ctx *c, dict_keys *k)
{
    pab_free(c, k, py_dict_keys_size(keys_log2(k), keys_unicode(k)));
}

/* Marks entry i in the index array, touching it as a real insertion does. */
static void keys_index_entry(dict_keys *k, size_t i)
{
    size_t mask = ((size_t)1 << keys_log2(k)) - 1;
    size_t width = keys_index_bytes(k) >> keys_log2(k);
    unsigned char *slot = (unsigned char *)k + PY_DICT_KEYS_HEAD + width * ((i * 0x9E3779B1u) & mask);
    slot[0] = (unsigned char)i;
}

pyo *pyo_dict(const pab_ctx *c, int unicode_keys)
{
    pyo *d = obj_new(c, PYO_DICT, PY_DICT);
    if (!d)
        return NULL;
    memset(words(d) + DICT_USED, 0, 4 * 8);
    words(d)[DICT_UNICODE_FLAG] = unicode_keys != 0;
    return d;
}

size_t pyo_dict_len(const pyo *d) { return words(d)[DICT_USED]; }

/* Objects/dictobject.c dictresize: a new table, the entries moved over
 * compactly, the old table freed (its references moved, not dropped). */
static int dict_resize(const pab_ctx *c, pyo *d, unsigned log2_size)
{
    dict_keys *old = dict_keys_of(d);
    dict_keys *k = keys_new(c, log2_size, keys_unicode(old));
    if (!k)
        return -1;
    size_t n = old->w[K_NENTRIES];
    memcpy(keys_entry(k, 0), keys_entry(old, 0), 8 * keys_entry_words(k) * n);
    for (size_t i = 0; i < n; i++)
        keys_index_entry(k, i);
    k->w[K_NENTRIES] = n;
    k->w[K_USABLE] -= n;
    keys_free(c, old);
    words(d)[DICT_KEYS] = (uintptr_t)k;
    return 0;
}

int pyo_dict_insert(const pab_ctx *c, pyo *d, pyo *key, pyo *value)
{
    dict_keys *k = dict_keys_of(d);
    if (!k) {
        /* insert_to_emptydict: the first table has PyDict_MINSIZE slots. */
        k = keys_new(c, PY_DICT_LOG_MINSIZE, (int)words(d)[DICT_UNICODE_FLAG]);
        if (!k)
            return -1;
        words(d)[DICT_KEYS] = (uintptr_t)k;
    } else if (k->w[K_USABLE] == 0) {
        /* insertion_resize: GROWTH_RATE(d) = ma_used * 3. */
        if (dict_resize(c, d, py_dict_log2_for(3 * pyo_dict_len(d))) != 0)
            return -1;
        k = dict_keys_of(d);
    }
    size_t i = k->w[K_NENTRIES];
    pyo **entry = keys_entry(k, i);
    if (!keys_unicode(k))
        *entry++ = (pyo *)(uintptr_t)(i | 1); /* the hash word */
    entry[0] = key;
    entry[1] = value;
    keys_index_entry(k, i);
    k->w[K_NENTRIES] = i + 1;
    k->w[K_USABLE]--;
    words(d)[DICT_USED]++;
    return 0;
}

/* dict_dealloc -> free_keys_object: each key then its value, first to last. */
static void dict_dealloc(const pab_ctx *c, pyo *d)
{
    dict_keys *k = dict_keys_of(d);
    if (k) {
        for (size_t i = 0; i < k->w[K_NENTRIES]; i++) {
            pyo **entry = keys_entry(k, i) + (keys_unicode(k) ? 0 : 1);
            pyo_decref(c, entry[0]);
            pyo_decref(c, entry[1]);
        }
        keys_free(c, k);
    }
    obj_free(c, d);
}

uint64_t pyo_dict_growth_ops(size_t n)
{
    if (n == 0)
        return 0;
    uint64_t ops = 1;
    size_t usable = py_dict_usable(PY_DICT_LOG_MINSIZE);
    for (size_t used = 0; used < n; used++) {
        if (usable == 0) {
            usable = py_dict_usable(py_dict_log2_for(3 * used)) - used;
            ops += 2;
        }
        usable--;
    }
    return ops;
}

/* ---- instances ------------------------------------------------------- */
/* Managed dict: the values pointer is the first word of the pre-header
 * (Include/internal/pycore_object.h _PyObject_ValuesPointer: obj - 4 words). */
static pyo ***values_ptr(const pyo *o)
{
    return (pyo ***)((char *)o - PY_GC_HEAD - PY_MANAGED_DICT_PRE);
}

static size_t values_prefix(size_t size) { return (size + 2 + 7) & ~(size_t)7; }

/* The prefix's last byte holds its length (as in CPython); the one before
 * holds the capacity, which CPython reads from the class's shared keys. */
static size_t values_capacity(pyo **values) { return ((unsigned char *)values)[-2]; }

pyo *pyo_instance(const pab_ctx *c, size_t nattrs)
{
    pyo *o = obj_new(c, PYO_INSTANCE, PY_INSTANCE);
    if (!o)
        return NULL;
    words(o)[W_FIRST_FIELD] = 0; /* __weakref__ */
    size_t size = nattrs + 1, prefix = values_prefix(size);
    unsigned char *mem = pab_malloc(c, py_values_size(size));
    if (!mem) {
        *values_ptr(o) = NULL;
        obj_free(c, o);
        return NULL;
    }
    memset(mem, 0, py_values_size(size));
    mem[prefix - 1] = (unsigned char)prefix;
    mem[prefix - 2] = (unsigned char)size;
    *values_ptr(o) = (pyo **)(mem + prefix);
    return o;
}

void pyo_instance_set(pyo *o, size_t i, pyo *value)
{
    pyo **values = *values_ptr(o);
    ((unsigned char *)values)[-(ptrdiff_t)values_prefix(values_capacity(values)) + (ptrdiff_t)i] = (unsigned char)i;
    values[i] = value;
}

pyo *pyo_instance_get(const pyo *o, size_t i) { return (*values_ptr(o))[i]; }

/* Objects/dictobject.c _PyObject_ClearInstanceAttributes (tp_clear). */
void pyo_instance_clear(const pab_ctx *c, pyo *o)
{
    pyo **values = *values_ptr(o);
    for (size_t i = 0; i < values_capacity(values); i++) {
        pyo *v = values[i];
        values[i] = NULL;
        pyo_decref(c, v);
    }
}

/* Objects/typeobject.c subtype_dealloc -> _PyObject_FreeInstanceAttributes:
 * attributes first to last, the values array, then the object. */
static void instance_dealloc(const pab_ctx *c, pyo *o)
{
    pyo **values = *values_ptr(o);
    pyo_instance_clear(c, o);
    size_t size = values_capacity(values);
    pab_free(c, (char *)values - values_prefix(size), py_values_size(size));
    obj_free(c, o);
}

pyo *pyo_slots(const pab_ctx *c, size_t nslots)
{
    pyo *o = obj_new(c, PYO_SLOTS, py_slots_instance_size(nslots));
    if (o)
        memset(words(o) + W_FIRST_FIELD, 0, 8 * nslots);
    return o;
}

static size_t slots_count(const pyo *o) { return (obj_size(o) - PY_GC_HEAD - PY_OBJECT_HEAD) / 8; }

void pyo_slots_set(pyo *o, size_t i, pyo *value) { slot_array(o, W_FIRST_FIELD)[i] = value; }

/* subtype_dealloc -> clear_slots: first to last. */
static void slots_dealloc(const pab_ctx *c, pyo *o)
{
    pyo **slots = slot_array(o, W_FIRST_FIELD);
    for (size_t i = 0; i < slots_count(o); i++)
        pyo_decref(c, slots[i]);
    obj_free(c, o);
}

/* ---- set: fill, used, mask, table, hash, finger, smalltable, weakreflist */
enum { SET_FILL = 2, SET_USED = 3, SET_MASK = 4, SET_TABLE = 5, SET_SMALLTABLE = 8 };

/* An entry: key pointer, then a hash word that is never 0 when in use. */
static uint64_t *set_table(const pyo *s) { return (uint64_t *)(uintptr_t)words(s)[SET_TABLE]; }
static int set_table_is_small(const pyo *s) { return set_table(s) == words(s) + SET_SMALLTABLE; }

pyo *pyo_set(const pab_ctx *c)
{
    pyo *s = obj_new(c, PYO_SET, PY_SET);
    if (!s)
        return NULL;
    memset(words(s) + W_FIRST_FIELD, 0, PY_SET - PY_GC_HEAD - PY_OBJECT_HEAD);
    words(s)[SET_MASK] = PY_SET_MINSIZE - 1;
    words(s)[SET_TABLE] = (uintptr_t)(words(s) + SET_SMALLTABLE);
    return s;
}

static void set_place(uint64_t *table, size_t mask, uint64_t key, uint64_t hash)
{
    size_t i = (size_t)(hash * 0x9E3779B97F4A7C15ull >> 32) & mask;
    while (table[2 * i + 1])
        i = (i + 1) & mask;
    table[2 * i] = key;
    table[2 * i + 1] = hash;
}

/* Objects/setobject.c set_table_resize: a zeroed table of the next power of
 * two above minused, the entries re-inserted, the old table freed. */
static int set_resize(const pab_ctx *c, pyo *s, size_t minused)
{
    size_t slots = py_set_table_for(minused), old_mask = words(s)[SET_MASK];
    uint64_t *old = set_table(s);
    uint64_t *fresh = pab_malloc(c, PY_SET_ENTRY * slots);
    if (!fresh)
        return -1;
    memset(fresh, 0, PY_SET_ENTRY * slots);
    for (size_t i = 0; i <= old_mask; i++)
        if (old[2 * i + 1])
            set_place(fresh, slots - 1, old[2 * i], old[2 * i + 1]);
    if (!set_table_is_small(s))
        pab_free(c, old, PY_SET_ENTRY * (old_mask + 1));
    words(s)[SET_TABLE] = (uintptr_t)fresh;
    words(s)[SET_MASK] = slots - 1;
    return 0;
}

/* set_add_entry: insert, then grow once fill*5 >= mask*3. */
int pyo_set_add(const pab_ctx *c, pyo *s, pyo *key)
{
    size_t used = words(s)[SET_USED];
    set_place(set_table(s), words(s)[SET_MASK], (uintptr_t)key, used + 1);
    words(s)[SET_USED] = used + 1;
    words(s)[SET_FILL]++;
    if (words(s)[SET_FILL] * 5 < words(s)[SET_MASK] * 3)
        return 0;
    used++;
    if (set_resize(c, s, used > 50000 ? used * 2 : used * 4) == 0)
        return 0;
    return -1;
}

/* set_dealloc: keys in table order, the table if not the small one, the set. */
static void set_dealloc(const pab_ctx *c, pyo *s)
{
    uint64_t *table = set_table(s);
    size_t mask = words(s)[SET_MASK];
    for (size_t i = 0; i <= mask; i++)
        if (table[2 * i + 1])
            pyo_decref(c, (pyo *)(uintptr_t)table[2 * i]);
    if (!set_table_is_small(s))
        pab_free(c, table, PY_SET_ENTRY * (mask + 1));
    obj_free(c, s);
}

uint64_t pyo_set_growth_ops(size_t n)
{
    uint64_t ops = 0;
    size_t mask = PY_SET_MINSIZE - 1;
    for (size_t used = 1; used <= n; used++) {
        if (used * 5 < mask * 3)
            continue;
        ops += mask + 1 > PY_SET_MINSIZE ? 2 : 1;
        mask = py_set_table_for(used > 50000 ? used * 2 : used * 4) - 1;
    }
    return ops;
}

void pyo_decref(const pab_ctx *c, pyo *o)
{
    if (!o || --words(o)[W_REFSIZE] & 0xffffffffu)
        return;
    switch (obj_kind(o)) {
    case PYO_LEAF:
        obj_free(c, o);
        break;
    case PYO_TUPLE:
        tuple_dealloc(c, o);
        break;
    case PYO_LIST:
        list_dealloc(c, o);
        break;
    case PYO_DICT:
        dict_dealloc(c, o);
        break;
    case PYO_INSTANCE:
        instance_dealloc(c, o);
        break;
    case PYO_SLOTS:
        slots_dealloc(c, o);
        break;
    case PYO_SET:
        set_dealloc(c, o);
        break;
    }
}

/* ---- what the cyclic collector sees ---------------------------------- */
uintptr_t *pyo_gc_head(const pyo *o) { return (uintptr_t *)((char *)o - PY_GC_HEAD); }
pyo *pyo_from_gc_head(uintptr_t *head) { return (pyo *)((char *)head + PY_GC_HEAD); }
int pyo_is_gc(const pyo *o) { return preheader(obj_kind(o)) != 0; }
size_t pyo_refcount(const pyo *o) { return (size_t)(words(o)[W_REFSIZE] & 0xffffffffu); }

static void visit_all(pyo **refs, size_t n, int backwards, pyo_visit visit, void *arg)
{
    for (size_t i = 0; i < n; i++) {
        pyo *r = refs[backwards ? n - 1 - i : i];
        if (r)
            visit(r, arg);
    }
}

static void dict_traverse(const pyo *d, pyo_visit visit, void *arg)
{
    dict_keys *k = dict_keys_of(d);
    for (size_t i = 0; k && i < k->w[K_NENTRIES]; i++) {
        pyo **entry = keys_entry(k, i) + (keys_unicode(k) ? 0 : 1);
        visit_all(entry + 1, 1, 0, visit, arg);
        if (!keys_unicode(k))
            visit_all(entry, 1, 0, visit, arg);
    }
}

static void set_traverse(const pyo *s, pyo_visit visit, void *arg)
{
    uint64_t *table = set_table(s);
    for (size_t i = 0; i <= words(s)[SET_MASK]; i++)
        if (table[2 * i + 1])
            visit_all((pyo **)&table[2 * i], 1, 0, visit, arg);
}

/* The tp_traverse orders of 3.11: tuple and list items last to first;
 * dict values (then keys, for non-str keys), instance attributes, slots and
 * set entries first to last. The instance's heap type is not modelled. */
void pyo_traverse(const pyo *o, pyo_visit visit, void *arg)
{
    switch (obj_kind(o)) {
    case PYO_LEAF:
        break;
    case PYO_TUPLE:
        visit_all(slot_array(o, TUPLE_ITEMS), words(o)[TUPLE_N], 1, visit, arg);
        break;
    case PYO_LIST:
        visit_all(list_items(o), pyo_list_len(o), 1, visit, arg);
        break;
    case PYO_DICT:
        dict_traverse(o, visit, arg);
        break;
    case PYO_INSTANCE:
        if (*values_ptr(o))
            visit_all(*values_ptr(o), values_capacity(*values_ptr(o)), 0, visit, arg);
        break;
    case PYO_SLOTS:
        visit_all(slot_array(o, W_FIRST_FIELD), slots_count(o), 0, visit, arg);
        break;
    case PYO_SET:
        set_traverse(o, visit, arg);
        break;
    }
}

/* Objects/typeobject.c clear_slots: each slot emptied, then dropped. */
static void slots_clear(const pab_ctx *c, pyo *o)
{
    pyo **slots = slot_array(o, W_FIRST_FIELD);
    for (size_t i = 0; i < slots_count(o); i++) {
        pyo *v = slots[i];
        slots[i] = NULL;
        pyo_decref(c, v);
    }
}

void pyo_clear(const pab_ctx *c, pyo *o)
{
    switch (obj_kind(o)) {
    case PYO_LIST:
        list_clear(c, o);
        break;
    case PYO_INSTANCE:
        pyo_instance_clear(c, o);
        break;
    case PYO_SLOTS:
        slots_clear(c, o);
        break;
    default:
        break;
    }
}
