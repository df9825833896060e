#!/usr/bin/env python3
"""plots/pab_plots/stats.py: Student's t against tabulated values, Welch's test and the
multiple-test adjustments on cases worked by hand, and the statistics' promises on
simulated runs whose truth is known: the 95 % interval of a ratio covers it in about 95 %
of runs, a real difference is found, and a run of pairs that do not differ is called
different in about alpha of them before correction and almost never after Holm's; and,
with a drift shared by the pairs of one round, the paired test keeps its coverage while
finding more than Welch's.

usage: test_stats.py REPO_ROOT"""
import math
import random
import statistics
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from testlib import check, finish  # noqa: E402
from pab_plots import stats  # noqa: E402



def close(x, y, digits=6):
    return abs(x - y) <= 0.5 * 10**-digits


# ---- Student's t: the values the harness's stats.c is checked against too ----
QUANTILE_975 = {1: 12.706205, 2: 4.302653, 3: 3.182446, 4: 2.776445, 5: 2.570582,
                9.5: 2.244137, 10: 2.228139, 30: 2.042272, 100: 1.983972}
CDF_2 = {1: 0.852416, 2: 0.908248, 3: 0.930337, 4: 0.941942, 5: 0.949030, 9.5: 0.962557,
         10: 0.963306, 30: 0.972687, 100: 0.975894}
for df, want in QUANTILE_975.items():
    got = stats.t_quantile(0.975, df)
    check(f"t_quantile(0.975, {df}) = {want}", close(got, want), f"got {got:.6f}")
for df, want in CDF_2.items():
    got = stats.t_cdf(2.0, df)
    check(f"t_cdf(2.0, {df}) = {want}", close(got, want), f"got {got:.6f}")
check("t_cdf is symmetric", close(stats.t_cdf(-2.0, 9.5), 1 - CDF_2[9.5]))
check("t_quantile inverts t_cdf in both tails",
      all(close(stats.t_cdf(stats.t_quantile(p, df), df), p, 9)
          for p in (1e-6, 0.01, 0.3, 0.5, 0.8, 0.999999) for df in (0.7, 1, 3.3, 50)))
check("df 1 is the Cauchy distribution", close(stats.t_cdf(1.0, 1), 0.75, 9))
check("incomplete beta I_x(1, 1) = x", close(stats.betainc(1, 1, 0.3), 0.3, 12))
check("incomplete beta I_x(a, b) = 1 - I_(1-x)(b, a)",
      close(stats.betainc(2.5, 0.5, 0.8), 1 - stats.betainc(0.5, 2.5, 0.2), 12))

# ---- Welch's test on cases worked by hand ----
# a = 1..5, b = 2, 4, ..., 10 (taken as logs; R: t.test(1:5, seq(2, 10, 2)) says t = -1.8974,
# df = 5.8824, p-value = 0.1075): variances of the means 0.5 and 2, so
# t = 3 / sqrt(2.5) = 1.897367 and df = 2.5^2 / (0.5^2/4 + 2^2/4) = 5.882353.
w = stats.welch([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])
check("Welch-Satterthwaite df", close(w.df, 5.882353))
check("Welch ratio is exp(mean b - mean a)", close(w.ratio, math.exp(3), 9))
want_p = 2 * (1 - stats.t_cdf(3 / math.sqrt(2.5), 6.25 / 1.0625))
check("Welch p-value", close(w.p, want_p, 12) and close(w.p, 0.1075, 4), f"got {w.p}")
half = stats.t_quantile(0.975, w.df) * math.sqrt(2.5)
check("Welch interval", close(math.log(w.lo), 3 - half, 9) and close(math.log(w.hi), 3 + half, 9))
check("Welch interval excludes 1 when p < alpha",
      all((t.p < 0.05) == (t.lo > 1 or t.hi < 1)
          for t in (stats.welch([0, 0.1, 0.2], [x + d for x in (0.05, 0.1, 0.3)])
                    for d in (0.1, 0.2, 0.3, 0.4, 0.6))))
same = stats.welch([3.0, 3.0, 3.0], [3.0, 3.0, 3.0])
check("identical values: no difference, p = 1", same.p == 1 and same.lo == same.hi == 1)
apart = stats.welch([math.log(10)] * 3, [math.log(12)] * 3)
check("constant within each run, different between: p = 0", apart.p == 0
      and close(apart.ratio, 1.2, 12) and close(apart.lo, 1.2, 12) and close(apart.hi, 1.2, 12))
check("one side constant: the other's variance alone", close(
    stats.welch([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]).df, 2.0, 9))
check("fewer than 2 values on a side: no test", stats.welch([1.0], [1.0, 2.0]) is None)

# ---- Holm (R's p.adjust gives the same) ----
p = [0.01, 0.04, 0.03, 0.005]
check("Holm", all(close(x, y, 12) for x, y in zip(stats.holm(p), [0.03, 0.06, 0.06, 0.02])),
      str(stats.holm(p)))
