/*
 * preloaded.h: the libraries that serve malloc for the allocators named by
 * `preload` (see allocator.h), shared by their own entries and the layered
 * ones. Runtime sonames from Debian 12's packages.
 */
#ifndef PAB_PRELOADED_H
#define PAB_PRELOADED_H

#define PAB_JEMALLOC_LIBRARY "libjemalloc.so.2"
#define PAB_MIMALLOC_LIBRARY "libmimalloc.so.2"
/* The minimal variant: why is said in tcmalloc.c. */
#define PAB_TCMALLOC_LIBRARY "libtcmalloc_minimal.so.4"

#endif
