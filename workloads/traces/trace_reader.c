/*
 * trace_reader.c: the checks of trace_reader.h. The file is mapped, not
 * read, so a long trace costs address space only; the one table that grows
 * with it is the bitmap of live block ids (header.blocks bits, which opening
 * has bounded by the file's size). That bitmap is mapped too: a replay reads
 * its trace in the child, where malloc may be the allocator under test, and
 * a freed bitmap left in that allocator would serve the replay's first
 * blocks from pages counted in its baseline.
 */
#include "trace_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { NAME_MAX_SHOWN = 200, ERROR_SIZE = 512 };

struct pab_trace_reader {
    char name[NAME_MAX_SHOWN + 1];
    const unsigned char *data;
    size_t size;
    void *map; /* data when the reader mapped it itself */
    uint32_t header_size;
    pab_trace_header header;
    char *version, *cmdline;
    uint64_t *live; /* one bit per block id, mapped */
    size_t live_size;
    uint64_t done;  /* records returned */
    uint64_t next_id, live_count, exit_frees;
    uint64_t calls[PAB_TRACE_DOMAIN_COUNT];
    int state; /* 1 reading, 0 at the end, -1 failed */
    char error[ERROR_SIZE];
};

static const char *const op_names[PAB_TRACE_OP_COUNT] = {"malloc", "calloc", "realloc", "free", "memalign",
                                                         "exit free"};

static int fail(pab_trace_reader *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(pab_trace_reader *t, const char *fmt, ...)
{
    int n = snprintf(t->error, sizeof t->error, "trace %s: ", t->name);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof t->error)
        vsnprintf(t->error + n, sizeof t->error - (size_t)n, fmt, ap);
    va_end(ap);
    t->state = -1;
    return -1;
}

/* ---- the header ---- */

static void decode_header(pab_trace_reader *t)
{
    const unsigned char *h = t->data;
    pab_trace_header *hd = &t->header;
    hd->version = pab_trace_get32(h + PAB_TRACE_OFF_VERSION);
    hd->flags = pab_trace_get32(h + PAB_TRACE_OFF_FLAGS);
    hd->records = pab_trace_get64(h + PAB_TRACE_OFF_RECORDS);
    hd->blocks = pab_trace_get64(h + PAB_TRACE_OFF_BLOCKS);
    hd->threads = pab_trace_get32(h + PAB_TRACE_OFF_THREADS);
    hd->pid = pab_trace_get32(h + PAB_TRACE_OFF_PID);
    for (int d = 0; d < PAB_TRACE_DOMAIN_COUNT; d++) {
        hd->calls[d] = pab_trace_get64(h + PAB_TRACE_OFF_CALLS + 8 * d);
        hd->unknown_frees[d] = pab_trace_get64(h + PAB_TRACE_OFF_UNKNOWN_FREES + 8 * d);
    }
    hd->unknown_reallocs = pab_trace_get64(h + PAB_TRACE_OFF_UNKNOWN_REALLOCS);
    hd->exit_frees = pab_trace_get64(h + PAB_TRACE_OFF_EXIT_FREES);
    t->header_size = pab_trace_get32(h + PAB_TRACE_OFF_HEADER_SIZE);
}

/* Magic, version and the sizes the rest of the file is laid out by. */
static int check_layout(pab_trace_reader *t)
{
    const unsigned char *h = t->data;
    if (t->size < PAB_TRACE_MAGIC_SIZE || memcmp(h, PAB_TRACE_MAGIC, PAB_TRACE_MAGIC_SIZE) != 0)
        return fail(t, "not a trace (no %s magic at the start)", PAB_TRACE_MAGIC);
    if (t->size < PAB_TRACE_HEADER_FIXED_SIZE)
        return fail(t, "truncated in the header (%zu bytes of %d)", t->size, PAB_TRACE_HEADER_FIXED_SIZE);
    decode_header(t);
    if (t->header.version != PAB_TRACE_VERSION)
        return fail(t, "format version %u, this reader reads version %d", t->header.version, PAB_TRACE_VERSION);
    uint32_t record_size = pab_trace_get32(h + PAB_TRACE_OFF_RECORD_SIZE);
    if (record_size != PAB_TRACE_RECORD_SIZE)
        return fail(t, "record size %u, expected %d", record_size, PAB_TRACE_RECORD_SIZE);
    uint32_t vlen = pab_trace_get32(h + PAB_TRACE_OFF_VERSION_LEN);
    uint32_t clen = pab_trace_get32(h + PAB_TRACE_OFF_CMDLINE_LEN);
    if (vlen > PAB_TRACE_STRING_MAX || clen > PAB_TRACE_STRING_MAX ||
        t->header_size != PAB_TRACE_HEADER_FIXED_SIZE + vlen + clen)
        return fail(t, "header size %u does not match its strings (%u + %u bytes)", t->header_size, vlen, clen);
    if (pab_trace_get64(h + PAB_TRACE_OFF_RESERVED) != 0)
        return fail(t, "reserved header bytes are not zero");
    if (t->header.flags & ~(uint32_t)PAB_TRACE_FLAGS_KNOWN)
        return fail(t, "unknown header flags %#x", t->header.flags);
    if (t->size < t->header_size)
        return fail(t, "truncated in the header (%zu bytes of %u)", t->size, t->header_size);
    return 0;
}

