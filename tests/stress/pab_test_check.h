/*
 * pab_test_check.h: the check of the C tests that count their failures and
 * go on (one line each, with where and why), rather than stopping at the
 * first; main returns pab_test_failures != 0.
 */
#ifndef PAB_TEST_CHECK_H
#define PAB_TEST_CHECK_H

#include <stdio.h>

static int pab_test_failures;

#define CHECK(cond, ...)                                                                        \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                \
            fprintf(stderr, __VA_ARGS__);                                                       \
            fputc('\n', stderr);                                                                \
            pab_test_failures++;                                                                \
        }                                                                                       \
    } while (0)

#endif
