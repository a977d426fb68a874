"""Reads of commissioning cases: the list, one case with every part its page shows, its activity log, the
existing services that address its priorities, what comes next, and the Commissioning Manager's pipeline.

OPCC staff and auditors see every case; nobody else sees any (permissions/planning.py states the same)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from commissioning.accounts.rules import is_auditor, is_opcc_staff
from commissioning.agreements.models import Service
from commissioning.agreements.selectors import services_visible_to
from commissioning.core.history import history_entries, history_for, newest_first
from commissioning.procurement.models import (
    ApprovalAction,
    CaseStage,
    CommissioningCase,
    Engagement,
    Exemption,
    MarketEvent,
    MarketNote,
    MarketQuestion,
    Notice,
    ResourceReview,
    RouteAssessment,
    Specification,
    SpecificationKpi,
)
from commissioning.procurement.models.notices import NOTICE_ORDER
from commissioning.procurement.selectors.config import approval_role_for, role_label


def cases_visible_to(user) -> QuerySet:
    if is_opcc_staff(user) or is_auditor(user):
        return CommissioningCase.objects.all()
    return CommissioningCase.objects.none()


def case_list(*, user, search: str = "", stage: str = "") -> QuerySet:
    cases = cases_visible_to(user).select_related("lead_officer", "fund")
    search = (search or "").strip()
    if search:
        cases = cases.filter(Q(title__icontains=search) | Q(reference__icontains=search))
    if stage:
        cases = cases.filter(stage=stage)
    return cases.order_by("-created_at", "reference")


def case_get_for_user(*, user, pk) -> CommissioningCase:
    cases = (
        cases_visible_to(user)
        .select_related(
            "lead_officer", "fund", "partner", "recommended_by", "approved_by", "approval_decision", "route_plan__tier"
        )
        .prefetch_related(
            "priorities__pillar",
            Prefetch("resources", queryset=ResourceReview.objects.select_related("service__provider")),
            Prefetch("engagements", queryset=Engagement.objects.select_related("board")),
            Prefetch(
                "market_events",
                queryset=MarketEvent.objects.prefetch_related(
                    Prefetch("questions", queryset=MarketQuestion.objects.order_by("pk"))
                ),
            ),
            Prefetch("market_notes", queryset=MarketNote.objects.select_related("recorded_by")),
            Prefetch(
                "specifications",
                queryset=Specification.objects.select_related("approved_by", "created_by").prefetch_related(
                    Prefetch("kpis", queryset=SpecificationKpi.objects.select_related("definition"))
                ),
            ),
            Prefetch("exemptions", queryset=Exemption.objects.select_related("requested_by", "decided_by")),
            "notices",
        )
    )
    try:
        return cases.get(pk=pk)
    except CommissioningCase.DoesNotExist as exc:
        raise Http404("No such case for this user") from exc


def route_plan_of(case: CommissioningCase) -> RouteAssessment | None:
    try:
        return case.route_plan
    except RouteAssessment.DoesNotExist:
        return None


def specification_get(*, case: CommissioningCase, version: int) -> Specification:
    for spec in case.specifications.all():
        if spec.version == version:
            return spec
    raise Http404("No such version")


def event_get(*, case: CommissioningCase, pk: int) -> MarketEvent:
    for event in case.market_events.all():
        if event.pk == pk:
            return event
    raise Http404("No such event")


def question_get(*, case: CommissioningCase, pk: int) -> MarketQuestion:
    for event in case.market_events.all():
        for question in event.questions.all():
            if question.pk == pk:
                return question
    raise Http404("No such question")


def pending_exemption(case: CommissioningCase) -> Exemption | None:
    return next((e for e in case.exemptions.all() if e.status == "pending"), None)


def existing_services(*, case: CommissioningCase, user) -> QuerySet:
    """Services in the register serving any of the case's priorities (for the review of current resources)."""
    priority_ids = [p.pk for p in case.priorities.all()]
    services = services_visible_to(user).select_related("provider").order_by("name", "pk")
    if priority_ids:
        services = services.filter(priorities__in=priority_ids).distinct()
    return services


def service_choices(user) -> QuerySet:
    return services_visible_to(user).exclude(status=Service.Status.ENDED).order_by("name")


