/*
 * cycles: rings and pairs of instances two ways, one row each, of the same
 * n rings (the advice table, plots/pab_plots/advice.py). cycles/collector:
 * rings that only CPython's cyclic collector reclaims, freed in batches
 * when a generation's threshold trips, with the collector's own order.
 * cycles/weakref: the same chains, the last node pointing back to the first
 * through weakref.ref(first) (last.next = weakref.ref(first)), so no cycle
 * is made and reference counting frees a ring at once; the collector still
 * runs on its thresholds and finds nothing to free. A callback-less
 * weakref is one GC object of 80 bytes in 3.11 (GC head 16, PyObject 16,
 * wr_object, wr_callback, hash, wr_prev, wr_next, vectorcall), shared by
 * every reference to that referent (here one per ring); the referent's
 * death clears it (no allocation) and it is freed with the last node.
 * The Python cycles/collector models (inside a function):
 *
 *     class Node:
 *         def __init__(self, size):
 *             self.next = None
 *             self.payload = 'x' * size
 *
 *     def make_ring(k):                  # k == 2: the pair a.next = b; b.next = a
 *         first = last = Node(random.randint(8, 40))
 *         while k > 1:
 *             last.next = Node(random.randint(8, 40))
 *             last = last.next
 *             k -= 1
 *         last.next = first
 *         return first
 *
 *     keep = []
 *     for i in range(n):
 *         r = make_ring(random.randint(2, 8))
 *         if random.random() < 0.1:
 *             keep.append(r)             # survives collections, is promoted
 *         if i % 2500 == 2499:
 *             keep = []                  # its rings: garbage in the old generations
 *     keep = r = None
 *     gc.collect()
 *     # return: i freed
 *
 * What it asks of the allocator (sizes in cpython_sizes.h): per node the
 * instance (56), its values array (32: two attributes), the payload str
 * (57 to 89); the loop's i above 256 (32) made before its ring and the one
 * before it freed after; keep's list (56) and its item array. Not modelled:
 * range's own two objects, and what the random module allocates to make a
 * draw (traced: a 72-byte bound method, a GC object, per randint call, and
 * some 32-byte ints): they belong to how the snippet draws, not to cycles.
 *
 * Checked against /usr/bin/python3 (3.11.2) running this snippet with
 * n = 200000, gc.get_stats() differences against this model's counters
 * (seed 1): collections 1300/118/11 vs 1299/118/11, objects collected
 * 810015/116590/73561 vs 810703/116477/73653 (gen 0/1/2). Traced with
 * workloads/traces/record_preload.c at n = 20000: 56-byte instances
 * 100093 vs 100219, payload sizes within 3%, reallocs 129 vs 128.
 *
 * The mark (pab_mark) is just before the first collection of generation 2,
 * CPython's costliest moment, with garbage in all three generations: the
 * first automatic one (after about 18000 rings), or gc.collect() in a pass
 * too short to reach one. Live bytes peak just before a later automatic
 * one (1.49 MB against 0.97 MB at the mark, scale 200000, glibc).
 *
 * The collector, CPython 3.11 Modules/gcmodule.c (facts, not its code):
 *  - thresholds (700, 10, 10) (_PyRuntimeState gc init). Gen 0's count is GC
 *    objects allocated minus freed: _PyObject_GC_Link counts up right after
 *    a GC object's malloc, and when count > 700 collects there and then,
 *    before the new object is tracked; PyObject_GC_Del counts down while
 *    above 0.
 *  - gc_collect_generations: the oldest generation whose count exceeds its
 *    threshold is collected, with every younger one; generation 2 only if
 *    long_lived_pending >= long_lived_total / 4.
 *  - gc_collect_main: count of the next older generation + 1, counts of this
 *    and the younger ones 0; younger lists appended to this one's in order
 *    0, 1; unreachable objects found (gc_refs = refcount, minus references
 *    from inside, then move_unreachable's walk, whose list order is kept
 *    here); survivors appended to the next older generation (a gen-1
 *    collection adds them to long_lived_pending; a full one sets
 *    long_lived_total to the survivors and pending to 0); then
 *    delete_garbage: for the first unreachable object, incref, tp_clear,
 *    decref; if it is still first it survived and moves to the older list.
 *  - gc.collect() is a collection of generation 2.
 * Node's tp_clear drops its attributes first to last; so for a ring
 * a -> b -> ... -> z -> a, in allocation order, clearing a drops b, whose
 * deallocation drops the rest in turn, each node freeing its payload and
 * values array after its successor; the cascade ends at z's reference to
 * a (held by delete_garbage), a's payload goes, then its values array
 * and a itself. No
 * finalizers or weakrefs, so their steps find nothing; tuples and dicts
 * are not untracked (none exist here). The collector allocates nothing:
 * its lists run through the objects' own GC heads, its list heads and
 * counters live on the C stack.
 *
 * Operations, n = scale, for each ring of k nodes 6k (3 blocks made and
 * freed; cycles/weakref 2 more for its weakref), 2*max(n-257, 0) for the loop's ints, and for each of the
 * L = floor(n/2500) + 1 keep lists, with m_j rings appended to it,
 * 2 + R(m_j) + (m_j > 0) (the list object made and freed, the item array's
 * growth reallocs, its free): replaying the seed's draws.
 */
