"""Short-lived small objects: tuples, ints, floats, strs, small dicts and a
plain instance made for each row of a batch, the batch summed and dropped,
over and over (what a loop over records that builds throwaway rows does).

Suite workload: small_objects (the same row, built into a list, then freed
all at once when the list goes). Peak: one batch alive.
"""


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def build(start, n):
    # One row as small_objects.c models it: a big int, a float, a str,
    # a 2-key dict and a 2-attribute instance, in a 5-tuple.
    rows = []
    for i in range(start, start + n):
        rows.append((i << 40, i * 0.5, str(i), {'id': i, 'w': 0.25}, Point(i, 1.5)))
    return rows


def consume(rows):
    # Reading the rows makes more short-lived ints and floats.
    total = 0
    for big, half, text, d, p in rows:
        total += (big >> 40) + len(text) + d['id'] - p.x
        total += int(half * 2) - d['id']
    return total


BATCH = 100_000
ROUNDS = 2
checksum = 0
for r in range(ROUNDS):
    rows = build(r * BATCH, BATCH)
    checksum += consume(rows)
    del rows  # the whole batch freed by reference counting, last row first
print(f'short_lived: {ROUNDS} batches of {BATCH} rows, checksum {checksum}')