def notices_of(case: CommissioningCase) -> list[Notice]:
    """The case's notices in the order they are published (prefetched)."""
    return sorted(case.notices.all(), key=lambda n: NOTICE_ORDER.get(n.kind, 99))


def next_step(case: CommissioningCase, *, today=None) -> str:
    """What the case needs next, in words, from the records already read (no queries beyond the prefetched)."""
    today = today or timezone.localdate()
    stage = case.stage
    if stage in (CaseStage.NEEDS, CaseStage.CONSULTATION):
        if not case.needs_assessed:
            return "Complete the needs assessment"
        if not case.responsibility:
            return "Review the priorities"
        if not case.engagements.all():
            return "Record engagement and consultation"
        return "Make a recommendation"
    if stage == CaseStage.APPROVAL:
        return f"Approval to proceed by the {role_label(approval_role_for(ApprovalAction.PROCEED, today))}"
    if stage == CaseStage.MARKET:
        if not case.market_events.all():
            return "Hold market engagement"
        return "Draft the specification"
    if stage == CaseStage.SPECIFICATION:
        drafts = [s for s in case.specifications.all() if s.status == "draft"]
        if drafts:
            return f"Approve specification version {drafts[0].version}"
        return "Draft the specification"
    unpublished = [n for n in notices_of(case) if n.required and not n.published]
    if stage == CaseStage.ROUTE:
        if pending_exemption(case):
            return "Decide the exemption"
        if route_plan_of(case) is None:
            return "Work out the route to market"
        return "Choose the route to market"
    if unpublished:
        return f"Publish the {unpublished[0].get_kind_display().lower()}"
    if stage == CaseStage.TENDER:
        return "Invite quotes" if case.route == "quotes" else "Run the tender"
    return CaseStage(stage).label


@dataclass
class PipelineRow:
    case: CommissioningCase
    next_step: str
    notices: list
    published: int
    required: int


def pipeline(*, user, stage: str = "") -> QuerySet:
    """Every open case with its stage, dates and notices (a fixed number of queries a page)."""
    cases = (
        cases_visible_to(user)
        .select_related("lead_officer", "route_plan")
        .prefetch_related(
            "engagements",
            "market_events",
            "specifications",
            "exemptions",
            Prefetch("notices", queryset=Notice.objects.order_by("pk")),
        )
        .annotate(open_exemptions=Count("exemptions", filter=Q(exemptions__status="pending")))
    )
    if stage:
        cases = cases.filter(stage=stage)
    else:
        cases = cases.exclude(stage__in=[CaseStage.CONTRACTED, CaseStage.CLOSED])
    return cases.order_by("contract_starts_on", "reference")


def pipeline_rows(cases) -> list[PipelineRow]:
    today = timezone.localdate()
    rows = []
    for case in cases:
        notices = notices_of(case)
        required = [n for n in notices if n.required]
        rows.append(
            PipelineRow(
                case=case,
                next_step=next_step(case, today=today),
                notices=notices,
                published=sum(1 for n in required if n.published),
                required=len(required),
            )
        )
    return rows


def case_history(case: CommissioningCase) -> list:
    """The case's activity log with every part's changes."""
    spec_ids = [s.pk for s in case.specifications.all()]
    event_ids = [e.pk for e in case.market_events.all()]
    return newest_first(
        history_for(case),
        history_entries(ResourceReview.history.filter(case_id=case.pk), subject=lambda row: "resource review"),
        history_entries(Engagement.history.filter(case_id=case.pk), subject=lambda row: f"engagement with {row.who}"),
        history_entries(MarketEvent.history.filter(case_id=case.pk), subject=lambda row: f"event {row.title}"),
        history_entries(MarketQuestion.history.filter(event_id__in=event_ids), subject=lambda row: "market question"),
        history_entries(MarketNote.history.filter(case_id=case.pk), subject=lambda row: "market appetite note"),
        history_entries(
            Specification.history.filter(case_id=case.pk), subject=lambda row: f"specification version {row.version}"
        ),
        history_entries(SpecificationKpi.history.filter(specification_id__in=spec_ids), subject=lambda row: "KPI"),
        history_entries(RouteAssessment.history.filter(case_id=case.pk), subject=lambda row: "route to market"),
        history_entries(Exemption.history.filter(case_id=case.pk), subject=lambda row: "exemption"),
        history_entries(Notice.history.filter(case_id=case.pk), subject=lambda row: "notice"),
    )
