"""The one amount parser (core.money.parse_amount) behind every MoneyField and the imports (issue 13 point 6;
issue 9 point 5): what people type that is not an amount is refused with the GOV.UK message, and amounts past
what a money column holds get a plain message in pounds."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core.forms import MoneyField
from commissioning.core.money import AmountError, format_money, money_limit, parse_amount, to_money

FORMAT = "Enter an amount in pounds and pence, like 1250.50"
TOO_LARGE = "Enter an amount less than £1,000,000,000,000"


def errors_for(value, **kwargs):
    field = MoneyField(**kwargs)
    try:
        field.clean(value)
    except Exception as error:  # django.forms.ValidationError
        return error.messages
    return []


@pytest.mark.parametrize(
    "text",
    [
        "1e3",
        "1E3",
        "£1,0,0,0",
        "1_000",
        "١٠٠٠",  # Arabic-Indic digits
        "１０００",  # full-width digits
        "१०००",  # Devanagari digits
        "1.000,50",
        "10,00",
        "NaN",
        "Infinity",
        "£",
        "-",
        "1,000,00",
        "--5",
        "-£-5",
        "5-",
        "0x10",
    ],
)
def test_what_is_not_an_amount_gets_the_govuk_message(text):
    assert errors_for(text) == [FORMAT]
    with pytest.raises(ValueError):
        to_money(text)


@pytest.mark.parametrize(
    "text,amount",
    [
        ("1250", "1250.00"),
        ("1250.5", "1250.50"),
        ("£1,250.50", "1250.50"),
        (" £ 1,250.50 ", "1250.50"),
        ("-£40", "-40.00"),
        ("£-40", "-40.00"),
        (".50", "0.50"),
        ("1,000,000", "1000000.00"),
    ],
)
def test_amounts_people_type(text, amount):
    assert MoneyField().clean(text) == Decimal(amount)


def test_the_largest_amount_and_one_penny_more():
    assert MoneyField().clean("999,999,999,999.99") == Decimal("999999999999.99")
    assert errors_for("1,000,000,000,000.00") == [TOO_LARGE]
    assert errors_for("1000000000000") == [TOO_LARGE]
    assert errors_for("12345678901234567890123") == [TOO_LARGE]
    assert errors_for("-1000000000000") == ["Enter an amount more than -£1,000,000,000,000"]


def test_the_largest_is_derived_from_the_field():
    assert money_limit(14, 2) == Decimal("1000000000000")
    assert errors_for("100000000", max_digits=10, decimal_places=2) == ["Enter an amount less than £100,000,000"]
    assert MoneyField(max_digits=10, decimal_places=2).clean("99999999.99") == Decimal("99999999.99")


def test_one_decimal_point_too_many_is_about_pence_not_format():
    assert errors_for("1.005") == ["Enter an amount with no more than 2 decimal places (pence)"]
    assert errors_for("1.000,50") == [FORMAT]


def test_parse_amount_says_why():
    with pytest.raises(AmountError) as error:
        parse_amount("1e3")
    assert error.value.code == "invalid"
    with pytest.raises(AmountError) as error:
        parse_amount("1000000000000")
    assert (error.value.code, error.value.message) == ("too_large", TOO_LARGE)


@given(st.decimals(min_value=-(10**12) + Decimal("0.01"), max_value=10**12 - Decimal("0.01"), places=2))
def test_every_amount_shown_reads_back(value):
    shown = format_money(value)
    assert MoneyField().clean(shown) == value
    assert parse_amount(shown.replace("£", "").replace(",", "")) == value
