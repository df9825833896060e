"""Parsing Python source with ast: the source files of a few standard
library modules are read (found through importlib, never imported),
parsed with ast.parse, and each tree walked with ast.walk to count node
types and names, as a linter or a code indexer would. All trees are kept
until the end, so the peak is every tree alive.

Suite workload: none alone; many small long-lived nodes (small_objects,
slots_vs_dict: AST nodes are plain instances with a __dict__), the walk's
short-lived lists and generators (generator_vs_list), Counters growing
(dict_growth).
"""
import ast
import importlib.util
from collections import Counter

# Modules whose source is in every CPython 3.11 install; found by their
# spec so that nothing is imported (importing them would allocate too).
MODULES = ['argparse', 'typing', 'inspect', 'dataclasses', 'json.decoder',
           'json.encoder', 're._parser', 're._compiler', 'collections',
           'enum', 'functools', 'pathlib', 'tarfile']
ROUNDS = 2  # the same files parsed twice: two sets of trees alive together

sources = []
for name in MODULES:
    with open(importlib.util.find_spec(name).origin, encoding='utf-8') as f:
        sources.append(f.read())

trees = [ast.parse(src) for _ in range(ROUNDS) for src in sources]
node_types = Counter()
names = Counter()
for tree in trees:
    for node in ast.walk(tree):  # a deque, and a generator of children per node
        node_types[type(node).__name__] += 1
        if isinstance(node, ast.Name):
            names[node.id] += 1
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names['def ' + node.name] += 1
print(f'ast_walk: {len(trees)} trees, {node_types.total()} nodes, '
      f'{len(node_types)} types, {len(names)} names')
