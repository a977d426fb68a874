"""Variations to agreements: extension, value change or scope change, approved by the PCC or the CFO."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.agreements.models import Agreement, AgreementVariation
from commissioning.agreements.services._common import money, save
from commissioning.core.dates import long_date
from commissioning.core.money import format_money, money_limit
from commissioning.core.services import require


@transaction.atomic
def variation_request(
    *,
    actor,
    agreement: Agreement,
    kind: str,
    description: str,
    new_ends_on: dt.date | None = None,
    value_change=None,
) -> AgreementVariation:
    """Ask for an extension, a change in value or a change in scope, numbered 1, 2, 3 on each agreement."""
    require(actor, "agreements.request_variation", agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != Agreement.Status.ACTIVE:
        raise ValidationError("Only an active agreement can be varied")
    errors = {}
    if kind not in AgreementVariation.Kind.values:
        errors["kind"] = "Select the type of variation"
    if not (description or "").strip():
        errors["description"] = "Describe the variation and why it is needed"
    if kind == AgreementVariation.Kind.EXTENSION:
        value_change = None
        if new_ends_on is None:
            errors["new_ends_on"] = "Enter the new end date"
        elif new_ends_on <= agreement.ends_on:
            errors["new_ends_on"] = (
                f"The new end date must be after the current end date, {long_date(agreement.ends_on)}"
            )
    elif kind == AgreementVariation.Kind.VALUE:
        new_ends_on = None
        value_change = money(value_change, errors, "value_change", required_message="Enter the change in value")
        if value_change is not None and value_change == 0:
            errors["value_change"] = "The change in value must not be £0"
        elif value_change is not None and agreement.value + value_change < 0:
            errors["value_change"] = (
                f"The agreement is worth {format_money(agreement.value)}. It cannot be reduced by more than that"
            )
        elif value_change is not None and agreement.value + value_change >= money_limit():
            errors["value_change"] = (
                f"Enter a change less than {format_money(money_limit() - agreement.value)}: the agreement is worth "
                f"{format_money(agreement.value)} and its value must stay below £{money_limit():,}"
            )
    else:
        new_ends_on = value_change = None
    last = agreement.variations.order_by("-number").values_list("number", flat=True).first()
    variation = AgreementVariation(
        agreement=agreement,
        number=(last or 0) + 1,
        kind=kind,
        description=(description or "").strip(),
        new_ends_on=new_ends_on,
        value_change=value_change,
        requested_by=actor,
    )
    save(variation, actor=actor, reason="Variation requested", errors=errors)
    return variation


@transaction.atomic
def variation_decide(
    *, actor, variation: AgreementVariation, approve: bool, note: str = "", decision=None
) -> AgreementVariation:
    """Approve or reject a variation: the PCC or the CFO, never the person who asked for it. Approval applies
    it at once: an extension moves the agreement's end date (and the service's, when later); a value change
    adds to the agreement's value, which may not go below £0."""
    if variation.requested_by_id == actor.pk:
        raise PermissionDenied("The person who asked for a variation may not decide it")
    require(actor, "agreements.decide_variation", variation)
    agreement = Agreement.objects.select_for_update().select_related("service").get(pk=variation.agreement_id)
    variation = AgreementVariation.objects.select_for_update().get(pk=variation.pk)
    if variation.status != AgreementVariation.Status.REQUESTED:
        raise ValidationError(f"Variation {variation.number} has already been {variation.get_status_display().lower()}")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"decision_note": "Enter why the variation is rejected"})
    variation.status = AgreementVariation.Status.APPROVED if approve else AgreementVariation.Status.REJECTED
    variation.decided_by = actor
    variation.decided_at = timezone.now()
    variation.decision_note = note
    variation.decision = decision
    if approve:
        _apply_variation(variation, agreement=agreement, actor=actor)
    save(variation, actor=actor, reason=note or ("Approved" if approve else "Rejected"))
    variation.agreement = agreement
    return variation


def _apply_variation(variation: AgreementVariation, *, agreement: Agreement, actor) -> None:
    reason = f"Variation {variation.number} approved"
    if variation.kind == AgreementVariation.Kind.EXTENSION:
        if variation.new_ends_on <= agreement.ends_on:
            raise ValidationError(
                f"The agreement already ends on {long_date(agreement.ends_on)}. Reject this variation instead"
            )
        agreement.ends_on = variation.new_ends_on
        save(agreement, actor=actor, reason=reason)
        service = agreement.service
        if service.ends_on is not None and variation.new_ends_on > service.ends_on:
            service.ends_on = variation.new_ends_on
            save(service, actor=actor, reason=f"{agreement.reference} {reason.lower()}")
    elif variation.kind == AgreementVariation.Kind.VALUE:
        new_value = agreement.value + variation.value_change
        if new_value < 0:
            raise ValidationError(
                f"Approving this would take the agreement's value below £0: it is worth {format_money(agreement.value)}"
            )
        if new_value >= money_limit():
            raise ValidationError(
                f"Approving this would take the agreement's value to {format_money(new_value)}; "
                f"it must stay below £{money_limit():,}. Reject this variation and ask for a smaller one"
            )
        agreement.value = new_value
        save(agreement, actor=actor, reason=reason)
