import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core.dates import FinancialYear, add_months
from commissioning.core.money import format_money, to_money


def test_money_rounds_half_up_to_pence():
    assert to_money("10.005") == Decimal("10.01")
    assert to_money("£1,250.5") == Decimal("1250.50")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        to_money(0.1)


def test_money_refuses_nonsense():
    with pytest.raises(ValueError):
        to_money("ten pounds")


def test_format_money():
    assert format_money(Decimal("1234.5")) == "£1,234.50"
    assert format_money(Decimal("-3")) == "-£3.00"
    assert format_money(None) == ""


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_money_round_trips_through_its_display(value):
    assert to_money(format_money(value).replace("-£", "-")) == value


@pytest.mark.parametrize(
    "day,label",
    [
        (dt.date(2026, 3, 31), "2025/26"),
        (dt.date(2026, 4, 1), "2026/27"),
        (dt.date(1999, 12, 31), "1999/00"),
    ],
)
def test_financial_year_for_date(day, label):
    assert FinancialYear.for_date(day).label == label


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2200, 1, 1)))
def test_every_date_lies_in_its_financial_year(day):
    year = FinancialYear.for_date(day)
    assert year.starts_on <= day <= year.ends_on
    assert FinancialYear.parse(year.label) == year


@pytest.mark.parametrize("bad", ["2025/27", "2025-26", "25/26", ""])
def test_financial_year_parse_refuses_bad_labels(bad):
    with pytest.raises(ValueError):
        FinancialYear.parse(bad)


def test_add_months_holds_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 29), 12) == dt.date(2027, 11, 29)
