/*
 * test_trace_reader: the trace reader on traces built here (trace_builder.h),
 * then spoiled one way each: every spoiled one must fail with one line
 * "trace NAME: ..." saying what is wrong (the expected words are checked),
 * and the valid ones must read back record for record. Runs in the
 * sanitizer tree too, where a read past the data would abort.
 */
#include "trace_builder.h"
#include "trace_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

/* The reference trace: every op, two threads, three domains. */
static const pab_trace_record valid[] = {
    {PAB_TRACE_MALLOC, PAB_TRACE_OBJECT, 0, 0, 0, 48},
    {PAB_TRACE_CALLOC, PAB_TRACE_MEM, 1, 0, 1, 800},
    {PAB_TRACE_REALLOC, PAB_TRACE_OBJECT, 0, 0, 0, 96},
    {PAB_TRACE_MEMALIGN, PAB_TRACE_LIBC, 1, 6, 2, 100},
    {PAB_TRACE_FREE, PAB_TRACE_RAW, 0, 0, 1, 0},
    {PAB_TRACE_FREE, PAB_TRACE_OBJECT, 0, 0, 0, 0},
    {PAB_TRACE_EXIT_FREE, PAB_TRACE_LIBC, 0, 0, 2, 0},
};
enum { VALID_N = sizeof valid / sizeof *valid };

/* Reads everything; the error message, or "" for a valid trace. */
static const char *read_through(const pab_test_trace *b, pab_trace_record *out)
{
    static char err[600];
    pab_trace_reader *t = pab_trace_open_memory(b->bytes, b->size, "T", err, sizeof err);
    if (!t)
        return err;
    pab_trace_record *all = pab_trace_read_all(t, err, sizeof err);
    if (all && out)
        memcpy(out, all, pab_trace_header_of(t)->records * sizeof *all);
    if (all)
        err[0] = 0;
    free(all);
    pab_trace_close(t);
    return err;
}

static void expect_error(const char *what, const pab_test_trace *b, const char *words)
{
    const char *err = read_through(b, NULL);
    if (strncmp(err, "trace T: ", 9) != 0 || !strstr(err, words) || strchr(err, '\n')) {
        fprintf(stderr, "FAIL %s: got \"%s\", expected \"trace T: ...%s...\"\n", what, err, words);
        failures++;
    }
}

static void test_valid(void)
{
    pab_test_trace b;
    pab_test_trace_build(&b, valid, VALID_N);
    pab_trace_record back[VALID_N];
    const char *err = read_through(&b, back);
    if (*err || memcmp(back, valid, sizeof back) != 0) {
        fprintf(stderr, "FAIL valid trace: %s\n", *err ? err : "records differ");
        failures++;
    }
    pab_test_trace_build(&b, NULL, 0);
    if (*(err = read_through(&b, NULL))) {
        fprintf(stderr, "FAIL empty trace: %s\n", err);
        failures++;
    }
}

static void test_file(void)
{
    pab_test_trace b;
    pab_test_trace_build(&b, valid, VALID_N);
    char path[] = "/tmp/test_trace_reader.XXXXXX", err[600];
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, b.bytes, b.size) != (ssize_t)b.size || close(fd) != 0) {
        fprintf(stderr, "FAIL cannot write %s\n", path);
        failures++;
        return;
    }
    pab_trace_reader *t = pab_trace_open(path, err, sizeof err);
    const pab_trace_header *h = t ? pab_trace_header_of(t) : NULL;
    if (!h || h->records != VALID_N || h->blocks != 3 || h->threads != 2 || strcmp(h->python_version, "3.11.2") ||
        strcmp(h->cmdline, "python -c")) {
        fprintf(stderr, "FAIL header from a file: %s\n", t ? "fields differ" : err);
        failures++;
    }
    pab_trace_close(t);
    unlink(path);
    if (pab_trace_open(path, err, sizeof err) || !strstr(err, "cannot open")) {
        fprintf(stderr, "FAIL a missing file: \"%s\"\n", err);
        failures++;
    }
}

static void test_layout(void)
{
    pab_test_trace b;
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[0] = 'X';
    expect_error("magic", &b, "not a trace");
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[PAB_TRACE_OFF_VERSION] = 2;
    expect_error("version", &b, "format version 2, this reader reads version 1");
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[PAB_TRACE_OFF_RECORD_SIZE] = 16;
    expect_error("record size", &b, "record size 16");
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[PAB_TRACE_OFF_CMDLINE_LEN] = 9;
    expect_error("string lengths", &b, "does not match its strings");
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[PAB_TRACE_OFF_FLAGS] = 0x80;
    expect_error("flags", &b, "unknown header flags");
    pab_test_trace_build(&b, valid, VALID_N);
    b.size = 100;
    expect_error("header cut", &b, "truncated in the header (100 bytes of 144)");
}

