/* elf_symbols.c: see elf_symbols.h. */
#include "elf_symbols.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* n bytes at offset into a new buffer, or NULL when the file is shorter. */
static void *read_at(int fd, uint64_t offset, uint64_t n, uint64_t file_size)
{
    if (offset > file_size || n > file_size - offset || n > SIZE_MAX - 1)
        return NULL;
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        return NULL;
    if (pread(fd, buf, (size_t)n, (off_t)offset) != (ssize_t)n) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0'; /* so a string table always ends */
    return buf;
}

static const Elf64_Shdr *find_section(const Elf64_Shdr *sections, unsigned n, uint32_t type)
{
    for (unsigned i = 0; i < n; i++)
        if (sections[i].sh_type == type)
            return &sections[i];
    return NULL;
}

static bool header_ok(const Elf64_Ehdr *h)
{
    return memcmp(h->e_ident, ELFMAG, SELFMAG) == 0 && h->e_ident[EI_CLASS] == ELFCLASS64 &&
           h->e_ident[EI_DATA] == ELFDATA2LSB && h->e_type == ET_DYN &&
           h->e_shentsize == sizeof(Elf64_Shdr) && h->e_shnum > 0;
}

static int collect_symbols(pab_elf *out, const Elf64_Sym *symbols, size_t n)
{
    out->defined = calloc(n ? n : 1, sizeof *out->defined);
    if (!out->defined)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned bind = ELF64_ST_BIND(symbols[i].st_info);
        if (symbols[i].st_shndx != SHN_UNDEF && symbols[i].st_name < out->names_size &&
            (bind == STB_GLOBAL || bind == STB_WEAK))
            out->defined[out->ndefined++] = symbols[i].st_name;
    }
    return 0;
}

static void find_soname(pab_elf *out, const Elf64_Dyn *dynamic, size_t n)
{
    for (size_t i = 0; i < n && dynamic[i].d_tag != DT_NULL; i++)
        if (dynamic[i].d_tag == DT_SONAME && dynamic[i].d_un.d_val < out->names_size)
            out->soname = out->names + dynamic[i].d_un.d_val;
}

static int read_tables(int fd, uint64_t size, pab_elf *out, const char **why)
{
    Elf64_Ehdr h;
    if (pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h || !header_ok(&h))
        return *why = "not a 64-bit little-endian ELF shared library", -1;
    Elf64_Shdr *sections = read_at(fd, h.e_shoff, (uint64_t)h.e_shnum * sizeof *sections, size);
    if (!sections)
        return *why = "truncated (its section headers lie past its end)", -1;
    int rc = -1;
    const Elf64_Shdr *dynsym = find_section(sections, h.e_shnum, SHT_DYNSYM);
    const Elf64_Shdr *dynamic = find_section(sections, h.e_shnum, SHT_DYNAMIC);
    Elf64_Sym *symbols = NULL;
    Elf64_Dyn *entries = NULL;
    if (!dynsym || dynsym->sh_link >= h.e_shnum || dynsym->sh_entsize != sizeof *symbols) {
        *why = "has no dynamic symbol table";
        goto done;
    }
    const Elf64_Shdr *strtab = &sections[dynsym->sh_link];
    out->names = read_at(fd, strtab->sh_offset, strtab->sh_size, size);
    out->names_size = strtab->sh_size;
    symbols = read_at(fd, dynsym->sh_offset, dynsym->sh_size, size);
    if (dynamic)
        entries = read_at(fd, dynamic->sh_offset, dynamic->sh_size, size);
    if (!out->names || !symbols || (dynamic && !entries)) {
        *why = "truncated (its symbol tables lie past its end)";
        goto done;
    }
    if (collect_symbols(out, symbols, dynsym->sh_size / sizeof *symbols) != 0) {
        *why = "out of memory";
        goto done;
    }
    if (entries && dynamic->sh_link == dynsym->sh_link)
        find_soname(out, entries, dynamic->sh_size / sizeof *entries);
    rc = 0;
done:
    free(sections);
    free(symbols);
    free(entries);
    return rc;
}

int pab_elf_read(const char *path, pab_elf *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", path, fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    const char *why = NULL;
    int rc = read_tables(fd, (uint64_t)st.st_size, out, &why);
    close(fd);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        pab_elf_free(out);
    }
    return rc;
}

void pab_elf_free(pab_elf *e)
{
    free(e->names);
    free(e->defined);
    memset(e, 0, sizeof *e);
}

bool pab_elf_defines(const pab_elf *e, const char *name, bool prefix)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < e->ndefined; i++) {
        const char *s = e->names + e->defined[i];
        if (prefix ? strncmp(s, name, len) == 0 : strcmp(s, name) == 0)
            return true;
    }
    return false;
}
