/*
 * fault_inject.c: the __wrap_* functions behind fault_inject.h. Linked only
 * into test_pymalloc_faults, with --wrap=mmap,--wrap=munmap,--wrap=calloc,
 * --wrap=realloc (tests/pymalloc/CMakeLists.txt).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include "fault_inject.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int __wrap_munmap(void *addr, size_t len);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *ptr, size_t size);

const char *const fault_kind_name[FAULT_KINDS] = {"mmap", "calloc", "realloc"};

#define MAX_SLOTS 64
#define MAX_LIVE 256

static struct {
    unsigned long calls[FAULT_KINDS];
    unsigned long injected[FAULT_KINDS];
    unsigned long first[FAULT_KINDS]; /* 0: not armed */
    unsigned long count[FAULT_KINDS];
    unsigned long munmaps;

    uintptr_t slots[MAX_SLOTS];
    bool slot_used[MAX_SLOTS];
    size_t nslots;
    size_t slot_size;

    uintptr_t live[MAX_LIVE];
    size_t live_len[MAX_LIVE];
    size_t nlive;
} fi;

static void fault_die(const char *what)
{
    fprintf(stderr, "fault_inject: %s\n", what);
    abort();
}

void fault_reset(void)
{
    for (int k = 0; k < FAULT_KINDS; k++)
        fi.calls[k] = fi.injected[k] = fi.first[k] = fi.count[k] = 0;
    fi.munmaps = 0;
}

void fault_arm(fault_kind kind, unsigned long first, unsigned long count)
{
    fi.first[kind] = first;
    fi.count[kind] = count;
}

void fault_disarm(void)
{
    for (int k = 0; k < FAULT_KINDS; k++)
        fi.first[k] = fi.count[k] = 0;
}

unsigned long fault_calls(fault_kind kind)
{
    return fi.calls[kind];
}

unsigned long fault_injected(fault_kind kind)
{
    return fi.injected[kind];
}

unsigned long fault_injected_total(void)
{
    unsigned long n = 0;
    for (int k = 0; k < FAULT_KINDS; k++)
        n += fi.injected[k];
    return n;
}

unsigned long fault_munmap_calls(void)
{
    return fi.munmaps;
}

void fault_place_arenas(const uintptr_t *slots, size_t nslots, size_t size)
{
    if (nslots > MAX_SLOTS)
        fault_die("too many slots");
    for (size_t i = 0; i < nslots; i++) {
        fi.slots[i] = slots[i];
        fi.slot_used[i] = false;
    }
    fi.nslots = nslots;
    fi.slot_size = size;
}

size_t fault_live_mappings(uintptr_t *out, size_t max)
{
    for (size_t i = 0; i < fi.nlive && i < max; i++)
        out[i] = fi.live[i];
    return fi.nlive;
}

/* Counts a call of `kind`; true when it is to fail. */
static bool fault_fires(fault_kind kind)
{
    unsigned long n = ++fi.calls[kind];
    if (fi.first[kind] == 0 || n < fi.first[kind] || n - fi.first[kind] >= fi.count[kind])
        return false;
    fi.injected[kind]++;
    errno = ENOMEM;
    return true;
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (fault_fires(FAULT_MMAP))
        return MAP_FAILED;
    void *p;
    if (addr == NULL && fi.nslots != 0 && len == fi.slot_size) {
        size_t i = 0;
        while (i < fi.nslots && fi.slot_used[i])
            i++;
        if (i == fi.nslots)
            fault_die("every placement slot is mapped");
        /* Over our own reservation: replaces only PROT_NONE pages we own. */
        p = __real_mmap((void *)fi.slots[i], len, prot, flags | MAP_FIXED, fd, off);
        if (p != MAP_FAILED)
            fi.slot_used[i] = true;
    } else {
        p = __real_mmap(addr, len, prot, flags, fd, off);
    }
    if (p != MAP_FAILED) {
        if (fi.nlive == MAX_LIVE)
            fault_die("too many live mappings");
        fi.live[fi.nlive] = (uintptr_t)p;
        fi.live_len[fi.nlive++] = len;
    }
    return p;
}

int __wrap_munmap(void *addr, size_t len)
{
    fi.munmaps++;
    for (size_t i = 0; i < fi.nlive; i++) {
        if (fi.live[i] != (uintptr_t)addr)
            continue;
        if (fi.live_len[i] != len)
            fault_die("munmap of a mapping with another length");
        fi.nlive--;
        fi.live[i] = fi.live[fi.nlive];
        fi.live_len[i] = fi.live_len[fi.nlive];
        break;
    }
    for (size_t i = 0; i < fi.nslots; i++) {
        if (!fi.slot_used[i] || fi.slots[i] != (uintptr_t)addr)
            continue;
        fi.slot_used[i] = false;
        /* Discards the pages and keeps the addresses reserved. */
        void *p = __real_mmap(addr, len, PROT_NONE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
        return p == MAP_FAILED ? -1 : 0;
    }
    return __real_munmap(addr, len);
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (fault_fires(FAULT_CALLOC))
        return NULL;
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
    if (fault_fires(FAULT_REALLOC))
        return NULL;
    return __real_realloc(ptr, size);
}
