/*
 * pab-trace-info: checks a binary allocation trace (FORMAT.md) through the
 * reader and prints its header, its counts and the live bytes a replay
 * reaches; --records also prints one line per record. Exit 0 for a valid
 * trace, 1 with the reader's one-line message otherwise (and nothing on
 * stdout, except the records --records printed before it), 2 for bad usage.
 *
 *   pab-trace-info [--records] FILE
 *
 * Record lines: "OP DOMAIN THREAD ID SIZE ALIGN" (ALIGN in bytes, 0 unless
 * memalign), OP and DOMAIN by the names printed in the summary.
 */
#include "trace_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[PAB_TRACE_OP_COUNT] = {"malloc", "calloc", "realloc", "free", "memalign",
                                                         "exit_free"};
static const char *const domain_names[PAB_TRACE_DOMAIN_COUNT] = {"libc", "raw", "mem", "object"};

typedef struct replay {
    uint64_t *size; /* by block id */
    int64_t live, peak;
} replay;

static void replay_step(replay *r, const pab_trace_record *rec)
{
    r->live -= rec->op == PAB_TRACE_REALLOC || rec->op == PAB_TRACE_FREE || rec->op == PAB_TRACE_EXIT_FREE
                   ? (int64_t)r->size[rec->id]
                   : 0;
    r->size[rec->id] = rec->op == PAB_TRACE_FREE || rec->op == PAB_TRACE_EXIT_FREE ? 0 : rec->size;
    r->live += (int64_t)r->size[rec->id];
    if (r->live > r->peak)
        r->peak = r->live;
}

static void print_header(const pab_trace_header *h)
{
    printf("format version: %u\n", h->version);
    printf("python: %s\n", h->python_version);
    printf("command: %s\n", h->cmdline);
    printf("pid: %u\n", h->pid);
    printf("flags:%s%s%s%s\n", h->flags ? "" : " none",
           h->flags & PAB_TRACE_FLAG_CHILDREN_NOT_RECORDED ? " children-not-recorded" : "",
           h->flags & PAB_TRACE_FLAG_HOOK_REPLACED ? " hook-replaced" : "",
           h->flags & PAB_TRACE_FLAG_CMDLINE_CUT ? " cmdline-cut" : "");
    printf("records: %llu\n", (unsigned long long)h->records);
    for (int d = 0; d < PAB_TRACE_DOMAIN_COUNT; d++)
        printf("records %s: %llu\n", domain_names[d], (unsigned long long)h->calls[d]);
    printf("exit frees: %llu\n", (unsigned long long)h->exit_frees);
    printf("blocks: %llu\n", (unsigned long long)h->blocks);
    printf("threads: %u\n", h->threads);
    for (int d = 0; d < PAB_TRACE_DOMAIN_COUNT; d++)
        printf("unknown frees %s: %llu\n", domain_names[d], (unsigned long long)h->unknown_frees[d]);
    printf("unknown reallocs: %llu\n", (unsigned long long)h->unknown_reallocs);
}

/* Reads every record, printing each when asked; 0 with the live bytes in
 * *r, or 1 with the reader's message on stderr. */
static int walk(pab_trace_reader *t, int print_records, replay *r)
{
    r->size = calloc(pab_trace_header_of(t)->blocks + 1, sizeof *r->size);
    if (!r->size) {
        fprintf(stderr, "pab-trace-info: out of memory\n");
        return 1;
    }
    pab_trace_record rec;
    int got;
    while ((got = pab_trace_next(t, &rec)) == 1) {
        replay_step(r, &rec);
        if (print_records)
            printf("%s %s %u %llu %llu %llu\n", op_names[rec.op], domain_names[rec.domain], rec.thread,
                   (unsigned long long)rec.id, (unsigned long long)rec.size,
                   rec.op == PAB_TRACE_MEMALIGN ? 1ull << rec.align_log2 : 0ull);
    }
    free(r->size);
    if (got < 0) {
        fprintf(stderr, "%s\n", pab_trace_error(t));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int print_records = argc == 3 && strcmp(argv[1], "--records") == 0;
    if (argc != 2 + print_records || argv[argc - 1][0] == '-') {
        fprintf(stderr, "usage: pab-trace-info [--records] FILE\n");
        return 2;
    }
    char err[512];
    pab_trace_reader *t = pab_trace_open(argv[argc - 1], err, sizeof err);
    if (!t) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    replay r = {NULL, 0, 0};
    int status = walk(t, print_records, &r);
    if (status == 0 && !print_records) {
        /* After the walk, so that a trace that fails prints only why. */
        print_header(pab_trace_header_of(t));
        printf("peak live bytes: %lld\n", (long long)r.peak);
        printf("live bytes at end: %lld\n", (long long)r.live);
    }
    pab_trace_close(t);
    return status;
}
