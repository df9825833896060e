/* stats.c: see stats.h. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double pab_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The continued fraction of the regularized incomplete beta function
 * (modified Lentz's method), valid for x < (a + 1) / (a + b + 2). */
static double beta_fraction(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    d = 1 / (fabs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 300; m++) {
        for (int odd = 0; odd < 2; odd++) {
            double num = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                             : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + num * d;
            d = 1 / (fabs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            c = fabs(c) < tiny ? tiny : c;
            h *= d * c;
        }
        if (fabs(d * c - 1) < 1e-15)
            break;
    }
    return h;
}

/* I_x(a, b). */
static double incomplete_beta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1) / (a + b + 2))
        return front * beta_fraction(a, b, x) / a;
    return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double pab_t_cdf(double t, double df)
{
    double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
    return t >= 0 ? 1 - tail : tail;
}

double pab_t_quantile(double p, double df)
{
    /* Bisection: the CDF is monotone, and 200 halvings of [-1e4, 1e4]
     * reach far below double precision. */
    double lo = -1e4, hi = 1e4;
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (pab_t_cdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* Mean and sample standard deviation of log v. */
static bool log_moments(const double *v, size_t n, double *mean, double *sd)
{
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(v[i] > 0))
            return false;
        sum += log(v[i]);
    }
    *mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (log(v[i]) - *mean) * (log(v[i]) - *mean);
    *sd = sqrt(sq / (double)(n - 1));
    return true;
}

bool pab_log_t_interval(const double *v, size_t n, double alpha, double *lo, double *hi)
{
    double mean, sd;
    if (n < 2 || !log_moments(v, n, &mean, &sd))
        return false;
    double half = pab_t_quantile(1 - alpha / 2, (double)(n - 1)) * sd / sqrt((double)n);
    *lo = exp(mean - half);
    *hi = exp(mean + half);
    return true;
}

bool pab_unstable(const double *v, size_t n)
{
    if (n < 2)
        return false;
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (v[i] - mean) * (v[i] - mean);
    return sqrt(sq / (double)(n - 1)) > 0.10 * mean;
}
