"""A JSON round trip: records generated as dicts, serialised with
json.dumps, parsed back with json.loads, then aggregated (group by
region and product, sums and counts) into dicts, as a report job would.

Suite workload: none alone; it mixes small_objects (dicts, strs, floats),
string_concat (the encoder's chunks joined into one large str) and
dict_growth (the group-by dicts). It is the trace_replay snippet's kind
of program (workloads/traces/snippet.py), at a larger size.
"""
import json
import random

rng = random.Random(3)
REGIONS = ['north', 'south', 'east', 'west', 'central']
PRODUCTS = [f'sku-{k:03d}' for k in range(200)]


def make_records(n):
    return [{'id': i,
             'region': rng.choice(REGIONS),
             'product': rng.choice(PRODUCTS),
             'qty': rng.randint(1, 20),
             'price': round(rng.uniform(1, 500), 2),
             'tags': ['promo'] * (i % 3 == 0) + ['web'] * (i % 2)}
            for i in range(n)]


records = make_records(60_000)
text = json.dumps({'version': 1, 'records': records})  # one large str
del records
doc = json.loads(text)  # every dict, str and number made again

by_region = {}
by_product = {}
for r in doc['records']:
    amount = r['qty'] * r['price']
    region = by_region.setdefault(r['region'], {'count': 0, 'amount': 0.0})
    region['count'] += 1
    region['amount'] += amount
    key = (r['region'], r['product'])  # tuple keys: a dict of 1000 groups
    by_product[key] = by_product.get(key, 0.0) + amount

# A second, smaller document: the report, pretty-printed.
report = json.dumps({'regions': by_region,
                     'top': sorted(by_product.items(), key=lambda kv: -kv[1])[:20]},
                    indent=2)
print(f'json_roundtrip: {len(doc["records"])} records, {len(text)} + {len(report)} chars')
