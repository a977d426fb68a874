"""threshold_for and tier_for return the configuration in force on a date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning.procurement.models import ProcurementThreshold, StandingOrderTier
from commissioning.procurement.selectors import threshold_for, tier_for, tiers_on

SUB_CENTRAL = "sub_central_goods_services"


@pytest.fixture
def thresholds(db):
    for regime, amount, day in [
        ("pcr_2015", "214904", dt.date(2024, 1, 1)),
        ("pa_2023", "214904", dt.date(2025, 2, 24)),
        ("pa_2023", "207720", dt.date(2026, 1, 1)),
    ]:
        ProcurementThreshold.objects.create(
            regime=regime, category=SUB_CENTRAL, amount=Decimal(amount), effective_from=day
        )


def test_threshold_for_picks_the_one_in_force(thresholds):
    assert threshold_for("pa_2023", SUB_CENTRAL, dt.date(2025, 12, 31)).amount == Decimal("214904")
    assert threshold_for("pa_2023", SUB_CENTRAL, dt.date(2026, 1, 1)).amount == Decimal("207720")
    assert threshold_for("pa_2023", SUB_CENTRAL, dt.date(2026, 11, 24)).amount == Decimal("207720")
    assert threshold_for("pcr_2015", SUB_CENTRAL, dt.date(2026, 11, 24)).amount == Decimal("214904")


def test_threshold_for_is_none_before_the_first_or_for_another_category(thresholds):
    assert threshold_for("pa_2023", SUB_CENTRAL, dt.date(2025, 2, 23)) is None
    assert threshold_for("pa_2023", "works", dt.date(2026, 6, 1)) is None


@pytest.fixture
def tiers(db):
    old = dt.date(2017, 4, 1)
    for name, low, high in [("One price", 0, 500), ("Quotes", 500, 3000), ("Tender", 3000, None)]:
        StandingOrderTier.objects.create(name=name, min_value=low, max_value=high, route=name, effective_from=old)
    new = dt.date(2026, 4, 1)
    for name, low, high in [("One quote", 0, 10000), ("Open tender", 10000, None)]:
        StandingOrderTier.objects.create(name=name, min_value=low, max_value=high, route=name, effective_from=new)


@pytest.mark.parametrize(
    "value, day, expected",
    [
        ("0", dt.date(2020, 1, 1), "One price"),
        ("499.99", dt.date(2020, 1, 1), "One price"),
        ("500", dt.date(2020, 1, 1), "Quotes"),  # a tier includes its lower value
        (Decimal("2999.99"), dt.date(2020, 1, 1), "Quotes"),
        ("3000.00", dt.date(2020, 1, 1), "Tender"),
        ("1000000", dt.date(2026, 3, 31), "Tender"),
        ("3000", dt.date(2026, 4, 1), "One quote"),  # the newer set replaces the whole older set
        ("10000", dt.date(2026, 4, 1), "Open tender"),
    ],
)
def test_tier_for(tiers, value, day, expected):
    assert tier_for(value, day).name == expected


def test_tier_for_before_any_tiers_and_refuses_floats(tiers):
    assert tier_for("100", dt.date(2017, 3, 31)) is None
    assert tiers_on(dt.date(2017, 3, 31)) == []
    with pytest.raises(TypeError):
        tier_for(100.0, dt.date(2020, 1, 1))


def test_a_tier_needs_an_upper_value_above_its_lower(db):
    tier = StandingOrderTier(name="Bad", min_value=500, max_value=500, route="x", effective_from=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        tier.full_clean()
