/* syscalls.c: see syscalls.h. */
#include "syscalls.h"

#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *const pab_syscall_name[PAB_SYSCALL_COUNT] = {
#define PAB_SYSCALL_NAME(name) #name,
    PAB_SYSCALLS(PAB_SYSCALL_NAME)
#undef PAB_SYSCALL_NAME
};

const char *pab_strace_trace(void)
{
    static char list[256];
    size_t used = 0;
    for (int i = 0; i < PAB_SYSCALL_COUNT; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s,", pab_syscall_name[i]);
    snprintf(list + used, sizeof list - used, "%s", PAB_MARKER_SYSCALL);
    return list;
}

/* Straight to the kernel: no libc of any version may answer it from a cache. */
void pab_syscall_marker(void) { syscall(SYS_getppid); }

/* The system call a line of `strace -f` starts (after the pid), or NULL for
 * the second half of a call strace split ("<... mmap resumed>"). */
static const char *call_name(const char *line, size_t *len)
{
    line += strspn(line, "0123456789 ");
    if (strncmp(line, "<...", 4) == 0)
        return NULL;
    *len = strcspn(line, "(");
    return line[*len] == '(' ? line : NULL;
}

static int syscall_index(const char *name, size_t len)
{
    for (int i = 0; i < PAB_SYSCALL_COUNT; i++)
        if (strlen(pab_syscall_name[i]) == len && strncmp(pab_syscall_name[i], name, len) == 0)
            return i;
    return -1;
}

bool pab_syscalls_count(const char *path, pab_syscall_counts *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[4096];
    int markers = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len;
        const char *name = call_name(line, &len);
        if (!name)
            continue;
        if (len == strlen(PAB_MARKER_SYSCALL) && strncmp(name, PAB_MARKER_SYSCALL, len) == 0) {
            markers++;
            continue;
        }
        int i = syscall_index(name, len);
        if (i >= 0 && markers == 1)
            out->cold[i]++;
        else if (i >= 0 && markers == 3)
            out->warm[i]++;
    }
    fclose(f);
    out->known = markers == 4;
    return out->known;
}
