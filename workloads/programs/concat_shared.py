"""str `+=` on a string that has a second reference: the string lives in a
dict (as it would in an attribute or a global), so `g['s'] += p` finds two
references and CPython makes a new string each time, copying the old one
and freeing it (quadratic copying, an allocation and a free per piece).

Suite workload: string_concat, its `shared` side. Pair: concat_plus.py
(in-place `+=` on a local), concat_join.py (``''.join``). The three build
the same 14 000 strings of 200 pieces and keep them all.
"""
import random

# Same pieces and sequences as concat_plus.py and concat_join.py.
PIECES = [chr(ord('a') + k) * (k + 1) for k in range(16)]
rng = random.Random(11)
SEQUENCES = [rng.choices(PIECES, k=200) for _ in range(64)]
STRINGS = 14_000


def build(pieces):
    g = {'s': ''}
    for p in pieces:
        g['s'] += p  # g holds a second reference: a new string every time
    return g['s']


texts = [build(SEQUENCES[i % 64]) for i in range(STRINGS)]
print(f'concat_shared: {len(texts)} strings, {sum(map(len, texts))} characters')
