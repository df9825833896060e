/*
 * stats.c: the statistics of CPython's _PyObject_DebugMallocStats, gathered
 * the same way (a walk over every carved pool of every live arena, since full
 * pools are in no list) and printed line for line in its layout, so the two
 * printouts of one sequence of operations can be diffed.
 */
#include <string.h>

#include "internal.h"

typedef struct pym_census {
    size_t pools[PYM_NUM_CLASSES];
    size_t blocks_used[PYM_NUM_CLASSES];
    size_t blocks_free[PYM_NUM_CLASSES];
    size_t narenas;
    size_t free_pools;        /* empty carved pools plus never-carved ones */
    size_t arena_alignment;   /* bytes of arenas that are not pool aligned */
} pym_census;

/* Counts the carved pools of one arena; empty ones are already counted in
 * its nfreepools. */
static void pym_count_arena(const pym_arena *a, pym_census *c)
{
    c->narenas++;
    c->free_pools += a->nfreepools;
    uintptr_t base = a->address;
    if (base & PYM_POOL_MASK) {
        /* CPython charges a whole pool: the slivers before the first and
         * after the last pool boundary add up to one. */
        c->arena_alignment += PYM_POOL_SIZE;
        base = (base & ~PYM_POOL_MASK) + PYM_POOL_SIZE;
    }
    for (; base < a->pool_address; base += PYM_POOL_SIZE) {
        const pym_pool *p = (const pym_pool *)base;
        if (p->count == 0)
            continue;
        c->pools[p->szidx]++;
        c->blocks_used[p->szidx] += p->count;
        c->blocks_free[p->szidx] += pym_blocks_per_pool(p->szidx) - p->count;
    }
}

static void pym_take_census(pym_census *c)
{
    memset(c, 0, sizeof *c);
    for (uint32_t i = 0; i < pym.maxarenas; i++)
        if (pym.arenas[i].address != 0)
            pym_count_arena(&pym.arenas[i], c);
}

/* Byte totals derived from the per-class counts. */
typedef struct pym_bytes {
    size_t allocated;
    size_t available;
    size_t pool_headers;
    size_t quantization;   /* pool tails too small for one more block */
} pym_bytes;

static void pym_add_class_bytes(const pym_census *c, unsigned cls, pym_bytes *b)
{
    size_t size = pym_class_block_size(cls);
    b->allocated += c->blocks_used[cls] * size;
    b->available += c->blocks_free[cls] * size;
    b->pool_headers += c->pools[cls] * PYM_POOL_OVERHEAD;
    b->quantization += c->pools[cls] * ((PYM_POOL_SIZE - PYM_POOL_OVERHEAD) % size);
}

void pymalloc_get_stats(pymalloc_stats *out)
{
    pym_census c;
    pym_take_census(&c);
    pym_bytes b = {0};
    size_t pools_used = 0;
    for (unsigned cls = 0; cls < PYM_NUM_CLASSES; cls++) {
        pym_add_class_bytes(&c, cls, &b);
        pools_used += c.pools[cls];
    }
    *out = (pymalloc_stats){
        .arenas_allocated_total = pym.ntimes_arena_allocated,
        .arenas_reclaimed = pym.ntimes_arena_allocated - c.narenas,
        .arenas_highwater = pym.narenas_highwater,
        .arenas_current = c.narenas,
        .pools_used = pools_used,
        .pools_free = c.free_pools,
        .blocks_allocated_bytes = b.allocated,
        .blocks_available_bytes = b.available,
        .pool_header_bytes = b.pool_headers,
        .quantization_bytes = b.quantization,
        .arena_alignment_bytes = c.arena_alignment,
        .radix_nodes_mid = pym_radix_mid_count,
        .radix_nodes_bottom = pym_radix_bot_count,
    };
}

/* One "label = value" line: the label padded to 35 columns, the value with
 * thousands separators right-aligned in 21. Returns the value for totals. */
static size_t pym_print_line(FILE *out, const char *label, size_t value)
{
    char digits[32];
    char *p = digits + sizeof digits - 1;
    *p = '\0';
    size_t v = value;
    int in_group = 0;
    do {
        if (in_group == 3) {
            *--p = ',';
            in_group = 0;
        }
        *--p = (char)('0' + v % 10);
        v /= 10;
        in_group++;
    } while (v != 0);
    fprintf(out, "%-35s=%21s\n", label, p);
    return value;
}

static void pym_print_classes(FILE *out, const pym_census *c, pym_bytes *b)
{
    fputs("\nclass   size   num pools   blocks in use  avail blocks\n"
          "-----   ----   ---------   -------------  ------------\n", out);
    for (unsigned cls = 0; cls < PYM_NUM_CLASSES; cls++) {
        if (c->pools[cls] == 0)
            continue;
        fprintf(out, "%5u %6u %11zu %15zu %13zu\n", cls, pym_class_block_size(cls),
                c->pools[cls], c->blocks_used[cls], c->blocks_free[cls]);
        pym_add_class_bytes(c, cls, b);
    }
    fputc('\n', out);
}

static void pym_print_arenas(FILE *out, const pym_census *c, const pym_bytes *b)
{
    char label[128];
    pym_print_line(out, "# arenas allocated total", pym.ntimes_arena_allocated);
    pym_print_line(out, "# arenas reclaimed", pym.ntimes_arena_allocated - c->narenas);
    pym_print_line(out, "# arenas highwater mark", pym.narenas_highwater);
    pym_print_line(out, "# arenas allocated current", c->narenas);
    snprintf(label, sizeof label, "%zu arenas * %d bytes/arena", c->narenas, (int)PYM_ARENA_SIZE);
    pym_print_line(out, label, c->narenas * PYM_ARENA_SIZE);
    fputc('\n', out);

    size_t total = pym_print_line(out, "# bytes in allocated blocks", b->allocated);
    total += pym_print_line(out, "# bytes in available blocks", b->available);
    snprintf(label, sizeof label, "%zu unused pools * %d bytes", c->free_pools, (int)PYM_POOL_SIZE);
    total += pym_print_line(out, label, c->free_pools * PYM_POOL_SIZE);
    total += pym_print_line(out, "# bytes lost to pool headers", b->pool_headers);
    total += pym_print_line(out, "# bytes lost to quantization", b->quantization);
    total += pym_print_line(out, "# bytes lost to arena alignment", c->arena_alignment);
    pym_print_line(out, "Total", total);
}

static void pym_print_radix(FILE *out)
{
    fputs("\narena map counts\n", out);
    pym_print_line(out, "# arena map mid nodes", pym_radix_mid_count);
    pym_print_line(out, "# arena map bot nodes", pym_radix_bot_count);
    fputc('\n', out);
    size_t total = pym_print_line(out, "# bytes lost to arena map root", sizeof pym_radix);
    total += pym_print_line(out, "# bytes lost to arena map mid",
                           sizeof(pym_radix_mid) * pym_radix_mid_count);
    total += pym_print_line(out, "# bytes lost to arena map bot",
                           sizeof(pym_radix_bot) * pym_radix_bot_count);
    pym_print_line(out, "Total", total);
}

void pymalloc_print_stats(FILE *out)
{
    pym_census c;
    pym_take_census(&c);
    pym_bytes b = {0};
    fprintf(out, "Small block threshold = %u, in %u size classes.\n",
            PYM_SMALL_REQUEST_THRESHOLD, PYM_NUM_CLASSES);
    pym_print_classes(out, &c, &b);
    pym_print_arenas(out, &c, &b);
    pym_print_radix(out);
}
