"""Trees whose nodes point back at their parent with a strong reference:
every parent <-> child link is a reference cycle, so a dropped tree is
freed only when the cyclic GC runs (gc's thresholds, then gc.collect()),
in its own order, and trees promoted to older generations wait longer.

Suite workload: cycles. Pair: cycles_weak.py, the same trees with
weakref.ref back-links, freed by reference counting when dropped.
"""
import gc
import random
from collections import deque


class Node:
    def __init__(self, parent, size):
        self.parent = parent  # strong: parent.children holds us, we hold it
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
    return len(node.payload) + (node.parent is not None) + sum(map(weight, node.children))


rng = random.Random(5)
alive = deque(maxlen=60)  # the last 60 trees in use; older ones become garbage
total = 0
for i in range(400):
    tree = make_tree(rng, 1000)
    alive.append(tree)
    total += weight(tree)
del tree
alive.clear()
collected = gc.collect()
print(f'cycles_strong: 400 trees of 1000 nodes, weight {total}, last collect {collected}')
