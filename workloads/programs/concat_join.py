"""Strings built with ``''.join``: the pieces collected in a list, then one
allocation of the final length (_PyUnicode_JoinArray).

Suite workload: string_concat, its `joined` side. Pair: concat_plus.py
(in-place `+=` on a local), concat_shared.py (`+=` on a shared string).
The three build the same 14 000 strings of 200 pieces and keep them all.
"""
import random

# Same pieces and sequences as concat_plus.py and concat_shared.py.
PIECES = [chr(ord('a') + k) * (k + 1) for k in range(16)]
rng = random.Random(11)
SEQUENCES = [rng.choices(PIECES, k=200) for _ in range(64)]
STRINGS = 14_000


def build(pieces):
    parts = []
    for p in pieces:
        parts.append(p)  # the loop the += versions run, list growth instead
    return ''.join(parts)


texts = [build(SEQUENCES[i % 64]) for i in range(STRINGS)]
print(f'concat_join: {len(texts)} strings, {sum(map(len, texts))} characters')
