"""Reads for monitoring, scoped to what the user may see (rules.py states the same facts as predicates).

OPCC staff and auditors see every service's KPIs and returns; a provider those of the services it delivers; a
partner those of the services it co-funds; anyone else (Police and Crime Panel members included) none. Lists
keep a fixed number of queries whatever the row count.
"""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from commissioning.accounts.rules import is_panel_member
from commissioning.agreements.selectors import services_visible_to
from commissioning.monitoring.models import (
    KpiReturn,
    ReturnDecision,
    ReturnStatus,
    ReturnValue,
    ReturnVersion,
    ServiceKpi,
)
from commissioning.monitoring.services import TOTAL, kpis_for_return


def monitored_services(user) -> QuerySet:
    """The services whose KPIs and returns the user may see."""
    if is_panel_member(user):
        return services_visible_to(user).none()
    return services_visible_to(user)


def service_get_for_user(*, user, pk):
    try:
        return monitored_services(user).select_related("provider").get(pk=pk)
    except monitored_services(user).model.DoesNotExist as exc:
        raise Http404("No such service for this user") from exc


def kpi_get_for_user(*, user, pk) -> ServiceKpi:
    kpis = ServiceKpi.objects.filter(service__in=monitored_services(user)).select_related("definition", "service")
    try:
        return kpis.get(pk=pk)
    except ServiceKpi.DoesNotExist as exc:
        raise Http404("No such KPI for this user") from exc


def service_kpis(service) -> list[ServiceKpi]:
    return list(service.kpis.select_related("definition", "required_by").order_by("order", "pk"))


def returns_visible_to(user) -> QuerySet:
    return KpiReturn.objects.filter(service__in=monitored_services(user))


def return_list_for_user(*, user, status: str = "", service=None, today: dt.date) -> QuerySet:
    """Returns, the most recent period first, with their service and provider (one query a page).

    `status` may be "overdue": due returns past their due date."""
    returns = returns_visible_to(user).select_related("service", "service__provider")
    if status == "overdue":
        returns = returns.filter(status=ReturnStatus.DUE, due_on__lt=today)
    elif status:
        returns = returns.filter(status=status)
    if service is not None:
        returns = returns.filter(service=service)
    return returns.order_by("-ends_on", "service__name", "pk")


def overdue_returns(*, user, today: dt.date) -> QuerySet:
    """Due returns past their due date, the longest overdue first."""
    return return_list_for_user(user=user, status="overdue", today=today).order_by("due_on", "service__name", "pk")


def return_get_for_user(*, user, pk) -> KpiReturn:
    """One return with its versions, their values and decisions (a fixed number of queries)."""
    returns = returns_visible_to(user).select_related("service", "service__provider")
    returns = returns.prefetch_related(
        Prefetch(
            "versions",
            queryset=ReturnVersion.objects.select_related("submitted_by")
            .prefetch_related(
                Prefetch("values", queryset=ReturnValue.objects.all()),
                Prefetch("decisions", queryset=ReturnDecision.objects.select_related("decided_by")),
            )
            .order_by("-number"),
        )
    )
    try:
        return returns.get(pk=pk)
    except KpiReturn.DoesNotExist as exc:
        raise Http404("No such return for this user") from exc


def version_table(kpi_return: KpiReturn, version: ReturnVersion, kpis: list[ServiceKpi]) -> list[dict]:
    """A version's figures as rows for a table: each KPI with its total and, for a breakdown, its categories."""
    values = {(value.kpi_id, value.category): value.value for value in version.values.all()}
    rows = []
    for kpi in kpis:
        if (kpi.pk, TOTAL) not in values:
            continue
        rows.append(
            {
                "kpi": kpi,
                "total": values[(kpi.pk, TOTAL)],
                "categories": [(c, values.get((kpi.pk, c))) for c in kpi.categories] if kpi.is_breakdown else [],
            }
        )
    return rows


def return_kpis(kpi_return: KpiReturn) -> list[ServiceKpi]:
    return kpis_for_return(kpi_return, service_kpis(kpi_return.service))


def returns_to_send(*, user, today: dt.date) -> QuerySet:
    """A provider's returns waiting for it: due ones whose period has ended, and queried ones, earliest due first."""
    returns = returns_visible_to(user).select_related("service")
    waiting = Q(status=ReturnStatus.QUERIED) | Q(status=ReturnStatus.DUE, ends_on__lt=today)
    return returns.filter(waiting).order_by("due_on", "service__name", "pk")


def returns_to_check(*, user) -> QuerySet:
    """Submitted and resubmitted returns waiting for an officer to accept or query, oldest first."""
    returns = returns_visible_to(user).select_related("service", "service__provider")
    return returns.filter(status__in=[ReturnStatus.SUBMITTED, ReturnStatus.RESUBMITTED]).order_by("due_on", "pk")


# Strategic reviews, exits and large contracts (issue 11, points 4 to 6) are read in review_selectors.py.
from commissioning.monitoring.review_selectors import (  # noqa: E402, F401
    exits_to_complete,
    large_contracts,
    published_assessments,
    review_list,
    reviews_awaiting_case,
    reviews_awaiting_exit,
    reviews_to_carry_out,
    reviews_to_decide,
)

# Narratives, case studies and feedback (issue 11, point 3) -----------------------------------------------------


def service_stories(service, *, user) -> dict:
    """What the performance page shows beyond the figures: each return's narrative (newest period first), the case
    studies told with the returns, and, for those who may read it, the feedback recorded on the service."""
    from commissioning.monitoring.models import CaseStudy, FeedbackRecord, ReturnNarrative

    narratives = list(
        ReturnNarrative.objects.filter(kpi_return__service=service)
        .select_related("kpi_return")
        .order_by("-kpi_return__starts_on")
    )
    case_studies = list(
        CaseStudy.objects.filter(kpi_return__service=service)
        .select_related("kpi_return")
        .order_by("-kpi_return__starts_on", "pk")
    )
    feedback = None
    if user.has_perm("monitoring.view_feedback", service):
        feedback = list(FeedbackRecord.objects.filter(service=service).select_related("recorded_by"))
    return {"narratives": narratives, "case_studies": case_studies, "feedback": feedback}


def case_studies_for_publication(*, starts_on: dt.date, ends_on: dt.date) -> QuerySet:
    """Case studies the people agreed to publish, told with accepted returns whose period ends between the dates
    (for the Police and Crime Panel report), with their service."""
    from commissioning.monitoring.models import CaseStudy

    return (
        CaseStudy.objects.filter(
            consented_for_publication=True,
            kpi_return__status=ReturnStatus.ACCEPTED,
            kpi_return__ends_on__range=(starts_on, ends_on),
        )
        .select_related("kpi_return__service")
        .order_by("kpi_return__service__name", "kpi_return__starts_on", "pk")
    )
