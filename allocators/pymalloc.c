/*
 * pymalloc: the suite's reimplementation of CPython's obmalloc
 * (allocators/pymalloc/), and its variants, pymalloc:KEY=VALUE[:KEY=VALUE...]:
 *
 *   arena=SIZE      arena size, a power of two (CPython: 1m)
 *   pool=SIZE       pool size, a power of two (16k)
 *   align=8|16      block alignment and class spacing (16)
 *   threshold=N     largest request served from pools (512)
 *   release=keep-one|eager|never   what happens to a wholly free arena (keep-one)
 *   order=fullest|fifo             which usable arena gives the next pool (fullest)
 *
 * The first four are compiled in: each geometry is its own copy of the
 * sources (pymalloc/variants.h lists them), so no variant's fast path reads
 * a size from memory and the default's is untouched. release and order are
 * runtime flags of every copy, read only when a pool is taken or emptied.
 * A variant's label names, in the order above, the keys away from CPython's
 * choice: pymalloc:pool=4k:arena=4m:order=fullest is pymalloc:arena=4m:pool=4k.
 */
#include "allocator.h"
#include "pymalloc/pymalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PYM_GEOMETRY(arena_bits, pool_bits, shift, threshold) \
    extern const pymalloc_build PYM_VARIANT_SUFFIXED(pymalloc_this_build, arena_bits, pool_bits, shift, threshold);
#include "pymalloc/variants.h"
#undef PYM_GEOMETRY

/* Every geometry built, CPython's first. */
static const pymalloc_build *const pab_pymalloc_builds[] = {
    &pymalloc_this_build,
#define PYM_GEOMETRY(arena_bits, pool_bits, shift, threshold) \
    &PYM_VARIANT_SUFFIXED(pymalloc_this_build, arena_bits, pool_bits, shift, threshold),
#include "pymalloc/variants.h"
#undef PYM_GEOMETRY
    NULL,
};

typedef enum pab_pym_key { KEY_ARENA, KEY_POOL, KEY_ALIGN, KEY_THRESHOLD, KEY_RELEASE, KEY_ORDER, NKEYS } pab_pym_key;

static const char *const key_names[NKEYS] = {"arena", "pool", "align", "threshold", "release", "order"};
static const char *const release_names[] = {"keep-one", "eager", "never", NULL};
static const char *const order_names[] = {"fullest", "fifo", NULL};

/* A variant's settings, one per key: arena and pool in bits, align and
 * threshold in bytes, release and order as their enums. */
typedef struct pab_pym_settings {
    unsigned value[NKEYS];
} pab_pym_settings;

/* What an instance's init needs: its copy and its flags. */
typedef struct pab_pym_variant {
    const pymalloc_build *build;
    pymalloc_release release;
    pymalloc_order order;
} pab_pym_variant;

static pab_pym_settings settings_of(const pymalloc_build *b)
{
    return (pab_pym_settings){{b->arena_bits, b->pool_bits, b->alignment, b->threshold,
                               PYMALLOC_RELEASE_KEEP_ONE, PYMALLOC_ORDER_FULLEST}};
}

static const pymalloc_build *build_of(const pab_allocator *self)
{
    const pab_pym_variant *v = self->variant;
    return v ? v->build : &pymalloc_this_build;
}

static void pab_pymalloc_stats(const pab_allocator *self, pab_stats *out)
{
    const pymalloc_build *b = build_of(self);
    pymalloc_stats s;
    b->get_stats(&s);
    pab_stats_clear(out);
    out->in_use_bytes = (double)s.blocks_allocated_bytes;
    out->mapped_bytes = (double)s.arenas_current * (double)((size_t)1 << b->arena_bits);
    pab_stats_add(out, "arenas_allocated_total", (double)s.arenas_allocated_total);
    pab_stats_add(out, "arenas_reclaimed", (double)s.arenas_reclaimed);
    pab_stats_add(out, "arenas_highwater", (double)s.arenas_highwater);
    pab_stats_add(out, "arenas_current", (double)s.arenas_current);
    pab_stats_add(out, "pools_used", (double)s.pools_used);
    pab_stats_add(out, "pools_free", (double)s.pools_free);
    pab_stats_add(out, "blocks_available_bytes", (double)s.blocks_available_bytes);
    /* The same names as cpython's counters, so stats.csv compares the two. */
    pab_stats_add(out, "pool_header_bytes", (double)s.pool_header_bytes);
    pab_stats_add(out, "quantization_bytes", (double)s.quantization_bytes);
    pab_stats_add(out, "arena_alignment_bytes", (double)s.arena_alignment_bytes);
    pab_stats_add(out, "radix_nodes_mid", (double)s.radix_nodes_mid);
    pab_stats_add(out, "radix_nodes_bottom", (double)s.radix_nodes_bottom);
}

