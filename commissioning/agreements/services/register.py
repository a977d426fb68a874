"""Services, their co-funders, agreements and documents (issue 4, point 3)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.agreements.models import Agreement, AgreementDocument, CoFunder, Service
from commissioning.agreements.services._common import money, save, save_with_reference
from commissioning.core import uploads
from commissioning.core.dates import long_date
from commissioning.core.services import attribute, require
from commissioning.organisations.models import Organisation

# The largest agreement document accepted, in bytes (10 MB unless configured).
UPLOAD_SETTING = "AGREEMENT_UPLOAD_MAX_BYTES"
SERVICE_FIELDS = ("name", "purpose", "provider", "approach", "delivery_area", "starts_on", "ends_on", "lead_officer")
SERVICE_M2M = ("priorities", "panel_areas", "ring_fences")
AGREEMENT_FIELDS = (
    "kind",
    "regime",
    "value",
    "starts_on",
    "ends_on",
    "conditions",
    "repayment_conditions",
    "payment_terms",
    "decision",
)
# Once signed, an agreement's type, regime, value and dates change only through an approved variation.
LOCKED_ONCE_ACTIVE = ("kind", "regime", "value", "starts_on", "ends_on")

# Which status a service may move to from each status.
SERVICE_STATUS_CHANGES = {
    Service.Status.PLANNED: {Service.Status.ACTIVE, Service.Status.ENDED},
    Service.Status.ACTIVE: {Service.Status.IN_REVIEW, Service.Status.ENDED},
    Service.Status.IN_REVIEW: {Service.Status.ACTIVE, Service.Status.ENDED},
    Service.Status.ENDED: set(),
}


# Services -----------------------------------------------------------------------------------------------


def _service_rule_errors(service: Service, *, priorities, ring_fences, previous_provider_id=None) -> dict:
    errors = {}
    if service.provider_id is None:
        errors["provider"] = "Select the organisation that provides the service"
    elif not service.provider.is_active and service.provider_id != previous_provider_id:
        errors["provider"] = f"{service.provider.name} is no longer active. Select an active organisation"
    if not list(priorities):
        errors["priorities"] = "Select at least one Police and Crime Plan priority"
    not_ring_fenced = [fund.name for fund in ring_fences if not fund.is_ring_fenced]
    if not_ring_fenced:
        errors["ring_fences"] = f"{', '.join(not_ring_fenced)} is not ring-fenced. Select only ring-fenced funds"
    if service.starts_on and service.ends_on and service.ends_on < service.starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    officer = service.lead_officer
    if officer is not None and (officer.role not in OPCC_STAFF or not officer.is_active):
        errors["lead_officer"] = "Select an OPCC officer as the lead officer"
    return errors


def _set_m2m(service: Service, **related) -> None:
    for name, values in related.items():
        if values is not None:
            getattr(service, name).set(values)


@transaction.atomic
def service_create(
    *,
    actor,
    name: str,
    purpose: str,
    provider: Organisation | None,
    approach: str,
    priorities: Iterable,
    starts_on: dt.date | None,
    panel_areas: Iterable = (),
    ring_fences: Iterable = (),
    delivery_area: str = "",
    ends_on: dt.date | None = None,
    lead_officer=None,
    status: str = Service.Status.PLANNED,
) -> Service:
    """Add a service to the register, numbered SVC-0001 onwards. It serves at least one plan priority
    (seed, Section 2, objective 1) and is tied only to ring-fenced funds (DOMAIN.md, "Funds")."""
    require(actor, "agreements.change_service")
    priorities, ring_fences = list(priorities), list(ring_fences)
    service = Service(
        name=(name or "").strip(),
        purpose=(purpose or "").strip(),
        provider=provider,
        approach=approach,
        delivery_area=(delivery_area or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        lead_officer=lead_officer,
        status=status,
    )
    errors = _service_rule_errors(service, priorities=priorities, ring_fences=ring_fences)
    save_with_reference(service, prefix="SVC-", actor=actor, reason="Service added to the register", errors=errors)
    _set_m2m(service, priorities=priorities, panel_areas=list(panel_areas), ring_fences=ring_fences)
    return service


@transaction.atomic
def service_update(*, actor, service: Service, data: dict, reason: str = "") -> Service:
    """Change a service's details; its status changes through service_status_change."""
    require(actor, "agreements.change_service", service)
    unknown = set(data) - set(SERVICE_FIELDS) - set(SERVICE_M2M)
    if unknown:
        raise TypeError(f"Cannot set {sorted(unknown)} on a service")
    service = Service.objects.select_for_update().get(pk=service.pk)
    previous_provider_id = service.provider_id
    for name in SERVICE_FIELDS:
        if name in data:
            value = data[name]
            setattr(service, name, value.strip() if isinstance(value, str) else value)
    related = {name: list(data[name]) for name in SERVICE_M2M if name in data}
    priorities = related.get("priorities", list(service.priorities.all()))
    ring_fences = related.get("ring_fences", list(service.ring_fences.all()))
    errors = _service_rule_errors(
        service, priorities=priorities, ring_fences=ring_fences, previous_provider_id=previous_provider_id
    )
    save(service, actor=actor, reason=reason or "Service details changed", errors=errors)
    _set_m2m(service, **related)
    return service


