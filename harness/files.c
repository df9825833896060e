/* files.c: see files.h. */
#include "files.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *pab_format(const char *fmt, ...)
{
    va_list ap;
    char *s;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fputs("pyallocbench: out of memory\n", stderr);
        exit(1);
    }
    return s;
}

static char *read_all(FILE *f)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        char *bigger = realloc(buf, cap *= 2);
        if (!bigger)
            free(buf);
        buf = bigger;
    }
    if (buf && ferror(f)) {
        free(buf);
        return NULL;
    }
    if (buf)
        buf[len] = '\0';
    return buf;
}

char *pab_read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = read_all(f);
    fclose(f);
    return text;
}

char *pab_read_fd(int fd)
{
    int copy = dup(fd);
    FILE *f = copy >= 0 ? fdopen(copy, "r") : NULL;
    if (!f) {
        if (copy >= 0)
            close(copy);
        return NULL;
    }
    rewind(f);
    char *text = read_all(f);
    fclose(f);
    return text;
}

int pab_make_dirs(const char *path)
{
    char *p = pab_format("%s", path);
    int rc = 0;
    for (char *c = p + 1; rc == 0; c++) {
        bool end = *c == '\0';
        if (*c != '/' && !end)
            continue;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            rc = -1;
        if (end)
            break;
        *c = '/';
    }
    free(p);
    return rc;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    return remove(path);
}

int pab_remove_tree(const char *path) { return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS); }

void pab_last_line(const char *text, char *out, size_t len)
{
    const char *end = text + strlen(text);
    while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
        end--;
    const char *start = end;
    while (start > text && start[-1] != '\n')
        start--;
    snprintf(out, len, "%.*s", (int)(end - start), start);
}

char *pab_dir_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return pab_format(".");
    if (slash == path)
        return pab_format("/");
    return pab_format("%.*s", (int)(slash - path), path);
}

double pab_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

char *pab_find_program(const char *name)
{
    const char *path = getenv("PATH");
    for (const char *dir = path; dir && *dir;) {
        size_t len = strcspn(dir, ":");
        char *candidate = pab_format("%.*s/%s", (int)len, dir, name);
        if (len && access(candidate, X_OK) == 0)
            return candidate;
        free(candidate);
        dir += len + (dir[len] == ':');
    }
    return NULL;
}

bool pab_process_alive(pid_t pid)
{
    if (pid <= 0 || (kill(pid, 0) != 0 && errno != EPERM))
        return false;
    /* /proc/PID/stat: "pid (comm) S ...", the state after the last ')'. */
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    char *text = pab_read_file(path);
    const char *paren = text ? strrchr(text, ')') : NULL;
    bool zombie = paren && paren[1] == ' ' && paren[2] == 'Z';
    free(text);
    return !zombie;
}
