"""Officers' writes on a tender (issue 10, points 5 and 6): creating it, its documents and award criteria,
publishing it, answering clarification questions to every supplier, and opening the bids with two officers.

Rules and where they come from: award criteria weights add up to 100 with a price criterion and quality
(DOMAIN.md, "Evaluation conventions"); answers go to all bidders without naming the asker (equal treatment); bids
are opened only after the deadline, by two different officers, the second confirming (standing orders).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.core import mail
from commissioning.core.services import require, save_with_history, save_with_reference
from commissioning.core.uploads import check_upload, max_upload_bytes
from commissioning.procurement.models import (
    AwardCriterion,
    BidOpening,
    BidStatus,
    CaseStage,
    ClarificationQuestion,
    CommissioningCase,
    ExpressionOfInterest,
    ProcurementRoute,
    Tender,
    TenderDocument,
    TenderStatus,
)
from commissioning.procurement.models.tenders import DEFAULT_DESCRIPTORS
from commissioning.procurement.selectors import tenders as selectors

UPLOAD_SETTING = "PROCUREMENT_UPLOAD_MAX_BYTES"
TENDER_ROUTES = (ProcurementRoute.OPEN, ProcurementRoute.COMPETITIVE_FLEXIBLE)
DESCRIPTOR_COUNT = 6


def _locked(tender: Tender) -> Tender:
    return Tender.objects.select_for_update().get(pk=tender.pk)


def _require_draft(tender: Tender, action: str) -> None:
    if tender.status != TenderStatus.DRAFT:
        raise ValidationError(f"The tender has been published, so its {action} can no longer be changed")


def _case_to_stage(case: CommissioningCase, stage: str, *, actor, reason: str) -> None:
    case = CommissioningCase.objects.select_for_update().get(pk=case.pk)
    if case.stage != stage:
        case.stage = stage
        save_with_history(case, actor=actor, reason=reason)


def _check_deadline(deadline, questions_close_at, errors: dict) -> None:
    if deadline and deadline <= timezone.now():
        errors["deadline"] = "The deadline must be in the future"
    if questions_close_at and deadline and questions_close_at > deadline:
        errors["questions_close_at"] = "Questions must close before the deadline for bids, or at it"


# --- The tender ----------------------------------------------------------------------------------------------


@transaction.atomic
def tender_create(
    *, actor, case: CommissioningCase, title: str, description: str, deadline, questions_close_at=None
) -> Tender:
    """A draft tender for a case whose route is a tender (open or competitive flexible procedure)."""
    require(actor, "procurement.manage_tenders")
    errors = {}
    if case.route not in TENDER_ROUTES:
        errors["__all__"] = "Only a case whose route to market is a tender can have a tender"
    _check_deadline(deadline, questions_close_at, errors)
    tender = Tender(
        case=case,
        title=(title or "").strip(),
        description=(description or "").strip(),
        deadline=deadline,
        questions_close_at=questions_close_at,
        created_by=actor,
    )
    year = timezone.localdate().year
    save_with_reference(tender, prefix=f"TND-{year}-", actor=actor, reason="Tender drafted", errors=errors)
    return tender


@transaction.atomic
def tender_update(*, actor, tender: Tender, title: str, description: str, deadline, questions_close_at=None) -> Tender:
    """Change a tender's words and dates. After publishing, the deadline may only move later (suppliers are told)."""
    require(actor, "procurement.manage_tenders")
    tender = _locked(tender)
    errors = {}
    if tender.status not in (TenderStatus.DRAFT, TenderStatus.PUBLISHED):
        raise ValidationError("The bids have been opened, so the tender can no longer be changed")
    if tender.status == TenderStatus.PUBLISHED and deadline < tender.deadline:
        errors["deadline"] = "The deadline of a published tender can only be extended, not brought forward"
    _check_deadline(deadline, questions_close_at, errors)
    tender.title, tender.description = (title or "").strip(), (description or "").strip()
    tender.deadline, tender.questions_close_at = deadline, questions_close_at
    save_with_history(tender, actor=actor, reason="Tender changed", errors=errors)
    return tender


