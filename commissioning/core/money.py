"""Money is Decimal with two places, GBP. The one rounding rule lives here (ARCHITECTURE.md)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
# Every money DecimalField: pounds and pence up to £999,999,999,999.99 (models.DecimalField(**MONEY)).
MONEY = {"max_digits": 14, "decimal_places": 2}


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


def allocate(total, weights) -> list[Decimal]:
    """Share `total` between `weights` to the penny, so the parts add up to `total` exactly.

    Largest remainder: each part first gets its exact share rounded down to the penny; the pennies left
    over go one each to the parts that lost most in that rounding (the earlier part wins a tie). So no part
    is a penny or more away from its exact share, and none is lost or invented (93%/7% of £1,000.01 is
    £930.01 and £70.00). Weights are any non-negative numbers (percentages, counts, amounts) with a positive
    sum; a negative total is shared as its size and each part negated.
    """
    total = to_money(total)
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    exact_weights = []
    for weight in weights:
        if isinstance(weight, float):
            raise TypeError("Weights must not be floats; pass strings, ints or Decimals.")
        weight = Fraction(Decimal(weight))
        if weight < 0:
            raise ValueError("Weights must not be negative")
        exact_weights.append(weight)
    weight_sum = sum(exact_weights, Fraction(0))
    if weight_sum <= 0:
        raise ValueError("There must be at least one weight and the weights must add up to more than zero")
    pennies = int(total * 100)
    shares = [pennies * weight / weight_sum for weight in exact_weights]
    parts = [share.numerator // share.denominator for share in shares]
    left_over = pennies - sum(parts)
    by_largest_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for index in by_largest_remainder[:left_over]:
        parts[index] += 1
    return [Decimal(part).scaleb(-2) for part in parts]
