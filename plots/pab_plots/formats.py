"""Number formats shared by the report, the plots' labels and compare."""
KIB, MIB, GIB = 1024, 1024**2, 1024**3


def sig3(x):
    """Three significant figures, without exponent notation for ordinary magnitudes."""
    ax = abs(x)
    if ax >= 100:
        return f"{x:.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    if ax >= 1:
        return f"{x:.2f}"
    return "0" if ax == 0 else f"{x:.3g}"


def human_bytes(b):
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if abs(b) >= size:
            return f"{sig3(b / size)} {unit}"
    return f"{int(b)} B"


def count(x):
    """A count with its thousands separated (4,000); three figures when it is not whole."""
    return f"{x:,.0f}" if x == int(x) else sig3(x)
