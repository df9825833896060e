/* trace_sequence.h: a recorded trace (workloads/traces/FORMAT.md) as a fidelity script. */
#ifndef TRACE_SEQUENCE_H
#define TRACE_SEQUENCE_H

#include "script.h"

#include <stddef.h>

/* Appends the trace's mem- and object-domain calls to `s`, the calls CPython's
 * default configuration sends to obmalloc (raw and libc calls go to the
 * system malloc, as trace.c routes them, and are left out), with a
 * checkpoint every `every` calls and at the end. 0, or -1 with why in err. */
int trace_sequence_build(script *s, const char *path, size_t every, char *err, size_t errlen);

#endif
