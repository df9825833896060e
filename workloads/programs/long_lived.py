"""A large long-lived structure, a random half of it freed, then more
allocation of other sizes while the survivors stay: the freed memory is
scattered between survivors, and whether the later objects reuse it or
the heap grows (and whether it can be given back) is the allocator's doing.

Suite workload: fragmentation (the heap, the random deletion, the burst).
"""
import random

N = 300_000
rng = random.Random(7)


# Draws made once: calling random's methods per object would allocate a
# bound method and ints per draw and blur the pattern. 4093 is prime, so
# draw i % 4093 does not line up with the object kind i % 5.
DRAWS = [rng.random() for _ in range(4093)]


def spread(i, n):
    return int(DRAWS[i % 4093] * n)  # in range(n)


def value(i):
    # Mixed small objects, as a cache or an index would hold them.
    kind = i % 5
    if kind == 0:
        return i * 1.5
    if kind == 1:
        return 'v' * (1 + spread(i, 40))
    if kind == 2:
        return (i, str(i))
    if kind == 3:
        return {'k': i}
    return [i, i + 1]


index = {f'key{i}': value(i) for i in range(N)}  # long-lived
for k in rng.sample(list(index), N // 2):  # a random half goes, in random order
    del index[k]
# Keep allocating: new entries of sizes the first heap did not use, and
# lists that the survivors' gaps may or may not fit.
burst = []
for i in range(N // 4):
    burst.append('y' * (100 + spread(i, 200)))
    index[f'new{i}'] = [i] * (3 + spread(i, 10))
checksum = sum(map(len, burst)) + len(index)
print(f'long_lived: {len(index)} entries after freeing {N // 2}, checksum {checksum}')
