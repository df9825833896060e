/*
 * rundir.h: the results folder of one run. It is built as PARENT/.tmp-STAMP-PID
 * and only renamed to PARENT/STAMP (never over anything: -2, -3... on a
 * clash) once complete, then PARENT/latest is switched to it by renaming a
 * new symlink over the old one, so no reader ever sees half a folder.
 */
#ifndef PAB_RUNDIR_H
#define PAB_RUNDIR_H

#include <stddef.h>
#include <time.h>

typedef struct pab_rundir {
    char *parent;
    char *stamp; /* UTC start, e.g. 20261129T173000Z */
    char *tmp;   /* where the run is built */
    char *work;  /* tmp/.work: the children's files before they are merged */
    char *final; /* set by publish */
} pab_rundir;

/* Whether parent could be made and written, without making anything:
 * -1 with why in err. */
int pab_rundir_check_parent(const char *parent, char *err, size_t errlen);

/* Whether PARENT/latest is absent or a symlink, the only thing this suite
 * replaces: -1 with why in err. */
int pab_rundir_check_latest(const char *parent, char *err, size_t errlen);

/* Removes PARENT/.tmp-* folders whose run is no longer alive. Safe only
 * while holding the machine's run lock (lock.h): no live run is building one. */
void pab_rundir_remove_stale(const char *parent);

int pab_rundir_create(pab_rundir *d, const char *parent, time_t start, char *err, size_t errlen);
/* Removes the work folder and moves tmp into place (d->final). */
int pab_rundir_publish(pab_rundir *d, char *err, size_t errlen);
/* Points PARENT/latest at d->final. */
int pab_rundir_point_latest(const pab_rundir *d, char *err, size_t errlen);
/* Removes tmp and everything in it. */
void pab_rundir_discard(pab_rundir *d);
void pab_rundir_free(pab_rundir *d);

/* "20261129T173000Z" into out (at least 17 bytes). */
void pab_utc_stamp(time_t t, char *out, size_t len);

#endif
