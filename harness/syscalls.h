/*
 * syscalls.h: the memory system calls of one pass, counted where the kernel
 * sees them, so that calls made inside glibc or a preloaded library count
 * too. The series process runs under strace, and the child brackets its
 * passes with a marker system call (getppid, which no allocator makes):
 *
 *   marker  series pass on the fresh heap, with the allocator's trim  marker
 *   an untimed pass
 *   marker  one steady-state pass                                     marker
 *
 * strace counts the whole process; the markers cut out what happens around
 * the passes (loading, Google Benchmark, writing files). jemalloc purges on
 * wall-clock decay, and strace slows every system call, so its madvise
 * count here can differ from what the timed passes see.
 */
#ifndef PAB_SYSCALLS_H
#define PAB_SYSCALLS_H

#include <stdbool.h>

#define PAB_SYSCALLS(X) X(mmap) X(munmap) X(mremap) X(madvise) X(mprotect) X(brk)

typedef enum pab_syscall {
#define PAB_SYSCALL_ENUM(name) PAB_SYSCALL_##name,
    PAB_SYSCALLS(PAB_SYSCALL_ENUM)
#undef PAB_SYSCALL_ENUM
    PAB_SYSCALL_COUNT
} pab_syscall;

extern const char *const pab_syscall_name[PAB_SYSCALL_COUNT];

/* The system call the child brackets its passes with. */
#define PAB_MARKER_SYSCALL "getppid"

/* strace's -e trace= list: the counted calls and the marker. */
const char *pab_strace_trace(void);

typedef struct pab_syscall_counts {
    bool known;
    double cold[PAB_SYSCALL_COUNT], warm[PAB_SYSCALL_COUNT];
} pab_syscall_counts;

/* The child's side: one marker. */
void pab_syscall_marker(void);

/* Counts strace's output at path (strace -f -o); false when the file does
 * not hold the four markers. */
bool pab_syscalls_count(const char *path, pab_syscall_counts *out);

#endif
