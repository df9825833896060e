/*
 * stats.h: the statistics a pair's figures are summarised with.
 *
 * Processes are the unit of replication (repetitions inside one process
 * share its heap layout, ASLR and the machine's phase, so they are not
 * independent samples): a pair's time is summarised from one number per
 * process, that process's median. With 3 to 10 processes the interval that
 * keeps its promised coverage is Student's t on the logarithms of those
 * medians (the noise is multiplicative), back-transformed; bootstraps over
 * so few processes cover far less than they claim. tests/stats/test_stats.c
 * checks the coverage on simulated runs whose truth is known.
 */
#ifndef PAB_STATS_H
#define PAB_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Median of v[0..n) (sorts v); n > 0. */
double pab_median(double *v, size_t n);

/* The two-sided 100*(1 - alpha) % t-interval of the geometric mean of
 * v[0..n), every value > 0 and n >= 2, into *lo and *hi. false when the
 * values do not allow one (n < 2 or a value <= 0). */
bool pab_log_t_interval(const double *v, size_t n, double alpha, double *lo, double *hi);

/* Student's t: P(T <= t) with df degrees of freedom (df > 0, fractional
 * allowed), and its inverse for 0 < p < 1. */
double pab_t_cdf(double t, double df);
double pab_t_quantile(double p, double df);

/* pyperf's rule: the standard deviation above 10 % of the mean. */
bool pab_unstable(const double *v, size_t n);

#endif
