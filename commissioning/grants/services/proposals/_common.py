"""What the one-off proposal services share: the scores, reading money and text, and locking an approach."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from commissioning.core.money import to_money
from commissioning.grants.models import Approach

MONEY_INVALID = "Enter an amount in pounds and pence, like 1250.50"
SCORE_FIELDS = ("fit_with_priorities", "evidence_of_need", "value_for_money", "deliverability")
# Written descriptors for the 0 to 5 scores (DOMAIN.md, "Evaluation conventions": 0 no answer ... 5 excellent).
SCORE_DESCRIPTORS = {
    0: "No evidence: the proposal does not address this",
    1: "Poor: serious gaps or concerns",
    2: "Weak: some gaps or concerns",
    3: "Satisfactory: meets what is needed",
    4: "Good: meets what is needed, with some strengths",
    5: "Excellent: clear strengths, well evidenced",
}


def lock_approach(approach: Approach) -> Approach:
    return Approach.objects.select_for_update().select_related("organisation").get(pk=approach.pk)


def money(value, errors: dict, field: str, *, required: str | None = None) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors[field] = required
        return None
    try:
        amount = to_money(value)
    except (TypeError, ValueError):
        errors[field] = MONEY_INVALID
        return None
    if amount <= 0:
        errors[field] = "Enter an amount more than £0.00"
    return amount


def clean_text(value) -> str:
    return (value or "").strip()


def status_error(approach: Approach, doing: str) -> ValidationError:
    return ValidationError(f"{approach.reference} is {approach.get_status_display().lower()}, so it cannot {doing} now")
