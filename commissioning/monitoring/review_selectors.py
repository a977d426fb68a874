"""Reads of strategic reviews, exits and large contracts' assessments (issue 11, points 4 to 6). Re-exported by
selectors.py, so other apps (procurement, transparency, home) import them from there. Lists keep a fixed number of
queries whatever the row count."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from commissioning.agreements.models import Agreement, AgreementExit
from commissioning.monitoring.review_models import ContractAssessment, Recommendation, ReviewStatus, StrategicReview
from commissioning.monitoring.review_services import contract_rule, contract_rule_for


def _reviews() -> QuerySet:
    return StrategicReview.objects.select_related(
        "agreement__service__provider", "recommended_by", "decided_by", "decision_record", "extension_variation"
    )


def review_list(*, status: str = "") -> QuerySet:
    reviews = _reviews().order_by("agreement_ends_on", "pk")
    return reviews.filter(status=status) if status else reviews


def review_get(*, pk: int) -> StrategicReview:
    try:
        return _reviews().get(pk=pk)
    except StrategicReview.DoesNotExist as exc:
        raise Http404("No such strategic review") from exc


def reviews_to_carry_out() -> QuerySet:
    return review_list().filter(status__in=[ReviewStatus.DUE, ReviewStatus.IN_PROGRESS])


def reviews_to_decide() -> QuerySet:
    return review_list(status=ReviewStatus.AWAITING_DECISION)


def reviews_awaiting_case() -> QuerySet:
    """Reviews decided as a re-tender or a redesign whose new commissioning case has not been started: what
    procurement starts a case from (and links back with services.strategic_review_case_started)."""
    return review_list(status=ReviewStatus.DECIDED).filter(
        decision__in=[Recommendation.RETENDER, Recommendation.REDESIGN], case_reference=""
    )


def reviews_awaiting_exit() -> QuerySet:
    """Reviews decided as an end whose agreement has no exit recorded yet."""
    return review_list(status=ReviewStatus.DECIDED).filter(decision=Recommendation.END, agreement__exit__isnull=True)


def exit_get(*, pk: int) -> AgreementExit:
    try:
        return AgreementExit.objects.select_related("agreement__service__provider", "recorded_by", "completed_by").get(
            pk=pk
        )
    except AgreementExit.DoesNotExist as exc:
        raise Http404("No such exit") from exc


def exits_to_complete(*, today: dt.date) -> QuerySet:
    return AgreementExit.objects.filter(status=AgreementExit.Status.NOTICE_GIVEN, ends_on__lte=today).select_related(
        "agreement__service"
    )


def agreement_get(*, pk: int) -> Agreement:
    try:
        return Agreement.objects.select_related("service__provider").get(pk=pk)
    except Agreement.DoesNotExist as exc:
        raise Http404("No such agreement") from exc


def large_contracts(*, today: dt.date) -> list[Agreement]:
    """Active and ended contracts the Procurement Act's contract management applies to, each with `kpi_count`
    (KPIs in effect today), `kpis_needed` and `latest_assessment`. Candidates are read in one query, their
    assessments in one more."""
    rule_now = contract_rule(today)
    if rule_now is None:
        return []
    kpis_now = Q(service__kpis__effective_from__lte=today) & (
        Q(service__kpis__effective_to__isnull=True) | Q(service__kpis__effective_to__gte=today)
    )
    candidates = (
        Agreement.objects.filter(
            kind=Agreement.Kind.CONTRACT,
            regime=Agreement.Regime.PA_2023,
            status__in=[Agreement.Status.ACTIVE, Agreement.Status.ENDED, Agreement.Status.TERMINATED],
        )
        .select_related("service__provider")
        .annotate(kpi_count=Count("service__kpis", filter=kpis_now, distinct=True))
        .order_by("-value", "reference")
    )
    contracts = []
    for agreement in candidates:
        rule = contract_rule_for(agreement)
        if rule is not None:
            agreement.kpis_needed = rule.minimum_kpis
            contracts.append(agreement)
    latest = {}
    for assessment in ContractAssessment.objects.filter(agreement__in=contracts).order_by("period_ends_on"):
        latest[assessment.agreement_id] = assessment
    for agreement in contracts:
        agreement.latest_assessment = latest.get(agreement.pk)
        agreement.assessment_due = agreement.status == Agreement.Status.ACTIVE and (
            agreement.latest_assessment is None
            or agreement.latest_assessment.period_ends_on < today - dt.timedelta(days=365)
        )
    return contracts


def assessments_for(agreement: Agreement) -> QuerySet:
    return ContractAssessment.objects.filter(agreement=agreement).select_related("assessed_by")


def published_assessments() -> QuerySet:
    """Published yearly assessments of large contracts, newest first: what the transparency pages list."""
    return (
        ContractAssessment.objects.filter(published=True)
        .select_related("agreement__service__provider")
        .order_by("-period_ends_on", "agreement__reference")
    )


def assessment_get(*, pk: int) -> ContractAssessment:
    try:
        return ContractAssessment.objects.select_related("agreement__service").get(pk=pk)
    except ContractAssessment.DoesNotExist as exc:
        raise Http404("No such assessment") from exc


def assessment_list() -> QuerySet:
    return ContractAssessment.objects.select_related("agreement__service").order_by("-period_ends_on", "pk")