@transaction.atomic
def service_status_change(*, actor, service: Service, status: str, reason: str) -> Service:
    """Move a service through planned → active → in strategic review → ended (seed, Section 1: a strategic
    review in the final 12–18 months leads to retender, extension, redesign or end)."""
    require(actor, "agreements.change_service", service)
    service = Service.objects.select_for_update().get(pk=service.pk)
    errors = {}
    if status not in Service.Status.values:
        errors["status"] = "Select the new status"
    elif status == service.status:
        errors["status"] = f"The service is already {service.get_status_display().lower()}. Select another status"
    elif status not in SERVICE_STATUS_CHANGES[service.status]:
        errors["status"] = (
            f"A service that is {service.get_status_display().lower()} cannot become "
            f"{Service.Status(status).label.lower()}"
        )
    if not (reason or "").strip():
        errors["reason"] = "Enter why the status is changing"
    if errors:
        raise ValidationError(errors)
    service.status = status
    if status == Service.Status.ENDED and (service.ends_on is None or service.ends_on > timezone.localdate()):
        service.ends_on = max(timezone.localdate(), service.starts_on)
    save(service, actor=actor, reason=reason)
    return service


# Co-funders ---------------------------------------------------------------------------------------------


@transaction.atomic
def cofunder_add(*, actor, service: Service, organisation: Organisation | None, amount, notes: str = "") -> CoFunder:
    """Record a partner's share of a co-commissioned service (DOMAIN.md: each share recorded). One row per
    organisation; the OPCC's own share is what the co-funders do not pay, so it is not a co-funder."""
    require(actor, "agreements.change_service", service)
    errors = {}
    if organisation is None:
        errors["organisation"] = "Select the organisation that co-funds the service"
    elif organisation.kind == Organisation.Kind.OPCC:
        errors["organisation"] = "The OPCC's share is worked out from the other shares. Select a partner organisation"
    elif CoFunder.objects.filter(service=service, organisation=organisation).exists():
        errors["organisation"] = f"{organisation.name} already co-funds this service. Change its share instead"
    amount = _cofunder_amount(amount, errors)
    share = CoFunder(service=service, organisation=organisation, amount=amount, notes=(notes or "").strip())
    save(share, actor=actor, reason="Co-funder added", errors=errors)
    return share


def _cofunder_amount(amount, errors: dict) -> Decimal | None:
    amount = money(amount, errors, "amount", required_message="Enter the amount they contribute")
    if amount is not None and amount <= 0:
        errors["amount"] = "Enter an amount more than £0"
    return amount


@transaction.atomic
def cofunder_update(*, actor, cofunder: CoFunder, amount, notes: str = "", reason: str = "") -> CoFunder:
    require(actor, "agreements.change_service", cofunder)
    cofunder = CoFunder.objects.select_for_update().get(pk=cofunder.pk)
    errors = {}
    cofunder.amount = _cofunder_amount(amount, errors)
    cofunder.notes = (notes or "").strip()
    save(cofunder, actor=actor, reason=reason or "Co-funder's share changed", errors=errors)
    return cofunder


@transaction.atomic
def cofunder_remove(*, actor, cofunder: CoFunder, reason: str = "") -> None:
    require(actor, "agreements.change_service", cofunder)
    attribute(cofunder, actor=actor, reason=reason or "Co-funder removed")
    cofunder.delete()


# Agreements ---------------------------------------------------------------------------------------------


def _agreement_rule_errors(agreement: Agreement) -> dict:
    """A grant is not a procurement; a contract names the procurement regime it was let under
    (DOMAIN.md, "Legal basis": PCR 2015, or the Procurement Act 2023 from 24 February 2025)."""
    errors = {}
    kind, regime = agreement.kind, agreement.regime
    if not regime:
        errors["regime"] = "Select the legal regime of the agreement"
    elif kind == Agreement.Kind.GRANT and regime != Agreement.Regime.GRANT:
        errors["regime"] = "A grant agreement is not a procurement. Select 'Grant (not a procurement)'"
    elif kind == Agreement.Kind.CONTRACT and regime not in (Agreement.Regime.PCR_2015, Agreement.Regime.PA_2023):
        errors["regime"] = (
            "A contract must name its procurement regime: the Public Contracts Regulations 2015 "
            "or the Procurement Act 2023"
        )
    if agreement.starts_on and agreement.ends_on and agreement.ends_on <= agreement.starts_on:
        errors["ends_on"] = "The end date must be after the start date"
    if agreement.value is not None and agreement.value < 0:
        errors["value"] = "Enter a value of £0 or more"
    return errors


