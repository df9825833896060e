/*
 * spawn.h: starts one program and waits for it with a time limit and a
 * limit on its resident memory (a runaway child must not push the machine
 * into the OOM killer, which would take others' processes with it).
 *
 * The parent keeps SIGINT, SIGTERM, SIGHUP and SIGCHLD blocked and takes
 * them with sigtimedwait, so the wait for a child, its time limit and an
 * interruption by the user are one loop, with no signal handler and no
 * race between them. Each child runs in a process group of its own, so a
 * kill reaches whatever it started too.
 */
#ifndef PAB_SPAWN_H
#define PAB_SPAWN_H

#include <sys/resource.h>

typedef enum pab_end_kind {
    PAB_END_EXITED,      /* code = exit status */
    PAB_END_SIGNALED,    /* code = signal number */
    PAB_END_TIMED_OUT,   /* killed with SIGKILL at the time limit */
    PAB_END_TOO_BIG,     /* killed with SIGKILL past the memory limit */
    PAB_END_UNWATCHABLE, /* killed with SIGKILL: its memory could not be read */
    PAB_END_INTERRUPTED, /* the user interrupted us; the child was killed */
    PAB_END_NOT_STARTED, /* code = errno of fork */
} pab_end_kind;

typedef struct pab_end {
    pab_end_kind kind;
    int code;
    struct rusage usage; /* EXITED and SIGNALED: the child's, from wait4 */
} pab_end;

/* Blocks the signals above for the rest of the process's life. */
void pab_spawn_init(void);

typedef struct pab_limits {
    double seconds;
    unsigned long long rss_bytes; /* looked at every PAB_SPAWN_POLL_S */
} pab_limits;

#define PAB_SPAWN_POLL_S 0.05

/* Runs argv[0] (a path) with envp; stdout/stderr go to the given fds, or
 * /dev/null when -1; stdin is /dev/null. */
pab_end pab_spawn_wait(char *const argv[], char *const envp[], int out_fd, int err_fd, pab_limits limits);

/* The SIGINT, SIGTERM or SIGHUP that has arrived, or 0 (does not wait). */
int pab_interrupted(void);

#endif
