/*
 * test_workloads: holds every workload to its contract.
 *
 *   test_workloads model [WORKLOAD]            model checks, recording allocator
 *   test_workloads alloc ALLOCATOR [WORKLOAD]  quick passes under a real allocator
 *   test_workloads trace WORKLOAD SCALE        prints the sequence, one line per
 *       operation ("m SIZE", "r OLD NEW MOVED", "f SIZE"), for crosscheck.sh
 * Without WORKLOAD, every workload of the table.
 *
 * The recording allocator wraps glibc, keeps pointer -> requested size, and
 * hashes each (operation, size) into a digest. Model checks: the same seed
 * gives the same digest; every free and realloc names the size the block
 * was requested with; nothing is left allocated and live_bytes is 0; the
 * operation count equals the workload's expected_ops at several scales; the
 * measurement point is reached exactly once; and when the allocator fails
 * at any of many points, run() returns -1 having freed everything.
 * Exit 0 pass, 1 fail, 77 skipped (allocator cannot run here).
 */
#include "rec_table.h"
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef PAB_SANITIZE
enum { SCALE_DIVISOR = 4 };
#else
enum { SCALE_DIVISOR = 1 };
#endif
enum { FAIL_POINTS = 48 };

/* ---- recording allocator --------------------------------------------- */
static uint64_t rec_digest, rec_ops, rec_fail_at, rec_mismatches;
static FILE *rec_trace; /* when set, every operation is also written here */

static void rec_hash(uint64_t v)
{
    rec_digest = (rec_digest ^ v) * 0x100000001B3ull;
    rec_digest ^= rec_digest >> 29;
}

static int rec_should_fail(void) { return ++rec_ops == rec_fail_at; }

static void *rec_malloc(size_t n)
{
    rec_hash('m');
    rec_hash(n);
    if (rec_should_fail())
        return NULL;
    void *p = malloc(n ? n : 1);
    if (p)
        rec_insert(p, n);
    if (p && rec_trace)
        fprintf(rec_trace, "m %zu\n", n);
    return p;
}

/* The workloads' pab_realloc passes the old size to the meter, not here;
 * the recorded size is checked at the free that ends the block. */
static void *rec_realloc(void *p, size_t n)
{
    rec_hash('r');
    rec_hash(n);
    if (rec_should_fail())
        return NULL;
    size_t old = 0;
    if (p && (old = rec_remove(p)) == SIZE_MAX) {
        rec_mismatches++;
        return NULL;
    }
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        if (p)
            rec_insert(p, old);
        return NULL;
    }
    rec_insert(q, n);
    if (rec_trace && p)
        fprintf(rec_trace, "r %zu %zu %d\n", old, n, q != p);
    else if (rec_trace)
        fprintf(rec_trace, "m %zu\n", n);
    return q;
}

static void rec_free(void *p)
{
    rec_hash('f');
    rec_ops++;
    if (!p)
        return;
    size_t size = rec_remove(p);
    if (size == SIZE_MAX)
        rec_mismatches++;
    else if (rec_trace)
        fprintf(rec_trace, "f %zu\n", size);
    free(p);
}

static const pab_allocator rec_allocator = {
    .name = "recording",
    .malloc = rec_malloc,
    .realloc = rec_realloc,
    .free = rec_free,
};

/* ---- meter ----------------------------------------------------------- */
typedef struct test_meter {
    pab_meter meter;
    int marks;
    int counters;
    int64_t live_at_mark;
} test_meter;

static void on_sample(pab_meter *m) { m->next_sample = UINT64_MAX; }

static void on_mark(pab_meter *m)
{
    test_meter *t = m->owner;
    t->marks++;
    t->live_at_mark = m->live_bytes;
}

static void on_counter(pab_meter *m, const char *name, double value)
{
    test_meter *t = m->owner;
    t->counters++;
    if (!name || !*name || value != value)
        t->counters = -1000;
}

static void meter_reset(test_meter *t)
{
    memset(t, 0, sizeof *t);
    t->meter.next_sample = UINT64_MAX;
    t->meter.on_sample = on_sample;
    t->meter.on_mark = on_mark;
    t->meter.on_counter = on_counter;
    t->meter.owner = t;
}

/* ---- checks ---------------------------------------------------------- */
static int failures;

