/*
 * elf_symbols.h: what a shared library defines, read from its file (the dynamic
 * symbol table and DT_SONAME of an ELF64 little-endian object) without
 * loading it. Only what from_path.c needs to tell allocator libraries apart.
 */
#ifndef PAB_ELF_SYMBOLS_H
#define PAB_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pab_elf {
    char *names;        /* the dynamic string table (owned) */
    size_t names_size;
    unsigned *defined;  /* offsets into names of the defined symbols (owned) */
    size_t ndefined;
    const char *soname; /* into names, or NULL when the library has none */
} pab_elf;

/* 0, or -1 with one line in err (cannot open, not ELF64, no dynamic
 * symbols, truncated). */
int pab_elf_read(const char *path, pab_elf *out, char *err, size_t errlen);
void pab_elf_free(pab_elf *e);

/* Whether a defined symbol is `name`, or starts with it when prefix. */
bool pab_elf_defines(const pab_elf *e, const char *name, bool prefix);

#endif
