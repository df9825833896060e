"""A sequence processed through generator expressions: each pass feeds
sum(), max() and a filter one value at a time, so only the generator's
frame and the current value are alive beside the data.

Suite workload: generator (generator_vs_list.c). Pair: gen_list.py, the
same passes with list comprehensions materialised first.
"""
N = 500_000
PASSES = 1

# The data both sides start from: N ints above 256 (so each is allocated).
data = [i * 7919 % 1_000_003 + 1000 for i in range(N)]

total = 0
for k in range(1, PASSES + 1):
    # Every value made here (x * k + 1, x // 3) is freed as soon as the
    # consumer has taken it: the peak stays that of the data.
    total += sum(x * k + 1 for x in data)
    total += max(x // 3 for x in data)
    total += len(tuple(x for x in data if x % 3 == k % 3))
print(f'gen_generator: {PASSES} passes over {N} ints, total {total}')
