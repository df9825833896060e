/* sequences.h: the named operation sequences the fidelity test replays on both allocators. */
#ifndef SEQUENCES_H
#define SEQUENCES_H

#include "script.h"

typedef struct sequence {
    const char *name;
    /* Appends the sequence to `s`; `scale` is a percentage of the full size. */
    void (*build)(script *s, unsigned scale);
} sequence;

extern const sequence sequences[];
extern const int nsequences;

#endif
