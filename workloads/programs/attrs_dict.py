"""Many long-lived instances of a plain class (no __slots__): in 3.11 each
instance is the object and a separate values array for its attributes (a
dict object appears only if __dict__ is asked for, which this never does).
The instances are built, read and updated, kept alive together, dropped.

Suite workload: slots_vs_dict (its WithDict instances). Pair:
attrs_slots.py, the same class with __slots__.
"""
N = 300_000
ROUNDS = 2


class Quote:
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
print(f'attrs_dict: {ROUNDS} rounds of {N} instances, spread {total:.2f}')
