/*
 * rec_table.h: the recording allocators' table of live blocks, pointer ->
 * requested size (open addressing, backward-shift deletion), shared by
 * test_workloads and test_threads. One table per program, used by one
 * thread at a time (test_threads locks around it).
 */
#ifndef PAB_REC_TABLE_H
#define PAB_REC_TABLE_H

#include <stddef.h>
#include <stdint.h>

enum { TABLE_BITS = 22, TABLE_SIZE = 1 << TABLE_BITS };

typedef struct rec_slot {
    void *ptr;
    size_t size;
} rec_slot;

static rec_slot *rec_table;
static size_t rec_live_blocks;

static size_t rec_home(const void *p)
{
    return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull >> (64 - TABLE_BITS));
}

static size_t rec_find(const void *p)
{
    size_t i = rec_home(p);
    while (rec_table[i].ptr && rec_table[i].ptr != p)
        i = (i + 1) & (TABLE_SIZE - 1);
    return i;
}

static void rec_insert(void *p, size_t n)
{
    size_t i = rec_find(p);
    rec_table[i] = (rec_slot){p, n};
    rec_live_blocks++;
}

/* Removes p (backward-shift deletion) and returns its size; SIZE_MAX if unknown. */
static size_t rec_remove(void *p)
{
    size_t i = rec_find(p);
    if (!rec_table[i].ptr)
        return SIZE_MAX;
    size_t size = rec_table[i].size, hole = i;
    for (size_t j = (i + 1) & (TABLE_SIZE - 1); rec_table[j].ptr; j = (j + 1) & (TABLE_SIZE - 1)) {
        size_t home = rec_home(rec_table[j].ptr);
        if (((j - home) & (TABLE_SIZE - 1)) >= ((j - hole) & (TABLE_SIZE - 1))) {
            rec_table[hole] = rec_table[j];
            hole = j;
        }
    }
    rec_table[hole].ptr = NULL;
    rec_live_blocks--;
    return size;
}

#endif
