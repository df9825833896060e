/*
 * fuzz_pymalloc: libFuzzer target reading its input as alloc/realloc/free
 * operations on 64 slots of our pymalloc. Every block is filled with a
 * pattern of its (id, size) and checked in full before it is freed or
 * reallocated, and its kept prefix after a realloc; any mismatch, a
 * misaligned or NULL block, or a non-zero in-use count once every block is
 * freed aborts (which libFuzzer reports as a crash with the input saved).
 * Built once per geometry (compiled with a variant's definitions, the names
 * it calls are that copy's: names.h).
 *
 * Input: 3 bytes per operation.
 *   byte 0: bits 7-6 the operation (0 and 3 malloc, 1 realloc, 2 free), bits 5-0 the slot
 *   bytes 1-2: the size; if byte 1's top two bits are clear, 0..2047 (the
 *              system allocator's range), otherwise 0..512 (pymalloc's)
 */
#include "pab_block_pattern.h"
#include "pymalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { FUZZ_SLOTS = 64, FUZZ_OP_BYTES = 3 };

typedef struct fuzz_block {
    unsigned char *ptr;
    uint64_t id;
    size_t size;
} fuzz_block;

static void fuzz_abort(const char *what, const fuzz_block *b)
{
    fprintf(stderr, "fuzz_pymalloc: %s (block id %llu at %p, %zu bytes)\n", what, (unsigned long long)b->id,
            (void *)b->ptr, b->size);
    abort();
}

static size_t decode_size(uint8_t hi, uint8_t lo)
{
    if (hi & 0xC0)
        return ((size_t)(hi & 1) << 8 | lo) + ((hi >> 1) & 1);
    return (size_t)(hi & 0x07) << 8 | lo;
}

static void check_pointer(const fuzz_block *b)
{
    if (!b->ptr)
        fuzz_abort("allocation returned NULL", b);
    /* The copy's own: 8 in an align=8 variant (pymalloc.h). */
    if ((uintptr_t)b->ptr % pymalloc_this_build.alignment)
        fuzz_abort("block not aligned as its build states", b);
}

static void verify(const fuzz_block *b, size_t len)
{
    if (pab_pattern_check(b->ptr, b->id, b->size, len) != SIZE_MAX)
        fuzz_abort("block contents changed", b);
}

static void release(fuzz_block *b)
{
    if (!b->ptr)
        return;
    verify(b, b->size);
    pymalloc_free(b->ptr);
    b->ptr = NULL;
}

static void fill(fuzz_block *b, unsigned char *ptr, uint64_t id, size_t size)
{
    *b = (fuzz_block){ptr, id, size};
    check_pointer(b);
    pab_pattern_fill(ptr, id, size);
}

static void resize(fuzz_block *b, uint64_t id, size_t size)
{
    if (size == 0)
        size = 1; /* realloc(p, 0) means different things to different allocators */
    if (b->ptr)
        verify(b, b->size);
    fuzz_block moved = {pymalloc_realloc(b->ptr, size), b->id, b->size};
    check_pointer(&moved);
    if (b->ptr)
        verify(&moved, size < b->size ? size : b->size);
    fill(b, moved.ptr, id, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    fuzz_block slots[FUZZ_SLOTS] = {{0}};
    uint64_t id = 0;
    for (size_t i = 0; i + FUZZ_OP_BYTES <= len; i += FUZZ_OP_BYTES, id++) {
        fuzz_block *b = &slots[data[i] & (FUZZ_SLOTS - 1)];
        size_t size = decode_size(data[i + 1], data[i + 2]);
        switch (data[i] >> 6) {
        case 1:
            resize(b, id, size);
            break;
        case 2:
            release(b);
            break;
        default:
            release(b);
            fill(b, pymalloc_malloc(size), id, size);
        }
    }
    for (int s = 0; s < FUZZ_SLOTS; s++)
        release(&slots[s]);
    pymalloc_stats st;
    pymalloc_get_stats(&st);
    if (st.blocks_allocated_bytes != 0) {
        fprintf(stderr, "fuzz_pymalloc: every block is freed but %zu bytes count as allocated\n",
                st.blocks_allocated_bytes);
        abort();
    }
    return 0;
}