/* The file holds exactly header, records and trailer. */
static int check_length(pab_trace_reader *t)
{
    uint64_t records = t->header.records;
    size_t body = t->size - t->header_size;
    uint64_t whole = body / PAB_TRACE_RECORD_SIZE;
    if (records > (SIZE_MAX - PAB_TRACE_TRAILER_SIZE) / PAB_TRACE_RECORD_SIZE ||
        body < records * PAB_TRACE_RECORD_SIZE + PAB_TRACE_TRAILER_SIZE)
        return fail(t, "truncated after record %llu of %llu",
                    (unsigned long long)(whole < records ? whole : records), (unsigned long long)records);
    if (body > records * PAB_TRACE_RECORD_SIZE + PAB_TRACE_TRAILER_SIZE)
        return fail(t, "%zu bytes after the trailer (the header says %llu records)",
                    body - (size_t)(records * PAB_TRACE_RECORD_SIZE + PAB_TRACE_TRAILER_SIZE),
                    (unsigned long long)records);
    const unsigned char *trailer = t->data + t->size - PAB_TRACE_TRAILER_SIZE;
    if (memcmp(trailer, PAB_TRACE_TRAILER, PAB_TRACE_MAGIC_SIZE) != 0)
        return fail(t, "no trailer after record %llu", (unsigned long long)records);
    if (pab_trace_get64(trailer + PAB_TRACE_MAGIC_SIZE) != records)
        return fail(t, "the trailer counts %llu records, the header %llu",
                    (unsigned long long)pab_trace_get64(trailer + PAB_TRACE_MAGIC_SIZE), (unsigned long long)records);
    return 0;
}

/* Counts that the records cannot satisfy, caught before any is read (and
 * before blocks sizes an allocation). */
static int check_counts(pab_trace_reader *t)
{
    const pab_trace_header *h = &t->header;
    uint64_t sum = h->exit_frees;
    for (int d = 0; d < PAB_TRACE_DOMAIN_COUNT; d++) {
        if (h->calls[d] > h->records)
            return fail(t, "the header's counts exceed its %llu records", (unsigned long long)h->records);
        sum += h->calls[d];
    }
    if (h->exit_frees > h->records || sum != h->records)
        return fail(t, "the header's counts add up to %llu, not its %llu records", (unsigned long long)sum,
                    (unsigned long long)h->records);
    if (h->blocks > h->records || h->threads > h->records || (h->records > 0 && h->threads == 0))
        return fail(t, "the header claims %llu blocks and %u threads for %llu records",
                    (unsigned long long)h->blocks, h->threads, (unsigned long long)h->records);
    return 0;
}

/* A NUL-terminated copy; NULs inside (between arguments) become spaces. */
static char *copy_string(const unsigned char *p, size_t n)
{
    while (n > 0 && p[n - 1] == 0)
        n--;
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        s[i] = p[i] ? (char)p[i] : ' ';
    s[n] = 0;
    return s;
}

