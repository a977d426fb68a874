"""Agreements of the register's services: drafting, changing, signing (activation) and their documents."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.agreements.models import Agreement, AgreementDocument, Service
from commissioning.agreements.services._common import money, save, save_with_reference
from commissioning.agreements.services.register import AGREEMENT_FIELDS, LOCKED_ONCE_ACTIVE, UPLOAD_SETTING
from commissioning.core import uploads
from commissioning.core.dates import long_date
from commissioning.core.services import require

# Checks an app above agreements adds (in its AppConfig.ready) for an agreement about to be signed: each is
# called with the agreement and the date signed and returns a problem in words, or "" (issue 11, point 6:
# monitoring's three KPIs for a large Procurement Act contract). Agreements cannot import those apps.
ACTIVATION_CHECKS: list = []


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
    problems = [problem for check in ACTIVATION_CHECKS if (problem := check(agreement, signed_on))]
    if problems:
        raise ValidationError(problems)
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


@transaction.atomic
def agreement_document_publish(
    *,
    actor,
    document: AgreementDocument,
    publish: bool,
    redacted_file=None,
    redactions: str = "",
    redaction_reason: str = "",
) -> AgreementDocument:
    """Publish a document on the transparency pages, or take it down. A redacted copy, when given, is what the
    public gets, and the person, what was redacted and why are recorded with it (for example "the provider's
    bank details; personal data, UK GDPR" or "pricing schedule; commercial interests, FOIA s43"). Publishing
    the original needs no redaction. Every change is kept in the document's history."""
    require(actor, "agreements.manage_agreement", document.agreement)
    document = AgreementDocument.objects.select_for_update().get(pk=document.pk)
    redactions, redaction_reason = (redactions or "").strip(), (redaction_reason or "").strip()
    if not publish:
        if not document.is_published:
            raise ValidationError({"publish": f"{document.title} is not published"})
        document.is_published = False
        save(document, actor=actor, reason="Taken down from the transparency pages")
        return document
    errors = {}
    content_type = ""
    if redacted_file is not None:
        try:
            content_type = uploads.check_upload(redacted_file, max_bytes=uploads.max_upload_bytes(UPLOAD_SETTING))
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if not redactions:
            errors["redactions"] = "Enter what was redacted from the copy"
        if not redaction_reason:
            errors["redaction_reason"] = "Enter why it was redacted, for example the exemption that applies"
    elif redactions or redaction_reason:
        errors["redacted_file"] = "Upload the redacted copy, or leave what and why blank to publish the original"
    if errors:
        raise ValidationError(errors)
    if redacted_file is not None:
        document.published_file = redacted_file
        document.published_content_type = content_type
        document.published_size = redacted_file.size
        document.redactions = redactions
        document.redaction_reason = redaction_reason
        document.redacted_by = actor
        why = f"Published, redacted: {redactions[:120]}"
    else:
        document.published_file = ""
        document.published_content_type = ""
        document.published_size = None
        document.redactions = document.redaction_reason = ""
        document.redacted_by = None
        why = "Published as it is"
    document.is_published = True
    document.published_by = actor
    document.published_at = timezone.now()
    save(document, actor=actor, reason=why)
    return document
