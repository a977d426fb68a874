"""Small-number suppression for Panel and published figures (DOMAIN.md, "Monitoring": small numbers identify
people). Pure functions: no database, no Django, so they are tested on their own with hypothesis.

A report is a set of cells (any hashable key -> an int) and the relations between them that a reader can see:
a total and its parts, or a change and the two figures it is the difference of. Every relation is linear: the
sum of coefficient × value over its cells is zero (a total: total - part1 - part2 ... = 0).

1. Primary suppression: a count from 1 to threshold - 1 is shown as MARK. Zero is never suppressed (it
   identifies nobody) and derived cells (changes, money) are never primary.
2. Secondary suppression: while some relation has exactly one suppressed cell (a total minus the visible parts
   would give it back), suppress the relation's smallest other cell (non-zero first).
3. Audit: a suppressed cell can also be recovered by combining several relations (two tables side by side, a
   row and a column). Every suppressed cell that the published cells and relations fix to one value (exact
   rational Gaussian elimination) gets one more complementary cell; repeat until none can be recovered.

The result is the set of keys to show as MARK. `recoverable` is the attacker's view, used by the audit and by
the tests.
"""

from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction

MARK = "[c]"
MARK_KEY = (
    "[c] a figure below {threshold}, or one that would let it be worked out, is not shown to protect people's "
    "identities"
)

Key = Hashable
Relation = Mapping[Key, int]


def total_relation(total: Key, parts: Iterable[Key]) -> dict[Key, int]:
    """total = sum(parts), written as total - part1 - part2 ... = 0."""
    relation: dict[Key, int] = {total: -1}
    for part in parts:
        relation[part] = relation.get(part, 0) + 1
    return {key: coefficient for key, coefficient in relation.items() if coefficient}


def difference_relation(change: Key, current: Key, previous: Key) -> dict[Key, int]:
    """change = current - previous."""
    return {change: 1, current: -1, previous: 1}


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def primary(values: Mapping[Key, int], threshold: int, *, derived: Iterable[Key] = ()) -> set[Key]:
    """Counts from 1 to threshold - 1 (derived cells such as changes are not counts of people)."""
    derived = set(derived)
    return {key for key, value in values.items() if key not in derived and is_small(value, threshold)}


def _cost(values: Mapping[Key, int], key: Key) -> tuple:
    """Cheapest complement first: the smallest non-zero magnitude, then zeros, ties by the key's text."""
    value = values[key]
    return (value == 0, abs(value), repr(key))


def _complement(values, relation: Relation, suppressed: set) -> Key | None:
    candidates = [key for key in relation if key not in suppressed]
    return min(candidates, key=lambda key: _cost(values, key)) if candidates else None


def recoverable(values: Mapping[Key, int], relations: Iterable[Relation], suppressed: Iterable[Key]) -> set[Key]:
    """The suppressed cells whose value the published cells and relations fix: e_i lies in the row space of the
    relations restricted to the suppressed cells (exact, with fractions). Published values only move to the
    constant side, so they do not change which cells are fixed."""
    unknowns = sorted(set(suppressed), key=repr)
    if not unknowns:
        return set()
    column = {key: index for index, key in enumerate(unknowns)}
    rows = []
    for relation in relations:
        row = {column[key]: Fraction(c) for key, c in relation.items() if key in column and c}
        if row:
            rows.append(row)
    # Reduced row echelon form over the rationals, rows kept sparse.
    pivots: list[tuple[int, dict]] = []
    for row in rows:
        row = dict(row)
        for pivot, pivot_row in pivots:
            factor = row.get(pivot)
            if factor:
                for col, value in pivot_row.items():
                    new = row.get(col, 0) - factor * value
                    if new:
                        row[col] = new
                    else:
                        row.pop(col, None)
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {col: value / scale for col, value in row.items()}
        for index, (other_pivot, other_row) in enumerate(pivots):
            factor = other_row.get(pivot)
            if factor:
                for col, value in row.items():
                    new = other_row.get(col, 0) - factor * value
                    if new:
                        other_row[col] = new
                    else:
                        other_row.pop(col, None)
                pivots[index] = (other_pivot, other_row)
        pivots.append((pivot, row))
    return {unknowns[pivot] for pivot, row in pivots if len(row) == 1}


def suppress(
    values: Mapping[Key, int],
    relations: Iterable[Relation],
    threshold: int,
    *,
    derived: Iterable[Key] = (),
) -> frozenset:
    """The cells to show as MARK: primary, then secondary until no suppressed cell can be worked out."""
    relations = [dict(relation) for relation in relations]
    missing = {key for relation in relations for key in relation} - set(values)
    if missing:
        raise KeyError(f"Relations name cells with no value: {sorted(map(repr, missing))[:5]}")
    suppressed = primary(values, threshold, derived=derived)
    if not suppressed:
        return frozenset()
    by_key: dict[Key, list[int]] = {}
    for index, relation in enumerate(relations):
        for key in relation:
            by_key.setdefault(key, []).append(index)
    while True:
        # Secondary: no relation may hold exactly one suppressed cell.
        queue = list(range(len(relations)))
        while queue:
            index = queue.pop()
            relation = relations[index]
            if sum(1 for key in relation if key in suppressed) == 1:
                extra = _complement(values, relation, suppressed)
                if extra is not None:
                    suppressed.add(extra)
                    queue.extend(by_key.get(extra, ()))
        # Audit: nothing may be worked out by combining relations either. A cell fixed to zero reveals nobody.
        exposed = [key for key in recoverable(values, relations, suppressed) if values[key] != 0]
        if not exposed:
            return frozenset(suppressed)
        extra = _audit_complement(values, relations, by_key, suppressed, min(exposed, key=repr))
        if extra is None:  # every cell is already hidden: nothing more can be done
            return frozenset(suppressed)
        suppressed.add(extra)


def _audit_complement(values, relations, by_key, suppressed: set, exposed: Key) -> Key | None:
    """One more cell to hide so that `exposed` can no longer be worked out.

    The cheapest visible cell of a relation holding `exposed` comes first. When every such relation is already
    wholly hidden, the value is fixed through other relations: take the cheapest visible cell, from any relation
    holding a hidden cell, whose hiding makes `exposed` unrecoverable, or failing that the cheapest of them, so
    each round hides one more cell and the loop ends."""
    for index in by_key.get(exposed, ()):
        extra = _complement(values, relations[index], suppressed)
        if extra is not None:
            return extra
    candidates = sorted(
        {
            key
            for relation in relations
            if any(key in suppressed for key in relation)
            for key in relation
            if key not in suppressed
        },
        key=lambda key: _cost(values, key),
    )
    for candidate in candidates:
        if exposed not in recoverable(values, relations, suppressed | {candidate}):
            return candidate
    return candidates[0] if candidates else None


def shown(value, key: Key, suppressed) -> object:
    """The value to print: MARK for a suppressed cell."""
    return MARK if key in suppressed else value