static int take_strings(pab_trace_reader *t)
{
    const unsigned char *h = t->data;
    uint32_t vlen = pab_trace_get32(h + PAB_TRACE_OFF_VERSION_LEN);
    uint32_t clen = pab_trace_get32(h + PAB_TRACE_OFF_CMDLINE_LEN);
    t->version = copy_string(h + PAB_TRACE_HEADER_FIXED_SIZE, vlen);
    t->cmdline = copy_string(h + PAB_TRACE_HEADER_FIXED_SIZE + vlen, clen);
    t->live_size = (t->header.blocks / 64 + 1) * sizeof *t->live;
    void *live = mmap(NULL, t->live_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    t->live = live == MAP_FAILED ? NULL : live;
    if (!t->version || !t->cmdline || !t->live)
        return fail(t, "out of memory for %llu block ids", (unsigned long long)t->header.blocks);
    t->header.python_version = t->version;
    t->header.cmdline = t->cmdline;
    return 0;
}

static pab_trace_reader *finish_open(pab_trace_reader *t, char *err, size_t err_size)
{
    if (check_layout(t) != 0 || check_length(t) != 0 || check_counts(t) != 0 || take_strings(t) != 0) {
        snprintf(err, err_size, "%s", t->error);
        pab_trace_close(t);
        return NULL;
    }
    t->state = 1;
    return t;
}

static pab_trace_reader *new_reader(const char *name, char *err, size_t err_size)
{
    pab_trace_reader *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, err_size, "trace %s: out of memory", name);
        return NULL;
    }
    snprintf(t->name, sizeof t->name, "%s", name);
    return t;
}

pab_trace_reader *pab_trace_open_memory(const void *data, size_t size, const char *name, char *err, size_t err_size)
{
    pab_trace_reader *t = new_reader(name, err, err_size);
    if (!t)
        return NULL;
    t->data = data;
    t->size = size;
    return finish_open(t, err, err_size);
}

pab_trace_reader *pab_trace_open(const char *path, char *err, size_t err_size)
{
    pab_trace_reader *t = new_reader(path, err, err_size);
    if (!t)
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fail(t, "cannot open: %s", strerror(errno));
    } else if (st.st_size > 0) {
        t->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (t->map == MAP_FAILED) {
            t->map = NULL;
            fail(t, "cannot map: %s", strerror(errno));
        }
        t->data = t->map;
        t->size = (size_t)st.st_size;
    }
    if (fd >= 0)
        close(fd);
    if (t->state < 0) {
        snprintf(err, err_size, "%s", t->error);
        pab_trace_close(t);
        return NULL;
    }
    return finish_open(t, err, err_size);
}

/* ---- records ---- */

static bool is_live(const pab_trace_reader *t, uint64_t id)
{
    return t->live[id / 64] >> (id % 64) & 1;
}

static void set_live(pab_trace_reader *t, uint64_t id, bool live)
{
    if (live)
        t->live[id / 64] |= 1ull << (id % 64);
    else
        t->live[id / 64] &= ~(1ull << (id % 64));
    t->live_count += live ? 1 : (uint64_t)-1;
}

static bool makes_block(pab_trace_op op)
{
    return op == PAB_TRACE_MALLOC || op == PAB_TRACE_CALLOC || op == PAB_TRACE_MEMALIGN;
}

static int check_fields(pab_trace_reader *t, const unsigned char *r, uint64_t n)
{
    unsigned op = r[PAB_TRACE_REC_OP], domain = r[PAB_TRACE_REC_DOMAIN], align = r[PAB_TRACE_REC_ALIGN_LOG2];
    uint32_t thread = pab_trace_get32(r + PAB_TRACE_REC_THREAD);
    uint64_t size = pab_trace_get64(r + PAB_TRACE_REC_SIZE);
    if (op >= PAB_TRACE_OP_COUNT)
        return fail(t, "record %llu: unknown op %u", (unsigned long long)n, op);
    if (domain >= PAB_TRACE_DOMAIN_COUNT)
        return fail(t, "record %llu: unknown domain %u", (unsigned long long)n, domain);
    if (thread >= t->header.threads)
        return fail(t, "record %llu: thread %u, the header says %u threads", (unsigned long long)n, thread,
                    t->header.threads);
    if (r[PAB_TRACE_REC_RESERVED] != 0 || (op == PAB_TRACE_MEMALIGN ? align > 63 : align != 0))
        return fail(t, "record %llu: bad alignment or reserved byte", (unsigned long long)n);
    if ((op == PAB_TRACE_FREE || op == PAB_TRACE_EXIT_FREE) && size != 0)
        return fail(t, "record %llu: a %s with a size", (unsigned long long)n, op_names[op]);
    if (op != PAB_TRACE_EXIT_FREE && t->exit_frees > 0)
        return fail(t, "record %llu: a %s after the exit frees", (unsigned long long)n, op_names[op]);
    return 0;
}