static void test_length(void)
{
    pab_test_trace b;
    pab_test_trace_build(&b, valid, VALID_N);
    b.size -= 1;
    expect_error("trailer cut", &b, "truncated after record 7 of 7");
    b.size -= 2 * PAB_TRACE_RECORD_SIZE;
    expect_error("records cut", &b, "truncated after record 5 of 7");
    pab_test_trace_build(&b, valid, VALID_N);
    b.size += 8;
    expect_error("extra bytes", &b, "8 bytes after the trailer");
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[b.size - 8] = 6;
    expect_error("trailer count", &b, "the trailer counts 6 records, the header 7");
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[b.size - 16] = 'x';
    expect_error("trailer magic", &b, "no trailer after record 7");
    pab_test_trace_build(&b, valid, VALID_N);
    pab_trace_put64(b.bytes + PAB_TRACE_OFF_RECORDS, UINT64_MAX / 2);
    expect_error("huge count", &b, "truncated after record 7 of");
}

static void test_counts(void)
{
    pab_test_trace b;
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[PAB_TRACE_OFF_CALLS] = 0;
    expect_error("domain counts", &b, "add up to 6, not its 7 records");
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[PAB_TRACE_OFF_BLOCKS] = 200;
    expect_error("blocks", &b, "claims 200 blocks");
    pab_test_trace_build(&b, valid, VALID_N);
    b.bytes[PAB_TRACE_OFF_CALLS] = 2;
    b.bytes[PAB_TRACE_OFF_CALLS + 8] = 0; /* still adds up, but not per domain */
    expect_error("per domain", &b, "1 records in domain 0, the header says 2");
}

static void spoil(pab_test_trace *b, size_t record, size_t offset, unsigned char value)
{
    pab_test_trace_build(b, valid, VALID_N);
    pab_test_trace_record_at(b, record)[offset] = value;
}

static void test_fields(void)
{
    pab_test_trace b;
    spoil(&b, 2, PAB_TRACE_REC_OP, 9);
    expect_error("op", &b, "record 3: unknown op 9");
    spoil(&b, 0, PAB_TRACE_REC_DOMAIN, 4);
    expect_error("domain", &b, "record 1: unknown domain 4");
    spoil(&b, 1, PAB_TRACE_REC_THREAD, 2);
    expect_error("thread", &b, "record 2: thread 2, the header says 2 threads");
    spoil(&b, 1, PAB_TRACE_REC_RESERVED, 1);
    expect_error("reserved", &b, "record 2: bad alignment or reserved byte");
    spoil(&b, 0, PAB_TRACE_REC_ALIGN_LOG2, 3);
    expect_error("align on malloc", &b, "record 1: bad alignment");
    spoil(&b, 4, PAB_TRACE_REC_SIZE, 5);
    expect_error("free size", &b, "record 5: a free with a size");
}

static void test_ids(void)
{
    pab_test_trace b;
    spoil(&b, 4, PAB_TRACE_REC_ID, 0);
    expect_error("double free", &b, "record 6: free of id 0, which is not live");
    spoil(&b, 4, PAB_TRACE_REC_ID, 2);
    expect_error("free of another", &b, "record 7: exit free of id 2, which is not live");
    spoil(&b, 1, PAB_TRACE_REC_ID, 0);
    expect_error("malloc of live", &b, "record 2: calloc of id 0, which is already live");
    spoil(&b, 0, PAB_TRACE_REC_ID, 1);
    expect_error("malloc out of order", &b, "record 1: malloc of id 1, expected the next id 0");
    spoil(&b, 2, PAB_TRACE_REC_ID, 3);
    expect_error("id range", &b, "record 3: realloc of id 3, out of range (3 blocks)");
    spoil(&b, 4, PAB_TRACE_REC_OP, PAB_TRACE_EXIT_FREE);
    expect_error("op after exit frees", &b, "record 6: a free after the exit frees");
    pab_test_trace_build(&b, valid, VALID_N - 1);
    expect_error("live at end", &b, "1 blocks still live after the last record");
    pab_trace_record realloc_first = {PAB_TRACE_REALLOC, PAB_TRACE_MEM, 0, 0, 0, 8};
    pab_test_trace_build(&b, &realloc_first, 1);
    pab_trace_put64(b.bytes + PAB_TRACE_OFF_BLOCKS, 1);
    expect_error("realloc of nothing", &b, "record 1: realloc of id 0, which is not live");
}

int main(void)
{
    test_valid();
    test_file();
    test_layout();
    test_length();
    test_counts();
    test_fields();
    test_ids();
    if (failures)
        fprintf(stderr, "test_trace_reader: %d failures\n", failures);
    return failures != 0;
}
