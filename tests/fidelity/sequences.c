/*
 * The sequences: each stresses one part of pymalloc's policy whose result
 * the statistics show (which pools and arenas are used, kept or released).
 * Every sequence ends with all blocks freed.
 */
#include "sequences.h"

#include <stdio.h>
#include <stdlib.h>

static uint32_t scaled(uint32_t n, unsigned scale)
{
    uint64_t v = (uint64_t)n * scale / 100;
    return v ? (uint32_t)v : 1;
}

/* Python-like small request: 16-64 bytes dominate, a tail to 512. */
static uint32_t small_size(pab_test_rng *r)
{
    uint32_t p = pab_test_rng_below(r, 100);
    if (p < 8)
        return pab_test_rng_range(r, 1, 15);
    if (p < 70)
        return pab_test_rng_range(r, 16, 64);
    if (p < 90)
        return pab_test_rng_range(r, 65, 256);
    return pab_test_rng_range(r, 257, 512);
}

/* Also zero and system-sized requests, which must not touch the pools. */
static uint32_t any_size(pab_test_rng *r)
{
    uint32_t p = pab_test_rng_below(r, 100);
    if (p < 3)
        return 0;
    if (p < 8)
        return pab_test_rng_range(r, 513, 2048);
    return small_size(r);
}

static void small_mix(script *s, unsigned scale)
{
    uint32_t n = scaled(40000, scale);
    for (uint32_t i = 1; i <= n; i++) {
        uint32_t p = pab_test_rng_below(&s->rng, 100);
        if (!s->nlive || p < 50)
            script_malloc(s, any_size(&s->rng));
        else if (p < 80)
            script_free(s, script_random_live(s));
        else
            script_realloc(s, script_random_live(s), small_size(&s->rng));
        if (i % (n / 8 + 1) == 0)
            script_checkpoint(s);
    }
    script_free_all(s);
}

static void fill_to(script *s, uint32_t nlive)
{
    while (s->nlive < nlive)
        script_malloc(s, small_size(&s->rng));
    script_checkpoint(s);
}

static void free_down_to(script *s, uint32_t nlive)
{
    while (s->nlive > nlive)
        script_free(s, script_random_live(s));
    script_checkpoint(s);
}

/* Tens of arenas, most of them emptied (and released), then refilled. */
static void grow_free_regrow(script *s, unsigned scale)
{
    uint32_t n = scaled(300000, scale);
    fill_to(s, n);
    free_down_to(s, n / 10);
    fill_to(s, n);
    free_down_to(s, n / 2);
    script_free_all(s);
}

/* Many growing "lists": blocks move from class to class and out to the system allocator. */
static void realloc_heavy(script *s, unsigned scale)
{
    uint32_t nlists = scaled(3000, scale), steps = scaled(80000, scale);
    uint32_t *size = calloc(nlists, sizeof *size), *slot = calloc(nlists, sizeof *slot);
    if (!size || !slot) {
        fprintf(stderr, "fidelity: out of memory building a script\n");
        exit(2);
    }
    for (uint32_t i = 0; i < nlists; i++) {
        slot[i] = script_malloc(s, 8);
        size[i] = 8;
    }
    for (uint32_t i = 1; i <= steps; i++) {
        uint32_t l = pab_test_rng_below(&s->rng, nlists), grown = size[l] + size[l] / 8 + 6;
        if (pab_test_rng_below(&s->rng, 100) < 75)
            size[l] = grown > 2048 ? size[l] / 3 + 1 : grown;
        else
            size[l] = pab_test_rng_range(&s->rng, 1, size[l]);
        script_realloc(s, slot[l], size[l]);
        if (i % (steps / 6 + 1) == 0)
            script_checkpoint(s);
    }
    free(size);
    free(slot);
    script_free_all(s);
}

/* One size class only: pools of one kind filling, emptying in a checkerboard, refilling. */
static void one_class(script *s, unsigned scale)
{
    uint32_t n = scaled(120000, scale);
    uint32_t first = s->nslots;
    for (uint32_t i = 0; i < n; i++)
        script_malloc(s, 48);
    script_checkpoint(s);
    for (uint32_t i = 0; i < n; i += 2)
        script_free(s, first + i);
    script_checkpoint(s);
    for (uint32_t i = 0; i < n / 2; i++)
        script_malloc(s, 41);
    script_checkpoint(s);
    script_free_all(s);
}

/* Every one of the 32 classes, then blocks moved between classes by realloc. */
static void every_class(script *s, unsigned scale)
{
    uint32_t per_class = scaled(3000, scale);
    for (uint32_t c = 0; c < 32; c++)
        for (uint32_t i = 0; i < per_class; i++)
            script_malloc(s, c * 16 + pab_test_rng_range(&s->rng, 1, 16));
    script_checkpoint(s);
    free_down_to(s, s->nlive / 2);
    for (uint32_t i = 0; i < 16 * per_class; i++)
        script_realloc(s, script_random_live(s), pab_test_rng_range(&s->rng, 1, 512));
    script_checkpoint(s);
    script_free_all(s);
}

/* A big heap freed in random order with a trickle of new blocks. */
static void random_order_frees(script *s, unsigned scale)
{
    fill_to(s, scaled(150000, scale));
    uint32_t step = 0;
    while (s->nlive > 1000) {
        script_free(s, script_random_live(s));
        if (++step % 4 == 0)
            script_malloc(s, small_size(&s->rng));
        if (step % 20000 == 0)
            script_checkpoint(s);
    }
    script_free_all(s);
}

/* Requests around the 512-byte threshold, of 0 bytes, and reallocs across it both ways. */
static void system_crossing(script *s, unsigned scale)
{
    static const uint32_t edges[] = {0, 1, 496, 511, 512, 513, 528, 1024, 2048};
    uint32_t n = scaled(20000, scale);
    for (uint32_t i = 1; i <= n; i++) {
        uint32_t size = edges[pab_test_rng_below(&s->rng, sizeof edges / sizeof *edges)];
        uint32_t p = pab_test_rng_below(&s->rng, 100);
        if (!s->nlive || p < 40)
            script_malloc(s, size);
        else if (p < 65)
            script_free(s, script_random_live(s));
        else
            script_realloc(s, script_random_live(s), size ? size : 1);
        if (i % (n / 4 + 1) == 0)
            script_checkpoint(s);
    }
    script_free_all(s);
}

/* Just over and just under one arena of 16-byte blocks, freed each time: the kept empty arena. */
static void arena_churn(script *s, unsigned scale)
{
    (void)scale;
    static const uint32_t rounds[] = {66000, 60000, 66000, 130000, 1, 66000};
    for (size_t r = 0; r < sizeof rounds / sizeof *rounds; r++) {
        while (s->nlive < rounds[r])
            script_malloc(s, 16);
        script_checkpoint(s);
        while (s->nlive)
            script_free(s, s->live[s->nlive - 1]);
        script_checkpoint(s);
    }
}

const sequence sequences[] = {
    {"small_mix", small_mix},
    {"grow_free_regrow", grow_free_regrow},
    {"realloc_heavy", realloc_heavy},
    {"one_class", one_class},
    {"every_class", every_class},
    {"random_order_frees", random_order_frees},
    {"system_crossing", system_crossing},
    {"arena_churn", arena_churn},
};
const int nsequences = sizeof sequences / sizeof *sequences;
