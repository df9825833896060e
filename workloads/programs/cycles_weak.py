"""Trees whose nodes point back at their parent through weakref.ref: no
reference cycle, so a dropped tree is freed by reference counting at once,
root first and down, and the cyclic GC finds nothing to collect (it still
runs on its thresholds and traverses what is alive). Each node costs one
weakref object more than in cycles_strong.py.

Suite workload: cycles (the side the cycles workload is compared with).
Pair: cycles_strong.py, the same trees with strong back-links.
"""
import gc
import random
import weakref
from collections import deque


class Node:
    def __init__(self, parent, size):
        # weak: the child does not keep its parent alive, so no cycle
        self.parent = None if parent is None else weakref.ref(parent)
        self.children = []
        self.payload = 'x' * size


def make_tree(rng, nodes):
    root = Node(None, rng.randint(8, 40))
    frontier = [root]
    for _ in range(nodes - 1):
        parent = frontier[rng.randrange(len(frontier))]
        child = Node(parent, rng.randint(8, 40))
        parent.children.append(child)
        frontier.append(child)
    return root


def weight(node):
    # Walk down the tree and back up one parent link, as a real user would.
    up = node.parent is not None and node.parent() is not None
    return len(node.payload) + up + sum(map(weight, node.children))


rng = random.Random(5)
alive = deque(maxlen=60)  # the last 60 trees in use; an older one is freed as it drops out
total = 0
for i in range(400):
    tree = make_tree(rng, 1000)
    alive.append(tree)
    total += weight(tree)
del tree
alive.clear()
collected = gc.collect()
print(f'cycles_weak: 400 trees of 1000 nodes, weight {total}, last collect {collected}')
