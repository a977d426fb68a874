"""A commissioning case started from a strategic review (issue 11, point 4 wired to issue 10, point 1): when the
review decided to re-tender or redesign the service, procurement opens the new case through planning.case_create,
pre-filled from the review's findings and the service's priorities, and tells monitoring the case was started
(monitoring.services.strategic_review_case_started), so the review leaves the list waiting for a case."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.core.services import require
from commissioning.monitoring import services as monitoring_services
from commissioning.procurement.models import CommissioningCase
from commissioning.procurement.services.planning import MANAGE, case_create

TITLE_SUFFIX = {"retender": "re-tender", "redesign": "redesign"}


def case_title(review) -> str:
    service = review.agreement.service
    return f"{service.name} ({TITLE_SUFFIX.get(review.decision, review.decision)})"[:200]


def need_summary(review) -> str:
    """The need in the review's own words: what it found and why it was decided."""
    parts = [
        f"Strategic review of {review.agreement.reference} (ending {review.agreement_ends_on:%-d %B %Y}) decided: "
        f"{review.get_decision_display().lower()}."
    ]
    for label, text in (
        ("Outcomes against objectives", review.outcomes),
        ("How it met the need", review.need_notes),
        ("Lessons learned", review.lessons),
        ("Reasons for the decision", review.decision_reasons or review.recommendation_reasons),
    ):
        if (text or "").strip():
            parts.append(f"{label}: {text.strip()}")
    return "\n\n".join(parts)


@transaction.atomic
def case_from_review(*, actor, review) -> CommissioningCase:
    require(actor, MANAGE)
    # monitoring locks the review and checks again when told; a second start at the same moment rolls back.
    if review.case_reference:
        raise ValidationError(f"Commissioning case {review.case_reference} was already started from this review")
    if not review.needs_case or review.status != review.Status.DECIDED:
        raise ValidationError("Only a review decided as a re-tender or a redesign starts a commissioning case")
    service = review.agreement.service
    case = case_create(
        actor=actor,
        title=case_title(review),
        need_summary=need_summary(review),
        contract_starts_on=review.agreement_ends_on + dt.timedelta(days=1),
        light_touch=False,
        priorities=list(service.priorities.all()),
    )
    monitoring_services.strategic_review_case_started(actor=actor, review=review, case_reference=case.reference)
    return case