static const char *pab_pymalloc_version(const pab_allocator *self)
{
    static char text[160];
    const char *params = strchr(self->name, PAB_VARIANT_SEPARATOR);
    snprintf(text, sizeof text, "pyallocbench reimplementation of CPython 3.11/3.12 obmalloc%s%s",
             params ? ", " : "", params ? params + 1 : "");
    return text;
}

static const char *pab_pymalloc_variant_init(pab_allocator *self)
{
    const pab_pym_variant *v = self->variant;
    if (!v->build->set_policy(v->release, v->order))
        return "pymalloc's release and order cannot change once it holds arenas";
    return NULL;
}

/* ---- parsing a variant ---- */

/* "256k", "1m", "16": bytes, or 0 when it is not a number of those. */
static size_t parse_bytes(const char *text)
{
    char *end;
    if (*text < '0' || *text > '9')
        return 0;
    unsigned long long n = strtoull(text, &end, 10);
    unsigned shift = *end == 'k' ? 10 : *end == 'm' ? 20 : 0;
    if (shift)
        end++;
    if (*end || n == 0 || n > (1ull << 31) >> shift)
        return 0;
    return (size_t)(n << shift);
}

/* log2 of a power of two from `lo` to `hi` bits, or 0. */
static unsigned power_of_two_bits(size_t n, unsigned lo, unsigned hi)
{
    for (unsigned bits = lo; bits <= hi; bits++)
        if (n == (size_t)1 << bits)
            return bits;
    return 0;
}

static unsigned name_index(const char *const *names, const char *text)
{
    unsigned i = 0;
    while (names[i] && strcmp(names[i], text) != 0)
        i++;
    return i;
}

/* The value of one key into s, or false when it is not one the key takes. */
static bool parse_value(pab_pym_key key, const char *text, pab_pym_settings *s)
{
    size_t n = parse_bytes(text);
    unsigned *v = &s->value[key];
    switch (key) {
    case KEY_ARENA:
        return (*v = power_of_two_bits(n, 16, 30)) != 0;
    case KEY_POOL:
        return (*v = power_of_two_bits(n, 12, 28)) != 0;
    case KEY_ALIGN:
        return (*v = (unsigned)n) == 8 || n == 16;
    case KEY_THRESHOLD:
        return (*v = (unsigned)n) != 0;
    case KEY_RELEASE:
        return release_names[*v = name_index(release_names, text)] != NULL;
    default:
        return order_names[*v = name_index(order_names, text)] != NULL;
    }
}

/* A key's value as a label writes it: sizes in k or m. */
static void print_value(pab_pym_key key, unsigned v, char *out, size_t len)
{
    if (key == KEY_ARENA || key == KEY_POOL)
        snprintf(out, len, v >= 20 ? "%um" : "%uk", 1u << (v >= 20 ? v - 20 : v - 10));
    else if (key == KEY_RELEASE)
        snprintf(out, len, "%s", release_names[v]);
    else if (key == KEY_ORDER)
        snprintf(out, len, "%s", order_names[v]);
    else
        snprintf(out, len, "%u", v);
}

/* "pymalloc" and the keys of s away from the default, in key order; with
 * `all`, every key. */
