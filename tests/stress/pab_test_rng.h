/*
 * pab_test_rng.h: the deterministic random numbers of the allocator tests.
 * A failing run must replay bit for bit from its printed seed on any libc,
 * so the generator is written here rather than taken from rand():
 * xoshiro256** seeded through splitmix64 (Vigna's published constants).
 */
#ifndef PAB_TEST_RNG_H
#define PAB_TEST_RNG_H

#include <stdint.h>

typedef struct pab_test_rng {
    uint64_t s[4];
} pab_test_rng;

/* One splitmix64 step: also a good 64-bit mixer for deriving patterns. */
static inline uint64_t pab_test_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static inline void pab_test_rng_seed(pab_test_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = pab_test_splitmix64(&seed);
}

static inline uint64_t pab_test_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t pab_test_rng_next(pab_test_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = pab_test_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = pab_test_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n), n > 0; the multiply-shift bias is far below what a test can see. */
static inline uint32_t pab_test_rng_below(pab_test_rng *r, uint32_t n)
{
    return (uint32_t)(((pab_test_rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline uint32_t pab_test_rng_range(pab_test_rng *r, uint32_t lo, uint32_t hi)
{
    return lo + pab_test_rng_below(r, hi - lo + 1);
}

#endif
