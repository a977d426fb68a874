"""The provider API (issue 11, point 2): a provider's systems read its services, their KPIs and the returns due,
submit a return's figures and read back every version. django-ninja serves it at /api/, its OpenAPI schema at
/api/openapi.json and its documentation at /api/docs (Swagger UI from ninja's own static files: nothing is
fetched from elsewhere, so the Content Security Policy holds).

Every call carries `Authorization: Bearer <token>`, a token a provider's person created (api_tokens.py). The
token is the only way in: a session cookie opens nothing here, so there is no CSRF to guard and no two-factor
gate (accounts.middleware exempts /api/). A token sees only its own organisation's services: any other
service or return is 404, as if it did not exist. A missing, unknown or revoked token is 401.

Submitting goes through the same service as the web form and the upload (services.return_submit), with the
same checks: whole numbers, 0 or more; every figure the return asks for; breakdowns that add up where they
must; known measure codes and categories; the return's own period. Problems come back as 422 with every one
named by field: `<measure code>.total` or `<measure code>.<category>` for a figure, `figures[i]...` for an entry
that names no known figure, `starts_on`/`ends_on` for the period.
"""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import StrictInt

from commissioning.agreements.models import Service
from commissioning.monitoring import api_tokens, services
from commissioning.monitoring.imports import kpi_code
from commissioning.monitoring.models import (
    KpiReturn,
    ReturnDecision,
    ReturnValue,
    ReturnVersion,
    ServiceKpi,
)
from commissioning.monitoring.services import TOTAL


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        return api_tokens.authenticate(token)