@transaction.atomic
def tender_publish(*, actor, tender: Tender) -> Tender:
    """Publish the tender to suppliers. Refused until the criteria are complete (weights add up to 100, one price
    criterion, some quality) and there is at least one document, and when the deadline has passed."""
    require(actor, "procurement.manage_tenders")
    tender = _locked(tender)
    if tender.status != TenderStatus.DRAFT:
        raise ValidationError("The tender has already been published")
    problems = selectors.criteria_problems(tender)
    if not selectors.documents_for(tender).exists():
        problems.append("Add at least one tender document, such as the specification")
    if tender.deadline <= timezone.now():
        problems.append("The deadline has passed. Change it to a moment in the future")
    if problems:
        raise ValidationError(problems)
    tender.status, tender.published_at, tender.published_by = TenderStatus.PUBLISHED, timezone.now(), actor
    save_with_history(tender, actor=actor, reason="Tender published to suppliers")
    _case_to_stage(tender.case, CaseStage.TENDER, actor=actor, reason=f"Tender {tender.reference} published")
    return tender


@transaction.atomic
def tender_cancel(*, actor, tender: Tender, reason: str) -> Tender:
    require(actor, "procurement.manage_tenders")
    tender = _locked(tender)
    if tender.status == TenderStatus.OPENED:
        raise ValidationError("The bids have been opened; the tender cannot be cancelled")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the tender is cancelled"})
    tender.status = TenderStatus.CANCELLED
    save_with_history(tender, actor=actor, reason=f"Cancelled: {reason}")
    return tender


# --- Documents -----------------------------------------------------------------------------------------------


@transaction.atomic
def document_add(*, actor, tender: Tender, title: str, file) -> TenderDocument:
    """A procurement document, checked for type and size (core.uploads). Stored under a random name."""
    require(actor, "procurement.manage_tenders")
    tender = _locked(tender)
    if tender.status not in (TenderStatus.DRAFT, TenderStatus.PUBLISHED):
        raise ValidationError("The bids have been opened, so the documents can no longer be changed")
    content_type = check_upload(file, max_bytes=max_upload_bytes(UPLOAD_SETTING))
    document = TenderDocument(
        tender=tender,
        title=(title or "").strip() or file.name,
        filename=file.name[:200],
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )
    document.file.save("document", file, save=False)
    save_with_history(document, actor=actor, reason="Document added")
    return document


@transaction.atomic
def document_remove(*, actor, document: TenderDocument) -> None:
    require(actor, "procurement.manage_tenders")
    tender = _locked(document.tender)
    _require_draft(tender, "documents")
    document.file.delete(save=False)
    document._history_user = actor
    document.delete()


# --- Award criteria ------------------------------------------------------------------------------------------


def _clean_descriptors(descriptors) -> list[str]:
    descriptors = [(d or "").strip() for d in (descriptors or DEFAULT_DESCRIPTORS)]
    if len(descriptors) != DESCRIPTOR_COUNT or not all(descriptors):
        raise ValidationError({"descriptors": "Enter a descriptor for each score from 0 to 5"})
    return descriptors


@transaction.atomic
def criterion_add(
    *,
    actor,
    tender: Tender,
    kind: str,
    title: str,
    weight: Decimal,
    guidance: str = "",
    parent: AwardCriterion | None = None,
    descriptors=None,
) -> AwardCriterion:
    """An award criterion (quality, price or social value) or a sub-criterion of one, with a weight in percent."""
    require(actor, "procurement.manage_tenders")
    tender = _locked(tender)
    _require_draft(tender, "criteria")
    errors = {}
    if parent is not None:
        if parent.tender_id != tender.pk or parent.parent_id is not None:
            errors["parent"] = "Choose a criterion of this tender"
        elif parent.kind == "price":
            errors["parent"] = "Price is scored by formula and has no sub-criteria"
        else:
            kind = parent.kind
    if kind == "price" and parent is None and AwardCriterion.objects.filter(tender=tender, kind="price").exists():
        errors["kind"] = "The tender already has a price criterion"
    order = AwardCriterion.objects.filter(tender=tender).count() + 1
    criterion = AwardCriterion(
        tender=tender,
        parent=parent,
        kind=kind,
        title=(title or "").strip(),
        guidance=(guidance or "").strip(),
        weight=weight,
        order=order,
        descriptors=_clean_descriptors(descriptors),
    )
    save_with_history(criterion, actor=actor, reason="Criterion added", errors=errors)
    return criterion


@transaction.atomic
def criterion_update(
    *, actor, criterion: AwardCriterion, title: str, weight: Decimal, guidance: str = "", descriptors=None
) -> AwardCriterion:
    require(actor, "procurement.manage_tenders")
    _require_draft(_locked(criterion.tender), "criteria")
    criterion.title, criterion.weight, criterion.guidance = (title or "").strip(), weight, (guidance or "").strip()
    criterion.descriptors = _clean_descriptors(descriptors or criterion.descriptors)
    save_with_history(criterion, actor=actor, reason="Criterion changed")
    return criterion


