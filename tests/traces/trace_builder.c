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

/* Counts taken from the records' bytes as they are (fields out of range are
 * skipped), so that even records a fuzzer spoiled get a header that agrees. */
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

size_t pab_test_trace_wrap(pab_test_trace *b, size_t n)
{
    unsigned char *h = b->bytes;
    size_t strings = PAB_TEST_TRACE_VERSION_LEN + PAB_TEST_TRACE_CMDLINE_LEN;
    memset(h, 0, PAB_TRACE_HEADER_FIXED_SIZE);
    memcpy(h, PAB_TRACE_MAGIC, PAB_TRACE_MAGIC_SIZE);
    pab_trace_put32(h + PAB_TRACE_OFF_VERSION, PAB_TRACE_VERSION);
    pab_trace_put32(h + PAB_TRACE_OFF_HEADER_SIZE, (uint32_t)(PAB_TRACE_HEADER_FIXED_SIZE + strings));
    pab_trace_put32(h + PAB_TRACE_OFF_RECORD_SIZE, PAB_TRACE_RECORD_SIZE);
    pab_trace_put32(h + PAB_TRACE_OFF_VERSION_LEN, PAB_TEST_TRACE_VERSION_LEN);
    pab_trace_put32(h + PAB_TRACE_OFF_CMDLINE_LEN, PAB_TEST_TRACE_CMDLINE_LEN);
    memcpy(h + PAB_TRACE_HEADER_FIXED_SIZE, "3.11.2python\0-c\0", strings);
    uint64_t calls[PAB_TRACE_DOMAIN_COUNT] = {0}, blocks = 0, exit_frees = 0;
    uint32_t threads = 0;
    count(pab_test_trace_record_at(b, 0), n, calls, &exit_frees, &blocks, &threads);
    pab_trace_put64(h + PAB_TRACE_OFF_RECORDS, n);
    pab_trace_put64(h + PAB_TRACE_OFF_BLOCKS, blocks);
    pab_trace_put32(h + PAB_TRACE_OFF_THREADS, threads);
    for (int d = 0; d < PAB_TRACE_DOMAIN_COUNT; d++)
        pab_trace_put64(h + PAB_TRACE_OFF_CALLS + 8 * d, calls[d]);
    pab_trace_put64(h + PAB_TRACE_OFF_EXIT_FREES, exit_frees);
    unsigned char *r = pab_test_trace_record_at(b, n);
    memcpy(r, PAB_TRACE_TRAILER, PAB_TRACE_MAGIC_SIZE);
    pab_trace_put64(r + PAB_TRACE_MAGIC_SIZE, n);
    b->size = (size_t)(r + PAB_TRACE_TRAILER_SIZE - h);
    return b->size;
}

void pab_test_trace_build(pab_test_trace *b, const pab_trace_record *recs, size_t n)
{
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < n; i++)
        put_record(pab_test_trace_record_at(b, i), &recs[i]);
    pab_test_trace_wrap(b, n);
}

unsigned char *pab_test_trace_record_at(pab_test_trace *b, size_t i)
{
    return b->bytes + PAB_TRACE_HEADER_FIXED_SIZE + PAB_TEST_TRACE_VERSION_LEN + PAB_TEST_TRACE_CMDLINE_LEN +
           i * PAB_TRACE_RECORD_SIZE;
}
