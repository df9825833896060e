/* rundir.c: see rundir.h. */
#include "rundir.h"

#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void pab_utc_stamp(time_t t, char *out, size_t len)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, len, "%Y%m%dT%H%M%SZ", &tm);
}

/* The nearest folder at or above path that exists, or -1 with why. */
static int check_existing_ancestor(const char *path, char *err, size_t errlen)
{
    char *p = pab_format("%s", path);
    struct stat st;
    int rc = 0;
    while (stat(p, &st) != 0) {
        if (errno != ENOENT || strcmp(p, "/") == 0 || strcmp(p, ".") == 0) {
            snprintf(err, errlen, "cannot use output folder '%s': %s: %s", path, p, strerror(errno));
            rc = -1;
            break;
        }
        char *up = pab_dir_name(p);
        free(p);
        p = up;
    }
    if (rc == 0 && !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot use output folder '%s': %s is not a folder", path, p);
        rc = -1;
    } else if (rc == 0 && access(p, W_OK | X_OK) != 0) {
        snprintf(err, errlen, "cannot write to output folder '%s': %s: %s", path, p, strerror(errno));
        rc = -1;
    }
    free(p);
    return rc;
}

int pab_rundir_check_parent(const char *parent, char *err, size_t errlen)
{
    return check_existing_ancestor(parent, err, errlen);
}

int pab_rundir_check_latest(const char *parent, char *err, size_t errlen)
{
    char *link = pab_format("%s/latest", parent);
    struct stat st;
    int rc = 0;
    if (lstat(link, &st) == 0 && !S_ISLNK(st.st_mode)) {
        snprintf(err, errlen, "%s is not the symlink this suite keeps there: move it away, it would be "
                              "replaced", link);
        rc = -1;
    }
    free(link);
    return rc;
}

/* The pid at the end of ".tmp-STAMP-PID", or 0 for a name of another shape. */
static pid_t tmp_owner(const char *name)
{
    const char *dash = strrchr(name, '-');
    char *end;
    long pid = dash ? strtol(dash + 1, &end, 10) : 0;
    return dash && *end == '\0' && pid > 0 ? (pid_t)pid : 0;
}

void pab_rundir_remove_stale(const char *parent)
{
    DIR *dir = opendir(parent);
    if (!dir)
        return;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        pid_t owner = tmp_owner(e->d_name);
        if (strncmp(e->d_name, ".tmp-", 5) != 0 || !owner || owner == getpid() || pab_process_alive(owner))
            continue;
        char *path = pab_format("%s/%s", parent, e->d_name);
        if (pab_remove_tree(path) == 0)
            fprintf(stderr, "pyallocbench: removed %s, left by a run that died\n", path);
        free(path);
    }
    closedir(dir);
}

int pab_rundir_create(pab_rundir *d, const char *parent, time_t start, char *err, size_t errlen)
{
    char stamp[32];
    pab_utc_stamp(start, stamp, sizeof stamp);
    memset(d, 0, sizeof *d);
    d->parent = pab_format("%s", parent);
    d->stamp = pab_format("%s", stamp);
    d->tmp = pab_format("%s/.tmp-%s-%ld", parent, stamp, (long)getpid());
    d->work = pab_format("%s/.work", d->tmp);
    char *gbench = pab_format("%s/gbench", d->tmp);
    int rc = pab_make_dirs(parent) == 0 && mkdir(d->tmp, 0777) == 0 && mkdir(d->work, 0777) == 0 &&
                     mkdir(gbench, 0777) == 0
                 ? 0
                 : -1;
    if (rc != 0) {
        snprintf(err, errlen, "cannot make the results folder in '%s': %s", parent, strerror(errno));
        pab_rundir_discard(d);
    }
    free(gbench);
    return rc;
}

/* Renames tmp to the first free name of stamp, stamp-2, stamp-3, ... */
static int move_into_place(pab_rundir *d)
{
    for (int n = 1; n < 1000; n++) {
        char *name = n == 1 ? pab_format("%s", d->stamp) : pab_format("%s-%d", d->stamp, n);
        char *path = pab_format("%s/%s", d->parent, name);
        free(name);
        if (renameat2(AT_FDCWD, d->tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0) {
            d->final = path;
            return 0;
        }
        free(path);
        if (errno != EEXIST && errno != ENOTEMPTY)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

int pab_rundir_point_latest(const pab_rundir *d, char *err, size_t errlen)
{
    /* Checked again: something may have been put there while we ran. */
    if (pab_rundir_check_latest(d->parent, err, errlen) != 0)
        return -1;
    const char *name = strrchr(d->final, '/') + 1;
    char *tmp_link = pab_format("%s/.latest-%ld", d->parent, (long)getpid());
    char *link = pab_format("%s/latest", d->parent);
    unlink(tmp_link);
    int rc = symlink(name, tmp_link) == 0 && rename(tmp_link, link) == 0 ? 0 : -1;
    if (rc != 0) {
        snprintf(err, errlen, "results are in %s, but %s could not point at them: %s", d->final, link,
                 strerror(errno));
        unlink(tmp_link);
    }
    free(tmp_link);
    free(link);
    return rc;
}

int pab_rundir_publish(pab_rundir *d, char *err, size_t errlen)
{
    if (pab_remove_tree(d->work) != 0 || move_into_place(d) != 0) {
        snprintf(err, errlen, "cannot move the results folder into place in '%s': %s", d->parent,
                 strerror(errno));
        return -1;
    }
    return 0;
}

void pab_rundir_discard(pab_rundir *d)
{
    if (d->tmp)
        pab_remove_tree(d->tmp);
}

void pab_rundir_free(pab_rundir *d)
{
    free(d->parent);
    free(d->stamp);
    free(d->tmp);
    free(d->work);
    free(d->final);
    memset(d, 0, sizeof *d);
}
