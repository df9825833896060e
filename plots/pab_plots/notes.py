"""What plot left out and why, for stderr and the report's Skipped section. A reason that
many pairs share is said once, with the pairs grouped by workload."""


class Notes:
    def __init__(self):
        # reason -> the (allocator, workload) pairs it concerns ([] for the whole run), in
        # the order they were found.
        self._pairs = {}

    def add(self, reason, pair=None):
        pairs = self._pairs.setdefault(reason, [])
        if pair is not None and pair not in pairs:
            pairs.append(pair)

    def lines(self, measured):
        """One line per reason. measured: workload -> the allocators that measured it;
        when each of them shares a reason, the line says "all allocators"."""
        return [_line(reason, pairs, measured) for reason, pairs in self._pairs.items()]


def _line(reason, pairs, measured):
    if not pairs:
        return reason
    if len(pairs) == 1:
        return f"{pairs[0][0]} / {pairs[0][1]}: {reason}"
    by_workload = {}
    for allocator, workload in pairs:
        by_workload.setdefault(workload, []).append(allocator)
    groups = {}  # who ("all allocators" or their names) -> workloads
    for workload, allocators in by_workload.items():
        every = set(allocators) == set(measured.get(workload, ()))
        groups.setdefault("all allocators" if every else ", ".join(allocators), []).append(workload)
    return reason + ": " + "; ".join(f"{', '.join(ws)} ({who})" for who, ws in groups.items())
