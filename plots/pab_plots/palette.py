"""plots/palette.tsv: fixed colours, the legend order and roles of the allocators it lists.
A name it does not list gets a colour derived from the name alone, so that it keeps it
from run to run whatever else was measured."""
from pathlib import Path

PALETTE = Path(__file__).resolve().parent.parent / "palette.tsv"
# Darker than the palette's colours, so that an unlisted allocator does not pass for one.
FALLBACK = ("#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354")


class Palette:
    def __init__(self, path=PALETTE):
        self.colours, self.roles = {}, {}  # in the file's order
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            lines = []
        for fields in (line.split() for line in lines):
            if len(fields) >= 2 and not fields[0].startswith("#"):
                self.colours[fields[0]] = fields[1]
                self.roles[fields[0]] = fields[2] if len(fields) > 2 else "allocator"

    def order(self, names):
        """The palette's order first, so that legends read the same in every run; other
        names after, in the order given."""
        rank = {name: i for i, name in enumerate(self.colours)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def colour(self, name):
        return self.colours.get(name) or fallback_colour(name)

    def floors(self):
        return [name for name, role in self.roles.items() if role == "floor"]


def fallback_colour(name):
    # The hash the awk version used (over bytes, those outside ' '..'~' counting 0), so
    # that an allocator keeps the colour older reports gave it.
    h = 0
    for byte in name.encode():
        h = (h * 31 + (byte if 32 <= byte < 127 else 0)) % 65521
    return FALLBACK[h % len(FALLBACK)]
