"""Every monitoring write: a service's KPIs and return schedule, the returns due, submissions (every one a new
version), and officers' acceptance or query. Each checks permission, runs in a transaction and records who,
when and why (django-simple-history on KPIs, schedules and returns; versions and decisions are never changed
once written and name their author themselves)."""

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning.agreements.models import Service
from commissioning.core.dates import FinancialYear, add_months, long_date
from commissioning.core.services import attribute, require, save_with_history
from commissioning.monitoring.funder_kpis import funder_kpis_attach
from commissioning.monitoring.models import (
    FREQUENCY_MONTHS,
    KpiDefinition,
    KpiKind,
    KpiReturn,
    ReturnDecision,
    ReturnSchedule,
    ReturnStatus,
    ReturnValue,
    ReturnVersion,
    ServiceKpi,
    breakdown_errors,
)

REQUIRED_MESSAGES = {
    "name": "Enter the name of the measure",
    "kind": "Select what the measure counts",
    "unit": "Enter what is counted, like people or referrals",
    "effective_from": "Enter the date the service starts reporting it",
    "frequency": "Select how often it is reported",
    "direction": "Select whether a higher or a lower figure is better",
}
save = partial(save_with_history, required_messages=REQUIRED_MESSAGES)

# Services whose returns are due: a planned service has not started delivering.
REPORTING_STATUSES = ("active", "in_review", "ended")
KPI_FIELDS = ("unit", "target", "direction", "frequency", "effective_from", "effective_to")
OWN_MEASURE_FIELDS = ("name", "description", "kind", "breakdown", "adds_up", "not_known")


# Per-service KPIs ------------------------------------------------------------------------------------------


def _next_order(service) -> int:
    return (service.kpis.aggregate(last=Max("order"))["last"] or 0) + 1


@transaction.atomic
def kpis_attach_minimum_dataset(*, actor, service, effective_from: dt.date | None = None) -> list[ServiceKpi]:
    """Attach every minimum-dataset measure the service does not report yet, in one action; the ones already
    attached are left as they are. Returns the KPIs added."""
    require(actor, "monitoring.manage_kpis", service)
    attached = set(service.kpis.exclude(definition=None).values_list("definition_id", flat=True))
    order = _next_order(service)
    added = []
    definitions = KpiDefinition.objects.filter(is_minimum_dataset=True).exclude(kind=KpiKind.TEXT)
    for definition in definitions.exclude(pk__in=attached).order_by("order", "name"):
        kpi = ServiceKpi(
            service=service,
            definition=definition,
            effective_from=effective_from or service.starts_on,
            order=order + definition.order,
        )
        save(kpi, actor=actor, reason="Minimum dataset attached")
        added.append(kpi)
    return added


def _kpi_errors(kpi: ServiceKpi) -> dict:
    errors = {}
    if kpi.definition_id is None:
        if kpi.kind and kpi.kind not in (KpiKind.COUNT, KpiKind.BREAKDOWN):
            errors["kind"] = "Select a count or a count broken down by category"
        errors.update(breakdown_errors(kpi.kind, kpi.breakdown, kpi.not_known))
    if kpi.effective_from and kpi.effective_to and kpi.effective_to < kpi.effective_from:
        errors["effective_to"] = "The date it stops must be the same as or after the date it starts"
    return errors


