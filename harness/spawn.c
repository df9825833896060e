/* spawn.c: fork/exec with time and memory limits; see spawn.h for the signal scheme. */
#include "spawn.h"
#include "files.h"
#include "rss.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sigset_t pab_waited_signals;
static sigset_t pab_original_mask;
static int pab_interrupt_signal;

void pab_spawn_init(void)
{
    sigemptyset(&pab_waited_signals);
    sigaddset(&pab_waited_signals, SIGCHLD);
    sigaddset(&pab_waited_signals, SIGINT);
    sigaddset(&pab_waited_signals, SIGTERM);
    sigaddset(&pab_waited_signals, SIGHUP);
    sigprocmask(SIG_BLOCK, &pab_waited_signals, &pab_original_mask);
}

static bool is_interrupt(int sig) { return sig == SIGINT || sig == SIGTERM || sig == SIGHUP; }

int pab_interrupted(void)
{
    sigset_t pending;
    if (!pab_interrupt_signal && sigpending(&pending) == 0) {
        static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            if (sigismember(&pending, sigs[i]))
                pab_interrupt_signal = sigs[i];
    }
    return pab_interrupt_signal;
}

static void redirect(int fd, int target)
{
    if (fd >= 0) {
        dup2(fd, target);
        return;
    }
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, target);
        close(null);
    }
}

/* The child dies with us (see contract.h's PAB_RUN_PID_ENV for wrappers);
 * a parent that died before the signal was set is seen by getppid. */
static _Noreturn void become_child(char *const argv[], char *const envp[], int out_fd, int err_fd,
                                   pid_t parent)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(127);
    setpgid(0, 0);
    redirect(-1, STDIN_FILENO);
    redirect(out_fd, STDOUT_FILENO);
    redirect(err_fd, STDERR_FILENO);
    sigprocmask(SIG_SETMASK, &pab_original_mask, NULL);
    execve(argv[0], argv, envp);
    dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Also kills what the child started, so nothing of it runs into the next pair. */
static void kill_group(pid_t pid) { kill(-pid, SIGKILL); }

static bool has_exited(pid_t pid)
{
    siginfo_t info;
    info.si_pid = 0;
    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

static pab_end reaped(int status, struct rusage usage)
{
    if (WIFSIGNALED(status))
        return (pab_end){PAB_END_SIGNALED, WTERMSIG(status), usage};
    return (pab_end){PAB_END_EXITED, WEXITSTATUS(status), usage};
}

static pab_end stop_child(pid_t pid, pab_end_kind why)
{
    int status;
    kill_group(pid);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return (pab_end){.kind = why, .code = SIGKILL};
}

/* The child's resident memory now, or -1 when it cannot be read. */
static int64_t rss_of(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
    return pab_rss_of_statm(path);
}

pab_end pab_spawn_wait(char *const argv[], char *const envp[], int out_fd, int err_fd, pab_limits limits)
{
    if (pab_interrupted())
        return (pab_end){.kind = PAB_END_INTERRUPTED, .code = 0};
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return (pab_end){.kind = PAB_END_NOT_STARTED, .code = errno};
    if (pid == 0)
        become_child(argv, envp, out_fd, err_fd, parent);
    setpgid(pid, pid); /* as the child does, so a kill can't come before it */
    double deadline = pab_now_s() + limits.seconds;
    for (;;) {
        if (has_exited(pid)) {
            int status;
            struct rusage usage;
            kill_group(pid); /* while the zombie holds the id, so it can't be reused */
            wait4(pid, &status, 0, &usage);
            return reaped(status, usage);
        }
        double left = deadline - pab_now_s();
        if (left <= 0)
            return stop_child(pid, PAB_END_TIMED_OUT);
        /* An unreadable size would switch the memory limit off: the child
         * is stopped unless it has just exited. */
        int64_t rss = rss_of(pid);
        if (rss < 0 && !has_exited(pid))
            return stop_child(pid, PAB_END_UNWATCHABLE);
        if (rss > (int64_t)limits.rss_bytes)
            return stop_child(pid, PAB_END_TOO_BIG);
        double nap = left < PAB_SPAWN_POLL_S ? left : PAB_SPAWN_POLL_S;
        struct timespec wait = {(time_t)nap, (long)((nap - (double)(time_t)nap) * 1e9)};
        int sig = sigtimedwait(&pab_waited_signals, NULL, &wait);
        if (is_interrupt(sig)) {
            pab_interrupt_signal = sig;
            return stop_child(pid, PAB_END_INTERRUPTED);
        }
    }
}
