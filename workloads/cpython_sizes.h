/*
 * cpython_sizes.h: the CPython 3.11 (64-bit Linux) facts several workloads
 * share: request sizes of its objects and its growth policies. Each says
 * where it comes from; "traced" means checked against /usr/bin/python3
 * (3.11.2) with PYTHONMALLOC=malloc and workloads/traces/record_preload.c.
 *
 * Not modelled, on purpose: CPython's free lists (Objects/floatobject.c keeps
 * 100 floats, tupleobject.c 2000 tuples per length below 20, listobject.c
 * and dictobject.c 80 lists, dicts and minimum-size key tables). They hide
 * at most those few thousand objects from the allocator, which is what this
 * suite measures; the cross-check shows the difference in numbers.
 */
#ifndef PAB_CPYTHON_SIZES_H
#define PAB_CPYTHON_SIZES_H

#include <stddef.h>
#include <stdint.h>

enum {
    /* Include/internal/pycore_gc.h PyGC_Head: two words before every
     * object of a GC type (Objects/obmalloc.c _PyObject_GC_New adds it). */
    PY_GC_HEAD = 16,
    /* Objects/typeobject.c _PyType_PreHeaderSize: a class with a managed
     * __dict__ (Py_TPFLAGS_MANAGED_DICT, new in 3.11) also keeps the dict
     * and values pointers before the GC head. */
    PY_MANAGED_DICT_PRE = 16,
    PY_OBJECT_HEAD = 16, /* Include/object.h PyObject: refcount, type */
    PY_VAR_HEAD = 24,    /* PyVarObject: PyObject plus ob_size */

    /* Objects/longobject.c _PyLong_FromMedium: |v| < 2**30 is allocated as
     * sizeof(PyLongObject), 24 + one 4-byte digit padded to 32 (traced:
     * range() and arithmetic results are 32-byte requests, not 28).
     * _PyLong_New(n) asks for 24 + 4n: 28, 32, 36 for 1..3 digits of 30
     * bits; -5..256 are cached and never allocated. */
    PY_INT_MEDIUM = 32,
    PY_INT_DIGIT_BITS = 30,
    /* Objects/longobject.c: _PY_NSMALLPOSINTS - 1, the largest cached int. */
    PY_INT_CACHE_MAX = 256,
    PY_FLOAT = 24, /* Include/cpython/floatobject.h PyFloatObject */

    /* Include/cpython/tupleobject.h: PyVarObject + 8 per item; GC. */
    PY_TUPLE_BASE = PY_GC_HEAD + PY_VAR_HEAD,
    /* Include/cpython/listobject.h: PyVarObject, ob_item, allocated; GC.
     * The item array is a separate PyMem block of 8 per allocated slot. */
    PY_LIST = PY_GC_HEAD + PY_VAR_HEAD + 16,

    /* Include/cpython/unicodeobject.h PyASCIIObject in 3.11 is 48 bytes
     * (3.12 dropped wstr and made it 40); a compact ASCII string of length
     * n is one block of 48 + n + 1 (Objects/unicodeobject.c PyUnicode_New;
     * sys.getsizeof('') == 49 on this machine). */
    PY_ASCII_BASE = 48,

    /* Include/cpython/dictobject.h PyDictObject: PyObject, ma_used,
     * ma_version_tag, ma_keys, ma_values = 48; GC. */
    PY_DICT = PY_GC_HEAD + 48,
    /* Include/internal/pycore_dict.h PyDictKeysObject header (3.11): 32. */
    PY_DICT_KEYS_HEAD = 32,
    PY_DICT_LOG_MINSIZE = 3, /* Objects/dictobject.c PyDict_LOG_MINSIZE */
    PY_DICT_UNICODE_ENTRY = 16, /* PyDictUnicodeEntry: key, value */
    PY_DICT_GENERAL_ENTRY = 24, /* PyDictKeyEntry: hash, key, value */

    /* Include/setobject.h PySetObject: 72 bytes of fields, an 8-entry
     * smalltable of 16-byte entries and weakreflist = 200; GC (216, as
     * sys.getsizeof(set()) says). Larger tables are PyMem blocks of
     * 16 per slot. */
    PY_SET = PY_GC_HEAD + 200,
    PY_SET_MINSIZE = 8,
    PY_SET_ENTRY = 16,
};

/* Objects/listobject.c list_resize (3.11): the item array's new capacity
 * when the list grows to `newsize` from `oldsize` items; 0 means the
 * current capacity still fits and there is no realloc. */
