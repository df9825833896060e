/* plan.c: see plan.h. */
#include "plan.h"

/* splitmix64: small, and a different stream for every (seed, round). */
static uint64_t next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void pab_plan_round(uint64_t seed, unsigned round, size_t n, size_t *order)
{
    uint64_t state = seed ^ ((uint64_t)round * 0xd1b54a32d192ed03u);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    /* Fisher-Yates; the modulo bias over n < 2^32 is below 2^-32. */
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(next(&state) % i);
        size_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
}
