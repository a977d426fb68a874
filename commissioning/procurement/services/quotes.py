"""The quotes route (issue 10, point 5): low-value purchases where standing orders ask for written quotes. Officers
invite suppliers, record each quote as it arrives (amount, date, the quote itself), and choose one with the reason.
Quotes are not sealed: at this value standing orders ask for quotes in writing, not a sealed tender."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.services import require, save_with_history
from commissioning.core.uploads import check_upload, max_upload_bytes
from commissioning.procurement.models import CommissioningCase, ProcurementRoute, Quote
from commissioning.procurement.services.tenders import UPLOAD_SETTING


def _require_quotes_route(case: CommissioningCase) -> None:
    if case.route != ProcurementRoute.QUOTES:
        raise ValidationError("Only a case whose route to market is written quotes takes quotes")


def _require_not_chosen(case: CommissioningCase) -> None:
    if Quote.objects.filter(case=case, chosen=True).exists():
        raise ValidationError("A quote has been chosen, so the quotes can no longer be changed")


@transaction.atomic
def quote_invite(
    *,
    actor,
    case: CommissioningCase,
    supplier_name: str,
    invited_on: dt.date,
    contact_email: str = "",
    organisation=None,
) -> Quote:
    """Record that a supplier has been asked for a written quote."""
    require(actor, "procurement.manage_quotes")
    case = CommissioningCase.objects.select_for_update().get(pk=case.pk)
    _require_quotes_route(case)
    _require_not_chosen(case)
    errors = {}
    if invited_on and invited_on > timezone.localdate():
        errors["invited_on"] = "The date invited must be today or in the past"
    quote = Quote(
        case=case,
        supplier_name=(supplier_name or "").strip(),
        contact_email=(contact_email or "").strip(),
        organisation=organisation,
        invited_on=invited_on,
    )
    save_with_history(quote, actor=actor, reason="Quote asked for", errors=errors)
    return quote


@transaction.atomic
def quote_record(*, actor, quote: Quote, amount: Decimal, received_on: dt.date, document=None) -> Quote:
    """Record a quote received: its amount (including VAT), the date, and the quote itself (a file, optional)."""
    require(actor, "procurement.manage_quotes")
    quote = Quote.objects.select_for_update().select_related("case").get(pk=quote.pk)
    _require_not_chosen(quote.case)
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = "Enter the amount quoted, more than £0"
    if received_on and received_on < quote.invited_on:
        errors["received_on"] = "The date received must be on or after the date the quote was asked for"
    if received_on and received_on > timezone.localdate():
        errors["received_on"] = "The date received must be today or in the past"
    if document is not None:
        quote.document_type = check_upload(document, max_bytes=max_upload_bytes(UPLOAD_SETTING), field="document")
        quote.document_name = document.name[:200]
        if quote.document:
            quote.document.delete(save=False)
        quote.document.save("quote", document, save=False)
    quote.amount, quote.received_on = amount, received_on
    save_with_history(quote, actor=actor, reason="Quote received", errors=errors)
    return quote


@transaction.atomic
def quote_choose(*, actor, quote: Quote, reason: str) -> Quote:
    """Choose one received quote for the case, with the reason (the lowest price, or why not the lowest)."""
    require(actor, "procurement.manage_quotes")
    quote = Quote.objects.select_for_update().select_related("case").get(pk=quote.pk)
    CommissioningCase.objects.select_for_update().get(pk=quote.case_id)
    _require_not_chosen(quote.case)
    errors = {}
    if quote.amount is None:
        errors["quote"] = "Choose a quote that has been received"
    if not (reason or "").strip():
        errors["reason"] = "Enter why this quote is chosen"
    if errors:
        raise ValidationError(errors)
    quote.chosen, quote.chosen_reason, quote.chosen_by, quote.chosen_at = True, reason.strip(), actor, timezone.now()
    save_with_history(quote, actor=actor, reason="Quote chosen")
    return quote
