"""A discrete-event simulation with dataclasses and heapq: customers
arrive at a few counters, wait in deques, are served; events are tuples
on a heap, each customer a dataclass instance that is kept in a history
once served (so the run ends with every customer alive), as a small
queueing model would.

Suite workload: none alone; instances kept alive (slots_vs_dict: the
dataclass is a plain class), short-lived event tuples and floats
(small_objects), the heap list and deques growing and shrinking.
"""
import heapq
import random
from collections import deque
from dataclasses import dataclass, field

rng = random.Random(2)
COUNTERS = 4
CUSTOMERS = 100_000


@dataclass
class Customer:
    cid: int
    arrived: float
    served: float = 0.0
    left: float = 0.0
    items: list = field(default_factory=list)


events = [(0.0, 0, 'arrive', None)]  # (time, sequence, kind, customer)
seq = 1  # breaks ties between events at the same time
arrivals = 0
queues = [deque() for _ in range(COUNTERS)]
busy = [False] * COUNTERS
history = []
while events:
    now, _, kind, who = heapq.heappop(events)
    if kind == 'arrive':
        arrivals += 1
        c = Customer(arrivals, now, items=[rng.randint(1, 9) for _ in range(rng.randint(1, 4))])
        queues[min(range(COUNTERS), key=lambda k: len(queues[k]))].append(c)
        if arrivals < CUSTOMERS:  # about 90 % of the counters' capacity
            heapq.heappush(events, (now + rng.expovariate(1.9), seq, 'arrive', None))
    else:  # 'done': the counter who is free again; its customer leaves
        busy[who] = False
    seq += 1
    for k in range(COUNTERS):
        if not busy[k] and queues[k]:
            c = queues[k].popleft()
            c.served = now
            c.left = now + sum(c.items) * rng.uniform(0.1, 0.2)
            busy[k] = True
            history.append(c)
            heapq.heappush(events, (c.left, seq, 'done', k))
            seq += 1
wait = sum(c.served - c.arrived for c in history) / len(history)
print(f'sim_events: {len(history)} customers served, mean wait {wait:.3f}')