static inline size_t py_list_capacity(size_t allocated, size_t oldsize, size_t newsize)
{
    if (allocated >= newsize && newsize >= (allocated >> 1))
        return 0;
    size_t fresh = (newsize + (newsize >> 3) + 6) & ~(size_t)3;
    if (newsize - oldsize > fresh - newsize)
        fresh = (newsize + 3) & ~(size_t)3;
    return newsize == 0 ? 0 : fresh;
}

/* Objects/dictobject.c USABLE_FRACTION: entries a table of 2**log2 slots holds. */
static inline size_t py_dict_usable(unsigned log2_size)
{
    return ((size_t)1 << log2_size) * 2 / 3;
}

/* Objects/dictobject.c new_keys_object: header, index array (1, 2, 4 or 8
 * bytes per slot) and `usable` entries. */
static inline size_t py_dict_keys_size(unsigned log2_size, int unicode)
{
    unsigned log2_index_bytes = log2_size < 8 ? log2_size
                              : log2_size < 16 ? log2_size + 1
                              : log2_size < 32 ? log2_size + 2 : log2_size + 3;
    size_t entry = unicode ? PY_DICT_UNICODE_ENTRY : PY_DICT_GENERAL_ENTRY;
    return PY_DICT_KEYS_HEAD + ((size_t)1 << log2_index_bytes) + entry * py_dict_usable(log2_size);
}

/* Objects/dictobject.c calculate_log2_keysize: the table for `minsize`
 * slots; insertion_resize asks for GROWTH_RATE = ma_used * 3. */
static inline unsigned py_dict_log2_for(size_t minsize)
{
    size_t m = (minsize | ((size_t)1 << PY_DICT_LOG_MINSIZE)) - 1;
    m |= ((size_t)1 << PY_DICT_LOG_MINSIZE) - 1;
    unsigned bits = 0;
    while (m) {
        bits++;
        m >>= 1;
    }
    return bits;
}

/* Objects/dictobject.c new_values (3.11): a split-table instance's values
 * live in one PyMem block: `size` pointers after a prefix of insertion-order
 * bytes rounded up to 8. init_inline_values gives each new instance
 * size = dk_nentries + dk_usable of its class's shared keys, and each new
 * instance lowers dk_usable by one until it is 1, so a warmed-up class with
 * n attributes gives size n + 1 (traced: 32 bytes for 2 attributes). */
static inline size_t py_values_size(size_t size)
{
    return ((size + 2 + 7) & ~(size_t)7) + 8 * size;
}

/* Instance of a plain class (managed dict, 3.11): basicsize 16 plus
 * __weakref__ 8 = 24, after the GC head and the managed-dict pointers (56,
 * as sys.getsizeof says). With __slots__ of n names and no __weakref__:
 * 16 + 8n after the GC head. */
enum { PY_INSTANCE = PY_GC_HEAD + PY_MANAGED_DICT_PRE + 24 };
static inline size_t py_slots_instance_size(size_t nslots)
{
    return PY_GC_HEAD + PY_OBJECT_HEAD + 8 * nslots;
}

/* Objects/setobject.c set_table_resize: smallest power of two above
 * minused; set_add_entry resizes once fill*5 >= mask*3 to used*4 (used*2
 * past 50000 entries). */
static inline size_t py_set_table_for(size_t minused)
{
    size_t n = PY_SET_MINSIZE;
    while (n <= minused)
        n <<= 1;
    return n;
}

/* Request size of an int of value v >= 0 made by arithmetic (_PyLong_FromMedium
 * below 2**30, else _PyLong_New of its 30-bit digit count); 0 for the
 * cached small ints. */
static inline size_t py_int_size(uint64_t v)
{
    if (v <= PY_INT_CACHE_MAX)
        return 0;
    if (v < ((uint64_t)1 << PY_INT_DIGIT_BITS))
        return PY_INT_MEDIUM;
    size_t digits = 0;
    for (; v; v >>= PY_INT_DIGIT_BITS)
        digits++;
    return PY_VAR_HEAD + 4 * digits;
}

/* How many of the ints 0 .. n-1 are allocated (the rest are cached). */
static inline uint64_t py_ints_allocated_below(uint64_t n)
{
    return n > PY_INT_CACHE_MAX + 1 ? n - PY_INT_CACHE_MAX - 1 : 0;
}

#endif
