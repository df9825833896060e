"""A CSV pivot in memory: rows written with csv.writer into an
io.StringIO, read back with csv.DictReader (a dict of strs per row),
converted, pivoted into nested dicts (store x month totals) and written
out again as a CSV table, as a small reporting script would.

Suite workload: none alone; a dict per row made and dropped
(small_objects), StringIO's growing buffer and the final getvalue
(string_concat), the pivot's nested dicts (dict_growth).
"""
import csv
import io
import random

rng = random.Random(4)
STORES = [f'store-{k:02d}' for k in range(40)]
MONTHS = [f'2024-{m:02d}' for m in range(1, 13)]

source = io.StringIO()
writer = csv.writer(source)
writer.writerow(['store', 'month', 'units', 'price', 'note'])
for i in range(150_000):
    writer.writerow([rng.choice(STORES), rng.choice(MONTHS), rng.randint(1, 50),
                     f'{rng.uniform(0.5, 99):.2f}', 'returned' if i % 17 == 0 else ''])
source.seek(0)

# Keep the parsed rows (as a loader would) and pivot them.
rows = list(csv.DictReader(source))
pivot = {}
for row in rows:
    if row['note'] == 'returned':
        continue
    by_month = pivot.setdefault(row['store'], {})
    amount = int(row['units']) * float(row['price'])  # strs parsed: new ints, floats
    by_month[row['month']] = by_month.get(row['month'], 0.0) + amount

out = io.StringIO()
table = csv.writer(out)
table.writerow(['store'] + MONTHS)
for store in sorted(pivot):
    table.writerow([store] + [f'{pivot[store].get(m, 0.0):.2f}' for m in MONTHS])
print(f'csv_pivot: {len(rows)} rows, {len(pivot)} stores, {len(out.getvalue())} chars out')