@transaction.atomic
def kpi_add(actor, service, **data) -> ServiceKpi:
    """Add one of the service's own measures (a count, or a count broken down by category)."""
    require(actor, "monitoring.manage_kpis", service)
    unknown = set(data) - set(KPI_FIELDS) - set(OWN_MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown KPI fields: {sorted(unknown)}")
    data.setdefault("effective_from", service.starts_on)
    kpi = ServiceKpi(service=service, order=_next_order(service), **data)
    if kpi.kind != KpiKind.BREAKDOWN:
        kpi.breakdown, kpi.not_known, kpi.adds_up = [], "", True
    save(kpi, actor=actor, reason="Measure added", errors=_kpi_errors(kpi))
    return kpi


@transaction.atomic
def kpi_update(*, actor, kpi: ServiceKpi, data: dict, reason: str = "") -> ServiceKpi:
    """Change a KPI's unit, target, direction, frequency or dates (and an own measure's name and description;
    its kind and categories are fixed once it has been reported, so earlier returns keep their meaning)."""
    require(actor, "monitoring.manage_kpis", kpi)
    allowed = set(KPI_FIELDS) | ({"name", "description"} if kpi.definition_id is None else set())
    if kpi.definition_id is None and not kpi.values.exists():
        allowed |= set(OWN_MEASURE_FIELDS)
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({field: "This cannot be changed for this measure" for field in unknown})
    for field, value in data.items():
        setattr(kpi, field, value)
    if kpi.definition_id is None and kpi.kind != KpiKind.BREAKDOWN:
        kpi.breakdown, kpi.not_known, kpi.adds_up = [], "", True
    save(kpi, actor=actor, reason=reason or "Measure changed", errors=_kpi_errors(kpi))
    return kpi


# The return schedule and the returns due ------------------------------------------------------------------


def schedule_for(service) -> ReturnSchedule:
    """The service's schedule, or the default (quarterly, due 28 days after the quarter) not yet saved."""
    try:
        return service.return_schedule
    except ReturnSchedule.DoesNotExist:
        return ReturnSchedule(service=service)


@transaction.atomic
def schedule_set(*, actor, service, frequency: str, days_to_submit: int, reason: str = "") -> ReturnSchedule:
    """Set how often the service makes its return. Returns already made keep their periods; returns still due
    and not yet submitted are replaced by the new schedule's."""
    require(actor, "monitoring.manage_kpis", service)
    schedule = schedule_for(service)
    schedule.frequency, schedule.days_to_submit = frequency, days_to_submit
    errors = {}
    if days_to_submit is not None and not 1 <= days_to_submit <= 90:
        errors["days_to_submit"] = "Enter a number of days from 1 to 90"
    save(schedule, actor=actor, reason=reason or "Return schedule set", errors=errors)
    unstarted = service.kpi_returns.filter(status=ReturnStatus.DUE, versions__isnull=True)
    for kpi_return in unstarted:
        attribute(kpi_return, actor=actor, reason="Replaced by the new return schedule")
        kpi_return.delete()
    returns_ensure(service=service, today=timezone.localdate())
    return schedule


def periods(*, frequency: str, starts_on: dt.date, ends_on: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The reporting periods (aligned to the financial year: quarters end June, September, December, March)
    that overlap starts_on to ends_on."""
    months = FREQUENCY_MONTHS[frequency]
    start = FinancialYear.for_date(starts_on).starts_on
    found = []
    while start <= ends_on:
        end = add_months(start, months) - dt.timedelta(days=1)
        if end >= starts_on:
            found.append((start, end))
        start = end + dt.timedelta(days=1)
    return found


def reporting_services():
    """Every service whose returns may be due (planned services have not started delivering)."""
    return Service.objects.filter(status__in=REPORTING_STATUSES).select_related("return_schedule").order_by("pk")


@transaction.atomic
def returns_ensure(*, service, today: dt.date) -> list[KpiReturn]:
    """Create the returns due for every period of the service that has ended by `today` (from the later of the
    service's start and the schedule's first period); existing returns are left alone. Returns those created."""
    if service.status not in REPORTING_STATUSES:
        return []
    funder_kpis_attach(service=service)  # what the service's funders require is asked for in its returns
    schedule = schedule_for(service)
    last_day = min(service.ends_on or today, today)
    existing = set(service.kpi_returns.values_list("starts_on", flat=True))
    created = []
    for start, end in periods(frequency=schedule.frequency, starts_on=service.starts_on, ends_on=last_day):
        if end > today or start in existing:
            continue
        kpi_return = KpiReturn(
            service=service, starts_on=start, ends_on=end, due_on=end + dt.timedelta(days=schedule.days_to_submit)
        )
        attribute(kpi_return, actor=None, reason="Return due")
        kpi_return.save()
        created.append(kpi_return)
    return created


# What a return asks for, and checking the figures ------------------------------------------------------------


def kpi_due_in(kpi: ServiceKpi, kpi_return: KpiReturn) -> bool:
    """A KPI is in a return when it is counted, in effect during the period, and its own frequency's period
    ends with the return's (a yearly measure is in the return that ends in March)."""
    if not kpi.is_reported or not kpi.in_effect(kpi_return.starts_on, kpi_return.ends_on):
        return False
    start, end = kpi_return.starts_on, kpi_return.ends_on
    period_months = (end.year - start.year) * 12 + end.month - start.month + 1
    months_into_year = (end.month - 4) % 12 + 1
    kpi_months = FREQUENCY_MONTHS[kpi.frequency]
    # A measure reported more often than the service's returns is in every return, for the whole period.
    return kpi_months <= period_months or months_into_year % kpi_months == 0


def kpis_for_return(kpi_return: KpiReturn, kpis=None) -> list[ServiceKpi]:
    """The KPIs the return asks for, in order (`kpis`: the service's KPIs, already read, to save a query)."""
    if kpis is None:
        kpis = kpi_return.service.kpis.select_related("definition")
    return [kpi for kpi in kpis if kpi_due_in(kpi, kpi_return)]


TOTAL = ""  # the category of a KPI's total
MAX_FIGURE = 2_147_483_647  # the largest figure the database keeps


@dataclass(frozen=True)
class Problem:
    kpi: ServiceKpi
    category: str  # TOTAL for the KPI's total
    message: str


def check_values(kpis: list[ServiceKpi], values: dict) -> list[Problem]:
    """Every problem with a return's figures. `values` maps (kpi pk, category) to a whole number (TOTAL for the
    total); a figure that could not be read as a whole number is None, a missing one absent.

    Each KPI needs a total and, for a breakdown, a figure for every category (0 when there were none); the
    categories add up to the total where the breakdown says they must, and none is more than the total where a
    person may be in several."""
    problems = []
    for kpi in kpis:
        cells = [TOTAL, *kpi.categories] if kpi.is_breakdown else [TOTAL]
        ok = {}
        for category in cells:
            what = f"{kpi.label}: {category}" if category else f"{kpi.label}: total"
            value = values.get((kpi.pk, category), "missing")
            if value == "missing":
                problems.append(Problem(kpi, category, f"Enter {what}, 0 if there were none"))
            elif value is None or not isinstance(value, int) or value < 0:
                problems.append(Problem(kpi, category, f"{what} must be a whole number, 0 or more, like 12"))
            elif value > MAX_FIGURE:
                problems.append(Problem(kpi, category, f"{what} must be {MAX_FIGURE:,} or less"))
            else:
                ok[category] = value
        if not kpi.is_breakdown or TOTAL not in ok or len(ok) != len(cells):
            continue
        total, parts = ok[TOTAL], [ok[c] for c in kpi.categories]
        if kpi.must_add_up and sum(parts) != total:
            problems.append(
                Problem(
                    kpi,
                    TOTAL,
                    f"{kpi.label}: the categories add up to {sum(parts):,} but the total is {total:,}; they must be "
                    f"the same (count anyone not known under ‘{kpi.not_known_category}’)",
                )
            )
        elif not kpi.must_add_up:
            for category in kpi.categories:
                if ok[category] > total:
                    problems.append(
                        Problem(kpi, category, f"{kpi.label}: {category} cannot be more than the total, {total:,}")
                    )
    return problems


def field_name(kpi: ServiceKpi, category: str) -> str:
    """The web form's field for a KPI's total or one of its categories."""
    if category == TOTAL:
        return f"kpi_{kpi.pk}_total"
    return f"kpi_{kpi.pk}_{kpi.categories.index(category)}"


# Submitting, accepting and querying ----------------------------------------------------------------------------

SUBMITTABLE = (ReturnStatus.DUE, ReturnStatus.QUERIED)
DECIDABLE = (ReturnStatus.SUBMITTED, ReturnStatus.RESUBMITTED)


def _locked(kpi_return: KpiReturn) -> KpiReturn:
    """The return re-read under a row lock, so two submissions or decisions at once are taken in turn."""
    return KpiReturn.objects.select_for_update().select_related("service").get(pk=kpi_return.pk)


@transaction.atomic
def return_submit(
    *, actor, kpi_return: KpiReturn, values: dict, method: str = ReturnVersion.Method.WEB, note: str = ""
) -> ReturnVersion:
    """Submit the return's figures as a new version: the first submission, or the answer to a query.

    Raises ValidationError keyed by the web form's field names (see field_name) when any figure is wrong, and
    saves nothing."""
    require(actor, "monitoring.submit_return", kpi_return)
    kpi_return = _locked(kpi_return)
    if kpi_return.status not in SUBMITTABLE:
        raise ValidationError(
            f"This return is {kpi_return.get_status_display().lower()}; it can be submitted again only if it is queried"
        )
    today = timezone.localdate()
    if kpi_return.ends_on >= today:
        raise ValidationError(f"The period ends on {long_date(kpi_return.ends_on)}; submit the return after it ends")
    kpis = kpis_for_return(kpi_return)
    problems = check_values(kpis, values)
    if problems:
        errors = {}
        for problem in problems:
            errors.setdefault(field_name(problem.kpi, problem.category), []).append(problem.message)
        raise ValidationError(errors)
    number = (kpi_return.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ReturnVersion.objects.create(
        kpi_return=kpi_return,
        number=number,
        method=method,
        note=(note or "").strip(),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    ReturnValue.objects.bulk_create(
        ReturnValue(version=version, kpi=kpi, category=category, value=values[(kpi.pk, category)])
        for kpi in kpis
        for category in ([TOTAL, *kpi.categories] if kpi.is_breakdown else [TOTAL])
    )
    kpi_return.status = ReturnStatus.SUBMITTED if number == 1 else ReturnStatus.RESUBMITTED
    attribute(kpi_return, actor=actor, reason=f"Version {number} submitted")
    kpi_return.save(update_fields=["status"])
    return version


def _decide(actor, kpi_return: KpiReturn, outcome: str, comments: str) -> ReturnDecision:
    require(actor, "monitoring.review_return", kpi_return)
    kpi_return = _locked(kpi_return)
    if kpi_return.status not in DECIDABLE:
        raise ValidationError(
            f"This return is {kpi_return.get_status_display().lower()}; only a submitted return can be accepted or "
            "queried"
        )
    comments = (comments or "").strip()
    if outcome == ReturnDecision.Outcome.QUERIED and not comments:
        raise ValidationError({"comments": "Say what the provider needs to check or correct"})
    version = kpi_return.versions.order_by("-number").first()
    decision = ReturnDecision.objects.create(
        version=version, outcome=outcome, comments=comments, decided_by=actor, decided_at=timezone.now()
    )
    kpi_return.status = ReturnStatus.ACCEPTED if outcome == ReturnDecision.Outcome.ACCEPTED else ReturnStatus.QUERIED
    attribute(kpi_return, actor=actor, reason=f"Version {version.number} {decision.get_outcome_display().lower()}")
    kpi_return.save(update_fields=["status"])
    return decision


@transaction.atomic
def return_accept(*, actor, kpi_return: KpiReturn, comments: str = "") -> ReturnDecision:
    return _decide(actor, kpi_return, ReturnDecision.Outcome.ACCEPTED, comments)


@transaction.atomic
def return_query(*, actor, kpi_return: KpiReturn, comments: str) -> ReturnDecision:
    return _decide(actor, kpi_return, ReturnDecision.Outcome.QUERIED, comments)


# Strategic review, exit and contract management (issue 11, points 4 to 6) are written in review_services.py.
from commissioning.monitoring.review_services import (  # noqa: E402, F401
    agreements_due_for_review,
    assessment_publish,
    assessment_record,
    contract_kpi_problem,
    contract_problems_for_service,
    contract_rule_for,
    exit_record,
    final_return_schedule,
    review_due_on,
    review_rule,
    strategic_review_case_started,
    strategic_review_decide,
    strategic_review_open,
    strategic_review_record,
    strategic_review_submit,
    strategic_reviews_flag,
)
