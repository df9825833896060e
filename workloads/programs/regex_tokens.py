"""Tokenising text with re and counting tokens with collections.Counter:
a deterministic text of log-like lines is generated, split into tokens
with re.finditer (match objects, group strs) and re.findall (a list of
tuples per line, kept), and the tokens counted, as a log analyser would.

Suite workload: none alone; mostly short-lived small objects (match
objects, token strs: small_objects) and a growing Counter (dict_growth),
with the text itself built by ''.join (string_concat, joined).
"""
import random
import re
from collections import Counter

rng = random.Random(9)
WORDS = ('error warning info debug user session request response timeout '
         'retry cache miss hit disk network socket handshake token parser').split()
TOKEN = re.compile(r'(?P<num>\d+(?:\.\d+)?)|(?P<word>[A-Za-z_]\w*)|(?P<op>[=:/,\[\]-])')
KEY_VALUE = re.compile(r'(\w+)=(\w+)')


def make_line(i):
    words = ' '.join(rng.choices(WORDS, k=6))
    return (f'[{i:07d}] {words} user=u{rng.randrange(500)} '
            f'ms={rng.random() * 900:.1f} path=/api/v{i % 3}/{rng.choice(WORDS)}')


text = '\n'.join(make_line(i) for i in range(25_000))  # about 2.2 MB

kinds = Counter()
words = Counter()
for m in TOKEN.finditer(text):  # a match object per token
    kinds[m.lastgroup] += 1
    if m.lastgroup == 'word':
        words[m.group().lower()] += 1
# Parse every line's key=value fields and keep them (a list of tuples of
# strs per line), then count them: the parsed form outlives the parsing.
fields = [KEY_VALUE.findall(line) for line in text.splitlines()]
pairs = Counter()
for found in fields:
    pairs.update(found)
print(f'regex_tokens: {sum(kinds.values())} tokens, {len(words)} words, {len(pairs)} pairs')