#include "pab_rng.h"
#include "pyobj.h"

#include <string.h>

enum {
    GENERATIONS = 3,
    RING_MIN = 2,
    RING_SPAN = 7,
    PAYLOAD_MIN = 8,
    PAYLOAD_SPAN = 33,
    KEEP_ONE_IN = 10,
    CLEAR_EVERY = 2500,
    NODE_ATTRS = 2,
    WEAKREF_FIELDS = 6, /* after the GC head and PyObject: 80 bytes */
    RINGS = 150000,     /* n of both rows, and --quick's */
    QUICK_RINGS = 1500,
};

static const long gc_thresholds[GENERATIONS] = {700, 10, 10};

/* ---- the collector ---------------------------------------------------
 * A GC head is two words: next (bit 0 marks "in the unreachable list"
 * during a collection) and prev, which during a collection holds
 * gc_refs << 1 | 1 until move_unreachable gives the object back a prev
 * pointer (pointers are aligned, so bit 0 tells the two apart). */
enum { UNREACHABLE = 1, COLLECTING = 1 };

typedef struct generation {
    uintptr_t head[2];
    long count;
} generation;

typedef struct collector {
    generation gen[GENERATIONS];
    long long_lived_total, long_lived_pending;
    int collecting, mark_pending;
    const pab_ctx *ctx;
    uint64_t collections[GENERATIONS], collected[GENERATIONS];
} collector;

static uintptr_t *next_of(const uintptr_t *h) { return (uintptr_t *)(h[0] & ~(uintptr_t)UNREACHABLE); }
static uintptr_t *prev_of(const uintptr_t *h) { return (uintptr_t *)h[1]; }

static void list_init(uintptr_t *list)
{
    list[0] = list[1] = (uintptr_t)list;
}

static int list_empty(const uintptr_t *list) { return next_of(list) == list; }

static void list_append(uintptr_t *node, uintptr_t *list)
{
    uintptr_t *last = prev_of(list);
    last[0] = (uintptr_t)node;
    node[1] = (uintptr_t)last;
    node[0] = (uintptr_t)list;
    list[1] = (uintptr_t)node;
}

static void list_remove(uintptr_t *node)
{
    uintptr_t *prev = prev_of(node), *next = next_of(node);
    prev[0] = (uintptr_t)next;
    next[1] = (uintptr_t)prev;
    node[0] = node[1] = 0;
}

static void list_move(uintptr_t *node, uintptr_t *list)
{
    list_remove(node);
    list_append(node, list);
}

static void list_merge(uintptr_t *from, uintptr_t *to)
{
    if (!list_empty(from)) {
        uintptr_t *tail = prev_of(to);
        tail[0] = from[0];
        next_of(from)[1] = (uintptr_t)tail;
        to[1] = from[1];
        prev_of(to)[0] = (uintptr_t)to;
    }
    list_init(from);
}

