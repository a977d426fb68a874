"""The route to market worked out at every boundary: a penny either side of every tier and threshold, both regimes
by the date the procurement begins, light-touch services, stricter-never-looser choices."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.core.models import ProcurementRegimeStart
from commissioning.procurement.models import ProcurementThreshold, StandingOrderTier
from commissioning.procurement.services.route_rules import RouteProblem, check_choice, is_stricter, work_out

PCR_DAY = dt.date(2025, 2, 23)  # the last day procurements begun fall under PCR 2015
ACT_DAY = dt.date(2025, 2, 24)  # the first day under the Act (configured, not a constant)
ACT_2026 = dt.date(2026, 6, 1)  # after the Act's 2026 threshold revision
PENNY = Decimal("0.01")


@pytest.fixture
def config(db):
    ProcurementRegimeStart.objects.create(regime="pcr_2015", name="PCR 2015", applies_from=dt.date(2015, 2, 26))
    ProcurementRegimeStart.objects.create(regime="pa_2023", name="PA 2023", applies_from=ACT_DAY)
    for regime, category, amount, day in [
        ("pcr_2015", "sub_central_goods_services", "214904", dt.date(2024, 1, 1)),
        ("pcr_2015", "light_touch", "663540", dt.date(2024, 1, 1)),
        ("pcr_2015", "below_threshold_publication", "30000", dt.date(2024, 1, 1)),
        ("pa_2023", "sub_central_goods_services", "214904", ACT_DAY),
        ("pa_2023", "light_touch", "663540", ACT_DAY),
        ("pa_2023", "below_threshold_publication", "30000", ACT_DAY),
        ("pa_2023", "sub_central_goods_services", "207720", dt.date(2026, 1, 1)),
        ("pa_2023", "light_touch", "663540", dt.date(2026, 1, 1)),
    ]:
        ProcurementThreshold.objects.create(
            regime=regime, category=category, amount=Decimal(amount), effective_from=day
        )
    start = dt.date(2017, 4, 1)
    for name, low, high, quotes, tender, procedures in [
        ("One price", 0, 500, 1, False, []),
        ("More than one quote", 500, 3000, 2, False, []),
        ("Three written quotes", 3000, 20000, 3, False, []),
        ("Three quotes by e-tendering", 20000, 50000, 3, False, []),
        ("Tender", 50000, None, 3, True, ["open", "competitive_flexible"]),
    ]:
        StandingOrderTier.objects.create(
            name=name,
            min_value=low,
            max_value=high,
            route=name,
            quotes_required=quotes,
            tender_required=tender,
            procedures=procedures,
            effective_from=start,
        )


def plan(value, day=ACT_2026, light_touch=False, **kwargs):
    return work_out(value=Decimal(value), begins_on=day, light_touch=light_touch, **kwargs)


@pytest.mark.parametrize(
    "value, tier, quotes, tender",
    [
        ("499.99", "One price", 1, False),
        ("500.00", "More than one quote", 2, False),
        ("2999.99", "More than one quote", 2, False),
        ("3000.00", "Three written quotes", 3, False),
        ("19999.99", "Three written quotes", 3, False),
        ("20000.00", "Three quotes by e-tendering", 3, False),
        ("49999.99", "Three quotes by e-tendering", 3, False),
        ("50000.00", "Tender", 3, True),
    ],
)
def test_every_tier_boundary_a_penny_either_side(config, value, tier, quotes, tender):
    result = plan(value)
    assert (result.tier.name, result.quotes_required, result.tender_required) == (tier, quotes, tender)
    assert not result.above_threshold
    assert result.standstill == ""


@pytest.mark.parametrize(
    "day, regime, threshold",
    [
        (PCR_DAY, "pcr_2015", Decimal("214904")),
        (ACT_DAY, "pa_2023", Decimal("214904")),
        (dt.date(2025, 12, 31), "pa_2023", Decimal("214904")),
        (dt.date(2026, 1, 1), "pa_2023", Decimal("207720")),
    ],
)
def test_the_regime_and_threshold_follow_the_date_the_procurement_begins(config, day, regime, threshold):
    below, at = plan(threshold - PENNY, day), plan(threshold, day)
    assert below.regime == at.regime == regime
    assert below.threshold == at.threshold == threshold
    assert not below.above_threshold and at.above_threshold
    assert at.standstill == ("8 working days" if regime == "pa_2023" else "10 calendar days")
    assert below.standstill == ""


def test_light_touch_services_have_their_own_threshold(config):
    for day in (PCR_DAY, ACT_2026):
        below = plan(Decimal("663540") - PENNY, day, light_touch=True)
        at = plan("663540", day, light_touch=True)
        assert below.threshold == Decimal("663540") and not below.above_threshold
        assert at.above_threshold and at.tender_required
    # The same value for ordinary services is well above their threshold.
    assert plan("663539.99").above_threshold


def test_procedures_follow_the_regime(config):
    assert plan("300000", ACT_2026).procedures == ("open", "competitive_flexible")
    assert plan("300000", PCR_DAY).procedures == ("open",)  # no competitive flexible procedure before the Act


def test_notices_under_the_act(config):
    kinds = lambda p: [n.kind for n in p.notices]  # noqa: E731
    assert kinds(plan("29999.99")) == []
    assert kinds(plan("30000.00")) == ["contract_details"]  # regulated below-threshold contract
    assert kinds(plan("60000")) == ["tender", "contract_details"]  # an advertised below-threshold tender
    above = Decimal("207720")
    assert kinds(plan(above)) == ["tender", "contract_award", "contract_details"]
    assert kinds(plan(above, market_engagement=True))[0] == "preliminary_market_engagement"
    assert kinds(plan(above, direct_award=True)) == ["transparency", "contract_details"]


def test_notices_under_the_2015_regulations(config):
    kinds = lambda p: [n.kind for n in p.notices]  # noqa: E731
    assert kinds(plan("29999.99", PCR_DAY)) == []
    assert kinds(plan("30000", PCR_DAY)) == ["below_threshold"]
    assert kinds(plan("214904", PCR_DAY)) == ["tender", "contract_award"]


def test_no_configuration_means_no_route(config):
    with pytest.raises(RouteProblem):
        plan("1000", dt.date(2015, 2, 25))  # before any configured regime
    ProcurementRegimeStart.objects.all().delete()
    with pytest.raises(RouteProblem):
        plan("1000")


def test_floats_are_refused(config):
    with pytest.raises(TypeError):
        work_out(value=1000.0, begins_on=ACT_2026, light_touch=False)


def test_a_stricter_route_is_allowed_a_looser_never(config):
    quotes_plan = plan("3000")  # three written quotes
    check_choice(quotes_plan, route="quotes", quotes=3)
    check_choice(quotes_plan, route="quotes", quotes=5)
    assert is_stricter(quotes_plan, route="quotes", quotes=5)
    check_choice(quotes_plan, route="open")  # a tender is stricter than quotes
    assert is_stricter(quotes_plan, route="open")
    with pytest.raises(RouteProblem, match="at least 3"):
        check_choice(quotes_plan, route="quotes", quotes=2)
    tender_plan = plan("50000")
    with pytest.raises(RouteProblem, match="not enough"):
        check_choice(tender_plan, route="quotes", quotes=10)
    check_choice(tender_plan, route="competitive_flexible")
    with pytest.raises(RouteProblem, match="exemption"):
        check_choice(tender_plan, route="direct_award")
    with pytest.raises(RouteProblem, match="not allowed"):
        check_choice(plan("300000", PCR_DAY), route="competitive_flexible")


def test_a_tier_may_limit_the_procedures(config):
    StandingOrderTier.objects.filter(name="Tender").update(procedures=["open"])
    result = plan("60000")
    assert result.procedures == ("open",)
    with pytest.raises(RouteProblem):
        check_choice(result, route="competitive_flexible")
