"""Money is Decimal with two places, GBP. The one rounding rule lives here (ARCHITECTURE.md)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
# Every money column in the project is DecimalField(**MONEY): pounds and pence up to £999,999,999,999.99.
MAX_DIGITS, DECIMAL_PLACES = 14, 2
MONEY = {"max_digits": MAX_DIGITS, "decimal_places": DECIMAL_PLACES}

# What a person may type as an amount: an optional minus sign and pound sign (either order), then whole pounds
# either as plain ASCII digits or with a comma between every three, then optionally a point and pence. So
# "1e3", "1_000", "£1,0,0,0", "1.000,50" and digits of other scripts ("١٠٠٠") are not amounts (Python's
# Decimal would take most of them).
AMOUNT_PATTERN = re.compile(
    r"^(?P<sign>-?)£?(?P<sign2>-?)(?P<pounds>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<pence>[0-9]+))?$", re.ASCII
)
NOT_AN_AMOUNT = "Enter an amount in pounds and pence, like 1250.50"


class AmountError(ValueError):
    """Why some text is not an amount this project can hold; `message` is the GOV.UK error message to show."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def money_limit(max_digits: int = MAX_DIGITS, decimal_places: int = DECIMAL_PLACES) -> Decimal:
    """The first amount too large for a DecimalField(max_digits, decimal_places): £1,000,000,000,000 for 14/2."""
    return Decimal(10) ** (max_digits - decimal_places)


def too_large_message(max_digits: int = MAX_DIGITS, decimal_places: int = DECIMAL_PLACES, *, negative=False) -> str:
    limit = f"£{money_limit(max_digits, decimal_places):,}"
    return f"Enter an amount more than -{limit}" if negative else f"Enter an amount less than {limit}"


def check_within_limit(amount: Decimal, *, max_digits: int = MAX_DIGITS, decimal_places: int = DECIMAL_PLACES):
    """Raise AmountError when `amount` is too large (either way) for a money column; return it otherwise."""
    if abs(amount) >= money_limit(max_digits, decimal_places):
        raise AmountError(too_large_message(max_digits, decimal_places, negative=amount < 0), "too_large")
    return amount


def _amount_text(text: str) -> tuple[Decimal, int]:
    """(the amount, its number of decimal places) from what a person typed; AmountError if it is not one."""
    compact = text.strip().replace(" ", "")
    match = AMOUNT_PATTERN.match(compact)
    if not match or (match["sign"] and match["sign2"]) or not (match["pounds"] or match["pence"]):
        raise AmountError(NOT_AN_AMOUNT, "invalid")
    pounds = match["pounds"].replace(",", "") or "0"
    pence = match["pence"] or ""
    sign = "-" if (match["sign"] or match["sign2"]) else ""
    return Decimal(f"{sign}{pounds}.{pence or '0'}"), len(pence)


def parse_amount(text: str, *, max_digits: int = MAX_DIGITS, decimal_places: int = DECIMAL_PLACES) -> Decimal:
    """The project's one parser for an amount typed by a person or read from an uploaded file.

    Accepts 1250, 1250.5, £1,250.50 and -£40; refuses anything else with the GOV.UK message (AmountError), more
    than `decimal_places` pence digits, and amounts a DecimalField(max_digits, decimal_places) cannot hold, with
    the plain "Enter an amount less than £1,000,000,000,000" (derived from the field, not written in).
    """
    amount, places = _amount_text(text)
    if places > decimal_places:
        raise AmountError("Enter an amount with no more than 2 decimal places (pence)", "max_decimal_places")
    check_within_limit(amount, max_digits=max_digits, decimal_places=decimal_places)
    return amount.quantize(Decimal(1).scaleb(-decimal_places))


def to_money(value) -> Decimal:
    """Turn a str, int or Decimal into pounds and pence, rounding half up. Floats are refused; text must be an
    amount as parse_amount reads it (though it may have more decimal places, rounded here)."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a string or Decimal.")
    if isinstance(value, str):
        value, _ = _amount_text(value)
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
