/*
 * pytrace_preload.c: an LD_PRELOAD library that records the (operation,
 * size) sequence real CPython sends to malloc, for cross-checking a
 * workload's model against the interpreter it models.
 *
 * Run python3 with PYTHONMALLOC=malloc (every object then goes through
 * malloc) and PAB_TRACE_OUT=<file>. Recording starts at the first request
 * of exactly PAB_TRACE_START bytes and stops at one of PAB_TRACE_STOP bytes:
 * the snippet makes them with bytes(n - 33) (a bytes object of n - 33
 * characters is one zeroed request of n: header 32, characters, NUL).
 * One line per operation: "m SIZE", "r OLD NEW MOVED", "f SIZE" (SIZE is -1
 * for a block allocated before recording started).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { TRACE_START = 0x5A5A5A, TRACE_STOP = 0x5A5A5B };
enum { TABLE_BITS = 23, TABLE_SIZE = 1 << TABLE_BITS, LOG_MAX = 1 << 24 };

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

typedef struct { uintptr_t ptr; int64_t size; } trace_slot;
typedef struct { char op; int64_t a, b; int moved; } trace_event;

static trace_slot trace_table[TABLE_SIZE];
static trace_event trace_log[LOG_MAX];
static size_t trace_count;
static int trace_on;

static size_t slot_of(uintptr_t p)
{
    size_t i = (size_t)((p >> 4) * 0x9E3779B97F4A7C15ull) >> (64 - TABLE_BITS);
    while (trace_table[i].ptr && trace_table[i].ptr != p)
        i = (i + 1) & (TABLE_SIZE - 1);
    return i;
}

static void remember(void *p, size_t n)
{
    size_t i = slot_of((uintptr_t)p);
    trace_table[i].ptr = (uintptr_t)p;
    trace_table[i].size = (int64_t)n;
}

/* Removal by backward shift keeps the linear-probing chains whole. */
static int64_t forget(void *p)
{
    size_t i = slot_of((uintptr_t)p);
    if (!trace_table[i].ptr)
        return -1;
    int64_t size = trace_table[i].size;
    size_t hole = i;
    for (size_t j = (i + 1) & (TABLE_SIZE - 1); trace_table[j].ptr; j = (j + 1) & (TABLE_SIZE - 1)) {
        size_t home = (size_t)((trace_table[j].ptr >> 4) * 0x9E3779B97F4A7C15ull) >> (64 - TABLE_BITS);
        if (((j - home) & (TABLE_SIZE - 1)) >= ((j - hole) & (TABLE_SIZE - 1))) {
            trace_table[hole] = trace_table[j];
            hole = j;
        }
    }
    trace_table[hole].ptr = 0;
    return size;
}

static void log_event(char op, int64_t a, int64_t b, int moved)
{
    if (trace_count < LOG_MAX)
        trace_log[trace_count++] = (trace_event){op, a, b, moved};
}

static void dump(void)
{
    const char *path = getenv("PAB_TRACE_OUT");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f)
        return;
    for (size_t i = 0; i < trace_count; i++) {
        trace_event *e = &trace_log[i];
        if (e->op == 'r')
            fprintf(f, "r %lld %lld %d\n", (long long)e->a, (long long)e->b, e->moved);
        else
            fprintf(f, "%c %lld\n", e->op, (long long)e->a);
    }
    fclose(f);
}

static void watch_markers(size_t n)
{
    if (n == TRACE_START)
        trace_on = 1;
    else if (n == TRACE_STOP && trace_on) {
        trace_on = 0;
        dump();
    }
}

static void *record_new(void *p, size_t n)
{
    if (trace_on && p) {
        remember(p, n);
        log_event('m', (int64_t)n, 0, 0);
    }
    return p;
}

void *malloc(size_t n)
{
    watch_markers(n);
    return record_new(__libc_malloc(n), n);
}

void *calloc(size_t k, size_t n)
{
    watch_markers(k * n);
    return record_new(__libc_calloc(k, n), k * n);
}

void *realloc(void *p, size_t n)
{
    if (!trace_on)
        return __libc_realloc(p, n);
    if (!p)
        return record_new(__libc_realloc(p, n), n);
    void *q = __libc_realloc(p, n);
    if (q) {
        int64_t old = forget(p);
        remember(q, n);
        log_event('r', old, (int64_t)n, q != p);
    }
    return q;
}

void free(void *p)
{
    if (trace_on && p)
        log_event('f', forget(p), 0, 0);
    __libc_free(p);
}
