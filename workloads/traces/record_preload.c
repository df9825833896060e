/*
 * record_preload.c: an LD_PRELOAD library that logs every malloc, calloc,
 * realloc and free python3 makes between two marker requests, with
 * addresses, so record.sh can turn them into block identities. Not part of
 * the build: record.sh compiles it when a trace is re-recorded.
 *
 * Recording starts after the first request of exactly 0x5A5A5A bytes and
 * stops at one of 0x5A5A5B (the snippet makes them with bytes(n - 33)); the
 * markers themselves are not logged. Output, to PAB_RECORD_OUT, one line
 * per call: "m SIZE ADDR", "r OLD_ADDR SIZE NEW_ADDR", "f ADDR". A log
 * that overflows is not written (one line on stderr instead), so a partial
 * trace can never be mistaken for a whole one.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { MARK_START = 0x5A5A5A, MARK_STOP = 0x5A5A5B, LOG_MAX = 1 << 21 };

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

typedef struct { char op; uintptr_t addr, new_addr; size_t size; } record_event;

static record_event record_log[LOG_MAX];
static size_t record_count;
static int record_on, record_overflow;

static void record(char op, const void *addr, size_t size, const void *new_addr)
{
    if (!record_on)
        return;
    if (record_count == LOG_MAX) {
        record_overflow = 1;
        return;
    }
    record_log[record_count++] = (record_event){op, (uintptr_t)addr, (uintptr_t)new_addr, size};
}

static void record_dump(void)
{
    const char *path = getenv("PAB_RECORD_OUT");
    if (record_overflow || !path) {
        fprintf(stderr, "record_preload: %s\n", record_overflow ? "log overflowed, nothing written" : "PAB_RECORD_OUT not set");
        return;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "record_preload: cannot write %s\n", path);
        return;
    }
    for (size_t i = 0; i < record_count; i++) {
        const record_event *e = &record_log[i];
        if (e->op == 'm')
            fprintf(f, "m %zu %#lx\n", e->size, (unsigned long)e->addr);
        else if (e->op == 'r')
            fprintf(f, "r %#lx %zu %#lx\n", (unsigned long)e->addr, e->size, (unsigned long)e->new_addr);
        else
            fprintf(f, "f %#lx\n", (unsigned long)e->addr);
    }
    fclose(f);
}

/* The start marker is allocated before recording begins, the stop marker
 * after it ends: neither appears in the log. */
static void *allocated(void *p, size_t n)
{
    if (p)
        record('m', p, n, NULL);
    if (n == MARK_START)
        record_on = 1;
    return p;
}

static void watch_stop(size_t n)
{
    if (n == MARK_STOP && record_on) {
        record_on = 0;
        record_dump();
    }
}

void *malloc(size_t n)
{
    watch_stop(n);
    return allocated(__libc_malloc(n), n);
}

void *calloc(size_t k, size_t n)
{
    watch_stop(k * n);
    return allocated(__libc_calloc(k, n), k * n);
}

void *realloc(void *p, size_t n)
{
    void *q = __libc_realloc(p, n);
    if (q && p)
        record('r', p, n, q);
    else if (q)
        record('m', q, n, NULL);
    return q;
}

void free(void *p)
{
    if (p)
        record('f', p, 0, NULL);
    __libc_free(p);
}
