"""The pre-year review of the Commissioner's Safety Fund (issue 4, point 5; seed, Section 3)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.agreements import selectors
from commissioning.agreements.models import SafetyFundReview, SafetyFundReviewLine
from commissioning.agreements.services._common import money, save
from commissioning.core.money import format_money
from commissioning.core.services import require
from commissioning.funds import services as fund_services


@transaction.atomic
def safety_fund_review_prepare(*, actor, fund, year) -> SafetyFundReview:
    """List the ongoing agreements of two years or more that run into the coming year, each with its expected
    spend in that year: the agreement's value shared over its days (seed, Section 3: "The OPCC commissioning
    team review all ongoing budgets prior to the start of the financial year to establish the expected spend")."""
    require(actor, "agreements.prepare_review")
    errors = {}
    if fund is None:
        errors["fund"] = "Select the fund"
    if year is None:
        errors["year"] = "Select the financial year"
    elif year.status != year.Status.OPEN:
        errors["year"] = f"{year.label} is closed. Select an open year"
    elif fund is not None and SafetyFundReview.objects.filter(fund=fund, year=year).exists():
        errors["year"] = f"{fund.name} already has a pre-year review for {year.label}"
    if errors:
        raise ValidationError(errors)
    review = SafetyFundReview(fund=fund, year=year, prepared_by=actor)
    save(review, actor=actor, reason="Review prepared")
    for agreement in selectors.agreements_for_safety_fund_review(fund=fund, year=year):
        line = SafetyFundReviewLine(
            review=review,
            agreement=agreement,
            expected_spend=selectors.expected_spend_in_year(agreement, year.fy),
        )
        save(line, actor=actor, reason="Worked out from the agreement")
    return review


def _require_review_editable(review: SafetyFundReview) -> None:
    if review.status not in (SafetyFundReview.Status.DRAFT, SafetyFundReview.Status.RETURNED):
        raise ValidationError(f"The review is {review.get_status_display().lower()}. It can no longer be changed")


@transaction.atomic
def safety_fund_review_adjust_line(*, actor, line: SafetyFundReviewLine, adjusted_spend, reason: str = ""):
    """Change a line's expected spend, with the reason (shown to the approver). A blank amount removes the
    adjustment, going back to the worked-out figure."""
    require(actor, "agreements.prepare_review", line.review)
    line = SafetyFundReviewLine.objects.select_for_update().select_related("review").get(pk=line.pk)
    _require_review_editable(line.review)
    errors = {}
    reason = (reason or "").strip()
    if adjusted_spend is None or adjusted_spend == "":
        line.adjusted_spend, line.adjustment_reason = None, ""
        save(line, actor=actor, reason="Adjustment removed")
        return line
    amount = money(adjusted_spend, errors, "adjusted_spend", required_message="Enter the expected spend")
    if amount is not None and amount < 0:
        errors["adjusted_spend"] = "Enter an amount of £0 or more"
    if not reason:
        errors["adjustment_reason"] = "Enter why the expected spend is being changed"
    elif len(reason) > 300:
        errors["adjustment_reason"] = "The reason must be 300 characters or fewer"
    line.adjusted_spend, line.adjustment_reason = amount, reason
    save(line, actor=actor, reason=reason, errors=errors)
    return line


@transaction.atomic
def safety_fund_review_submit(*, actor, review: SafetyFundReview) -> SafetyFundReview:
    """Send the review's total to the Senior Management Team for approval."""
    require(actor, "agreements.prepare_review", review)
    review = SafetyFundReview.objects.select_for_update().get(pk=review.pk)
    _require_review_editable(review)
    review.status = SafetyFundReview.Status.SUBMITTED
    review.submitted_at = timezone.now()
    review.decided_by, review.decided_at = None, None
    total = selectors.review_total(review)
    save(review, actor=actor, reason=f"Submitted for approval: {format_money(total)}")
    return review


@transaction.atomic
def safety_fund_review_decide(*, actor, review: SafetyFundReview, approve: bool, note: str = "") -> SafetyFundReview:
    """Approve the review, which sets the fund's budget for the year to its total (seed, Section 3: "The funding
    allocation to this budget is set by the anticipated expenditure from ongoing projects"), or return it
    with what needs to change. The CFO, or the Chief Executive or Director of Operations, decides."""
    require(actor, "agreements.decide_review", review)
    review = SafetyFundReview.objects.select_for_update().select_related("fund", "year").get(pk=review.pk)
    if review.status != SafetyFundReview.Status.SUBMITTED:
        raise ValidationError(f"The review is {review.get_status_display().lower()}, not waiting for a decision")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"decision_note": "Enter what needs to change before the review can be approved"})
    if len(note) > 300:
        raise ValidationError({"decision_note": "The note must be 300 characters or fewer"})
    review.status = SafetyFundReview.Status.APPROVED if approve else SafetyFundReview.Status.RETURNED
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.decision_note = note
    save(review, actor=actor, reason=note or ("Approved" if approve else "Returned"))
    if approve:
        total = selectors.review_total(review)
        fund_services.budget_set_total(
            actor=actor,
            fund=review.fund,
            year=review.year,
            amount=total,
            reason=f"Pre-year review of ongoing agreements for {review.year.label} approved",
        )
    return review
