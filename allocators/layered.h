/*
 * layered.h: compositions made at run time, the way runtimes ship them:
 * pymalloc serves requests up to 512 bytes and sends the rest (and size 0)
 * to malloc, which a preloaded allocator serves. Spec: FRONT+BELOW.
 */
#ifndef PAB_LAYERED_H
#define PAB_LAYERED_H

#include "allocator.h"

#define PAB_LAYERED_FRONT "pymalloc"
#define PAB_LAYER_SEPARATOR '+'

/* The instance "front+below", or NULL with why in err: the front must be
 * pymalloc and the allocator below a preloaded one (over glibc, pymalloc is
 * plain pymalloc). */
pab_allocator *pab_layered_make(const pab_allocator *front, const pab_allocator *below, char *err,
                                size_t errlen);

#endif