@transaction.atomic
def agreement_create(
    *,
    actor,
    service: Service,
    kind: str,
    regime: str,
    value,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    conditions: str = "",
    repayment_conditions: str = "",
    payment_terms: str = "",
    decision=None,
) -> Agreement:
    """Add a draft grant agreement, contract, SLA or partnership agreement to a service, numbered
    AGR-<year>-0001 in the year it is recorded."""
    require(actor, "agreements.manage_agreement", service)
    errors = {}
    if service.status == Service.Status.ENDED:
        raise ValidationError("The service has ended. Agreements cannot be added to it")
    value = money(value, errors, "value", required_message="Enter the total value of the agreement")
    agreement = Agreement(
        service=service,
        kind=kind,
        regime=regime,
        value=value,
        starts_on=starts_on,
        ends_on=ends_on,
        conditions=(conditions or "").strip(),
        repayment_conditions=(repayment_conditions or "").strip(),
        payment_terms=(payment_terms or "").strip(),
        decision=decision,
    )
    errors = {**_agreement_rule_errors(agreement), **errors}
    prefix = f"AGR-{timezone.localdate().year}-"
    save_with_reference(agreement, prefix=prefix, actor=actor, reason="Agreement drafted", errors=errors)
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, data: dict, reason: str = "") -> Agreement:
    """Change a draft agreement; once active, only its conditions, payment terms and decision change here
    (the rest through an approved variation)."""
    require(actor, "agreements.manage_agreement", agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    allowed = AGREEMENT_FIELDS
    if agreement.status != Agreement.Status.DRAFT:
        allowed = tuple(name for name in AGREEMENT_FIELDS if name not in LOCKED_ONCE_ACTIVE)
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            "The type, regime, value and dates of a signed agreement change through a variation"
            if unknown <= set(LOCKED_ONCE_ACTIVE)
            else f"Cannot set {sorted(unknown)} on an agreement"
        )
    errors = {}
    for name, value in data.items():
        if name == "value":
            value = money(value, errors, "value", required_message="Enter the total value of the agreement")
        setattr(agreement, name, value.strip() if isinstance(value, str) else value)
    errors = {**_agreement_rule_errors(agreement), **errors}
    save(agreement, actor=actor, reason=reason or "Agreement details changed", errors=errors)
    return agreement


@transaction.atomic
def agreement_activate(*, actor, agreement: Agreement, signed_on: dt.date | None) -> Agreement:
    """Record that the agreement is signed: it becomes active, and a planned service with it."""
    require(actor, "agreements.manage_agreement", agreement)
    agreement = Agreement.objects.select_for_update().select_related("service").get(pk=agreement.pk)
    if agreement.status != Agreement.Status.DRAFT:
        raise ValidationError(f"{agreement.reference} is already {agreement.get_status_display().lower()}")
    if signed_on is None:
        raise ValidationError({"signed_on": "Enter the date the agreement was signed"})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The date signed must be today or in the past"})
    agreement.status = Agreement.Status.ACTIVE
    agreement.signed_on = signed_on
    save(agreement, actor=actor, reason=f"Signed on {long_date(signed_on)}")
    service = agreement.service
    if service.status == Service.Status.PLANNED:
        service.status = Service.Status.ACTIVE
        save(service, actor=actor, reason=f"Agreement {agreement.reference} signed")
    return agreement


@transaction.atomic
def agreement_document_add(*, actor, agreement: Agreement, title: str, file) -> AgreementDocument:
    """Keep a signed agreement, schedule or letter with the agreement. Only PDF, Word, Excel, OpenDocument,
    PNG and JPEG files are accepted, checked by name and by content, up to AGREEMENT_UPLOAD_MAX_BYTES."""
    require(actor, "agreements.manage_agreement", agreement)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter a title for the document"
    try:
        content_type = uploads.check_upload(file, max_bytes=uploads.max_upload_bytes(UPLOAD_SETTING))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        content_type = ""
    if errors:
        raise ValidationError(errors)
    document = AgreementDocument(
        agreement=agreement,
        title=title.strip(),
        file=file,
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )
    save(document, actor=actor, reason="Document added")
    return document
