/* trace_builder.c: see trace_builder.h. */
#include "trace_builder.h"

#include <string.h>

static void put_record(unsigned char *r, const pab_trace_record *rec)
{
    memset(r, 0, PAB_TRACE_RECORD_SIZE);
    r[PAB_TRACE_REC_OP] = (unsigned char)rec->op;
    r[PAB_TRACE_REC_DOMAIN] = (unsigned char)rec->domain;
    r[PAB_TRACE_REC_ALIGN_LOG2] = (unsigned char)rec->align_log2;
    pab_trace_put32(r + PAB_TRACE_REC_THREAD, rec->thread);
    pab_trace_put64(r + PAB_TRACE_REC_ID, rec->id);
    pab_trace_put64(r + PAB_TRACE_REC_SIZE, rec->size);
}

/* A well-formed file around `recs`, its counts computed from them. */
void pab_test_trace_build(pab_test_trace *b, const pab_trace_record *recs, size_t n)
{
    unsigned char *h = b->bytes;
    memset(b, 0, sizeof *b);
    uint64_t calls[PAB_TRACE_DOMAIN_COUNT] = {0}, blocks = 0, exit_frees = 0;
    uint32_t threads = 0;
    memcpy(h, PAB_TRACE_MAGIC, PAB_TRACE_MAGIC_SIZE);
    pab_trace_put32(h + PAB_TRACE_OFF_VERSION, PAB_TRACE_VERSION);
    pab_trace_put32(h + PAB_TRACE_OFF_HEADER_SIZE, PAB_TRACE_HEADER_FIXED_SIZE + PAB_TEST_TRACE_VERSION_LEN + PAB_TEST_TRACE_CMDLINE_LEN);
    pab_trace_put32(h + PAB_TRACE_OFF_RECORD_SIZE, PAB_TRACE_RECORD_SIZE);
    pab_trace_put32(h + PAB_TRACE_OFF_VERSION_LEN, PAB_TEST_TRACE_VERSION_LEN);
    pab_trace_put32(h + PAB_TRACE_OFF_CMDLINE_LEN, PAB_TEST_TRACE_CMDLINE_LEN);
    memcpy(h + PAB_TRACE_HEADER_FIXED_SIZE, "3.11.2python\0-c\0", PAB_TEST_TRACE_VERSION_LEN + PAB_TEST_TRACE_CMDLINE_LEN);
    unsigned char *r = h + PAB_TRACE_HEADER_FIXED_SIZE + PAB_TEST_TRACE_VERSION_LEN + PAB_TEST_TRACE_CMDLINE_LEN;
    for (size_t i = 0; i < n; i++, r += PAB_TRACE_RECORD_SIZE) {
        put_record(r, &recs[i]);
        if (recs[i].op == PAB_TRACE_EXIT_FREE)
            exit_frees++;
        else
            calls[recs[i].domain]++;
        if (recs[i].op == PAB_TRACE_MALLOC || recs[i].op == PAB_TRACE_CALLOC || recs[i].op == PAB_TRACE_MEMALIGN)
            blocks++;
        if (recs[i].thread + 1 > threads)
            threads = recs[i].thread + 1;
    }
    memcpy(r, PAB_TRACE_TRAILER, PAB_TRACE_MAGIC_SIZE);
    pab_trace_put64(r + PAB_TRACE_MAGIC_SIZE, n);
    b->size = (size_t)(r + PAB_TRACE_TRAILER_SIZE - h);
    pab_trace_put64(h + PAB_TRACE_OFF_RECORDS, n);
    pab_trace_put64(h + PAB_TRACE_OFF_BLOCKS, blocks);
    pab_trace_put32(h + PAB_TRACE_OFF_THREADS, threads);
    for (int d = 0; d < PAB_TRACE_DOMAIN_COUNT; d++)
        pab_trace_put64(h + PAB_TRACE_OFF_CALLS + 8 * d, calls[d]);
    pab_trace_put64(h + PAB_TRACE_OFF_EXIT_FREES, exit_frees);
}

unsigned char *pab_test_trace_record_at(pab_test_trace *b, size_t i)
{
    return b->bytes + PAB_TRACE_HEADER_FIXED_SIZE + PAB_TEST_TRACE_VERSION_LEN + PAB_TEST_TRACE_CMDLINE_LEN + i * PAB_TRACE_RECORD_SIZE;
}

