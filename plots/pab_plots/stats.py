"""The statistics of the report and of compare, in the standard library alone.

Processes are the unit of replication: the repetitions inside one process share its heap
layout, its address-space layout and the machine's phase, so they are not independent
samples. A pair's time is one number per process (the median of its warm repetitions), and
the noise between processes is multiplicative, so the tests work on the logarithms of those
numbers. With 3 to 10 processes Student's t keeps the coverage it promises (tests/plots/
test_stats.py checks it on simulated runs); bootstraps over so few values do not.

Student's t is computed from the regularized incomplete beta function (its continued
fraction, by the modified Lentz method), for any positive degrees of freedom, since Welch's
are fractional. harness/stats.c computes the same for results.csv's intervals.
"""
import math
from dataclasses import dataclass
from statistics import fmean as mean, variance

_TINY = 1e-300
_EPS = 1e-15


def _beta_fraction(a, b, x):
    """The continued fraction of I_x(a, b), good for x < (a + 1) / (a + b + 2)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 400):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + num / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return h


def betainc(a, b, x):
    """The regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_tail(t, df):
    """P(T > |t|) for Student's t with df degrees of freedom: computed directly, so that
    small p-values keep their digits."""
    if math.isinf(t):
        return 0.0
    return 0.5 * betainc(df / 2, 0.5, df / (df + t * t))


def t_cdf(t, df):
    """P(T <= t), df > 0 (fractional allowed)."""
    tail = t_tail(t, df)
    return 1.0 - tail if t >= 0 else tail


def t_pdf(t, df):
    return math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)
                    - 0.5 * math.log(df * math.pi) - (df + 1) / 2 * math.log1p(t * t / df))


def t_quantile(p, df):
    """The t with P(T <= t) = p, 0 < p < 1: Newton's method on the CDF, kept inside a
    bracket that halves whenever a step would leave it."""
    if not 0 < p < 1:
        raise ValueError(f"t_quantile wants 0 < p < 1, got {p}")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1 - p, df)
    q = 1 - p  # the upper tail wanted
    lo, hi = 0.0, 1.0
    while t_tail(hi, df) > q:
        lo, hi = hi, hi * 2
    t = (lo + hi) / 2
    for _ in range(200):
        excess = t_tail(t, df) - q  # > 0: t is too small
        if excess > 0:
            lo = t
        else:
            hi = t
        step = excess / t_pdf(t, df)
        nxt = t + step
        if not lo < nxt < hi:
            nxt = (lo + hi) / 2
        if abs(nxt - t) <= 1e-13 * max(1.0, abs(t)):
            return nxt
        t = nxt
    return t


@dataclass
class Welch:
    """Welch's t-test of B against A on logarithms, back-transformed: ratio is the ratio of
    B's geometric mean to A's, lo and hi its 100 (1 - alpha) % interval, p the two-sided
    p-value of "no difference", df the Welch-Satterthwaite degrees of freedom (inf when
    both sides have no variance)."""
    ratio: float
    lo: float
    hi: float
    p: float
    df: float
    n_a: int
    n_b: int


# Memory is compared as log(bytes + RSS_OFFSET), bytes above a child's baseline: the log
# of a peak of a few pages, or of 0, would make a page or two read as a doubling
# (plots/README.md, compare).
RSS_OFFSET = 65536


def rss_logs(values):
    """log(v + RSS_OFFSET) of each RSS figure; None when one is at or below -RSS_OFFSET."""
    if any(v + RSS_OFFSET <= 0 for v in values):
        return None
    return [math.log(v + RSS_OFFSET) for v in values]


def welch(log_a, log_b, alpha=0.05):
    """Welch's t-test on the difference of mean logs, mean(log_b) - mean(log_a), with its
    two-sided 100 (1 - alpha) % interval (Welch-Satterthwaite degrees of freedom),
    back-transformed to the ratio B/A. None when a side has fewer than 2 values.

    When neither side varies, the difference is known exactly: p is 1 when it is 0, else
    0, and the interval is the ratio itself."""
    found = welch_difference(log_a, log_b, alpha)
    if found is None:
        return None
    return Welch(math.exp(found.ratio), math.exp(found.lo), math.exp(found.hi), found.p, found.df,
                 found.n_a, found.n_b)


def welch_difference(a, b, alpha=0.05):
    """Welch's t-test on mean(b) - mean(a) itself, not back-transformed: a Welch whose ratio,
    lo and hi are the difference and its 100 (1 - alpha) % interval (for seconds, where a
    difference is what a prediction gives). None when a side has fewer than 2 values."""
    n_a, n_b = len(a), len(b)
    if n_a < 2 or n_b < 2:
        return None
    diff = mean(b) - mean(a)
    va, vb = variance(a) / n_a, variance(b) / n_b
    se2 = va + vb
    if se2 == 0:
        return Welch(diff, diff, diff, 1.0 if diff == 0 else 0.0, math.inf, n_a, n_b)
    df = se2 * se2 / (va * va / (n_a - 1) + vb * vb / (n_b - 1))
    se = math.sqrt(se2)
    half = t_quantile(1 - alpha / 2, df) * se
    p = min(1.0, 2 * t_tail(diff / se, df))
    return Welch(diff, diff - half, diff + half, p, df, n_a, n_b)


def spearman(xs, ys):
    """Spearman's rank correlation of two equally long sequences (ties take their mean
    rank); None with fewer than 3 values or when either side has no spread."""
    if len(xs) != len(ys):
        raise ValueError("Spearman's rho needs pairs")
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = mean(rx), mean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx, syy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    return None if sxx == 0 or syy == 0 else sxy / math.sqrt(sxx * syy)


def _ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def paired(log_a, log_b, alpha=0.05):
    """Student's t on the differences log_b[i] - log_a[i] of values measured side by side
    (the same round of one run, so that the machine's drift between rounds cancels), with
    its two-sided 100 (1 - alpha) % interval, back-transformed to the ratio B/A: a Welch
    whose df is n - 1. None with fewer than 2 pairs."""
    if len(log_a) != len(log_b):
        raise ValueError("paired values come in pairs")
    n = len(log_a)
    if n < 2:
        return None
    diffs = [b - a for a, b in zip(log_a, log_b)]
    diff, se2 = mean(diffs), variance(diffs) / n
    if se2 == 0:
        ratio = math.exp(diff)
        return Welch(ratio, ratio, ratio, 1.0 if diff == 0 else 0.0, math.inf, n, n)
    se = math.sqrt(se2)
    half = t_quantile(1 - alpha / 2, n - 1) * se
    p = min(1.0, 2 * t_tail(diff / se, n - 1))
    return Welch(math.exp(diff), math.exp(diff - half), math.exp(diff + half), p, n - 1, n, n)


def holm(pvalues):
    """Holm's step-down adjustment: adjusted p-values in the order given. Rejecting those
    below alpha keeps the chance of any false call at most alpha."""
    m = len(pvalues)
    adjusted, running = [0.0] * m, 0.0
    for rank, i in enumerate(sorted(range(m), key=lambda k: pvalues[k])):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted
