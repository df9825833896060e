/*
 * fuzz_trace: libFuzzer target over the trace reader (workloads/traces/
 * trace_reader.c). Whatever the bytes, the reader must return records or
 * one error line, never read outside the input or crash; a trace it
 * accepts must have made exactly the blocks and records its header says.
 *
 * Input: byte 0 chooses how the rest is read.
 *   even: the rest is a whole trace file, as it would be on disk;
 *   odd:  the rest is records (24 bytes each), wrapped here in a header and
 *         trailer whose counts agree with them, so the search spends its
 *         time on record and block-id checks rather than on the magic.
 */
#include "trace_builder.h"
#include "trace_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records are wrapped as the tests build their traces (trace_builder.h). */
static pab_test_trace wrapped;

static size_t wrap(const unsigned char *records, size_t len)
{
    size_t n = len / PAB_TRACE_RECORD_SIZE;
    if (n > PAB_TEST_TRACE_MAX_RECORDS)
        n = PAB_TEST_TRACE_MAX_RECORDS;
    memcpy(pab_test_trace_record_at(&wrapped, 0), records, n * PAB_TRACE_RECORD_SIZE);
    return pab_test_trace_wrap(&wrapped, n);
}

static void fuzz_abort(const char *what, const char *message)
{
    fprintf(stderr, "fuzz_trace: %s (%s)\n", what, message);
    abort();
}

static void read_through(const unsigned char *data, size_t len)
{
    char err[600];
    pab_trace_reader *t = pab_trace_open_memory(data, len, "fuzz", err, sizeof err);
    if (!t) {
        if (strncmp(err, "trace fuzz: ", 12) != 0 || strchr(err, '\n'))
            fuzz_abort("an open error is not one line 'trace fuzz: ...'", err);
        return;
    }
    const pab_trace_header *h = pab_trace_header_of(t);
    pab_trace_record rec;
    uint64_t n = 0, made = 0;
    int got;
    while ((got = pab_trace_next(t, &rec)) == 1) {
        n++;
        made += rec.op == PAB_TRACE_MALLOC || rec.op == PAB_TRACE_CALLOC || rec.op == PAB_TRACE_MEMALIGN;
    }
    if (got < 0 && strncmp(pab_trace_error(t), "trace fuzz: ", 12) != 0)
        fuzz_abort("a record error is not 'trace fuzz: ...'", pab_trace_error(t));
    if (got == 0 && (n != h->records || made != h->blocks))
        fuzz_abort("an accepted trace disagrees with its header", "");
    if (pab_trace_next(t, &rec) != got)
        fuzz_abort("the reader did not stay at its end", pab_trace_error(t));
    pab_trace_close(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len == 0)
        return 0;
    if (data[0] & 1)
        read_through(wrapped.bytes, wrap(data + 1, len - 1));
    else
        read_through(data + 1, len - 1);
    return 0;
}
