"""How many cases the fuzzer ran, what it got back and how many failed, for `make fuzz`."""

from collections import Counter, defaultdict

cases = Counter()  # operation -> cases run
failed = Counter()  # operation -> cases that failed a check (or raised)
statuses = defaultdict(Counter)  # operation -> {"2xx": n, "4xx": n, …}


def record(operation, *, status, ok):
    cases[operation] += 1
    if status is not None:
        statuses[operation][f"{status // 100}xx"] += 1
    if not ok:
        failed[operation] += 1


def summary():
    """One line for the whole run, then one per operation."""
    lines = [
        f"fuzz: {cases.total()} cases across {len(cases)} operations, "
        f"{failed.total()} failed ({_answers(sum(statuses.values(), Counter()))})"
    ]
    for operation in sorted(cases):
        lines.append(
            f"  {operation}: {cases[operation]} cases, {failed[operation]} failed "
            f"({_answers(statuses[operation])})"
        )
    return "\n".join(lines)


def _answers(counts):
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
