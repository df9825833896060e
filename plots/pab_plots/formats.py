"""Number formats shared by the report, the plots' labels and compare."""
KIB, MIB, GIB = 1024, 1024**2, 1024**3


def sig3(x, zeros=False):
    """Three significant figures, without exponent notation for ordinary magnitudes; zeros:
    below 1 too, trailing zeros kept (0.110, not 0.11), so that a column reads evenly."""
    ax = abs(x)
    if ax >= 100:
        return f"{x:.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    if ax >= 1:
        return f"{x:.2f}"
    return "0" if ax == 0 else f"{x:#.3g}" if zeros else f"{x:.3g}"


def seconds(x):
    """A time in seconds to three figures."""
    return sig3(x, zeros=True)


def nanoseconds(x):
    """A time given in ns, in the unit that keeps it short: 85 ns, 12.3 µs, 1.20 ms, 2.00 s."""
    for unit, size in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if abs(x) >= size:
            return f"{sig3(x / size, zeros=True)} {unit}"
    return f"{x:.0f} ns"


def human_bytes(b):
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if abs(b) >= size:
            return f"{sig3(b / size)} {unit}"
    return f"{int(b)} B"


def count(x):
    """A count with its thousands separated (4,000); three figures when it is not whole."""
    return f"{x:,.0f}" if x == int(x) else sig3(x)
