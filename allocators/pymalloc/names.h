/*
 * names.h: every name with external linkage in pymalloc, renamed in a
 * variant's copy (CMake defines PYM_VARIANT as its suffix, _a18_p14_s4_t512
 * for arena bits, pool bits, alignment shift and threshold) so that the
 * copies of variants.h link into one program beside the default. A name
 * missing here shows as a duplicate symbol at link time.
 */
#ifndef PYMALLOC_NAMES_H
#define PYMALLOC_NAMES_H

/* The suffix of the copy built for one line of variants.h. */
#define PYM_VARIANT_SUFFIXED(name, arena_bits, pool_bits, shift, threshold) \
    name##_a##arena_bits##_p##pool_bits##_s##shift##_t##threshold

#ifdef PYM_VARIANT
#define PYM_RENAME_(name, suffix) name##suffix
#define PYM_RENAME(name, suffix) PYM_RENAME_(name, suffix)
#define pymalloc_malloc PYM_RENAME(pymalloc_malloc, PYM_VARIANT)
#define pymalloc_realloc PYM_RENAME(pymalloc_realloc, PYM_VARIANT)
#define pymalloc_free PYM_RENAME(pymalloc_free, PYM_VARIANT)
#define pymalloc_print_stats PYM_RENAME(pymalloc_print_stats, PYM_VARIANT)
#define pymalloc_get_stats PYM_RENAME(pymalloc_get_stats, PYM_VARIANT)
#define pymalloc_set_policy PYM_RENAME(pymalloc_set_policy, PYM_VARIANT)
#define pymalloc_this_build PYM_RENAME(pymalloc_this_build, PYM_VARIANT)
#define pym PYM_RENAME(pym, PYM_VARIANT)
#define pym_radix PYM_RENAME(pym_radix, PYM_VARIANT)
#define pym_radix_mid_count PYM_RENAME(pym_radix_mid_count, PYM_VARIANT)
#define pym_radix_bot_count PYM_RENAME(pym_radix_bot_count, PYM_VARIANT)
#define pym_radix_mark PYM_RENAME(pym_radix_mark, PYM_VARIANT)
#define pym_set_arena_allocator PYM_RENAME(pym_set_arena_allocator, PYM_VARIANT)
#define pym_arena_take_pool PYM_RENAME(pym_arena_take_pool, PYM_VARIANT)
#define pym_arena_return_pool PYM_RENAME(pym_arena_return_pool, PYM_VARIANT)
#endif

#endif
