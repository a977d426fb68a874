"""allocate(): shares of money to the penny (splits such as 93%/7%, payment schedules)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.core.money import allocate


def test_93_7_split_of_an_odd_amount_loses_no_penny():
    assert allocate(Decimal("1000.01"), [Decimal("93"), Decimal("7")]) == [Decimal("930.01"), Decimal("70.00")]


def test_left_over_pennies_go_to_the_largest_remainders_then_the_earliest():
    assert allocate("100.00", [1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert allocate("0.02", [1, 1, 1]) == [Decimal("0.01"), Decimal("0.01"), Decimal("0.00")]
    assert allocate("10.00", [1, 2]) == [Decimal("3.33"), Decimal("6.67")]


def test_a_zero_weight_gets_nothing():
    assert allocate("5.00", [0, 1]) == [Decimal("0.00"), Decimal("5.00")]


def test_a_negative_total_is_shared_as_negatives():
    assert allocate("-0.05", [1, 1, 1]) == [Decimal("-0.02"), Decimal("-0.02"), Decimal("-0.01")]


def test_parts_have_two_places():
    assert [str(p) for p in allocate("12000", ["93", "7"])] == ["11160.00", "840.00"]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_it_refuses_weights_that_cannot_share(weights):
    with pytest.raises(ValueError):
        allocate("1.00", weights)


def test_it_refuses_floats():
    with pytest.raises(TypeError):
        allocate("1.00", [0.93, 0.07])
    with pytest.raises(TypeError):
        allocate(1.0, [1])


money = st.decimals(min_value=Decimal("-10000000"), max_value=Decimal("10000000"), places=2, allow_nan=False)
weight = st.one_of(
    st.integers(min_value=0, max_value=1000),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=500, deadline=None)
@given(total=money, weights=st.lists(weight, min_size=1, max_size=12).filter(lambda ws: sum(ws) > 0))
def test_allocate_sums_exactly_and_each_part_is_within_a_penny_of_its_share(total, weights):
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts, Decimal("0")) == total
    weight_sum = sum(Fraction(Decimal(w)) for w in weights)
    for part, w in zip(parts, weights, strict=True):
        assert part == part.quantize(Decimal("0.01"))
        exact = Fraction(total) * Fraction(Decimal(w)) / weight_sum
        assert abs(Fraction(part) - exact) < Fraction(1, 100)
