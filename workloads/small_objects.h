/*
 * small_objects.h: small_objects' rows (small_objects.c), for the threaded
 * workloads that churn the same mix.
 */
#ifndef PAB_SMALL_OBJECTS_H
#define PAB_SMALL_OBJECTS_H

#include "pyobj.h"

/* Row i appended to rows; -1 (having freed its parts) on failure. */
int small_objects_append_row(const pab_ctx *c, pyo *rows, uint64_t i);
/* A new list holding rows first .. end-1 (row i as small_objects makes
 * it); NULL, everything freed, when the allocator fails. */
pyo *small_objects_rows(const pab_ctx *c, uint64_t first, uint64_t end);
/* The operations of making that list and dropping it. */
uint64_t small_objects_rows_ops(uint64_t first, uint64_t end);

#endif
