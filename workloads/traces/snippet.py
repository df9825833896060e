# The everyday Python that trace_replay replays: record.sh runs it under
# /usr/bin/python3 with PYTHONMALLOC=malloc and records one call of work()
# between the two markers, after a warm-up call has imported what it needs
# and filled the caches a long-running program would already have filled.
import json
import re

LOG_LINE = re.compile(r'(?P<user>\w+) (?P<verb>GET|POST) /(?P<path>[\w/]*) (?P<ms>\d+)ms')
VERBS = ('GET', 'POST')


class Order:
    def __init__(self, oid, customer, total, items):
        self.oid = oid
        self.customer = customer
        self.total = total
        self.items = items

    def __repr__(self):
        return f'Order({self.oid}, {self.customer!r}, {self.total:.2f})'


def make_document(n):
    return {
        'version': 3,
        'orders': [
            {'id': i, 'customer': f'customer-{i % 37}', 'total': round(i * 1.37 % 250, 2),
             'items': [{'sku': f'SKU{j:04d}', 'qty': j % 5 + 1} for j in range(i % 4 + 1)],
             'paid': i % 3 != 0}
            for i in range(n)
        ],
    }


def work(n):
    text = json.dumps(make_document(n))
    doc = json.loads(text)
    orders = [Order(o['id'], o['customer'], o['total'], o['items']) for o in doc['orders']]
    orders.sort(key=lambda o: (o.customer, -o.total))
    by_customer = {}
    for o in orders:
        by_customer.setdefault(o.customer, []).append(o)
    totals = {c: sum(o.total for o in os) for c, os in by_customer.items()}
    log = [f'{o.customer} {VERBS[o.oid % 2]} /orders/{o.oid} {o.oid * 7 % 900}ms' for o in orders]
    slow = [m.group('path') for m in map(LOG_LINE.match, log) if m and int(m.group('ms')) > 450]
    report = '\n'.join(f'{c:<14}{t:>10.2f}' for c, t in sorted(totals.items()))
    reserialised = json.dumps({'slow': slow, 'report': report, 'first': repr(orders[0])}, indent=2)
    return len(reserialised)


def marker(size):
    bytes(size - 33)


N = 160
work(N)
marker(0x5A5A5A)
work(N)
marker(0x5A5A5B)
