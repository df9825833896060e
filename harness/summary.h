/* summary.h: the table printed on stdout at the end of a run. */
#ifndef PAB_SUMMARY_H
#define PAB_SUMMARY_H

#include "results.h"

#include <stdio.h>

void pab_summary_print(FILE *f, const pab_row *rows, size_t n);

#endif
