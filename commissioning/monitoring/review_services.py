"""Every write of strategic reviews, exits and Procurement Act contract management (issue 11, points 4 to 6),
with the rules they share (which agreements are due for review; which contracts need three KPIs and a yearly
assessment). services.py re-exports the public functions, so other apps import them from there.

Each write checks permission, runs in a transaction and records who and why (django-simple-history)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement, AgreementVariation, Service
from commissioning.core.authority import acting_with_authority
from commissioning.core.dates import add_months, long_date
from commissioning.core.money import to_money
from commissioning.core.services import attribute, require, save_with_history
from commissioning.monitoring.models import KpiReturn, ServiceKpi
from commissioning.monitoring.review_models import (
    DEFAULT_DECIDING_ROLE,
    DEFAULT_WINDOW_MONTHS,
    ContractAssessment,
    ContractManagementRule,
    Recommendation,
    ReviewStatus,
    StrategicReview,
    StrategicReviewRule,
)
from commissioning.strategy import services as strategy_services
from commissioning.strategy.models import LegalBasis

# The Procurement Act 2023's contract KPI duties took effect with the Act (24 February 2025): used when the
# profile has loaded no rule.
DEFAULT_CONTRACT_RULE = (dt.date(2025, 2, 24), Decimal("5000000.00"), 3)
# A decision on a review carries out these steps in other apps (docs/decisions/0003): the decision record, the
# extension asked for through the variation service, and the service's status.
REVIEW_DECISION_CARRIES_OUT = (
    "strategy.add_decisionrecord",
    "agreements.request_variation",
    "agreements.change_service",
)
FINDINGS = (
    "outcomes",
    "met_need",
    "need_notes",
    "lessons",
    "value_for_money",
    "value_for_money_notes",
    "recommendation",
    "recommendation_reasons",
)
FINDINGS_REQUIRED = {
    "outcomes": "Enter the outcomes the service achieved against its objectives",
    "met_need": "Select whether the service met the need",
    "lessons": "Enter the lessons learned",
    "value_for_money": "Select how good value for money the service was",
    "recommendation": "Select a recommendation: re-tender, extend, redesign or end",
    "recommendation_reasons": "Enter the reasons for the recommendation",
}
OPEN_STATUSES = (ReviewStatus.DUE, ReviewStatus.IN_PROGRESS)
# Community grants (£100 to £3,000) end with an end-of-grant report, not a strategic review (seed, Section 3).
NOT_REVIEWED = (Service.Approach.COMMUNITY_GRANT,)


# Rules (dated configuration from the profile) ------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRule:
    window_months: int
    deciding_role: str


def review_rule(on: dt.date) -> ReviewRule:
    """The strategic review rule in effect on a day: 18 months and the PCC unless the profile says otherwise."""
    row = StrategicReviewRule.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if row is None:
        return ReviewRule(DEFAULT_WINDOW_MONTHS, DEFAULT_DECIDING_ROLE)
    return ReviewRule(row.window_months, row.deciding_role)


def review_due_on(*, starts_on: dt.date, ends_on: dt.date, window_months: int) -> dt.date:
    """The day an agreement enters its final `window_months` months: the same day of the month, that many months
    before the day after it ends (held to the month's last day); an agreement shorter than the window is due for
    review from its first day."""
    return max(starts_on, add_months(ends_on + dt.timedelta(days=1), -window_months))


def agreements_due_for_review(*, today: dt.date, among=None) -> list[Agreement]:
    """Active agreements in their final months today with no review of their current end date yet, ending
    soonest first (community grants excepted: they end with an end-of-grant report)."""
    window = review_rule(today).window_months
    # A little beyond the window, then exactly (months differ in length).
    horizon = add_months(today, window) + dt.timedelta(days=4)
    candidates = (
        (Agreement.objects.all() if among is None else among)
        .filter(status=Agreement.Status.ACTIVE, ends_on__gte=today, ends_on__lte=horizon)
        .exclude(service__approach__in=NOT_REVIEWED)
        .exclude(strategic_reviews__agreement_ends_on=F("ends_on"))
        .select_related("service", "service__provider")
        .order_by("ends_on", "pk")
    )
    return [
        agreement
        for agreement in candidates
        if review_due_on(starts_on=agreement.starts_on, ends_on=agreement.ends_on, window_months=window) <= today
    ]


# Strategic reviews ----------------------------------------------------------------------------------------


def _new_review(agreement: Agreement, *, today: dt.date) -> StrategicReview:
    window = review_rule(today).window_months
    return StrategicReview(
        agreement=agreement,
        agreement_ends_on=agreement.ends_on,
        due_on=review_due_on(starts_on=agreement.starts_on, ends_on=agreement.ends_on, window_months=window),
    )


@transaction.atomic
def strategic_reviews_flag(*, today: dt.date, among=None) -> list[StrategicReview]:
    """The daily job: open a review (status due) for every agreement that has entered its final months (or every
    one of `among`, a queryset of agreements)."""
    created = []
    for agreement in agreements_due_for_review(today=today, among=among):
        review = _new_review(agreement, today=today)
        save_with_history(
            review, actor=None, reason=f"Due: {agreement.reference} ends on {long_date(agreement.ends_on)}"
        )
        created.append(review)
    return created


@transaction.atomic
def strategic_review_open(*, actor, agreement: Agreement, today: dt.date | None = None) -> StrategicReview:
    """Start the review of an active agreement now (before the daily job has flagged it, or early)."""
    require(actor, "monitoring.carry_out_review")
    today = today or timezone.localdate()
    agreement = Agreement.objects.select_for_update().select_related("service").get(pk=agreement.pk)
    if agreement.status != Agreement.Status.ACTIVE:
        raise ValidationError(
            f"{agreement.reference} is {agreement.get_status_display().lower()}; only an active agreement is reviewed"
        )
    review = StrategicReview.objects.filter(agreement=agreement, agreement_ends_on=agreement.ends_on).first()
    if review is None:
        review = _new_review(agreement, today=today)
    if review.status not in OPEN_STATUSES:
        raise ValidationError(f"The review of {agreement.reference} is {review.get_status_display().lower()}")
    review.status = ReviewStatus.IN_PROGRESS
    save_with_history(review, actor=actor, reason="Review started")
    _service_status(actor, agreement.service, Service.Status.IN_REVIEW, f"Strategic review of {agreement.reference}")
    return review


def _service_status(actor, service: Service, status: str, reason: str) -> None:
    allowed = agreement_services.SERVICE_STATUS_CHANGES.get(service.status, set())
    if service.status != status and status in allowed:
        agreement_services.service_status_change(
            actor=acting_with_authority(actor, ["agreements.change_service"]),
            service=service,
            status=status,
            reason=reason,
        )


def _locked_review(review: StrategicReview) -> StrategicReview:
    return StrategicReview.objects.select_for_update().select_related("agreement__service").get(pk=review.pk)


@transaction.atomic
def strategic_review_record(*, actor, review: StrategicReview, data: dict, reason: str = "") -> StrategicReview:
    """Save the review's findings and recommendation so far (nothing is required until it is sent to decide)."""
    require(actor, "monitoring.carry_out_review", review)
    review = _locked_review(review)
    if review.status not in OPEN_STATUSES:
        raise ValidationError(f"The review is {review.get_status_display().lower()}; its findings cannot change now")
    unknown = set(data) - set(FINDINGS)
    if unknown:
        raise ValidationError(f"Cannot set {sorted(unknown)} on a review")
    for name, value in data.items():
        setattr(review, name, (value or "").strip() if isinstance(value, str) or value is None else value)
    review.status = ReviewStatus.IN_PROGRESS
    save_with_history(review, actor=actor, reason=reason or "Findings recorded")
    return review


@transaction.atomic
def strategic_review_submit(*, actor, review: StrategicReview) -> StrategicReview:
    """Send the finished review to the role that decides it (the PCC unless the profile names another)."""
    require(actor, "monitoring.carry_out_review", review)
    review = _locked_review(review)
    if review.status not in OPEN_STATUSES:
        raise ValidationError(f"The review is {review.get_status_display().lower()} already")
    errors = {field: message for field, message in FINDINGS_REQUIRED.items() if not getattr(review, field)}
    if errors:
        raise ValidationError(errors)
    review.status = ReviewStatus.AWAITING_DECISION
    review.recommended_by, review.recommended_at = actor, timezone.now()
    save_with_history(review, actor=actor, reason=f"Sent for decision: {review.get_recommendation_display()}")
    return review


@transaction.atomic
def strategic_review_decide(
    *,
    actor,
    review: StrategicReview,
    decision: str,
    reasons: str,
    decided_on: dt.date | None = None,
    new_ends_on: dt.date | None = None,
) -> StrategicReview:
    """The deciding role's decision, which starts the next step: an extension is asked for through the variation
    service (approved by the PCC or the CFO as any variation is); an end leads to the exit; a re-tender or a
    redesign waits for procurement to start a commissioning case. A PCC's decision is recorded as a numbered
    decision record."""
    if review.recommended_by_id == actor.pk:
        raise PermissionDenied("The person who sent the review for decision may not decide it")
    require(actor, "monitoring.decide_review", review)
    review = _locked_review(review)
    if review.status != ReviewStatus.AWAITING_DECISION:
        raise ValidationError(
            f"The review is {review.get_status_display().lower()}; only a review sent for decision can be decided"
        )
    today = timezone.localdate()
    decided_on = decided_on or today
    agreement = review.agreement
    errors = {}
    if decision not in Recommendation.values:
        errors["decision"] = "Select the decision: re-tender, extend, redesign or end"
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the reasons for the decision"
    if decided_on > today:
        errors["decided_on"] = "The date of the decision must be today or in the past"
    if decision == Recommendation.EXTEND:
        if new_ends_on is None:
            errors["new_ends_on"] = "Enter the new end date of the agreement"
        elif new_ends_on <= agreement.ends_on:
            errors["new_ends_on"] = (
                f"The new end date must be after the current end date, {long_date(agreement.ends_on)}"
            )
    if errors:
        raise ValidationError(errors)
    authorised = acting_with_authority(actor, REVIEW_DECISION_CARRIES_OUT)
    label = Recommendation(decision).label.lower()
    if actor.role == "pcc":
        review.decision_record = strategy_services.decision_record_create(
            actor=authorised,
            subject=f"Strategic review of {agreement.service.name} ({agreement.reference}): {label}"[:250],
            legal_basis=LegalBasis.ASBCPA_2014_S143,
            decision=f"To {label} {agreement.service.name} ({agreement.reference}), which ends on "
            f"{long_date(agreement.ends_on)}"
            + (f", extending it to {long_date(new_ends_on)}" if decision == Recommendation.EXTEND else "")
            + ".",
            reasons=reasons.strip(),
            decided_by=actor,
            decided_on=decided_on,
        )
    if decision == Recommendation.EXTEND:
        review.extension_variation = agreement_services.variation_request(
            actor=authorised,
            agreement=agreement,
            kind=AgreementVariation.Kind.EXTENSION,
            description=f"Extension to {long_date(new_ends_on)} decided on strategic review: {reasons.strip()}",
            new_ends_on=new_ends_on,
        )
        _service_status(actor, agreement.service, Service.Status.ACTIVE, f"Review decided: {label}")
    review.decision, review.decision_reasons = decision, reasons.strip()
    review.decided_by, review.decided_on = actor, decided_on
    review.status = ReviewStatus.DECIDED
    save_with_history(review, actor=actor, reason=f"Decided: {label}")
    return review


@transaction.atomic
def strategic_review_case_started(
    *, actor, review: StrategicReview, case_reference: str, started_on: dt.date | None = None
) -> StrategicReview:
    """Procurement calls this when it starts the commissioning case a re-tender or redesign decision needs."""
    require(actor, "monitoring.carry_out_review", review)
    review = _locked_review(review)
    if not review.needs_case or review.status != ReviewStatus.DECIDED:
        raise ValidationError("Only a review decided as a re-tender or a redesign starts a commissioning case")
    if review.case_reference:
        raise ValidationError(f"Commissioning case {review.case_reference} was already started from this review")
    if not (case_reference or "").strip():
        raise ValidationError({"case_reference": "Enter the reference of the commissioning case"})
    review.case_reference = case_reference.strip()[:40]
    review.case_started_on = started_on or timezone.localdate()
    save_with_history(review, actor=actor, reason=f"Commissioning case {review.case_reference} started")
    return review


# Exit: the agreements app ends the agreement; monitoring schedules the final return -------------------------


@transaction.atomic
def exit_record(*, actor, agreement: Agreement, **data):
    """Give notice that an agreement ends (agreements.services.agreement_exit_start: money released, end date,
    transition plan) and schedule the service's final return, for the last period up to the end date."""
    agreement_exit = agreement_services.agreement_exit_start(actor=actor, agreement=agreement, **data)
    final_return_schedule(service=agreement.service, ends_on=agreement_exit.ends_on)
    return agreement_exit


def final_return_schedule(*, service: Service, ends_on: dt.date) -> KpiReturn:
    """The return for the last reporting period, cut short at the end date and due the schedule's days after it.
    A return already made for that period is kept as it is."""
    from commissioning.monitoring.services import periods, schedule_for

    schedule = schedule_for(service)
    start = max(
        (s for s, _ in periods(frequency=schedule.frequency, starts_on=service.starts_on, ends_on=ends_on)),
        default=service.starts_on,
    )
    due_on = ends_on + dt.timedelta(days=schedule.days_to_submit)
    existing = KpiReturn.objects.select_for_update().filter(service=service, starts_on=start).first()
    if existing is not None:
        if existing.status == KpiReturn.Status.DUE and not existing.versions.exists() and existing.ends_on != ends_on:
            existing.ends_on, existing.due_on = ends_on, due_on
            save_with_history(existing, actor=None, reason="Final return: the agreement ends")
        return existing
    kpi_return = KpiReturn(service=service, starts_on=start, ends_on=ends_on, due_on=due_on)
    attribute(kpi_return, actor=None, reason="Final return: the agreement ends")
    kpi_return.save()
    return kpi_return


# Procurement Act 2023 contract management -------------------------------------------------------------------


@dataclass(frozen=True)
class ContractRule:
    effective_from: dt.date
    value_threshold: Decimal
    minimum_kpis: int


def contract_rule(on: dt.date) -> ContractRule | None:
    """The contract management rule in effect on a day (None before the Act's duties began)."""
    row = ContractManagementRule.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if row is not None:
        return ContractRule(row.effective_from, to_money(row.value_threshold), row.minimum_kpis)
    if ContractManagementRule.objects.exists() or on < DEFAULT_CONTRACT_RULE[0]:
        return None
    return ContractRule(*DEFAULT_CONTRACT_RULE)


def contract_rule_for(agreement: Agreement) -> ContractRule | None:
    """The rule an agreement falls under: a contract let under the Procurement Act 2023 worth more than the
    threshold in effect when it starts."""
    if agreement.kind != Agreement.Kind.CONTRACT or agreement.regime != Agreement.Regime.PA_2023:
        return None
    rule = contract_rule(agreement.starts_on)
    if rule is None or to_money(agreement.value) <= rule.value_threshold:
        return None
    return rule


def kpis_in_effect(service: Service, on: dt.date) -> int:
    return (
        ServiceKpi.objects.filter(service=service, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .count()
    )


def contract_kpi_problem(agreement: Agreement, *, on: dt.date) -> str:
    """Why a large contract falls short of the Act's KPI duty on a day ("" when it does not)."""
    rule = contract_rule_for(agreement)
    if rule is None:
        return ""
    count = kpis_in_effect(agreement.service, on)
    if count >= rule.minimum_kpis:
        return ""
    return (
        f"{agreement.reference} is a Procurement Act 2023 contract worth more than £{rule.value_threshold:,.0f}, so "
        f"it needs at least {rule.minimum_kpis} KPIs; {agreement.service.name} has {count}. Add "
        f"{rule.minimum_kpis - count} more on the service's monitoring page"
    )


def contract_problems_for_service(service: Service, *, on: dt.date) -> list[str]:
    """The KPI shortfalls of a service's live large contracts, for its monitoring page."""
    agreements = service.agreements.filter(
        status__in=[Agreement.Status.DRAFT, Agreement.Status.ACTIVE],
        kind=Agreement.Kind.CONTRACT,
        regime=Agreement.Regime.PA_2023,
    )
    return [problem for agreement in agreements if (problem := contract_kpi_problem(agreement, on=on))]


def activation_check(agreement: Agreement, signed_on: dt.date) -> str:
    """Asked by agreements.services.agreement_activate before a contract is signed (registered in apps.py)."""
    return contract_kpi_problem(agreement, on=max(agreement.starts_on, signed_on))


@transaction.atomic
def assessment_record(
    *, actor, agreement: Agreement, period_starts_on, period_ends_on, rating: str, narrative: str
) -> ContractAssessment:
    """Record the yearly assessment of a large contract's performance against its KPIs (at most 12 months)."""
    require(actor, "monitoring.assess_contract", agreement)
    rule = contract_rule_for(agreement)
    if rule is None:
        raise ValidationError(f"{agreement.reference} is not a Procurement Act contract over the threshold")
    today = timezone.localdate()
    errors = {}
    if period_starts_on is None:
        errors["period_starts_on"] = "Enter the first day of the period assessed"
    if period_ends_on is None:
        errors["period_ends_on"] = "Enter the last day of the period assessed"
    if not errors:
        if period_ends_on <= period_starts_on:
            errors["period_ends_on"] = "The period must end after it starts"
        elif period_ends_on > today:
            errors["period_ends_on"] = "The period assessed must have ended: enter today or a day before"
        elif add_months(period_starts_on, 12) <= period_ends_on:
            errors["period_ends_on"] = "Assess at least once every 12 months: the period must be 12 months or shorter"
        elif period_starts_on < agreement.starts_on:
            errors["period_starts_on"] = (
                f"The contract started on {long_date(agreement.starts_on)}; start the period then or later"
            )
        elif ContractAssessment.objects.filter(agreement=agreement, period_ends_on=period_ends_on).exists():
            errors["period_ends_on"] = "There is already an assessment for a period ending that day"
    if rating not in ContractAssessment.Rating.values:
        errors["rating"] = "Select the rating: good, approaching target, requires improvement or inadequate"
    if not (narrative or "").strip():
        errors["narrative"] = "Enter the narrative: how the contract performed against each KPI"
    count = kpis_in_effect(agreement.service, period_ends_on) if period_ends_on else 0
    if not errors and count < rule.minimum_kpis:
        errors["rating"] = contract_kpi_problem(agreement, on=period_ends_on)
    if errors:
        raise ValidationError(errors)
    assessment = ContractAssessment(
        agreement=agreement,
        period_starts_on=period_starts_on,
        period_ends_on=period_ends_on,
        rating=rating,
        narrative=narrative.strip(),
        kpis_assessed=count,
        assessed_by=actor,
        assessed_on=today,
    )
    save_with_history(assessment, actor=actor, reason=f"Assessed: {assessment.get_rating_display()}")
    return assessment


@transaction.atomic
def assessment_publish(*, actor, assessment: ContractAssessment) -> ContractAssessment:
    """Mark an assessment ready for publication (the transparency pages read published ones)."""
    require(actor, "monitoring.publish_assessment", assessment)
    assessment = ContractAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.published:
        raise ValidationError(f"This assessment was published on {long_date(assessment.published_on)}")
    assessment.published, assessment.published_on = True, timezone.localdate()
    save_with_history(assessment, actor=actor, reason="Published")
    return assessment
