/*
 * trace_reader.h: reads and validates a binary allocation trace (FORMAT.md).
 *
 * Opening checks the header and that the file holds exactly the records it
 * announces plus the trailer; the iterator then checks each record (op,
 * domain, thread in range; a new block takes the next id; a realloc or free
 * names a live block) and, after the last one, that the header's counts
 * match the records and that nothing is left alive. Every failure is one
 * line, "trace NAME: what is wrong", kept in the reader: no call aborts,
 * prints or reads past the data.
 */
#ifndef PAB_TRACE_READER_H
#define PAB_TRACE_READER_H

#include "trace_format.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pab_trace_header {
    uint32_t version;
    uint32_t flags; /* PAB_TRACE_FLAG_* */
    uint64_t records;
    uint64_t blocks; /* ids issued: a replayer's table size */
    uint32_t threads;
    uint32_t pid;
    uint64_t calls[PAB_TRACE_DOMAIN_COUNT];         /* records per domain, EXIT_FREE excluded */
    uint64_t unknown_frees[PAB_TRACE_DOMAIN_COUNT]; /* dropped */
    uint64_t unknown_reallocs;                      /* recorded as new blocks */
    uint64_t exit_frees;
    const char *python_version; /* NUL-terminated copy */
    const char *cmdline;        /* arguments separated by single spaces */
} pab_trace_header;

typedef struct pab_trace_record {
    pab_trace_op op;
    pab_trace_domain domain;
    uint32_t thread;
    unsigned align_log2;
    uint64_t id;
    uint64_t size;
} pab_trace_record;

typedef struct pab_trace_reader pab_trace_reader;

/* Opens and checks the header of the trace in `path`. Returns a reader (to
 * pab_trace_close) or NULL with the reason in err (always NUL-terminated). */
pab_trace_reader *pab_trace_open(const char *path, char *err, size_t err_size);

/* The same over bytes in memory, which must outlive the reader; `name`
 * stands for the file in messages. */
pab_trace_reader *pab_trace_open_memory(const void *data, size_t size, const char *name, char *err, size_t err_size);

const pab_trace_header *pab_trace_header_of(const pab_trace_reader *t);

/* The next record: 1 and *rec filled, 0 after the last one (every end-of-
 * trace check passed), -1 on an error, which pab_trace_error then says;
 * after 0 or -1 it keeps returning the same. */
int pab_trace_next(pab_trace_reader *t, pab_trace_record *rec);

/* The message of the last error, "" if none. */
const char *pab_trace_error(const pab_trace_reader *t);

/* Every record at once, checked: a malloc'd array of header.records
 * records (to free()), or NULL with the reason in err. */
pab_trace_record *pab_trace_read_all(pab_trace_reader *t, char *err, size_t err_size);

void pab_trace_close(pab_trace_reader *t);

#endif
