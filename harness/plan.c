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

/* Fisher-Yates over v[0..n); the modulo bias over n < 2^32 is below 2^-32. */
static void shuffle(uint64_t *state, size_t n, size_t *v)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(next(state) % i);
        size_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

void pab_plan_round(uint64_t seed, unsigned round, size_t nallocators, size_t nworkloads,
                    size_t *order)
{
    uint64_t state = seed ^ ((uint64_t)round * 0xd1b54a32d192ed03u);
    size_t blocks[nworkloads > 0 ? nworkloads : 1];
    for (size_t w = 0; w < nworkloads; w++)
        blocks[w] = w;
    shuffle(&state, nworkloads, blocks);
    for (size_t b = 0; b < nworkloads; b++) {
        size_t *block = order + b * nallocators;
        for (size_t a = 0; a < nallocators; a++)
            block[a] = a * nworkloads + blocks[b];
        shuffle(&state, nallocators, block);
    }
}