@transaction.atomic
def criterion_remove(*, actor, criterion: AwardCriterion) -> None:
    require(actor, "procurement.manage_tenders")
    _require_draft(_locked(criterion.tender), "criteria")
    for sub in criterion.sub_criteria.all():
        sub._history_user = actor
        sub.delete()
    criterion._history_user = actor
    criterion.delete()


# --- Clarification questions ---------------------------------------------------------------------------------


def _interested_emails(tender: Tender) -> list[str]:
    from django.contrib.auth import get_user_model

    organisations = ExpressionOfInterest.objects.filter(tender=tender).values("organisation_id")
    return list(
        get_user_model()
        .objects.filter(organisation_id__in=organisations, role="supplier", is_active=True)
        .values_list("email", flat=True)
    )


@transaction.atomic
def clarification_answer(*, actor, question: ClarificationQuestion, answer: str) -> ClarificationQuestion:
    """Answer a supplier's question. The question and answer are published to every supplier, without the name of
    the organisation that asked, and e-mailed to every supplier that has expressed interest."""
    require(actor, "procurement.manage_tenders")
    question = ClarificationQuestion.objects.select_for_update().select_related("tender").get(pk=question.pk)
    if question.tender.status != TenderStatus.PUBLISHED:
        raise ValidationError("Questions can be answered only while the tender is open")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Enter the answer"})
    first_time = question.answered_at is None
    question.answer, question.answered_by, question.answered_at = answer, actor, timezone.now()
    save_with_history(question, actor=actor, reason="Answered to every supplier")
    if first_time:
        tender = question.tender
        body = (
            f"A clarification question about {tender.reference}: {tender.title} has been answered.\n\n"
            f"Question:\n{question.question}\n\nAnswer:\n{answer}\n\n"
            f"Every question and answer is on the opportunity's page:\n"
            f"{settings.SITE_URL.rstrip('/')}{reverse('procurement:opportunity_detail', args=[tender.pk])}\n"
        )
        recipients = _interested_emails(tender)
        transaction.on_commit(
            lambda: mail.send(f"Clarification: {tender.reference} {tender.title}"[:150], body, recipients)
        )
    return question


# --- Opening the bids ----------------------------------------------------------------------------------------


@transaction.atomic
def opening_start(*, actor, tender: Tender, notes: str = "") -> BidOpening:
    """The first officer starts the opening of the bids, after the deadline. The envelopes stay sealed until a
    second, different officer confirms (opening_confirm)."""
    require(actor, "procurement.open_bids")
    tender = _locked(tender)
    if tender.status != TenderStatus.PUBLISHED:
        raise ValidationError("Only a published tender's bids can be opened")
    if timezone.now() < tender.deadline:
        raise ValidationError("The bids cannot be opened before the deadline")
    if BidOpening.objects.filter(tender=tender).exists():
        raise ValidationError("The opening has already been started; a second officer must confirm it")
    opening = BidOpening(tender=tender, started_by=actor, started_at=timezone.now(), notes=(notes or "").strip())
    save_with_history(opening, actor=actor, reason="Bid opening started")
    return opening


@transaction.atomic
def opening_confirm(*, actor, tender: Tender) -> BidOpening:
    """A second officer, not the one who started it, confirms the opening: the bids are opened, the count of bids
    received is recorded, and the case moves to evaluation."""
    require(actor, "procurement.open_bids")
    tender = _locked(tender)
    opening = BidOpening.objects.select_for_update().filter(tender=tender).first()
    if opening is None:
        raise ValidationError("The opening has not been started")
    if opening.confirmed_at is not None:
        raise ValidationError("The bids have already been opened")
    if opening.started_by_id == actor.pk:
        raise ValidationError("A different officer must confirm the opening: standing orders require two officers")
    opening.confirmed_by, opening.confirmed_at = actor, timezone.now()
    opening.bids_received = tender.bids.filter(status=BidStatus.SUBMITTED).count()
    save_with_history(opening, actor=actor, reason=f"Bid opening confirmed: {opening.bids_received} bids received")
    tender.status = TenderStatus.OPENED
    save_with_history(tender, actor=actor, reason=f"Bids opened by {opening.started_by} and {actor}"[:100])
    _case_to_stage(tender.case, CaseStage.EVALUATION, actor=actor, reason=f"Bids for {tender.reference} opened")
    return opening