static void label_of(const pab_pym_settings *s, bool all, char *out, size_t len)
{
    pab_pym_settings def = settings_of(&pymalloc_this_build);
    size_t used = (size_t)snprintf(out, len, "pymalloc");
    for (int k = 0; k < NKEYS && used < len; k++)
        if (all || s->value[k] != def.value[k]) {
            char value[32];
            print_value((pab_pym_key)k, s->value[k], value, sizeof value);
            used += (size_t)snprintf(out + used, len - used, "%c%s=%s", PAB_VARIANT_SEPARATOR, key_names[k], value);
        }
}

/* The geometries built, as labels' parameters: "arena=256k, pool=4k, ...". */
static void list_builds(char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (const pymalloc_build *const *b = pab_pymalloc_builds + 1; *b && used < len; b++) {
        char label[128];
        pab_pym_settings s = settings_of(*b);
        label_of(&s, false, label, sizeof label);
        used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "", label + strlen("pymalloc:"));
    }
}

static const pymalloc_build *find_build(const pab_pym_settings *s)
{
    for (const pymalloc_build *const *b = pab_pymalloc_builds; *b; b++)
        if ((*b)->arena_bits == s->value[KEY_ARENA] && (*b)->pool_bits == s->value[KEY_POOL] &&
            (*b)->alignment == s->value[KEY_ALIGN] && (*b)->threshold == s->value[KEY_THRESHOLD])
            return *b;
    return NULL;
}

/* One KEY=VALUE into s; seen[] catches a key given twice. */
static bool take_param(const char *param, pab_pym_settings *s, bool *seen, char *why, size_t len)
{
    const char *eq = strchr(param, '=');
    size_t key_len = eq ? (size_t)(eq - param) : strlen(param);
    int k = 0;
    while (k < NKEYS && (strlen(key_names[k]) != key_len || strncmp(key_names[k], param, key_len) != 0))
        k++;
    if (k == NKEYS) {
        snprintf(why, len, "unknown key '%.*s'; keys: arena, pool, align, threshold, release, order",
                 (int)key_len, param);
        return false;
    }
    if (!eq || seen[k] || !parse_value((pab_pym_key)k, eq + 1, s)) {
        static const char *const takes[NKEYS] = {
            "a power of two from 64k to 1g", "a power of two from 4k", "8 or 16", "a number of bytes",
            "keep-one, eager or never", "fullest or fifo"};
        snprintf(why, len, seen[k] ? "%s is given twice" : "%s takes %s", key_names[k], takes[k]);
        return false;
    }
    seen[k] = true;
    return true;
}

/* Why the geometry of s cannot work, or NULL. */
static const char *impossible(const pab_pym_settings *s, char *why, size_t len)
{
    unsigned arena = s->value[KEY_ARENA], pool = s->value[KEY_POOL], threshold = s->value[KEY_THRESHOLD];
    if (threshold % s->value[KEY_ALIGN] != 0)
        snprintf(why, len, "threshold=%u is not a multiple of align=%u", threshold, s->value[KEY_ALIGN]);
    else if (PYMALLOC_GEOMETRY_FITS(arena, pool, threshold))
        return NULL;
    else if (pool + 2 > arena)
        snprintf(why, len, "an arena holds at least %u pools: pool=%zuk is more than a quarter of arena=%zuk",
                 PYMALLOC_MIN_POOLS_PER_ARENA, ((size_t)1 << pool) >> 10, ((size_t)1 << arena) >> 10);
    else
        snprintf(why, len, "threshold=%u does not fit in a pool of %zuk (%zu bytes after its header)", threshold,
                 ((size_t)1 << pool) >> 10, ((size_t)1 << pool) - PYMALLOC_POOL_HEADER_BYTES);
    return why;
}

