/* lock.c: see lock.h. */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static void say_holder(int fd, char *err, size_t errlen)
{
    char pid[32] = {0};
    ssize_t got = pread(fd, pid, sizeof pid - 1, 0);
    pid[got > 0 ? strcspn(pid, "\n") : 0] = '\0';
    snprintf(err, errlen, "another run (pid %s) is measuring on this machine (%s); runs at once "
                          "spoil each other's timings: wait for it to end",
             *pid ? pid : "unknown", PAB_LOCK_PATH);
}

/* The lock file, for every user of the machine: made writable by all when
 * we make it; where another user made it without write access for us (or
 * fs.protected_regular refuses the open), read-only still takes a flock. */
static int open_lock_file(bool *writable)
{
    /* Close-on-exec: a child must never hold the lock of a run that is gone. */
    *writable = true;
    int fd = open(PAB_LOCK_PATH, O_RDWR | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        fd = open(PAB_LOCK_PATH, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0)
            fchmod(fd, 0666);
        else if (errno == EEXIST)
            fd = open(PAB_LOCK_PATH, O_RDWR | O_CLOEXEC);
    }
    if (fd < 0 && errno == EACCES) {
        *writable = false;
        fd = open(PAB_LOCK_PATH, O_RDONLY | O_CLOEXEC);
    }
    return fd;
}

int pab_lock_machine(char *err, size_t errlen)
{
    bool writable;
    int fd = open_lock_file(&writable);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open the machine's run lock %s: %s", PAB_LOCK_PATH, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            say_holder(fd, err, errlen);
        else
            snprintf(err, errlen, "cannot lock %s: %s", PAB_LOCK_PATH, strerror(errno));
        close(fd);
        return -1;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (writable && (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n)) {
        snprintf(err, errlen, "cannot write our pid into %s: %s", PAB_LOCK_PATH, strerror(errno));
        close(fd);
        return -1;
    }
    return 0; /* fd stays open, and locked, until we exit */
}
