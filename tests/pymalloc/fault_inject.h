/*
 * fault_inject.h: the fault-injection seam of test_pymalloc_faults, and of no
 * other binary. That executable is linked with
 *     -Wl,--wrap=mmap,--wrap=munmap,--wrap=calloc,--wrap=realloc
 * so every call libpymalloc's objects make to those functions lands in
 * fault_inject.c's __wrap_* instead, which counts it and either fails it (as
 * the test asked) or passes it on to the real function. libpymalloc itself is
 * the very library the benchmarks link: nothing in allocators/pymalloc/ knows
 * about the seam.
 *
 * Calls made inside libc (stdio's buffers, dlerror, ...) are not redirected:
 * --wrap only rewrites undefined references of the objects being linked.
 * The test's own mappings use __real_mmap/__real_munmap so they stay
 * uncounted.
 */
#ifndef PYMALLOC_FAULT_INJECT_H
#define PYMALLOC_FAULT_INJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum fault_kind {
    FAULT_MMAP,    /* fails with MAP_FAILED, errno ENOMEM */
    FAULT_CALLOC,  /* fails with NULL, errno ENOMEM */
    FAULT_REALLOC, /* fails with NULL, errno ENOMEM; the old block stays */
    FAULT_KINDS
} fault_kind;

extern const char *const fault_kind_name[FAULT_KINDS];

/* Zeroes every counter and disarms every kind. */
void fault_reset(void);

/* Calls of `kind` number first, first + 1, ..., first + count - 1 (counted
 * from 1 since fault_reset) fail; the others go to the real function. */
void fault_arm(fault_kind kind, unsigned long first, unsigned long count);

/* No call fails from now on; the counters keep counting. */
void fault_disarm(void);

unsigned long fault_calls(fault_kind kind);    /* since fault_reset, failed ones included */
unsigned long fault_injected(fault_kind kind); /* calls failed on purpose */
unsigned long fault_injected_total(void);
unsigned long fault_munmap_calls(void);

/*
 * Placement: while a plan is set, an mmap(NULL, size, ...) of exactly `size`
 * bytes (an arena) is placed at the first slot of the plan not currently
 * mapped, with MAP_FIXED over a PROT_NONE reservation the test made there;
 * munmap of a slot puts the reservation back instead of opening a hole the
 * kernel could fill with someone else's mapping. So arenas land at addresses
 * the test chose (across a radix-tree node boundary, say), a freed arena's
 * address stays unmapped, and a slot freed or never used is reused first.
 * Runs out of slots: aborts. nslots == 0 drops the plan.
 */
void fault_place_arenas(const uintptr_t *slots, size_t nslots, size_t size);

/* Start addresses of the mappings the wrapper handed out and that were not
 * unmapped since; returns how many (at most `max` are stored). */
size_t fault_live_mappings(uintptr_t *out, size_t max);

/* The real functions, resolved by the linker because of --wrap. */
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int __real_munmap(void *addr, size_t len);

#endif
