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
#include "trace_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FUZZ_MAX_RECORDS = 4096 };

static unsigned char wrapped[PAB_TRACE_HEADER_FIXED_SIZE + FUZZ_MAX_RECORDS * PAB_TRACE_RECORD_SIZE +
                             PAB_TRACE_TRAILER_SIZE];

/* Counts taken from the records as they are (out-of-range fields skipped),
 * so that a header mismatch is the exception, not the rule. */
static void count(const unsigned char *r, size_t n, uint64_t calls[], uint64_t *exit_frees, uint64_t *blocks,
                  uint32_t *threads)
{
    for (size_t i = 0; i < n; i++, r += PAB_TRACE_RECORD_SIZE) {
        unsigned op = r[PAB_TRACE_REC_OP], domain = r[PAB_TRACE_REC_DOMAIN];
        uint32_t thread = pab_trace_get32(r + PAB_TRACE_REC_THREAD);
        if (op == PAB_TRACE_EXIT_FREE)
            ++*exit_frees;
        else if (domain < PAB_TRACE_DOMAIN_COUNT)
            calls[domain]++;
        if (op == PAB_TRACE_MALLOC || op == PAB_TRACE_CALLOC || op == PAB_TRACE_MEMALIGN)
            ++*blocks;
        if (thread < n && thread + 1 > *threads)
            *threads = thread + 1;
    }
}

static size_t wrap(const unsigned char *records, size_t len)
{
    size_t n = len / PAB_TRACE_RECORD_SIZE;
    if (n > FUZZ_MAX_RECORDS)
        n = FUZZ_MAX_RECORDS;
    unsigned char *h = wrapped;
    memset(h, 0, PAB_TRACE_HEADER_FIXED_SIZE);
    memcpy(h, PAB_TRACE_MAGIC, PAB_TRACE_MAGIC_SIZE);
    pab_trace_put32(h + PAB_TRACE_OFF_VERSION, PAB_TRACE_VERSION);
    pab_trace_put32(h + PAB_TRACE_OFF_HEADER_SIZE, PAB_TRACE_HEADER_FIXED_SIZE);
    pab_trace_put32(h + PAB_TRACE_OFF_RECORD_SIZE, PAB_TRACE_RECORD_SIZE);
    uint64_t calls[PAB_TRACE_DOMAIN_COUNT] = {0}, exit_frees = 0, blocks = 0;
    uint32_t threads = 0;
    count(records, n, calls, &exit_frees, &blocks, &threads);
    pab_trace_put64(h + PAB_TRACE_OFF_RECORDS, n);
    pab_trace_put64(h + PAB_TRACE_OFF_BLOCKS, blocks);
    pab_trace_put32(h + PAB_TRACE_OFF_THREADS, threads);
    for (int d = 0; d < PAB_TRACE_DOMAIN_COUNT; d++)
        pab_trace_put64(h + PAB_TRACE_OFF_CALLS + 8 * d, calls[d]);
    pab_trace_put64(h + PAB_TRACE_OFF_EXIT_FREES, exit_frees);
    unsigned char *r = h + PAB_TRACE_HEADER_FIXED_SIZE;
    memcpy(r, records, n * PAB_TRACE_RECORD_SIZE);
    r += n * PAB_TRACE_RECORD_SIZE;
    memcpy(r, PAB_TRACE_TRAILER, PAB_TRACE_MAGIC_SIZE);
    pab_trace_put64(r + PAB_TRACE_MAGIC_SIZE, n);
    return (size_t)(r + PAB_TRACE_TRAILER_SIZE - h);
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
        read_through(wrapped, wrap(data + 1, len - 1));
    else
        read_through(data + 1, len - 1);
    return 0;
}
