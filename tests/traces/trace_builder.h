/*
 * trace_builder.h: well-formed traces (workloads/traces/FORMAT.md) built in
 * memory from records, for the tests of the reader and of the replay; a
 * test spoils one afterwards where it wants a bad one.
 */
#ifndef PAB_TEST_TRACE_BUILDER_H
#define PAB_TEST_TRACE_BUILDER_H

#include "trace_reader.h"

#include <stddef.h>

enum { PAB_TEST_TRACE_MAX_RECORDS = 4096, PAB_TEST_TRACE_VERSION_LEN = 6, PAB_TEST_TRACE_CMDLINE_LEN = 10 };

typedef struct pab_test_trace {
    unsigned char bytes[PAB_TRACE_HEADER_FIXED_SIZE + PAB_TEST_TRACE_VERSION_LEN + PAB_TEST_TRACE_CMDLINE_LEN +
                        PAB_TEST_TRACE_MAX_RECORDS * PAB_TRACE_RECORD_SIZE + PAB_TRACE_TRAILER_SIZE + 8];
    size_t size;
} pab_test_trace;

/* A file around `recs` (at most PAB_TEST_TRACE_MAX_RECORDS), its header's
 * counts computed from them. */
void pab_test_trace_build(pab_test_trace *b, const pab_trace_record *recs, size_t n);

/* The header and trailer around the n records already at their places
 * (pab_test_trace_record_at), their counts taken from the bytes as they are,
 * so spoiled records still get a header that agrees; the file's size. */
size_t pab_test_trace_wrap(pab_test_trace *b, size_t n);

/* Where record i starts. */
unsigned char *pab_test_trace_record_at(pab_test_trace *b, size_t i);

#endif