/* The settings and build of PARAMS, or NULL with why in err. */
static const pymalloc_build *parse_variant(const char *params, pab_pym_settings *s, char *why, size_t len)
{
    bool seen[NKEYS] = {0};
    char copy[256];
    *s = settings_of(&pymalloc_this_build);
    if (snprintf(copy, sizeof copy, "%s", params) >= (int)sizeof copy) {
        snprintf(why, len, "too long");
        return NULL;
    }
    for (char *save = copy, *param; (param = strsep(&save, ":")) != NULL;)
        if (!take_param(param, s, seen, why, len))
            return NULL;
    if (impossible(s, why, len))
        return NULL;
    const pymalloc_build *b = find_build(s);
    if (!b) {
        char built[512];
        list_builds(built, sizeof built);
        snprintf(why, len, "that geometry is not built; built: %s, each with any release and order "
                           "(allocators/pymalloc/variants.h)", built);
    }
    return b;
}

static pab_allocator *pab_pymalloc_make_variant(const pab_allocator *kind, const char *params, char *err,
                                                size_t errlen)
{
    pab_pym_settings s;
    char why[768], label[128], spec[320];
    snprintf(spec, sizeof spec, "%s%c%s", kind->name, PAB_VARIANT_SEPARATOR, params);
    const pymalloc_build *b = parse_variant(params, &s, why, sizeof why);
    if (b) /* s holds only valid values once parsed */
        label_of(&s, false, label, sizeof label);
    if (b && strcmp(label, kind->name) == 0) {
        snprintf(why, sizeof why, "every key is CPython's choice: that is plain %s", kind->name);
        b = NULL;
    }
    if (!b) {
        snprintf(err, errlen, "allocator '%s': %s", spec, why);
        return NULL;
    }
    pab_allocator *a = malloc(sizeof *a);
    pab_pym_variant *v = malloc(sizeof *v);
    char *name = strdup(label), *description = malloc(256);
    if (!a || !v || !name || !description) {
        free(a);
        free(v);
        free(name);
        free(description);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *v = (pab_pym_variant){b, (pymalloc_release)s.value[KEY_RELEASE], (pymalloc_order)s.value[KEY_ORDER]};
    label_of(&s, true, description, 256);
    *a = *kind;
    a->name = a->owned_name = name;
    a->description = a->owned_description = description;
    a->pythonmalloc = NULL; /* no real CPython has these sizes or flags */
    a->alignment = b->alignment;
    a->make_variant = NULL;
    a->variants = NULL;
    a->init = pab_pymalloc_variant_init;
    a->malloc = b->malloc;
    a->realloc = b->realloc;
    a->free = b->free;
    a->variant = v;
    return a;
}

/* Every geometry built and each flag's other values, with the rest CPython's. */
static const char *const *pab_pymalloc_variants(void)
{
    enum { NBUILDS = sizeof pab_pymalloc_builds / sizeof pab_pymalloc_builds[0] - 1 };
    static char labels[NBUILDS + 3][128];
    static const char *specs[NBUILDS + 3];
    if (specs[0])
        return specs;
    size_t n = 0;
    pab_pym_settings s = settings_of(&pymalloc_this_build);
    for (unsigned v = 1; release_names[v]; v++, n++) {
        s.value[KEY_RELEASE] = v;
        label_of(&s, false, labels[n], sizeof labels[n]);
    }
    s.value[KEY_RELEASE] = PYMALLOC_RELEASE_KEEP_ONE;
    s.value[KEY_ORDER] = PYMALLOC_ORDER_FIFO;
    label_of(&s, false, labels[n], sizeof labels[n]);
    n++;
    for (const pymalloc_build *const *b = pab_pymalloc_builds + 1; *b; b++, n++) {
        s = settings_of(*b);
        label_of(&s, false, labels[n], sizeof labels[n]);
    }
    for (size_t i = 0; i < n; i++)
        specs[i] = labels[i];
    return specs;
}

const pab_allocator pab_pymalloc = {
    .name = "pymalloc",
    .pythonmalloc = "",
    .description = "this suite's reimplementation of CPython's obmalloc",
    .make_variant = pab_pymalloc_make_variant,
    .variants = pab_pymalloc_variants,
    .malloc = pymalloc_malloc,
    .realloc = pymalloc_realloc,
    .free = pymalloc_free,
    .raw_malloc = malloc,
    .raw_realloc = realloc,
    .raw_free = free,
    .stats = pab_pymalloc_stats,
    .version = pab_pymalloc_version,
};
