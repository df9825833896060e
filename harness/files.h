/* files.h: the few file and string chores the parent shares among its parts. */
#ifndef PAB_FILES_H
#define PAB_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A new string, printf-style; exits with a message when memory runs out. */
char *pab_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The whole file (NUL-terminated; NULL with errno set on failure). */
char *pab_read_file(const char *path);
/* Everything written to fd so far, read from its start. */
char *pab_read_fd(int fd);

/* Creates path and its missing parents. */
int pab_make_dirs(const char *path);
/* Removes path and everything below it, following no symlinks. */
int pab_remove_tree(const char *path);

/* The last non-empty line of text, without its newline, in out. */
void pab_last_line(const char *text, char *out, size_t len);

/* The folder part of path (a new string). */
char *pab_dir_name(const char *path);

/* Whether process pid exists and is not a zombie (another user's counts). */
bool pab_process_alive(pid_t pid);

/* The path of an executable found in PATH (a new string), or NULL. */
char *pab_find_program(const char *name);

/* Seconds on the monotonic clock. */
double pab_now_s(void);

#endif