/* Block ids: a new block takes the next id, anything else names a live one. */
static int check_id(pab_trace_reader *t, pab_trace_op op, uint64_t id, uint64_t n)
{
    if (id >= t->header.blocks)
        return fail(t, "record %llu: %s of id %llu, out of range (%llu blocks)", (unsigned long long)n,
                    op_names[op], (unsigned long long)id, (unsigned long long)t->header.blocks);
    if (makes_block(op)) {
        if (is_live(t, id))
            return fail(t, "record %llu: %s of id %llu, which is already live", (unsigned long long)n,
                        op_names[op], (unsigned long long)id);
        if (id != t->next_id)
            return fail(t, "record %llu: %s of id %llu, expected the next id %llu", (unsigned long long)n,
                        op_names[op], (unsigned long long)id, (unsigned long long)t->next_id);
        t->next_id++;
        set_live(t, id, true);
        return 0;
    }
    if (!is_live(t, id))
        return fail(t, "record %llu: %s of id %llu, which is not live", (unsigned long long)n, op_names[op],
                    (unsigned long long)id);
    if (op != PAB_TRACE_REALLOC)
        set_live(t, id, false);
    return 0;
}

/* After the last record: what the header promised is what was read. */
static int check_end(pab_trace_reader *t)
{
    const pab_trace_header *h = &t->header;
    if (t->next_id != h->blocks)
        return fail(t, "%llu blocks made, the header says %llu", (unsigned long long)t->next_id,
                    (unsigned long long)h->blocks);
    for (int d = 0; d < PAB_TRACE_DOMAIN_COUNT; d++)
        if (t->calls[d] != h->calls[d])
            return fail(t, "%llu records in domain %d, the header says %llu", (unsigned long long)t->calls[d], d,
                        (unsigned long long)h->calls[d]);
    if (t->live_count != 0)
        return fail(t, "%llu blocks still live after the last record", (unsigned long long)t->live_count);
    t->state = 0;
    return 0;
}

int pab_trace_next(pab_trace_reader *t, pab_trace_record *rec)
{
    if (t->state <= 0)
        return t->state;
    if (t->done == t->header.records)
        return check_end(t);
    uint64_t n = t->done + 1;
    const unsigned char *r = t->data + t->header_size + t->done * PAB_TRACE_RECORD_SIZE;
    if (check_fields(t, r, n) != 0)
        return -1;
    pab_trace_op op = r[PAB_TRACE_REC_OP];
    uint64_t id = pab_trace_get64(r + PAB_TRACE_REC_ID);
    if (check_id(t, op, id, n) != 0)
        return -1;
    *rec = (pab_trace_record){op, r[PAB_TRACE_REC_DOMAIN], pab_trace_get32(r + PAB_TRACE_REC_THREAD),
                              r[PAB_TRACE_REC_ALIGN_LOG2], id, pab_trace_get64(r + PAB_TRACE_REC_SIZE)};
    if (op == PAB_TRACE_EXIT_FREE)
        t->exit_frees++;
    else
        t->calls[rec->domain]++;
    t->done = n;
    return 1;
}

pab_trace_record *pab_trace_read_all(pab_trace_reader *t, char *err, size_t err_size)
{
    pab_trace_record *all = malloc((t->header.records + 1) * sizeof *all);
    if (!all) {
        fail(t, "out of memory for %llu records", (unsigned long long)t->header.records);
        snprintf(err, err_size, "%s", t->error);
        return NULL;
    }
    size_t n = 0;
    int r;
    while ((r = pab_trace_next(t, &all[n])) == 1)
        n++;
    if (r < 0) {
        snprintf(err, err_size, "%s", t->error);
        free(all);
        return NULL;
    }
    return all;
}

const pab_trace_header *pab_trace_header_of(const pab_trace_reader *t)
{
    return &t->header;
}

const char *pab_trace_error(const pab_trace_reader *t)
{
    return t->state < 0 ? t->error : "";
}

void pab_trace_close(pab_trace_reader *t)
{
    if (!t)
        return;
    if (t->map)
        munmap(t->map, t->size);
    free(t->version);
    free(t->cmdline);
    if (t->live)
        munmap(t->live, t->live_size);
    free(t);
}