static void check(int ok, const char *workload, const char *what, long long got, long long want)
{
    if (ok)
        return;
    fprintf(stderr, "FAIL %s: %s (got %lld, want %lld)\n", workload, what, got, want);
    failures++;
}

typedef struct pass_result {
    int rc;
    uint64_t digest, ops;
    test_meter meter;
} pass_result;

static pass_result recorded_pass(const pab_workload *w, uint64_t seed, uint64_t scale, uint64_t fail_at)
{
    pass_result r;
    meter_reset(&r.meter);
    rec_digest = 0xCBF29CE484222325ull;
    rec_ops = 0;
    rec_fail_at = fail_at;
    rec_mismatches = 0;
    pab_ctx ctx = {.alloc = &rec_allocator, .meter = &r.meter.meter, .seed = seed, .scale = scale};
    r.rc = w->run(&ctx);
    r.digest = rec_digest;
    r.ops = rec_ops;
    return r;
}

/* What every pass must leave behind, failed or not. */
static void check_clean(const pab_workload *w, const pass_result *r, const char *when)
{
    char what[160];
    snprintf(what, sizeof what, "%s: live_bytes back to 0", when);
    check(r->meter.meter.live_bytes == 0, w->name, what, r->meter.meter.live_bytes, 0);
    snprintf(what, sizeof what, "%s: blocks left allocated", when);
    check(rec_live_blocks == 0, w->name, what, (long long)rec_live_blocks, 0);
    snprintf(what, sizeof what, "%s: frees of unknown pointers", when);
    check(rec_mismatches == 0, w->name, what, (long long)rec_mismatches, 0);
    snprintf(what, sizeof what, "%s: meter ops equal allocator ops", when);
    check(r->meter.meter.ops == r->ops, w->name, what, (long long)r->meter.meter.ops, (long long)r->ops);
}

static void check_pass(const pab_workload *w, uint64_t seed, uint64_t scale)
{
    pass_result r = recorded_pass(w, seed, scale, 0);
    char what[160];
    snprintf(what, sizeof what, "seed %llu scale %llu: run() succeeds", (unsigned long long)seed, (unsigned long long)scale);
    check(r.rc == 0, w->name, what, r.rc, 0);
    check_clean(w, &r, what);
    snprintf(what, sizeof what, "seed %llu scale %llu: ops match expected_ops", (unsigned long long)seed, (unsigned long long)scale);
    uint64_t want = w->expected_ops(scale, seed);
    check(r.ops == want, w->name, what, (long long)r.ops, (long long)want);
    check(r.meter.marks == 1, w->name, "pab_mark called once", r.meter.marks, 1);
    check(r.meter.counters >= 0, w->name, "counters named and finite", r.meter.counters, 0);
}

/* Workloads whose file says they use no randomness. */
static int ignores_seed(const pab_workload *w)
{
    static const char *const seedless[] = {"small_objects", "generator", "list", "trace_replay",
                                             "slots_vs_dict/slots", "slots_vs_dict/dict", NULL};
    for (const char *const *n = seedless; *n; n++)
        if (strcmp(*n, w->name) == 0)
            return 1;
    return 0;
}

static void check_determinism(const pab_workload *w, uint64_t scale)
{
    pass_result a = recorded_pass(w, 1, scale, 0), b = recorded_pass(w, 1, scale, 0);
    pass_result other = recorded_pass(w, 2, scale, 0);
    check(a.digest == b.digest, w->name, "same seed, same digest", (long long)a.digest, (long long)b.digest);
    printf("%s: digest seed 1 %016llx, seed 2 %016llx, %llu ops, live at mark %lld bytes\n", w->name,
           (unsigned long long)a.digest, (unsigned long long)other.digest, (unsigned long long)a.ops,
           (long long)a.meter.live_at_mark);
    if (!ignores_seed(w))
        check(a.digest != other.digest, w->name, "another seed, another digest", (long long)a.digest, 0);
    check(a.meter.live_at_mark > 0, w->name, "something alive at the mark", a.meter.live_at_mark, 1);
}

/* Fails the allocator at spread-out points: each pass must free all it holds. */
static void check_out_of_memory(const pab_workload *w, uint64_t scale)
{
    uint64_t total = w->expected_ops(scale, 7);
    for (uint64_t k = 0; k < FAIL_POINTS; k++) {
        uint64_t at = k < 8 ? k + 1 : 1 + total * k / FAIL_POINTS;
        pass_result r = recorded_pass(w, 7, scale, at);
        char what[160];
        snprintf(what, sizeof what, "allocator fails at op %llu", (unsigned long long)at);
        if (r.rc == 0) {
            /* Only a free can sit at that point: no allocation failed. */
            continue;
        }
        check(r.rc == -1, w->name, what, r.rc, -1);
        check_clean(w, &r, what);
    }
}

