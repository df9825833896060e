"""to_ids.py RAW OUT: turns record_preload.c's address log into the committed
trace, where blocks are named by identity instead of address.

Output, one operation a line:
  m SIZE      a new block; its id is the number of blocks made before it
  r ID SIZE   block ID reallocated to SIZE (same id, maybe another address)
  f ID        block ID freed
Blocks allocated before recording started are unknown: their frees are
dropped, and a realloc of one becomes "m SIZE" (a new block from then on).
Blocks still alive when recording stopped (caches, interned strings, free
lists) get an "f ID" each at the end, in allocation order, so the trace
frees everything it allocates. A summary goes to stderr.
"""
import sys


def convert(raw_lines):
    id_at, size_of, out = {}, {}, []
    dropped = 0

    def new_block(addr, size):
        block = len(size_of)  # freed blocks keep their key: ids never repeat
        id_at[addr] = block
        size_of[block] = size
        out.append(f'm {size}')

    for line in raw_lines:
        op, *args = line.split()
        if op == 'm':
            new_block(args[1], int(args[0]))
        elif op == 'r' and args[0] not in id_at:
            new_block(args[2], int(args[1]))
        elif op == 'r':
            block = id_at.pop(args[0])
            id_at[args[2]] = block
            size_of[block] = int(args[1])
            out.append(f'r {block} {args[1]}')
        elif args[0] in id_at:
            block = id_at.pop(args[0])
            size_of[block] = None
            out.append(f'f {block}')
        else:
            dropped += 1
    leftovers = [b for b, size in size_of.items() if size is not None]
    out.extend(f'f {b}' for b in leftovers)
    return out, dropped, len(leftovers)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: to_ids.py RAW OUT')
    with open(sys.argv[1]) as raw:
        out, dropped, leftovers = convert(raw)
    with open(sys.argv[2], 'w') as trace:
        trace.write('\n'.join(out) + '\n')
    kinds = {k: sum(1 for line in out if line[0] == k) for k in 'mrf'}
    print(f'{len(out)} operations: {kinds["m"]} mallocs, {kinds["r"]} reallocs, {kinds["f"]} frees '
          f'({leftovers} of blocks alive at the end); {dropped} frees of older blocks dropped',
          file=sys.stderr)


if __name__ == '__main__':
    main()