check("adjusted p-values stop at 1", stats.holm([0.5, 0.6]) == [1.0, 1.0])


# ---- simulated runs: 5 processes of 3 repetitions per side; lognormal noise, 10 % between
# processes and 2 % between repetitions; a process gives the median of its repetitions ----
def side(rnd, log_truth, processes=5, repetitions=3, between=0.10, within=0.02):
    logs = []
    for _ in range(processes):
        process = log_truth + rnd.gauss(0, between)
        reps = [math.exp(process + rnd.gauss(0, within)) for _ in range(repetitions)]
        logs.append(math.log(statistics.median(reps)))
    return logs


def simulate(seed, ratio, runs):
    rnd = random.Random(seed)
    return [stats.welch(side(rnd, 0.0), side(rnd, math.log(ratio))) for _ in range(runs)]


tests = simulate(1, 1.1, 1000)
covered = sum(t.lo <= 1.1 <= t.hi for t in tests)
check(f"95 % interval covers the true ratio in {covered / 10:.1f} % of 1000 runs (93-97)",
      930 <= covered <= 970)

tests = simulate(2, 0.8, 1000)  # B takes 20 % less time than A
found = sum(t.p < 0.05 and t.ratio < 1 for t in tests)
check(f"a true 20 % difference is found in {found / 10:.1f} % of 1000 runs (80 or more)",
      found >= 800)

tests = simulate(3, 1.0, 90)  # A/A: 90 pairs that do not differ
p = [t.p for t in tests]
before = sum(x < 0.05 for x in p)
after = sum(x < 0.05 for x in stats.holm(p))
check(f"A/A: {before} of 90 pairs called different before correction (2-9 %: 2 to 8)",
      2 <= before <= 8)
check(f"A/A: {after} after Holm's correction (at most 1)", after <= 1)



# ---- paired by round, a case worked by hand: a = 1, 2, 4 and b = 2, 2, 7 differ by 1, 0, 3:
# mean 4/3, variance 7/3, so t = (4/3) / sqrt(7/9) = 1.511858 on 2 df, where the two-sided
# p-value is 1 - t / sqrt(2 + t^2) = 0.269703 ----
t = stats.paired([1, 2, 4], [2, 2, 7])
check("paired t on a case worked by hand", close(math.log(t.ratio), 4 / 3, 9) and t.df == 2
      and close(t.p, 0.269703, 6), f"{t}")
check("paired: fewer than 2 rounds, no test", stats.paired([1.0], [2.0]) is None)


# Each round has its own machine phase (a 10 % drift shared by both sides) and each process
# 5 % of its own; the paired test must cover, and find more than Welch's, which counts the
# shared drift as noise.
def rounds(rnd, log_ratio, processes=5, drift=0.10, own=0.05):
    a, b = [], []
    for _ in range(processes):
        phase = rnd.gauss(0, drift)
        a.append(phase + rnd.gauss(0, own))
        b.append(phase + log_ratio + rnd.gauss(0, own))
    return a, b


rnd = random.Random(4)
runs = [rounds(rnd, math.log(1.1)) for _ in range(1000)]
covered = sum(t.lo <= 1.1 <= t.hi for t in (stats.paired(a, b) for a, b in runs))
check(f"paired: the 95 % interval covers in {covered / 10:.1f} % of 1000 drifting runs (93-97)",
      930 <= covered <= 970)
found_paired = sum(stats.paired(a, b).p < 0.05 for a, b in runs)
found_welch = sum(stats.welch(a, b).p < 0.05 for a, b in runs)
check(f"paired finds a 10 % difference under drift in {found_paired / 10:.1f} % of runs, "
      f"Welch's in {found_welch / 10:.1f} % (paired at least 1.5 times as often)",
      found_paired >= 1.5 * found_welch)

# ---- Spearman's rho, cases worked by hand ----
check("Spearman: the same order is 1", close(stats.spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1.0, 12))
check("Spearman: the reverse is -1", close(stats.spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1.0, 12))
# ranks 1..5 against 2, 1, 4, 3, 5: sum of d^2 = 4, rho = 1 - 6 * 4 / (5 * 24) = 0.8
check("Spearman: one swap in five is 0.8", close(stats.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 0.8, 12))
# ties share their mean rank: x ranks 1, 2.5, 2.5, 4 against 1..4 gives rho = 4.5 / sqrt(4.5 * 5)
check("Spearman: ties take their mean rank",
      close(stats.spearman([1, 2, 2, 3], [1, 2, 3, 4]), 4.5 / math.sqrt(4.5 * 5), 12))
check("Spearman: no spread, no rho", stats.spearman([1, 1, 1], [1, 2, 3]) is None)
d = stats.welch_difference([1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 4.0, 6.0, 8.0, 10.0])
check("Welch on the difference itself: 3 with the t and df worked above",
      close(d.ratio, 3.0, 12) and close(d.df, 5.882353, 6))

finish()