static long list_size(const uintptr_t *list)
{
    long n = 0;
    for (const uintptr_t *h = next_of(list); h != list; h = next_of(h))
        n++;
    return n;
}

static long refs_of(const uintptr_t *h) { return (long)(h[1] >> 1); }
static void set_refs(uintptr_t *h, long refs) { h[1] = (uintptr_t)refs << 1 | COLLECTING; }
static int is_collecting(const uintptr_t *h) { return (h[1] & COLLECTING) != 0; }

static void visit_decref(pyo *ref, void *arg)
{
    (void)arg;
    if (!pyo_is_gc(ref))
        return;
    uintptr_t *h = pyo_gc_head(ref);
    if (is_collecting(h) && refs_of(h) > 0)
        set_refs(h, refs_of(h) - 1);
}

/* An object reached from a reachable one: back from the unreachable list
 * to young's end if it went there, or marked as reachable if not yet seen. */
static void visit_reachable(pyo *ref, void *young)
{
    if (!pyo_is_gc(ref))
        return;
    uintptr_t *h = pyo_gc_head(ref);
    if (h[0] & UNREACHABLE) {
        uintptr_t *prev = prev_of(h), *next = next_of(h);
        prev[0] = (prev[0] & UNREACHABLE) | (uintptr_t)next;
        next[1] = (uintptr_t)prev;
        list_append(h, young);
        set_refs(h, 1);
    } else if (is_collecting(h) && refs_of(h) == 0) {
        set_refs(h, 1);
    }
}

/* move_unreachable: young stays singly linked while prev holds gc_refs. */
static void move_unreachable(uintptr_t *young, uintptr_t *unreachable)
{
    uintptr_t *prev = young;
    for (uintptr_t *h = next_of(young); h != young; h = next_of(prev)) {
        if (refs_of(h) > 0) {
            pyo_traverse(pyo_from_gc_head(h), visit_reachable, young);
            h[1] = (uintptr_t)prev;
            prev = h;
        } else {
            prev[0] = h[0];
            uintptr_t *last = prev_of(unreachable);
            last[0] = (uintptr_t)h | UNREACHABLE;
            h[1] = (uintptr_t)last;
            h[0] = (uintptr_t)unreachable | UNREACHABLE;
            unreachable[1] = (uintptr_t)h;
        }
    }
    young[1] = (uintptr_t)prev;
    for (uintptr_t *h = unreachable; ; h = next_of(h)) {
        h[0] &= ~(uintptr_t)UNREACHABLE;
        if (next_of(h) == unreachable)
            break;
    }
}

static void deduce_unreachable(uintptr_t *young, uintptr_t *unreachable)
{
    for (uintptr_t *h = next_of(young); h != young; h = next_of(h))
        set_refs(h, (long)pyo_refcount(pyo_from_gc_head(h)));
    for (uintptr_t *h = next_of(young); h != young; h = next_of(h))
        pyo_traverse(pyo_from_gc_head(h), visit_decref, NULL);
    list_init(unreachable);
    move_unreachable(young, unreachable);
}

static void delete_garbage(collector *gc, uintptr_t *unreachable, uintptr_t *old)
{
    while (!list_empty(unreachable)) {
        uintptr_t *h = next_of(unreachable);
        pyo *o = pyo_incref(pyo_from_gc_head(h));
        pyo_clear(gc->ctx, o);
        pyo_decref(gc->ctx, o);
        if (next_of(unreachable) == h)
            list_move(h, old);
    }
}

