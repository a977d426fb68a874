"""Helpers the register's services share: validating and saving with history, money and references."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr

from commissioning.core.money import money_limit, to_money, too_large_message
from commissioning.core.services import attribute, validate

REFERENCE_ATTEMPTS = 5

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


def save(instance, *, actor, reason: str = "", errors: dict | None = None, exclude=None) -> None:
    """full_clean, then save with who and why in the history. Errors the service found first win over
    Django's own for the same field. Constraints are not re-checked here: each has a rule in the service in
    words people can act on, and the database still enforces them."""
    validate(instance, errors=errors, exclude=exclude, required_messages=REQUIRED_MESSAGES, validate_constraints=False)
    attribute(instance, actor=actor, reason=reason)
    instance.save()


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


def next_reference(model, prefix: str) -> str:
    """The next reference after the highest with this prefix: SVC-0001, AGR-2026-0001."""
    last = model.objects.filter(reference__regex=rf"^{prefix}[0-9]+$").aggregate(
        number=Max(Cast(Substr("reference", len(prefix) + 1), IntegerField()))
    )["number"]
    return f"{prefix}{(last or 0) + 1:04d}"


def save_with_reference(instance, *, prefix: str, actor, reason: str, errors: dict) -> None:
    """Number and save; a clash with a record numbered at the same moment is retried (unique constraint)."""
    for attempt in range(REFERENCE_ATTEMPTS):
        instance.reference = next_reference(type(instance), prefix)
        try:
            with transaction.atomic():
                save(instance, actor=actor, reason=reason, errors=errors, exclude=["reference"])
        except IntegrityError:
            instance.pk = None
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
        else:
            return
