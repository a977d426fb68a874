"""Small-number suppression (reporting/suppression.py): nothing below the threshold is shown, and no suppressed
figure can be worked out from what is shown, by subtracting visible parts from a total, by a change column, or
by combining two tables side by side.

The attacker here is written independently of the module: `subtract` solves any relation with one unknown left,
again and again, which is what a reader with a calculator does.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.reporting.suppression import (
    MARK,
    difference_relation,
    primary,
    recoverable,
    shown,
    suppress,
    total_relation,
)


def subtract(values, relations, suppressed) -> dict:
    """What a reader recovers by repeatedly solving relations with one unknown left."""
    known = {key: value for key, value in values.items() if key not in suppressed}
    found = {}
    changed = True
    while changed:
        changed = False
        for relation in relations:
            unknown = [key for key in relation if key not in known]
            if len(unknown) == 1:
                (key,) = unknown
                rest = sum(c * known[k] for k, c in relation.items() if k != key)
                known[key] = found[key] = -rest // relation[key]
                changed = True
    return found


def table(prefix, grid):
    """A table of counts with row totals, column totals and a grand total, as cells and relations."""
    values, relations = {}, []
    rows, cols = len(grid), len(grid[0])
    for r in range(rows):
        for c in range(cols):
            values[(prefix, r, c)] = grid[r][c]
    for r in range(rows):
        values[(prefix, r, "total")] = sum(grid[r])
        relations.append(total_relation((prefix, r, "total"), [(prefix, r, c) for c in range(cols)]))
    for c in range(cols):
        values[(prefix, "total", c)] = sum(grid[r][c] for r in range(rows))
        relations.append(total_relation((prefix, "total", c), [(prefix, r, c) for r in range(rows)]))
    values[(prefix, "total", "total")] = sum(map(sum, grid))
    relations.append(total_relation((prefix, "total", "total"), [(prefix, r, "total") for r in range(rows)]))
    relations.append(total_relation((prefix, "total", "total"), [(prefix, "total", c) for c in range(cols)]))
    return values, relations


counts = st.integers(min_value=0, max_value=40)
grids = st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=6)
)


def test_a_total_minus_the_visible_parts_does_not_reveal_the_small_one():
    values = {"A": 3, "B": 20, "C": 30, "total": 53}
    relations = [total_relation("total", ["A", "B", "C"])]
    hidden = suppress(values, relations, 5)
    assert "A" in hidden
    assert "B" in hidden  # the next smallest, so 53 - 30 leaves A + B, not A
    assert "C" not in hidden and "total" not in hidden
    assert subtract(values, relations, hidden) == {}
    assert [shown(values[k], k, hidden) for k in ("A", "B", "C", "total")] == [MARK, MARK, 30, 53]


def test_the_change_column_does_not_reveal_this_periods_small_figure():
    values = {"now": 2, "before": 40, "change": -38, "total_now": 52, "other_now": 50}
    relations = [difference_relation("change", "now", "before"), total_relation("total_now", ["now", "other_now"])]
    hidden = suppress(values, relations, 5, derived=["change"])
    assert {"now", "change", "other_now"} <= hidden or {"now", "change", "total_now"} <= hidden
    assert subtract(values, relations, hidden) == {}


def test_two_tables_side_by_side_do_not_reveal_a_cell():
    # Area totals are published in the summary (areas add up to the grand total) and in the demographic table
    # (categories add up to the area's total). Suppressing only within each table would let the summary give
    # the area total back and the demographic table then give the small category.
    summary = {("area", "A"): 12, ("area", "B"): 30, "grand": 42}
    demographic = {("cat", "A", "women"): 9, ("cat", "A", "men"): 3, ("cat", "B", "women"): 15, ("cat", "B", "men"): 15}
    values = {**summary, **demographic}
    relations = [
        total_relation("grand", [("area", "A"), ("area", "B")]),
        total_relation(("area", "A"), [("cat", "A", "women"), ("cat", "A", "men")]),
        total_relation(("area", "B"), [("cat", "B", "women"), ("cat", "B", "men")]),
    ]
    hidden = suppress(values, relations, 5)
    assert ("cat", "A", "men") in hidden
    assert subtract(values, relations, hidden) == {}
    assert not {key for key in recoverable(values, relations, hidden) if values[key]}


def test_a_bridge_between_two_hidden_cycles_is_caught_by_the_audit():
    # Every relation holds two hidden cells, yet three relations together fix a cell: a + b, a + c and b + c
    # are all known, so a = ((a + b) + (a + c) - (b + c)) / 2. Greedy secondary suppression alone misses this.
    values = {"a": 2, "b": 6, "c": 7, "ab": 8, "ac": 9, "bc": 13}
    relations = [total_relation("ab", ["a", "b"]), total_relation("ac", ["a", "c"]), total_relation("bc", ["b", "c"])]
    assert recoverable(values, relations, {"a", "b", "c"}) == {"a", "b", "c"}
    hidden = suppress(values, relations, 5)
    assert not {key for key in recoverable(values, relations, hidden) if values[key]}


def test_nothing_small_means_nothing_hidden_and_zero_is_shown():
    values = {"A": 0, "B": 20, "total": 20}
    assert suppress(values, [total_relation("total", ["A", "B"])], 5) == frozenset()


def test_a_threshold_of_one_suppresses_nothing():
    values = {"A": 1, "B": 2, "total": 3}
    assert suppress(values, [total_relation("total", ["A", "B"])], 1) == frozenset()


@settings(max_examples=150, deadline=None)
@given(grids, st.integers(min_value=1, max_value=11))
def test_no_suppressed_count_can_be_recovered_from_a_table_with_totals(grid, threshold):
    values, relations = table("t", grid)
    hidden = suppress(values, relations, threshold)
    assert primary(values, threshold) <= hidden
    recovered = subtract(values, relations, hidden)
    assert all(values[key] == 0 for key in recovered), recovered
    assert not {key for key in recoverable(values, relations, hidden) if values[key]}


@settings(max_examples=100, deadline=None)
@given(grids, grids, st.integers(min_value=2, max_value=11))
def test_two_linked_tables_and_a_comparison_reveal_nothing(first, second, threshold):
    """Two tables sharing their grand total (two breakdowns of the same people), and a change column comparing
    each of the first table's row totals with the second's first rows."""
    first, second = [list(row) for row in first], [list(row) for row in second]
    gap = sum(map(sum, first)) - sum(map(sum, second))  # the same people: make the grand totals agree
    if gap > 0:
        second[0][0] += gap
    else:
        first[0][0] -= gap
    values_a, relations_a = table("a", first)
    values_b, relations_b = table("b", second)
    values = {**values_a, **values_b}
    relations = relations_a + relations_b
    # The same people broken down two ways: the grand totals are one published figure.
    relations = [
        {(("a", "total", "total") if k == ("b", "total", "total") else k): c for k, c in relation.items()}
        for relation in relations
    ]
    del values[("b", "total", "total")]
    derived = []
    for r in range(min(len(first), len(second))):
        change = ("change", r)
        values[change] = values[("a", r, "total")] - values[("b", r, "total")]
        relations.append(difference_relation(change, ("a", r, "total"), ("b", r, "total")))
        derived.append(change)
    hidden = suppress(values, relations, threshold, derived=derived)
    assert primary(values, threshold, derived=derived) <= hidden
    assert not any(values[key] for key in subtract(values, relations, hidden))
    assert not {key for key in recoverable(values, relations, hidden) if values[key]}


@settings(max_examples=100, deadline=None)
@given(grids, st.integers(min_value=1, max_value=11))
def test_recoverable_finds_everything_subtraction_finds(grid, threshold):
    values, relations = table("t", grid)
    hidden = set(primary(values, threshold))
    assert set(subtract(values, relations, hidden)) <= recoverable(values, relations, hidden)