static void model_checks(const pab_workload *w)
{
    uint64_t quick = w->quick_scale / SCALE_DIVISOR;
    /* Edges of the formulas (empty, one, the int cache's end) up to quick. */
    uint64_t scales[] = {0, 1, 2, 3, 7, 100, 257, 258, 1000, quick};
    for (size_t i = 0; i < sizeof scales / sizeof *scales; i++)
        for (uint64_t seed = 1; seed <= 3 && scales[i] <= quick; seed++)
            check_pass(w, seed, scales[i]);
    check_determinism(w, quick);
    check_out_of_memory(w, quick > 300 ? 300 : quick);
}

static void allocator_checks(const pab_workload *w, const pab_allocator *a)
{
    test_meter t;
    for (uint64_t seed = 1; seed <= 2; seed++) {
        meter_reset(&t);
        pab_ctx ctx = {.alloc = a, .meter = &t.meter, .seed = seed, .scale = w->quick_scale / SCALE_DIVISOR};
        int rc = w->run(&ctx);
        check(rc == 0, w->name, a->name, rc, 0);
        check(t.meter.live_bytes == 0, w->name, "live_bytes back to 0", t.meter.live_bytes, 0);
        check(t.marks == 1, w->name, "pab_mark called once", t.marks, 1);
    }
    printf("%s under %s: %llu ops\n", w->name, a->name, (unsigned long long)t.meter.ops);
}

static int usage(void)
{
    fprintf(stderr, "usage: test_workloads model [WORKLOAD] | alloc ALLOCATOR [WORKLOAD] | trace WORKLOAD SCALE\n");
    return 2;
}

static int print_trace(const char *name, const char *scale_text)
{
    const pab_workload *w = pab_workload_find(name);
    char *end;
    unsigned long long scale = strtoull(scale_text, &end, 10);
    if (!w || *end || end == scale_text) {
        fprintf(stderr, "test_workloads: no workload %s or bad scale %s\n", name, scale_text);
        return 2;
    }
    if (!(rec_table = calloc(TABLE_SIZE, sizeof *rec_table))) {
        fprintf(stderr, "test_workloads: out of memory\n");
        return 1;
    }
    rec_trace = stdout;
    pass_result r = recorded_pass(w, 1, scale, 0);
    free(rec_table);
    return r.rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "trace") == 0)
        return print_trace(argv[2], argv[3]);
    int is_model = argc >= 2 && strcmp(argv[1], "model") == 0;
    int is_alloc = argc >= 3 && strcmp(argv[1], "alloc") == 0;
    if ((!is_model && !is_alloc) || argc > (is_model ? 3 : 4))
        return usage();
    const char *only = argc > (is_model ? 2 : 3) ? argv[is_model ? 2 : 3] : NULL;
    if (only && !pab_workload_find(only)) {
        fprintf(stderr, "test_workloads: no workload named %s\n", only);
        return 2;
    }
    pab_allocator *a = NULL;
    char err[512];
    if (is_alloc) {
        if (!(a = pab_allocator_make(argv[2], err, sizeof err))) {
            fprintf(stderr, "test_workloads: %s\n", err);
            return 2;
        }
        const char *why = pab_allocator_start(a);
        if (why) {
            printf("skipped: %s cannot run here: %s\n", a->name, why);
            return 77;
        }
    } else if (!(rec_table = calloc(TABLE_SIZE, sizeof *rec_table))) {
        fprintf(stderr, "test_workloads: out of memory\n");
        return 1;
    }
    for (const pab_workload *const *w = pab_workloads; *w; w++) {
        /* A workload that replays a file is tested on files: tests/workloads/trace_workload.sh. */
        if ((only && strcmp((*w)->name, only) != 0) || (*w)->load)
            continue;
        if (is_model)
            model_checks(*w);
        else
            allocator_checks(*w, a);
    }
    if (a)
        pab_allocator_stop(a);
    pab_allocator_free(a);
    free(rec_table);
    return failures ? 1 : 0;
}
