#include "rss.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads the whole (small) file into buf as a C string; its length or -1. */
static ssize_t read_proc(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t total = 0, got = 0;
    while ((size_t)total < size - 1 && (got = read(fd, buf + total, size - 1 - total)) > 0)
        total += got;
    close(fd);
    if (got < 0)
        return -1;
    buf[total] = '\0';
    return total;
}

int64_t pab_rss_current(void) { return pab_rss_of_statm("/proc/self/statm"); }

int64_t pab_rss_of_statm(const char *path)
{
    char buf[128];
    if (read_proc(path, buf, sizeof buf) < 0)
        return -1;
    /* Fields: size resident shared ...; resident is in pages. */
    char *after_size, *after_resident;
    strtoll(buf, &after_size, 10);
    long long pages = strtoll(after_size, &after_resident, 10);
    /* Both fields must parse: a missing one would read as 0 bytes resident. */
    if (after_size == buf || after_resident == after_size || pages < 0)
        return -1;
    return (int64_t)pages * sysconf(_SC_PAGESIZE);
}

int64_t pab_rss_peak(void)
{
    char buf[4096];
    if (read_proc("/proc/self/status", buf, sizeof buf) < 0)
        return -1;
    const char *line = strstr(buf, "\nVmHWM:");
    if (!line)
        return -1;
    char *end;
    long long kib = strtoll(line + strlen("\nVmHWM:"), &end, 10);
    if (end == line + strlen("\nVmHWM:") || kib < 0)
        return -1;
    return (int64_t)kib * 1024;
}

int pab_rss_reset_peak(void)
{
    /* "5" resets the peak RSS counters (proc(5), clear_refs). */
    int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t wrote = write(fd, "5", 1);
    close(fd);
    return wrote == 1 ? 0 : -1;
}