static void collect(collector *gc, int generation)
{
    if (generation == GENERATIONS - 1 && gc->mark_pending) {
        gc->mark_pending = 0;
        pab_mark(gc->ctx);
    }
    if (generation + 1 < GENERATIONS)
        gc->gen[generation + 1].count++;
    for (int i = 0; i <= generation; i++)
        gc->gen[i].count = 0;
    uintptr_t *young = gc->gen[generation].head;
    for (int i = 0; i < generation; i++)
        list_merge(gc->gen[i].head, young);
    uintptr_t *old = generation + 1 < GENERATIONS ? gc->gen[generation + 1].head : young;
    uintptr_t unreachable[2];
    deduce_unreachable(young, unreachable);
    if (young != old) {
        if (generation == GENERATIONS - 2)
            gc->long_lived_pending += list_size(young);
        list_merge(young, old);
    } else {
        gc->long_lived_pending = 0;
        gc->long_lived_total = list_size(young);
    }
    gc->collections[generation]++;
    gc->collected[generation] += (uint64_t)list_size(unreachable);
    delete_garbage(gc, unreachable, old);
}

static void collect_generations(collector *gc)
{
    for (int i = GENERATIONS - 1; i >= 0; i--) {
        if (gc->gen[i].count <= gc_thresholds[i])
            continue;
        if (i == GENERATIONS - 1 && gc->long_lived_pending < gc->long_lived_total / 4)
            continue;
        collect(gc, i);
        return;
    }
}

static void gc_link(void *owner, pyo *o)
{
    collector *gc = owner;
    if (++gc->gen[0].count > gc_thresholds[0] && !gc->collecting) {
        gc->collecting = 1;
        collect_generations(gc);
        gc->collecting = 0;
    }
    list_append(pyo_gc_head(o), gc->gen[0].head);
}

static void gc_unlink(void *owner, pyo *o)
{
    collector *gc = owner;
    uintptr_t *h = pyo_gc_head(o);
    if (h[0])
        list_remove(h);
    if (gc->gen[0].count > 0)
        gc->gen[0].count--;
}

static void collector_init(collector *gc, const pab_ctx *c)
{
    memset(gc, 0, sizeof *gc);
    for (int i = 0; i < GENERATIONS; i++)
        list_init(gc->gen[i].head);
    gc->ctx = c;
    gc->mark_pending = 1;
}

/* gc.collect() */
static void collect_all(collector *gc)
{
    gc->collecting = 1;
    collect(gc, GENERATIONS - 1);
    gc->collecting = 0;
}

/* ---- the Python program ---------------------------------------------- */
static pyo *make_node(const pab_ctx *c, pab_rng *r)
{
    size_t size = PAYLOAD_MIN + (size_t)pab_rng_below(r, PAYLOAD_SPAN);
    pyo *node = pyo_instance(c, NODE_ATTRS);
    if (!node)
        return NULL;
    pyo *payload = pyo_str(c, size);
    if (!payload) {
        pyo_decref(c, node);
        return NULL;
    }
    pyo_instance_set(node, 1, payload);
    return node;
}

/* A ring of k nodes, closed by a strong reference or through a weakref,
 * or NULL (what was built already freed). */
static pyo *make_ring(const pab_ctx *c, pab_rng *r, uint64_t k, int weak)
{
    pyo *first = make_node(c, r), *last = first;
    for (uint64_t i = 1; last && i < k; i++) {
        pyo *node = make_node(c, r);
        pyo_instance_set(last, 0, node);
        last = node;
    }
    if (!last) {
        pyo_decref(c, first);
        return NULL;
    }
    pyo *back = weak ? pyo_slots(c, WEAKREF_FIELDS) : pyo_incref(first);
    if (!back) {
        pyo_decref(c, first);
        return NULL;
    }
    pyo_instance_set(last, 0, back);
    return first;
}

typedef struct program {
    pab_rng rng;
    pyo *keep, *ring, *i_obj;
    int weak;
} program;

