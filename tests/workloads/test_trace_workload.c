/*
 * test_trace_workload: the trace workload (workloads/trace.c) on traces
 * built here, where the truth is known.
 *
 *  - routing: 1000 raw-domain and 1000 object-domain blocks of 64 bytes, all
 *    alive at the measurement point. Under pymalloc (CPython's default) the
 *    raw ones go to the system malloc, so pymalloc holds exactly the
 *    object ones (64000 bytes in its blocks); under pymalloc+raw-as-object
 *    it would hold 128000.
 *  - the pass: every call counted, the mark reached once, nothing alive at
 *    the end, expected_ops equal to the calls made.
 *  - bad input: a truncated file is refused with one line naming it.
 */
#include "pab_test_check.h"
#include "trace_builder.h"
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCKS = 1000, SIZE = 64 };

static pab_stats at_mark;
static int marks;


static const pab_allocator *current;

static void on_mark(pab_meter *m)
{
    (void)m;
    marks++;
    pab_allocator_stats(current, &at_mark);
}

static void on_sample(pab_meter *m) { m->next_sample = UINT64_MAX; }
static void on_counter(pab_meter *m, const char *name, double value) { (void)m, (void)name, (void)value; }

/* 2 * BLOCKS new blocks, half raw, half object, then every free. */
static size_t routing_records(pab_trace_record *out)
{
    size_t n = 0;
    for (uint64_t id = 0; id < 2 * BLOCKS; id++)
        out[n++] = (pab_trace_record){PAB_TRACE_MALLOC, id < BLOCKS ? PAB_TRACE_RAW : PAB_TRACE_OBJECT, 0, 0, id, SIZE};
    for (uint64_t id = 0; id < 2 * BLOCKS; id++)
        out[n++] = (pab_trace_record){PAB_TRACE_FREE, id < BLOCKS ? PAB_TRACE_RAW : PAB_TRACE_OBJECT, 0, 0, id, 0};
    return n;
}

static int write_file(const char *path, const void *bytes, size_t size)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(bytes, 1, size, f) == size;
    return (f && fclose(f) == 0 && ok) ? 0 : -1;
}

static void test_routing_and_pass(const pab_workload *trace, const char *path)
{
    char err[600];
    CHECK(trace->load(path, err, sizeof err) == 0, "load: %s", err);
    pab_allocator *a = pab_allocator_make("pymalloc", err, sizeof err);
    CHECK(a && !pab_allocator_start(a), "pymalloc does not start");
    if (!a)
        return;
    current = a;
    pab_meter meter = {.next_sample = UINT64_MAX, .on_sample = on_sample, .on_mark = on_mark,
                       .on_counter = on_counter};
    pab_ctx ctx = {.alloc = a, .meter = &meter, .seed = 1, .scale = 1};
    CHECK(trace->run(&ctx) == 0, "the pass failed");
    CHECK(marks == 1, "the mark was reached %d times", marks);
    CHECK(at_mark.in_use_bytes == BLOCKS * SIZE,
          "pymalloc held %.0f bytes at the mark: the raw blocks must go to the system malloc (want %d)",
          at_mark.in_use_bytes, BLOCKS * SIZE);
    CHECK(meter.ops == 4 * BLOCKS && trace->expected_ops(1, 1) == 4 * BLOCKS, "%llu calls, %llu expected",
          (unsigned long long)meter.ops, (unsigned long long)trace->expected_ops(1, 1));
    CHECK(meter.live_bytes == 0, "%lld bytes alive after the pass", (long long)meter.live_bytes);
    pab_allocator_stop(a);
    pab_allocator_free(a);
}

static void test_truncated(const pab_workload *trace, const pab_test_trace *b, const char *path)
{
    char err[600] = "";
    CHECK(write_file(path, b->bytes, b->size / 2) == 0, "cannot write %s", path);
    CHECK(trace->load(path, err, sizeof err) == -1, "a truncated trace loaded");
    CHECK(strstr(err, path) && strstr(err, "trunc") && !strchr(err, '\n'), "message: %s", err);
}

int main(void)
{
    static pab_trace_record records[4 * BLOCKS];
    static pab_test_trace b;
    const pab_workload *trace = pab_workload_find("trace");
    if (!trace || !trace->load) {
        fprintf(stderr, "FAIL: no trace workload that loads files\n");
        return 1;
    }
    pab_test_trace_build(&b, records, routing_records(records));
    char path[] = "/tmp/test_trace_workload.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || close(fd) != 0 || write_file(path, b.bytes, b.size) != 0) {
        fprintf(stderr, "FAIL: cannot write %s\n", path);
        return 1;
    }
    test_routing_and_pass(trace, path);
    test_truncated(trace, &b, path);
    unlink(path);
    printf("test_trace_workload: %d failure(s)\n", pab_test_failures);
    return pab_test_failures ? 1 : 0;
}
