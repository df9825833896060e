/*
 * rss.h: the process's resident set, read from /proc.
 *
 * These read with open/read into stack buffers and never call malloc, so
 * sampling during a measured pass leaves the allocator's heap as it was.
 * Each returns bytes, or -1 when /proc cannot be read.
 */
#ifndef PAB_RSS_H
#define PAB_RSS_H

#include <stdint.h>

/* Current RSS (/proc/self/statm), about 4 µs a call. */
int64_t pab_rss_current(void);

/* The resident size a statm file gives (another process's, for the
 * parent's memory limit): both leading fields must parse. */
int64_t pab_rss_of_statm(const char *path);

/* Peak RSS since the last reset (VmHWM of /proc/self/status). */
int64_t pab_rss_peak(void);

/* Starts the peak over from the current RSS; 0 or -1. */
int pab_rss_reset_peak(void);

#endif