/* One turn of the loop: i, its ring, perhaps kept, perhaps keep renewed. */
static int loop_turn(const pab_ctx *c, program *p, uint64_t i)
{
    pyo *i_obj = pyo_int(c, i);
    if (!i_obj && i > PY_INT_CACHE_MAX)
        return -1;
    pyo_decref(c, p->i_obj);
    p->i_obj = i_obj;
    pyo *ring = make_ring(c, &p->rng, RING_MIN + pab_rng_below(&p->rng, RING_SPAN), p->weak);
    if (!ring)
        return -1;
    pyo_decref(c, p->ring);
    p->ring = ring;
    if (pab_rng_below(&p->rng, KEEP_ONE_IN) == 0 && pyo_list_append(c, p->keep, pyo_incref(ring)) != 0) {
        pyo_decref(c, ring);
        return -1;
    }
    if (i % CLEAR_EVERY == CLEAR_EVERY - 1) {
        pyo *fresh = pyo_list(c);
        if (!fresh)
            return -1;
        pyo_decref(c, p->keep);
        p->keep = fresh;
    }
    return 0;
}

static void report(const pab_ctx *c, const collector *gc)
{
    static const char *const collections[GENERATIONS] = {"gc_gen0_collections", "gc_gen1_collections",
                                                         "gc_gen2_collections"};
    static const char *const collected[GENERATIONS] = {"gc_gen0_collected", "gc_gen1_collected",
                                                       "gc_gen2_collected"};
    for (int i = 0; i < GENERATIONS; i++) {
        pab_report(c, collections[i], (double)gc->collections[i]);
        pab_report(c, collected[i], (double)gc->collected[i]);
    }
}

static int cycles_run(const pab_ctx *c, int weak)
{
    collector gc;
    collector_init(&gc, c);
    const pyo_gc_hooks hooks = {gc_link, gc_unlink, &gc};
    pyo_gc_attach(&hooks);
    program p = {{c->seed}, NULL, NULL, NULL, weak};
    int rc = (p.keep = pyo_list(c)) ? 0 : -1;
    for (uint64_t i = 0; rc == 0 && i < c->scale; i++)
        rc = loop_turn(c, &p, i);
    pyo_decref(c, p.keep);
    pyo_decref(c, p.ring);
    if (rc != 0)
        gc.mark_pending = 0; /* a failed pass has no measurement point */
    collect_all(&gc);
    pyo_decref(c, p.i_obj);
    pyo_gc_attach(NULL);
    if (rc == 0)
        report(c, &gc);
    return rc;
}

/* A keep list that had m rings appended: itself, its array's growth, the array's free. */
static uint64_t keep_list_ops(uint64_t m) { return 2 + pyo_list_growth_ops(m) + (m > 0); }

static int collector_run(const pab_ctx *c) { return cycles_run(c, 0); }
static int weakref_run(const pab_ctx *c) { return cycles_run(c, 1); }

static uint64_t collector_ops(uint64_t n, uint64_t seed)
{
    pab_rng r = {seed};
    uint64_t ops = 0, kept = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t k = RING_MIN + pab_rng_below(&r, RING_SPAN);
        for (uint64_t j = 0; j < k; j++)
            pab_rng_next(&r);
        ops += 6 * k;
        kept += pab_rng_below(&r, KEEP_ONE_IN) == 0;
        if (i % CLEAR_EVERY == CLEAR_EVERY - 1) {
            ops += keep_list_ops(kept);
            kept = 0;
        }
    }
    uint64_t past_cache = py_ints_allocated_below(n);
    return ops + keep_list_ops(kept) + 2 * past_cache;
}

static uint64_t weakref_ops(uint64_t n, uint64_t seed) { return collector_ops(n, seed) + 2 * n; }

const pab_workload pab_cycles_collector = {
    .name = "cycles/collector",
    .description = "rings and pairs of instances freed in batches by a model of CPython's cyclic collector",
    .default_scale = RINGS,
    .quick_scale = QUICK_RINGS,
    .run = collector_run,
    .expected_ops = collector_ops,
};

const pab_workload pab_cycles_weakref = {
    .name = "cycles/weakref",
    .description = "the same rings closed through a weakref, freed at once by reference counting",
    .default_scale = RINGS,
    .quick_scale = QUICK_RINGS,
    .run = weakref_run,
    .expected_ops = weakref_ops,
};
