/*
 * callgrind.h: instructions per allocator call, counted by valgrind's
 * callgrind rather than timed, so the figure does not move with the
 * machine's noise (reproducible within about 0.5 %; jemalloc varies by
 * 0.3 % between runs, and glibc's memcpy variant depends on the CPU).
 *
 * `./bench --count` runs one more process per pair under
 *   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=pab_counted_pass
 * whose child (--count) makes one untimed pass, then one pass inside
 * pab_counted_pass with every allocator call going through a trampoline of
 * its own (pab_counted_malloc, _realloc, _free). The run's total is the
 * pass; what the trampolines' calls cost inclusively is the allocator's
 * code alone, the trampolines' own few instructions left out.
 */
#ifndef PAB_CALLGRIND_H
#define PAB_CALLGRIND_H

#include <stdbool.h>

#define PAB_COUNTED_PASS "pab_counted_pass"
#define PAB_COUNTED_PREFIX "pab_counted_"

typedef struct pab_instruction_counts {
    bool known;
    double total;     /* instructions in the counted pass */
    double allocator; /* of which inside the allocator's functions */
} pab_instruction_counts;

/* Reads a callgrind output file; false when it is not one or lacks the pass. */
bool pab_callgrind_read(const char *path, pab_instruction_counts *out);

#endif
