/*
 * test_rss.c: pab_rss_of_statm, which the parent's memory limit reads a
 * child's /proc/PID/statm through, on fake statm files. Whatever is not
 * "size resident ..." gives -1, never 0: a size of 0 bytes would pass every
 * memory limit, so a child whose statm could not be read would run unwatched.
 */
#include "rss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;
static char dir[] = "/tmp/pab-test-rss-XXXXXX";

/* content NULL: the file does not exist. */
static void expect(const char *what, const char *content, int64_t want)
{
    char path[128];
    snprintf(path, sizeof path, "%s/statm", dir);
    if (content) {
        FILE *f = fopen(path, "w");
        if (!f || fputs(content, f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "FAIL: cannot write %s\n", path);
            exit(1);
        }
    }
    int64_t got = pab_rss_of_statm(path);
    if (got != want) {
        fprintf(stderr, "FAIL: statm %s: got %lld, want %lld\n", what, (long long)got, (long long)want);
        failures++;
    }
    unlink(path);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    const int64_t page = sysconf(_SC_PAGESIZE);

    expect("missing", NULL, -1);
    expect("empty", "", -1);
    expect("size only", "123\n", -1);
    expect("size only, no newline", "123", -1);
    expect("size and a space", "123 \n", -1);
    expect("no numbers", "abc def\n", -1);
    expect("resident not a number", "12 x 5\n", -1);
    expect("resident negative", "12 -5 3 0 0 0 0\n", -1);
    expect("whole line", "12 34 5 6 0 7 0\n", 34 * page);
    expect("two fields, no newline", "12 34", 34 * page);
    expect("nothing resident", "12 0 0 0 0 0 0\n", 0);

    /* A folder: it opens, but read fails. */
    char path[128];
    snprintf(path, sizeof path, "%s/statm", dir);
    if (mkdir(path, 0700) == 0) {
        int64_t got = pab_rss_of_statm(path);
        if (got != -1) {
            fprintf(stderr, "FAIL: statm a folder: got %lld, want -1\n", (long long)got);
            failures++;
        }
        rmdir(path);
    }

    /* And the real thing: this process has pages resident. */
    if (pab_rss_of_statm("/proc/self/statm") <= 0 || pab_rss_current() <= 0) {
        fprintf(stderr, "FAIL: /proc/self/statm gives no resident size\n");
        failures++;
    }
    rmdir(dir);
    if (failures)
        return 1;
    printf("pab_rss_of_statm: every case passed\n");
    return 0;
}
