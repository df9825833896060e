/*
 * plan.h: the order in which a run measures its pairs. Each pair is
 * measured in N fresh processes, one per round, and every round visits
 * every pair. Within a round the pairs come in blocks, one per workload:
 * a workload's allocators run one after another, so they meet the same
 * phase of a shared machine (its speed drifts over seconds to minutes,
 * harness/README.md) and a ratio between two of them, taken within the
 * round, cancels most of that drift. The order of the blocks and the order
 * inside each block are shuffled from the seed and the round, so no
 * allocator always runs first or after the same neighbour. The same seed
 * always gives the same order.
 */
#ifndef PAB_PLAN_H
#define PAB_PLAN_H

#include <stddef.h>
#include <stdint.h>

/* Pairs are numbered allocator * nworkloads + workload. order[0..n) := the
 * pairs of round `round` of `seed`, n = nallocators * nworkloads. */
void pab_plan_round(uint64_t seed, unsigned round, size_t nallocators, size_t nworkloads,
                    size_t *order);

#endif
