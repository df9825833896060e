"""Many long-lived instances of a class with __slots__: each instance is
one block holding its five attribute slots, no dict and no values array.
The instances are built, read and updated, kept alive together, dropped.

Suite workload: slots_vs_dict (its WithSlots instances). Pair:
attrs_dict.py, the same class without __slots__.
"""
N = 300_000
ROUNDS = 2


class Quote:
    __slots__ = ('sym', 'bid', 'ask', 'size', 'seq')

    def __init__(self, i):
        self.sym = i % 500   # small ints: cached, not allocated
        self.bid = i * 0.01  # a float per instance
        self.ask = self.bid + 0.05
        self.size = 1000 + i  # an int per instance
        self.seq = None


total = 0.0
for r in range(ROUNDS):
    quotes = [Quote(i) for i in range(N)]  # all alive at once: the peak
    for q in quotes:
        q.seq = q.size * 2  # a new int stored in an existing slot
        total += q.ask - q.bid
    del quotes
print(f'attrs_slots: {ROUNDS} rounds of {N} instances, spread {total:.2f}')
