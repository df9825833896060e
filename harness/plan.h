/*
 * plan.h: the order in which a run measures its pairs. Each pair is
 * measured in N fresh processes, one per round; every round visits every
 * pair, in an order shuffled from the seed and the round, so a slow phase of
 * a shared machine falls on all allocators alike instead of on whichever
 * pairs ran during it. The same seed always gives the same order.
 */
#ifndef PAB_PLAN_H
#define PAB_PLAN_H

#include <stddef.h>
#include <stdint.h>

/* order[0..n) := a permutation of 0..n-1 for round `round` of `seed`. */
void pab_plan_round(uint64_t seed, unsigned round, size_t n, size_t *order);

#endif
