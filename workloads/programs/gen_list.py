"""A sequence processed through list comprehensions: each pass builds the
whole list of values first, then sum(), max() and a filter consume it, so
every value of the pass is alive at once and the list grows by reallocs.

Suite workload: list (generator_vs_list.c). Pair: gen_generator.py, the
same passes with generator expressions.
"""
N = 500_000
PASSES = 1

# The data both sides start from: N ints above 256 (so each is allocated).
data = [i * 7919 % 1_000_003 + 1000 for i in range(N)]

total = 0
for k in range(1, PASSES + 1):
    # Each list keeps its N new ints alive until the call returns and the
    # list is dropped: a peak of the data plus one pass.
    total += sum([x * k + 1 for x in data])
    total += max([x // 3 for x in data])
    total += len(tuple([x for x in data if x % 3 == k % 3]))
print(f'gen_list: {PASSES} passes over {N} ints, total {total}')
