/*
 * pab_block_pattern.h: fills a block with bytes that only that block (its id
 * and size) produces, and checks them. Two live blocks that overlap, a block
 * the allocator scribbles on (a free-list link written into a live block) or
 * a realloc that loses data all show up as a byte that does not match.
 * Words are written with memcpy so any alignment and size work.
 */
#ifndef PAB_BLOCK_PATTERN_H
#define PAB_BLOCK_PATTERN_H

#include "pab_test_rng.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t pab_pattern_key(uint64_t id, size_t size)
{
    uint64_t state = id ^ ((uint64_t)size << 40);
    return pab_test_splitmix64(&state);
}

/* Word k of the pattern; odd step so no two words of one block repeat. */
static inline uint64_t pab_pattern_word(uint64_t key, size_t k)
{
    return key + (uint64_t)k * 0xD1B54A32D192ED03u;
}

static inline void pab_pattern_fill(void *block, uint64_t id, size_t size)
{
    unsigned char *p = block;
    uint64_t key = pab_pattern_key(id, size);
    size_t k = 0;
    for (; (k + 1) * 8 <= size; k++) {
        uint64_t w = pab_pattern_word(key, k);
        memcpy(p + k * 8, &w, 8);
    }
    uint64_t w = pab_pattern_word(key, k);
    memcpy(p + k * 8, &w, size - k * 8);
}

/*
 * Checks the first `len` bytes of a block filled for (id, size), len <= size.
 * Returns the offset of the first wrong byte, or SIZE_MAX when all match.
 */
static inline size_t pab_pattern_check(const void *block, uint64_t id, size_t size, size_t len)
{
    const unsigned char *p = block;
    uint64_t key = pab_pattern_key(id, size);
    for (size_t k = 0; k * 8 < len; k++) {
        uint64_t want = pab_pattern_word(key, k);
        size_t n = len - k * 8 < 8 ? len - k * 8 : 8;
        if (memcmp(p + k * 8, &want, n) == 0)
            continue;
        const unsigned char *want_bytes = (const unsigned char *)&want;
        size_t i = 0;
        while (p[k * 8 + i] == want_bytes[i])
            i++;
        return k * 8 + i;
    }
    return SIZE_MAX;
}

/* The byte the pattern puts at `offset`, for error messages. */
static inline unsigned char pab_pattern_byte(uint64_t id, size_t size, size_t offset)
{
    uint64_t w = pab_pattern_word(pab_pattern_key(id, size), offset / 8);
    unsigned char bytes[8];
    memcpy(bytes, &w, 8);
    return bytes[offset % 8];
}

#endif
