"""Services, their co-funders, agreements and documents (issue 4, point 3)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.agreements.models import Agreement, AgreementVariation, CoFunder, Service
from commissioning.agreements.services._common import money, save, save_with_reference
from commissioning.core.money import PENNY, allocate, format_money, to_money
from commissioning.core.services import attribute, require
from commissioning.organisations.models import Organisation

# The largest agreement document accepted, in bytes (10 MB unless configured).
UPLOAD_SETTING = "AGREEMENT_UPLOAD_MAX_BYTES"
SERVICE_FIELDS = (
    "name",
    "purpose",
    "provider",
    "approach",
    "main_panel_area",
    "delivery_area",
    "starts_on",
    "ends_on",
    "lead_officer",
)
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

ZERO, HUNDRED = Decimal("0.00"), Decimal("100")

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
    main_panel_area=None,
    panel_areas: Iterable = (),
    ring_fences: Iterable = (),
    delivery_area: str = "",
    ends_on: dt.date | None = None,
    lead_officer=None,
    status: str = Service.Status.PLANNED,
) -> Service:
    """Add a service to the register, numbered SVC-0001 onwards. It serves at least one plan priority
    (seed, Section 2, objective 1) and is tied only to ring-fenced funds (DOMAIN.md, "Funds").

    It has one main Police and Crime Panel area, the one the Panel report counts it under (issue 12): the one
    given, else the first of its Panel areas, else its first priority's (how grant-made services get one)."""
    require(actor, "agreements.change_service")
    priorities, ring_fences, panel_areas = list(priorities), list(ring_fences), list(panel_areas)
    if main_panel_area is None:
        main_panel_area = panel_areas[0] if panel_areas else _priority_panel_area(priorities)
    service = Service(
        name=(name or "").strip(),
        purpose=(purpose or "").strip(),
        provider=provider,
        approach=approach,
        main_panel_area=main_panel_area,
        delivery_area=(delivery_area or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        lead_officer=lead_officer,
        status=status,
    )
    errors = _service_rule_errors(service, priorities=priorities, ring_fences=ring_fences)
    if service.main_panel_area_id is None:
        errors.setdefault("main_panel_area", "Select the main Police and Crime Panel area the service reports under")
    save_with_reference(service, prefix="SVC-", actor=actor, reason="Service added to the register", errors=errors)
    if service.main_panel_area not in panel_areas:
        panel_areas.insert(0, service.main_panel_area)
    _set_m2m(service, priorities=priorities, panel_areas=panel_areas, ring_fences=ring_fences)
    return service


def _priority_panel_area(priorities):
    """The Panel area of the first priority that has one (priorities in plan order)."""
    for priority in sorted(priorities, key=lambda p: (p.pillar_id, p.code, p.pk)):
        if priority.panel_area_id:
            return priority.panel_area
    return None


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


@dataclass(frozen=True)
class CoFunding:
    """What a service's co-funders may pay for (issue 13 point 4).

    `value` is what the shares are checked against: the value of the service's signed agreements (ended and
    terminated ones included, drafts not), as the service page shows it; or, before any is signed, the value of
    its draft agreements. `pending` is what value variations awaiting approval would add to signed agreements:
    shares may run into it only with an explicit confirmation and a reason. `others` is what the other
    co-funders pay."""

    value: Decimal
    signed: bool
    pending: Decimal
    others: Decimal

    @property
    def room(self) -> Decimal:
        return self.value - self.others


def cofunding_for(service: Service, *, excluding: CoFunder | None = None) -> CoFunding:
    agreements = Agreement.objects.filter(service=service)
    signed = agreements.exclude(status=Agreement.Status.DRAFT)
    is_signed = signed.exists()
    value = (signed if is_signed else agreements).aggregate(total=Sum("value"))["total"] or ZERO
    pending = (
        AgreementVariation.objects.filter(
            agreement__in=signed,
            kind=AgreementVariation.Kind.VALUE,
            status=AgreementVariation.Status.REQUESTED,
            value_change__gt=0,
        ).aggregate(total=Sum("value_change"))["total"]
        or ZERO
    )
    others = CoFunder.objects.filter(service=service)
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    return CoFunding(
        value=to_money(value),
        signed=is_signed,
        pending=to_money(pending),
        others=to_money(others.aggregate(total=Sum("amount"))["total"] or ZERO),
    )


def _share(
    cofunding: CoFunding, *, amount, percentage, confirm_increase: bool, increase_reason: str, errors: dict
) -> tuple[Decimal | None, str]:
    """The share in pounds, and a note for the history; refusals go in `errors`.

    A share is entered as an amount or as a percentage of the value. A percentage becomes pounds by the
    project's penny rule (core.money.allocate); when it brings the co-funders to the whole value, that share is
    the exact remainder, so the shares always sum to the penny. The shares may not come to more than the value,
    unless value variations awaiting approval will cover them and the person confirms it with a reason."""
    has_amount = amount not in (None, "")
    has_percentage = percentage not in (None, "")
    if has_amount == has_percentage:
        errors["amount"] = "Enter their contribution as an amount or as a percentage" + (
            ", not both" if has_amount else ""
        )
        return None, ""
    field, note = "amount", ""
    if has_percentage:
        field = "percentage"
        try:
            percentage = Decimal(str(percentage))
        except ArithmeticError:
            percentage = None
        if percentage is None or not Decimal("0") < percentage <= HUNDRED or percentage != round(percentage, 2):
            errors[field] = "Enter a percentage more than 0 and no more than 100, like 12.5"
            return None, ""
        if cofunding.value <= 0:
            errors[field] = (
                "Enter their contribution as an amount: a percentage is of the value of the service's agreements, "
                "and it has none yet"
            )
            return None, ""
        amount = allocate(cofunding.value, [percentage, HUNDRED - percentage])[0]
        remainder = cofunding.value - cofunding.others
        if remainder > 0 and (remainder * HUNDRED / cofunding.value).quantize(PENNY) == percentage:
            amount = remainder  # the percentage left: the shares now sum to the value to the penny
        note = f"{percentage.normalize():f}% of {format_money(cofunding.value)}"
    else:
        amount = _cofunder_amount(amount, errors)
        if amount is None:
            return None, ""
    if amount <= 0:
        errors[field] = "Enter an amount more than £0"
        return None, ""
    total = cofunding.others + amount
    if total <= cofunding.value:
        return amount, note
    if not cofunding.signed and cofunding.value <= 0:
        errors[field] = (
            "Record the service's agreement first: a co-funder's share is part of what its agreements are worth"
        )
        return None, ""
    what = "the value of the signed agreements" if cofunding.signed else "the value of its draft agreements"
    over = (
        f"The co-funders' shares would come to {format_money(total)}, more than {format_money(cofunding.value)}, "
        f"{what} for this service"
    )
    if cofunding.pending and total <= cofunding.value + cofunding.pending:
        if not confirm_increase:
            errors["confirm_increase"] = (
                f"{over}. A variation awaiting approval would raise it by {format_money(cofunding.pending)}: "
                f"confirm that the agreement is being varied upwards, or enter {format_money(cofunding.room)} or less"
            )
        elif not (increase_reason or "").strip():
            errors["increase_reason"] = "Enter why the shares may come to more than the signed value for now"
        else:
            return amount, (note + "; " if note else "") + f"above the signed value until varied: {increase_reason}"
        return None, ""
    if cofunding.pending:
        limit = cofunding.room + cofunding.pending
        errors[field] = (
            f"{over}, and more than the variation awaiting approval would cover. "
            f"Enter {format_money(max(limit, ZERO))} or less, and confirm that the agreement is being varied upwards"
        )
    elif cofunding.room <= 0:
        errors[field] = f"{over}. The other co-funders already pay all of it: reduce another share first"
    else:
        errors[field] = f"{over}. Enter {format_money(cofunding.room)} or less" + (
            f" (or {cofunding.room / cofunding.value * 100:.2f}% or less)" if field == "percentage" else ""
        )
    return None, ""


def _lock_service(service: Service) -> Service:
    """Two people changing a service's co-funders at the same moment are taken one after the other."""
    return Service.objects.select_for_update().get(pk=service.pk)


@transaction.atomic
def cofunder_add(
    *,
    actor,
    service: Service,
    organisation: Organisation | None,
    amount=None,
    percentage=None,
    notes: str = "",
    confirm_increase: bool = False,
    increase_reason: str = "",
) -> CoFunder:
    """Record a partner's share of a co-commissioned service (DOMAIN.md: each share recorded). One row per
    organisation; the OPCC's own share is what the co-funders do not pay, so it is not a co-funder. The shares
    never come to more than what they pay for (see _share)."""
    require(actor, "agreements.change_service", service)
    service = _lock_service(service)
    errors = {}
    if organisation is None:
        errors["organisation"] = "Select the organisation that co-funds the service"
    elif organisation.kind == Organisation.Kind.OPCC:
        errors["organisation"] = "The OPCC's share is worked out from the other shares. Select a partner organisation"
    elif CoFunder.objects.filter(service=service, organisation=organisation).exists():
        errors["organisation"] = f"{organisation.name} already co-funds this service. Change its share instead"
    amount, note = _share(
        cofunding_for(service),
        amount=amount,
        percentage=percentage,
        confirm_increase=confirm_increase,
        increase_reason=increase_reason,
        errors=errors,
    )
    share = CoFunder(service=service, organisation=organisation, amount=amount, notes=(notes or "").strip())
    save(share, actor=actor, reason="Co-funder added" + (f": {note}" if note else ""), errors=errors)
    return share


def _cofunder_amount(amount, errors: dict) -> Decimal | None:
    amount = money(amount, errors, "amount", required_message="Enter the amount they contribute")
    if amount is not None and amount <= 0:
        errors["amount"] = "Enter an amount more than £0"
    return amount


@transaction.atomic
def cofunder_update(
    *,
    actor,
    cofunder: CoFunder,
    amount=None,
    percentage=None,
    notes: str = "",
    reason: str = "",
    confirm_increase: bool = False,
    increase_reason: str = "",
) -> CoFunder:
    require(actor, "agreements.change_service", cofunder)
    _lock_service(cofunder.service)
    cofunder = CoFunder.objects.select_for_update().get(pk=cofunder.pk)
    errors = {}
    cofunder.amount, note = _share(
        cofunding_for(cofunder.service, excluding=cofunder),
        amount=amount,
        percentage=percentage,
        confirm_increase=confirm_increase,
        increase_reason=increase_reason,
        errors=errors,
    )
    cofunder.notes = (notes or "").strip()
    reason = reason or "Co-funder's share changed"
    save(cofunder, actor=actor, reason=f"{reason} ({note})" if note else reason, errors=errors)
    return cofunder


@transaction.atomic
def cofunder_remove(*, actor, cofunder: CoFunder, reason: str = "") -> None:
    require(actor, "agreements.change_service", cofunder)
    attribute(cofunder, actor=actor, reason=reason or "Co-funder removed")
    cofunder.delete()


# Agreements ---------------------------------------------------------------------------------------------
