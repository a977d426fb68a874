"""Funds: ring-fences need a purpose; a parent's split adds up to 100% on each date."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning.funds.models import Fund, FundSplit
from commissioning.funds.selectors import fund_split_on
from commissioning.funds.services import fund_split_set, split_share_problems

APRIL_2017 = dt.date(2017, 4, 1)


@pytest.fixture
def victims(db):
    parent = Fund.objects.create(code="victims-fund", name="Victims Fund")
    core = Fund.objects.create(code="core-victims-fund", name="Core Victims Fund", parent=parent)
    csa = Fund.objects.create(
        code="victims-csa",
        name="Child Sexual Abuse fund",
        parent=parent,
        is_ring_fenced=True,
        ring_fence_purpose="Victims of child sexual abuse only",
    )
    return parent, core, csa


def test_a_ring_fenced_fund_needs_its_purpose(db):
    fund = Fund(code="isva", name="ISVA", is_ring_fenced=True)
    with pytest.raises(ValidationError) as caught:
        fund.full_clean()
    assert "ring_fence_purpose" in caught.value.message_dict


def test_a_fund_cannot_be_its_own_ancestor(victims):
    parent, core, _ = victims
    parent.parent = core
    with pytest.raises(ValidationError):
        parent.full_clean()


def test_split_set_creates_then_reports_unchanged(victims):
    parent, core, csa = victims
    shares = {core: Decimal("93.00"), csa: Decimal("7.00")}
    assert fund_split_set(parent=parent, effective_from=APRIL_2017, shares=shares)["created"] == 2
    assert fund_split_set(parent=parent, effective_from=APRIL_2017, shares=shares)["unchanged"] == 2
    assert fund_split_on(parent=parent, on_date=dt.date(2026, 1, 1)) == shares
    assert fund_split_on(parent=parent, on_date=dt.date(2017, 3, 31)) == {}


def test_split_set_refuses_shares_not_adding_to_100(victims):
    parent, core, csa = victims
    with pytest.raises(ValidationError) as caught:
        fund_split_set(parent=parent, effective_from=APRIL_2017, shares={core: Decimal("93"), csa: Decimal("6")})
    assert "add up to 99%, not 100%" in " ".join(caught.value.messages)
    assert not FundSplit.objects.exists()


def test_split_set_replaces_the_split_of_that_date(victims):
    parent, core, csa = victims
    fund_split_set(parent=parent, effective_from=APRIL_2017, shares={core: Decimal("93"), csa: Decimal("7")})
    counts = fund_split_set(parent=parent, effective_from=APRIL_2017, shares={core: Decimal("100")})
    assert counts == {"created": 0, "updated": 1, "unchanged": 0, "deleted": 1}
    assert fund_split_on(parent=parent, on_date=APRIL_2017) == {core: Decimal("100.00")}


def test_a_newer_split_takes_over_from_its_date(victims):
    parent, core, csa = victims
    fund_split_set(parent=parent, effective_from=APRIL_2017, shares={core: Decimal("93"), csa: Decimal("7")})
    fund_split_set(parent=parent, effective_from=dt.date(2025, 4, 1), shares={core: Decimal("90"), csa: Decimal("10")})
    assert fund_split_on(parent=parent, on_date=dt.date(2025, 3, 31))[csa] == Decimal("7.00")
    assert fund_split_on(parent=parent, on_date=dt.date(2025, 4, 1))[csa] == Decimal("10.00")


def test_share_problems():
    assert split_share_problems({"a": Decimal("50"), "b": Decimal("50")}) == []
    assert split_share_problems({"a": Decimal("0"), "b": Decimal("100")})[0].startswith("the share for a is 0%")
    assert "more than two decimal places" in split_share_problems({"a": Decimal("99.995"), "b": Decimal("0.005")})[0]


def test_a_share_is_more_than_0_and_at_most_100_percent(victims):
    parent, core, _ = victims
    split = FundSplit(parent=parent, child=core, percentage=Decimal("100.01"), effective_from=APRIL_2017)
    with pytest.raises(ValidationError):
        split.full_clean()
