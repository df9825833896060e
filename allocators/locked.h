/*
 * locked.h: an allocator that is not thread-safe (pymalloc, cpython,
 * pymalloc+X) behind a model of CPython's lock, made at run time. Spec:
 * INNER@MODEL, e.g. pymalloc@mutex, pymalloc+jemalloc@gil.
 *
 *   mutex  every call takes a mutex and gives it back ("pymalloc behind a
 *          lock"): what an allocator without per-thread state pays to be
 *          called from free-running threads;
 *   gil    a lock each thread takes at its first call after not holding it
 *          and keeps across calls, as the interpreter keeps the GIL across
 *          bytecodes; it gives it up when it has held it for the switch
 *          interval (CPython's 5 ms) while another thread waits, before it
 *          waits for another thread (pab_will_wait), and at the end of its
 *          part of each pass.
 */
#ifndef PAB_LOCKED_H
#define PAB_LOCKED_H

#include "allocator.h"

#define PAB_LOCK_SEPARATOR '@'
/* The models, as a spec names them after the separator. */
#define PAB_LOCK_MODELS "mutex, gil"

/* The instance "inner@model", taking ownership of inner; NULL with why in
 * err (inner freed) when the model is unknown or inner is thread-safe
 * already (it has locks of its own). */
pab_allocator *pab_locked_make(pab_allocator *inner, const char *model, char *err, size_t errlen);

#endif
