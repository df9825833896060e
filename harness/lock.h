/*
 * lock.h: one measuring run per machine. Two runs at once contaminate each
 * other's timings whatever folders they write, so a run holds an exclusive
 * flock on PAB_LOCK_PATH from before its first child to its exit; the
 * kernel drops it when the process dies, however it dies. The file holds
 * the holder's pid, so a refused run can name it.
 */
#ifndef PAB_LOCK_H
#define PAB_LOCK_H

#include <stddef.h>

#define PAB_LOCK_PATH "/tmp/pyallocbench.lock"

/* Takes the lock without waiting: 0, or -1 with one line in err (naming
 * the pid that holds it). The lock lasts until the process exits. */
int pab_lock_machine(char *err, size_t errlen);

#endif
