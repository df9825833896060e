"""str `+=` on a local: each string is grown piece by piece with `s += p`
where s has one reference, so CPython resizes it in place (a realloc per
piece, PyUnicode_Append -> resize_compact).

Suite workload: string_concat, its `inplace` side. Pair: concat_shared.py
(the same text, `+=` on a shared string), concat_join.py (``''.join``).
The three build the same 14 000 strings of 200 pieces and keep them all.
"""
import random

# Constant pieces of 1 to 16 characters, as in string_concat.c: taking one
# allocates nothing. 64 fixed sequences of 200 pieces, from a fixed seed.
PIECES = [chr(ord('a') + k) * (k + 1) for k in range(16)]
rng = random.Random(11)
SEQUENCES = [rng.choices(PIECES, k=200) for _ in range(64)]
STRINGS = 14_000


def build(pieces):
    s = ''
    for p in pieces:
        s += p  # s is the only reference: resized in place
    return s


texts = [build(SEQUENCES[i % 64]) for i in range(STRINGS)]
print(f'concat_plus: {len(texts)} strings, {sum(map(len, texts))} characters')
