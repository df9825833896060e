/* pab_rng.h: the workloads' one source of randomness, splitmix64 (Steele,
 * Lea and Flood 2014): tiny, fast, and the same sequence on every platform
 * for a given seed. */
#ifndef PAB_RNG_H
#define PAB_RNG_H

#include <stdint.h>

typedef struct pab_rng {
    uint64_t state;
} pab_rng;

static inline uint64_t pab_rng_next(pab_rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n) for n > 0; the bias of a plain modulo is below 2**-40
 * for the small n the workloads use. */
static inline uint64_t pab_rng_below(pab_rng *r, uint64_t n)
{
    return pab_rng_next(r) % n;
}

/* Thread t's own stream of a seed: what a thread draws depends on the seed
 * and t alone, never on how the threads interleave. */
static inline pab_rng pab_rng_of_thread(uint64_t seed, unsigned t)
{
    return (pab_rng){seed ^ ((uint64_t)t * 0xD1B54A32D192ED03ull)};
}

#endif
