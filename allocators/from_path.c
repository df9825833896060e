/* from_path.c: see from_path.h. */
#include "from_path.h"

#include "elf_symbols.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The version a preloaded replacement without a statistics interface gives:
 * the file it came from, which names its version where its soname does. */
static const char *preloaded_version(const pab_allocator *self)
{
    static char text[PATH_MAX + 32];
    const char *base = strrchr(self->preload, '/');
    snprintf(text, sizeof text, "%s (%s)", base ? base + 1 : self->preload, self->preload);
    return text;
}

/* Any other malloc replacement: preloaded, so libc's names reach it; no
 * statistics, no trim. */
static const pab_allocator preloaded_kind = {
    .name = "preloaded",
    .description = "a malloc replacement given by its path",
    .pythonmalloc = "malloc",
    .thread_safe = true, /* a malloc serves every thread of a process */
    .malloc = malloc,
    .realloc = realloc,
    .free = free,
    .version = preloaded_version,
};

static const pab_allocator *kind_named(const pab_allocator *const *kinds, const char *name)
{
    for (; *kinds; kinds++)
        if (strcmp((*kinds)->name, name) == 0)
            return *kinds;
    return NULL;
}

/* Whether a libpython soname is one whose PyObject_Malloc works uninitialised. */
static bool obmalloc_usable(const char *soname)
{
    return soname && (strncmp(soname, "libpython3.10.", 14) == 0 || strncmp(soname, "libpython3.11.", 14) == 0);
}

/* The kind a library is measured as (from_path.h's table), or NULL with why. */
static const pab_allocator *kind_of(const pab_elf *elf, const pab_allocator *const *kinds, const char *path,
                                    char *err, size_t errlen)
{
    static const struct {
        const char *symbol;
        bool prefix;
        const char *kind;
    } marks[] = {{"mallctl", false, "jemalloc"},
                 {"mi_process_info", false, "mimalloc"},
                 {"MallocExtension_", true, "tcmalloc"},
                 {"PyObject_Malloc", false, "cpython"}};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        if (!pab_elf_defines(elf, marks[i].symbol, marks[i].prefix))
            continue;
        if (strcmp(marks[i].kind, "cpython") == 0 && !obmalloc_usable(elf->soname)) {
            snprintf(err, errlen, "%s: obmalloc is measured from libpython 3.10 and 3.11 only (from 3.12 "
                     "PyObject_Malloc needs an initialised interpreter); this is %s", path,
                     elf->soname ? elf->soname : "a libpython without a soname");
            return NULL;
        }
        const pab_allocator *kind = kind_named(kinds, marks[i].kind);
        if (!kind)
            snprintf(err, errlen, "%s looks like %s, which this build lacks", path, marks[i].kind);
        return kind;
    }
    if (pab_elf_defines(elf, "malloc", false) && pab_elf_defines(elf, "free", false))
        return &preloaded_kind;
    snprintf(err, errlen, "%s defines no malloc and free: it cannot serve the program's allocations", path);
    return NULL;
}

static pab_allocator *instance(const pab_allocator *kind, const char *label, const char *path)
{
    pab_allocator *a = malloc(sizeof *a);
    if (!a)
        return NULL;
    *a = *kind;
    a->below = NULL;
    a->owned_name = strdup(label);
    a->owned_path = strdup(path);
    a->owned_spec = malloc(strlen(label) + strlen(path) + 2);
    a->owned_description = malloc(strlen(kind->name) + strlen(path) + 32);
    if (!a->owned_name || !a->owned_path || !a->owned_spec || !a->owned_description) {
        pab_allocator_free(a);
        return NULL;
    }
    sprintf(a->owned_spec, "%s=%s", label, path);
    sprintf(a->owned_description, "%s, measured as %s", path, kind->name);
    a->name = a->owned_name;
    a->spec = a->owned_spec;
    a->description = a->owned_description;
    /* obmalloc is dlopen'ed from the library; everything else serves malloc from LD_PRELOAD. */
    if (kind->library)
        a->library = a->owned_path;
    else
        a->preload = a->owned_path;
    return a;
}

pab_allocator *pab_from_path_make(const char *label, const char *path, const pab_allocator *const *kinds,
                                  char *err, size_t errlen)
{
    char resolved[PATH_MAX];
    if (!realpath(path, resolved)) {
        snprintf(err, errlen, "allocator '%s': cannot find %s", label, path);
        return NULL;
    }
    pab_elf elf;
    if (pab_elf_read(resolved, &elf, err, errlen) != 0)
        return NULL;
    const pab_allocator *kind = kind_of(&elf, kinds, resolved, err, errlen);
    pab_elf_free(&elf);
    if (!kind)
        return NULL;
    pab_allocator *a = instance(kind, label, resolved);
    if (!a)
        snprintf(err, errlen, "out of memory");
    return a;
}
