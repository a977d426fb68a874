"""Helpers the register's services share: validating and saving with history, money and references."""

from decimal import Decimal
from functools import partial

from commissioning.core.money import money_limit, to_money, too_large_message
from commissioning.core.services import save_with_history
from commissioning.core.services import save_with_reference as core_save_with_reference

MONEY_INVALID = "Enter an amount in pounds and pence, like 1250.50"


# What to say when a required value is missing and no rule above has said it already.
REQUIRED_MESSAGES = {
    "name": "Enter the name of the service",
    "purpose": "Enter what the service is for",
    "approach": "Select the approach the service came from",
    "starts_on": "Enter the start date",
    "ends_on": "Enter the end date",
    "kind": "Select the type",
    "regime": "Select the legal regime of the agreement",
    "description": "Describe the variation and why it is needed",
    "organisation": "Select the organisation",
}


# Every register write: full_clean with the messages above, then save with who and why in the history.
# Constraints are not re-checked here: each has a rule in the service in words people can act on, and the
# database still enforces them.
save = partial(save_with_history, required_messages=REQUIRED_MESSAGES, validate_constraints=False)
save_with_reference = partial(core_save_with_reference, save=save)


def money(value, errors: dict, field: str, *, required_message: str) -> Decimal | None:
    if value is None or value == "":
        errors[field] = required_message
        return None
    try:
        amount = to_money(value)
    except (ValueError, TypeError):
        errors[field] = MONEY_INVALID
        return None
    if abs(amount) >= money_limit():
        errors[field] = too_large_message(negative=amount < 0)
        return None
    return amount