api = NinjaAPI(
    title="OPCC commissioning: provider returns API",
    version="1",
    description=(
        "For providers of commissioned services: read your services, their KPIs and the returns due, submit a "
        "return and read every version of it. Create a token under Returns, API tokens, and send it as "
        "`Authorization: Bearer <token>`. You see only your own organisation's services."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)


# Schemas ----------------------------------------------------------------------------------------------------


class Message(Schema):
    detail: str


class FieldError(Schema):
    field: str = Field(
        description="What is wrong: a figure (`gender.Female`, `beneficiaries.total`), an entry "
        "(`figures[2].measure`), `starts_on`, `ends_on`, or `return` for the return as a whole"
    )
    message: str


class Problems(Schema):
    detail: str
    errors: list[FieldError]


class Measure(Schema):
    code: str = Field(description="The measure's code, used to submit its figures")
    name: str
    kind: Literal["count", "breakdown"]
    categories: list[str] = Field(description="For a breakdown, its categories; empty for a count")
    categories_add_up: bool = Field(description="Whether a breakdown's categories must add up to its total")
    not_known: str = Field(description="The category meaning the answer is not known (breakdowns)")
    unit: str
    target: int | None
    direction: Literal["higher", "lower"]
    frequency: str
    effective_from: dt.date
    effective_to: dt.date | None


class Schedule(Schema):
    frequency: str
    days_to_submit: int


class ReturnSummary(Schema):
    id: int
    service_id: int
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date
    status: Literal["due", "submitted", "queried", "resubmitted", "accepted"]
    overdue: bool
    can_submit: bool = Field(description="Due or queried, and its period has ended")


class ServiceOut(Schema):
    id: int
    reference: str
    name: str
    status: str
    starts_on: dt.date
    ends_on: dt.date | None
    schedule: Schedule
    measures: list[Measure]
    returns: list[ReturnSummary]


class Figure(Schema):
    measure: str = Field(description="The measure's code")
    category: str | None = Field(None, description="A breakdown's category; leave out (or null) for the total")
    value: int


class Decision(Schema):
    outcome: Literal["accepted", "queried"]
    comments: str
    decided_at: dt.datetime


class VersionOut(Schema):
    number: int
    method: str
    note: str
    submitted_at: dt.datetime
    figures: list[Figure]
    decisions: list[Decision]


class ReturnOut(ReturnSummary):
    service_reference: str
    service_name: str
    measures: list[Measure] = Field(description="The measures this return asks for")
    versions: list[VersionOut] = Field(description="Every version submitted, the latest first")


class FigureIn(Schema):
    measure: str = Field(max_length=200, description="The measure's code")
    category: str | None = Field(
        None, max_length=200, description="A breakdown's category; leave out (or null) for the total"
    )
    value: StrictInt = Field(description="A whole number, 0 or more")


class SubmissionIn(Schema):
    starts_on: dt.date = Field(description="The first day of the return's period")
    ends_on: dt.date = Field(description="The last day of the return's period")
    note: str = Field("", max_length=5000, description="Anything the OPCC should know about the figures")
    figures: list[FigureIn] = Field(
        max_length=5000, description="Every figure the return asks for: each measure's total and each category"
    )


# Reads, scoped to the token's organisation ------------------------------------------------------------------


def _services(token):
    return Service.objects.filter(provider_id=token.organisation_id)


def _returns(token):
    return KpiReturn.objects.filter(service__provider_id=token.organisation_id).select_related("service")


def _measure(kpi: ServiceKpi) -> dict:
    return {
        "code": kpi_code(kpi),
        "name": kpi.label,
        "kind": kpi.kpi_kind,
        "categories": kpi.categories,
        "categories_add_up": kpi.must_add_up if kpi.is_breakdown else True,
        "not_known": kpi.not_known_category,
        "unit": kpi.unit,
        "target": kpi.target,
        "direction": kpi.direction,
        "frequency": kpi.frequency,
        "effective_from": kpi.effective_from,
        "effective_to": kpi.effective_to,
    }


def _summary(kpi_return: KpiReturn, today: dt.date) -> dict:
    return {
        "id": kpi_return.pk,
        "service_id": kpi_return.service_id,
        "starts_on": kpi_return.starts_on,
        "ends_on": kpi_return.ends_on,
        "due_on": kpi_return.due_on,
        "status": kpi_return.status,
        "overdue": kpi_return.is_overdue(today),
        "can_submit": kpi_return.status in services.SUBMITTABLE and kpi_return.ends_on < today,
    }


def _service(service: Service, today: dt.date) -> dict:
    schedule = services.schedule_for(service)
    return {
        "id": service.pk,
        "reference": service.reference,
        "name": service.name,
        "status": service.status,
        "starts_on": service.starts_on,
        "ends_on": service.ends_on,
        "schedule": {"frequency": schedule.frequency, "days_to_submit": schedule.days_to_submit},
        "measures": [_measure(kpi) for kpi in service.kpis.all() if kpi.is_reported],
        "returns": [_summary(r, today) for r in service.kpi_returns.all()],
    }


def _with_details(services_qs):
    return services_qs.select_related("return_schedule").prefetch_related(
        Prefetch("kpis", queryset=ServiceKpi.objects.select_related("definition").order_by("order", "pk")),
        Prefetch("kpi_returns", queryset=KpiReturn.objects.order_by("-starts_on")),
    )


def _return_for(token, return_id: int) -> KpiReturn:
    kpi_return = _returns(token).filter(pk=return_id).first()
    if kpi_return is None:
        raise Http404("No such return")
    return kpi_return


def _return(kpi_return: KpiReturn, today: dt.date) -> dict:
    all_kpis = list(kpi_return.service.kpis.select_related("definition").order_by("order", "pk"))
    codes = {kpi.pk: kpi_code(kpi) for kpi in all_kpis}
    return {
        **_summary(kpi_return, today),
        "service_reference": kpi_return.service.reference,
        "service_name": kpi_return.service.name,
        "measures": [_measure(kpi) for kpi in services.kpis_for_return(kpi_return, all_kpis)],
        "versions": _versions(kpi_return, codes),
    }


def _versions(kpi_return: KpiReturn, codes: dict) -> list[dict]:
    versions = kpi_return.versions.order_by("-number").prefetch_related(
        Prefetch("values", queryset=ReturnValue.objects.order_by("kpi__order", "kpi_id", "pk")),
        Prefetch("decisions", queryset=ReturnDecision.objects.order_by("decided_at", "pk")),
    )
    return [
        {
            "number": version.number,
            "method": version.method,
            "note": version.note,
            "submitted_at": version.submitted_at,
            "figures": [
                {"measure": codes.get(v.kpi_id, ""), "category": v.category or None, "value": v.value}
                for v in version.values.all()
            ],
            "decisions": [
                {"outcome": d.outcome, "comments": d.comments, "decided_at": d.decided_at}
                for d in version.decisions.all()
            ],
        }
        for version in versions
    ]


# Endpoints -------------------------------------------------------------------------------------------------

# Every operation may answer 401 (no live token) and 422 (a request the schema refuses: a bad id or filter).
UNAUTHORISED = {401: Message, 422: Problems}
# An id the database can hold (a larger one is simply not found).
ServiceId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The service's id")]
ReturnId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The return's id")]


@api.get("/services", response={200: list[ServiceOut], **UNAUTHORISED}, tags=["services"], url_name="services")
def list_services(request):
    """Your organisation's services, each with its measures, return schedule and returns."""
    today = timezone.localdate()
    return [_service(s, today) for s in _with_details(_services(request.auth)).order_by("name", "pk")]


@api.get(
    "/services/{service_id}",
    response={200: ServiceOut, 404: Message, **UNAUTHORISED},
    tags=["services"],
    url_name="service",
)
def get_service(request, service_id: ServiceId):
    """One of your organisation's services, with its measures, return schedule and returns."""
    service = _with_details(_services(request.auth)).filter(pk=service_id).first()
    if service is None:
        return Status(404, {"detail": "No such service"})
    return _service(service, timezone.localdate())


@api.get("/returns", response={200: list[ReturnSummary], **UNAUTHORISED}, tags=["returns"], url_name="returns")
def list_returns(request, status: Literal["due", "submitted", "queried", "resubmitted", "accepted"] | None = None):
    """Your organisation's returns, the most recent period first; `status` keeps only those in it."""
    returns = _returns(request.auth)
    if status:
        returns = returns.filter(status=status)
    today = timezone.localdate()
    return [_summary(r, today) for r in returns.order_by("-ends_on", "service__name", "pk")]


@api.get(
    "/returns/{return_id}",
    response={200: ReturnOut, 404: Message, **UNAUTHORISED},
    tags=["returns"],
    url_name="return",
)
def get_return(request, return_id: ReturnId):
    """One return: its period, status, the measures it asks for, and every version submitted."""
    try:
        kpi_return = _return_for(request.auth, return_id)
    except Http404:
        return Status(404, {"detail": "No such return"})
    return _return(kpi_return, timezone.localdate())


@api.get(
    "/returns/{return_id}/versions",
    response={200: list[VersionOut], 404: Message, **UNAUTHORISED},
    tags=["returns"],
    url_name="return_versions",
)
def list_versions(request, return_id: ReturnId):
    """Every version of a return, the latest first, with its figures and the OPCC's decisions on it."""
    try:
        kpi_return = _return_for(request.auth, return_id)
    except Http404:
        return Status(404, {"detail": "No such return"})
    codes = {kpi.pk: kpi_code(kpi) for kpi in kpi_return.service.kpis.select_related("definition")}
    return _versions(kpi_return, codes)


def _field(code: str, category: str) -> str:
    return f"{code}.{category or 'total'}"


def _read_figures(kpi_return: KpiReturn, kpis: list[ServiceKpi], payload: SubmissionIn) -> tuple[dict, list]:
    """The figures as services.check_values takes them, and the problems with entries that name no figure of the
    return (an unknown measure or category, a figure given twice) or with the period."""
    errors = []
    if payload.starts_on != kpi_return.starts_on:
        errors.append(
            {"field": "starts_on", "message": f"This return's period starts on {kpi_return.starts_on.isoformat()}"}
        )
    if payload.ends_on != kpi_return.ends_on:
        errors.append({"field": "ends_on", "message": f"This return's period ends on {kpi_return.ends_on.isoformat()}"})
    by_code = {kpi_code(kpi).lower(): kpi for kpi in kpis}
    values: dict = {}
    for index, figure in enumerate(payload.figures):
        kpi = by_code.get(figure.measure.strip().lower())
        if kpi is None:
            errors.append(
                {
                    "field": f"figures[{index}].measure",
                    "message": f"‘{figure.measure}’ is not one of this return's measures; see the return's measures",
                }
            )
            continue
        category = (figure.category or "").strip()
        if category.lower() in ("", "total"):
            key = TOTAL
        else:
            key = next((c for c in kpi.categories if c.lower() == category.lower()), None)
            if key is None:
                errors.append(
                    {
                        "field": f"figures[{index}].category",
                        "message": f"‘{category}’ is not a category of {kpi.label}; its categories are "
                        + (", ".join(kpi.categories) or "none (send its total only)"),
                    }
                )
                continue
        if (kpi.pk, key) in values:
            errors.append(
                {"field": f"figures[{index}]", "message": f"{kpi.label}: {key or 'total'} is given more than once"}
            )
            continue
        values[(kpi.pk, key)] = figure.value
    return values, errors


@api.post(
    "/returns/{return_id}/versions",
    response={201: VersionOut, 400: Message, 404: Message, 409: Problems, **UNAUTHORISED},
    tags=["returns"],
    url_name="return_submit",
)
def submit_return(request, return_id: ReturnId, payload: SubmissionIn):
    """Submit the return's figures as a new version: the first submission, or the answer to the OPCC's query.
    Every problem is reported by field and nothing is saved; 409 when the return cannot be submitted now (already
    submitted or accepted, or its period has not ended)."""
    token = request.auth
    try:
        kpi_return = _return_for(token, return_id)
    except Http404:
        return Status(404, {"detail": "No such return"})
    if kpi_return.status not in services.SUBMITTABLE or kpi_return.ends_on >= timezone.localdate():
        reason = (
            f"This return is {kpi_return.get_status_display().lower()}; it can be submitted again only if the OPCC "
            "queries it"
            if kpi_return.status not in services.SUBMITTABLE
            else f"The period ends on {kpi_return.ends_on.isoformat()}; submit the return after it ends"
        )
        return Status(409, {"detail": reason, "errors": [{"field": "return", "message": reason}]})
    kpis = services.kpis_for_return(kpi_return)
    values, errors = _read_figures(kpi_return, kpis, payload)
    reported = {e["field"] for e in errors}
    for problem in services.check_values(kpis, values):
        field = _field(kpi_code(problem.kpi), problem.category)
        if field not in reported:
            errors.append({"field": field, "message": problem.message})
    if errors:
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        return Status(422, {"detail": f"The return has {count}; nothing has been saved", "errors": errors})
    try:
        version = services.return_submit(
            actor=token.created_by,
            kpi_return=kpi_return,
            values=values,
            method=ReturnVersion.Method.API,
            note=payload.note,
        )
    except PermissionDenied:
        return Status(404, {"detail": "No such return"})
    except ValidationError as exc:
        # The return changed since it was read (submitted by someone else at the same moment), or a rule the
        # checks above do not repeat: report the service's own words.
        messages = exc.messages
        return Status(409, {"detail": messages[0], "errors": [{"field": "return", "message": m} for m in messages]})
    codes = {kpi.pk: kpi_code(kpi) for kpi in kpis}
    return Status(201, _versions(kpi_return, codes)[0] | {"number": version.number})


# Errors in the API's own words ------------------------------------------------------------------------------


@api.exception_handler(NinjaValidationError)
def invalid_request(request, exc):
    """A request the schema refuses (not JSON, a figure that is not a whole number, a missing field): 422 with
    every problem by field, in the same shape as the return's own checks."""
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        field = ".".join(location) or "request"
        message = error.get("msg", "Invalid value")
        if error.get("type") in ("int_type", "int_parsing", "int_from_float"):
            message = "Enter a whole number, 0 or more, like 12"
        errors.append({"field": field, "message": message})
    return api.create_response(
        request,
        {"detail": f"The request has {len(errors)} problem{'s' if len(errors) != 1 else ''}", "errors": errors},
        status=422,
    )
