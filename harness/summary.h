/* summary.h: the table printed on stdout at the end of a run. */
#ifndef PAB_SUMMARY_H
#define PAB_SUMMARY_H

#include "results.h"

#include <stdbool.h>
#include <stdio.h>

/* Workload rows' columns, or with `real` a --real run's. */
void pab_summary_print(FILE *f, const pab_row *rows, size_t n, bool real);

#endif
