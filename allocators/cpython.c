/*
 * cpython: CPython's real obmalloc, from Debian's libpython3.11, the
 * reference our pymalloc is held against. PyObject_Malloc/Realloc/Free reach
 * obmalloc without the interpreter being initialised (its default allocator
 * table is static), so the interpreter is never started.
 *
 * The library is dlopen'ed at init rather than linked: linking would load
 * its 7.7 MB and relocations into every process of the suite, raising the
 * baseline of every other allocator, and a missing libpython would stop the
 * whole suite from starting instead of making this one entry unavailable.
 *
 * That leaves the addresses of PyObject_Malloc & co. known only after init,
 * yet a benchmark must pay exactly one indirect call per operation, as it
 * does for pymalloc whose entries are its functions. Static trampolines
 * calling through the resolved pointers would add an indirect jump to every
 * operation (measured here: 7.6 against 8.8 ns per malloc+free pair, at the
 * best of 15 runs). So init writes the resolved addresses into the instance,
 * and until then its malloc/realloc/free are NULL, which the interface's
 * rule "nothing before start" already covers.
 */
#include "allocator.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CPYTHON_LIBRARY "libpython3.11.so.1.0"

typedef int (*cpython_print_stats_fn)(FILE *out);
typedef const char *(*cpython_version_fn)(void);

static cpython_print_stats_fn cpython_print_stats;
static cpython_version_fn cpython_version_call;

static void *cpython_symbol(void *library, const char *name, int *missing)
{
    void *address = dlsym(library, name);
    if (!address)
        *missing = 1;
    return address;
}

/*
 * obmalloc's only report is the text of sys._debugmallocstats(), so it is
 * printed into a file and read back. The FILE is opened once, at init, with
 * a static buffer: opening one per call would put small system-malloc blocks
 * on top of the heap in the middle of a measurement, and glibc could then no
 * longer trim it (seen: 16 MiB kept after string_concat).
 */
static FILE *cpython_stats_sink;
static char cpython_stats_buffer[BUFSIZ];

static const char *cpython_open_stats_sink(void)
{
    int fd = memfd_create("cpython-debugmallocstats", MFD_CLOEXEC);
    if (fd < 0)
        return "cannot create the memfd that receives _PyObject_DebugMallocStats";
    cpython_stats_sink = fdopen(fd, "w+");
    if (!cpython_stats_sink) {
        close(fd);
        return "cannot open the memfd that receives _PyObject_DebugMallocStats";
    }
    setvbuf(cpython_stats_sink, cpython_stats_buffer, _IOFBF, sizeof cpython_stats_buffer);
    return NULL;
}

static const char *cpython_init(pab_allocator *self)
{
    static char why[512];
    void *library = dlopen(self->library, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(why, sizeof why, "cannot load %s%s", self->library,
                 strcmp(self->library, CPYTHON_LIBRARY) == 0 ? " (Debian package libpython3.11)" : "");
        return why;
    }
    int missing = 0;
    self->malloc = (void *(*)(size_t))cpython_symbol(library, "PyObject_Malloc", &missing);
    self->realloc =
        (void *(*)(void *, size_t))cpython_symbol(library, "PyObject_Realloc", &missing);
    self->free = (void (*)(void *))cpython_symbol(library, "PyObject_Free", &missing);
    cpython_print_stats =
        (cpython_print_stats_fn)cpython_symbol(library, "_PyObject_DebugMallocStats", &missing);
    cpython_version_call = (cpython_version_fn)cpython_symbol(library, "Py_GetVersion", &missing);
    if (missing) {
        snprintf(why, sizeof why, "%s lacks PyObject_Malloc, _PyObject_DebugMallocStats or Py_GetVersion",
                 self->library);
        return why;
    }
    return cpython_open_stats_sink();
}

/* The library stays loaded: its arenas hold the blocks still alive, and
 * nothing may be called after teardown anyway. */

/* "# bytes in allocated blocks   =   11,200,000": the figure after '=', commas skipped. */
static double cpython_figure(const char *after_equals)
{
    double value = 0;
    for (const char *c = after_equals; *c; c++)
        if (*c >= '0' && *c <= '9')
            value = value * 10 + (*c - '0');
    return value;
}

typedef struct cpython_label {
    const char *text;    /* how the line starts */
    const char *counter; /* our name, as pymalloc's adapter names it */
} cpython_label;

static const cpython_label cpython_labels[] = {
    {"# arenas allocated total", "arenas_allocated_total"},
    {"# arenas reclaimed", "arenas_reclaimed"},
    {"# arenas highwater mark", "arenas_highwater"},
    {"# arenas allocated current", "arenas_current"},
    {"# bytes in available blocks", "blocks_available_bytes"},
    {"# bytes lost to pool headers", "pool_header_bytes"},
    {"# bytes lost to quantization", "quantization_bytes"},
    {"# bytes lost to arena alignment", "arena_alignment_bytes"},
    {"# arena map mid nodes", "radix_nodes_mid"},
    {"# arena map bot nodes", "radix_nodes_bottom"},
};

static void cpython_parse_line(const char *line, pab_stats *out, double *pools_used)
{
    unsigned class_index, block_size;
    double pools;
    const char *equals = strchr(line, '=');
    if (!equals) {
        /* A size-class row: class, size, num pools, blocks in use, available. */
        if (sscanf(line, "%u %u %lf", &class_index, &block_size, &pools) == 3)
            *pools_used += pools;
        return;
    }
    double figure = cpython_figure(equals + 1);
    if (strncmp(line, "# bytes in allocated blocks", 27) == 0)
        out->in_use_bytes = figure;
    else if (strstr(line, " arenas * "))
        out->mapped_bytes = figure;
    else if (strstr(line, " unused pools * "))
        pab_stats_add(out, "pools_free", strtod(line, NULL));
    for (size_t i = 0; i < sizeof cpython_labels / sizeof cpython_labels[0]; i++)
        if (strncmp(line, cpython_labels[i].text, strlen(cpython_labels[i].text)) == 0)
            pab_stats_add(out, cpython_labels[i].counter, figure);
}

static void cpython_stats(const pab_allocator *self, pab_stats *out)
{
    (void)self;
    static char text[16384];
    pab_stats_clear(out);
    int fd = fileno(cpython_stats_sink);
    rewind(cpython_stats_sink);
    if (ftruncate(fd, 0) != 0 || !cpython_print_stats(cpython_stats_sink) ||
        fflush(cpython_stats_sink) != 0)
        return;
    /* One byte kept back so that a truncated report still ends in '\0'. */
    ssize_t got = pread(fd, text, sizeof text - 1, 0);
    if (got <= 0)
        return;
    text[got] = '\0';
    double pools_used = 0;
    char *save;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        cpython_parse_line(line, out, &pools_used);
    pab_stats_add(out, "pools_used", pools_used);
}

static const char *cpython_version(const pab_allocator *self)
{
    (void)self;
    static char text[128];
    snprintf(text, sizeof text, "CPython %s obmalloc", cpython_version_call());
    return text;
}

const pab_allocator pab_cpython = {
    .name = "cpython",
    .description = "CPython's own obmalloc, PyObject_Malloc from " CPYTHON_LIBRARY,
    .library = CPYTHON_LIBRARY,
    .raw_malloc = malloc,
    .raw_realloc = realloc,
    .raw_free = free,
    .init = cpython_init,
    .stats = cpython_stats,
    .version = cpython_version,
};
