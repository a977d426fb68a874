"""Money is Decimal with two places, GBP. The one rounding rule lives here (ARCHITECTURE.md)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")


def to_money(value) -> Decimal:
    """Turn a str, int or Decimal into pounds and pence, rounding half up. Floats are refused."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a string or Decimal.")
    if isinstance(value, str):
        value = value.strip().replace("£", "").replace(",", "")
    try:
        return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an amount of money") from exc


def format_money(value) -> str:
    """£1,234.56; whole pounds keep their pence so columns line up."""
    if value is None or value == "":
        return ""
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
