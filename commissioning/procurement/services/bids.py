"""A supplier's writes (issue 10, point 5): expressing interest, asking a clarification question, and preparing,
submitting, replacing or withdrawing its bid before the deadline.

Every write checks the deadline on the server at the moment it is made, under a lock on the bid: a bid submitted
a second late is refused, whatever the page showed. The sealed content (price, answers, files) is written here
into the bid's envelope, which keeps no history (selectors/bids.py reads it).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.services import require, save_with_history
from commissioning.core.uploads import check_upload, max_upload_bytes
from commissioning.procurement.models import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidEnvelope,
    BidStatus,
    ClarificationQuestion,
    ExpressionOfInterest,
    Tender,
    TenderStatus,
)
from commissioning.procurement.selectors import bids as bid_selectors
from commissioning.procurement.selectors import tenders as tender_selectors
from commissioning.procurement.services.tenders import UPLOAD_SETTING

MAX_ATTACHMENTS = 10
LATE = "The deadline for bids has passed. Late bids cannot be accepted"


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%-d %B %Y} at {local:%H:%M}"


def _require_open(tender: Tender) -> None:
    """The tender takes bids now: published and before its deadline (checked at the moment of the write)."""
    if tender.status != TenderStatus.PUBLISHED:
        raise ValidationError("This tender is not open for bids")
    if timezone.now() >= tender.deadline:
        raise ValidationError(f"{LATE}. The deadline was {_when(tender.deadline)}")


def _locked_bid(bid: Bid) -> Bid:
    return Bid.objects.select_for_update().select_related("tender").get(pk=bid.pk)


def _own(actor, bid: Bid) -> None:
    require(actor, "procurement.view_own_bid", bid)


@transaction.atomic
def interest_express(*, actor, tender: Tender) -> ExpressionOfInterest:
    """The supplier's organisation registers its interest (once; a second time changes nothing)."""
    require(actor, "procurement.bid")
    _require_open(tender)
    interest, created = ExpressionOfInterest.objects.get_or_create(
        tender=tender, organisation_id=actor.organisation_id, defaults={"registered_by": actor}
    )
    return interest


@transaction.atomic
def clarification_ask(*, actor, tender: Tender, question: str) -> ClarificationQuestion:
    """A supplier asks a question; its answer goes to every supplier, without the asker's name."""
    require(actor, "procurement.bid")
    if tender.status != TenderStatus.PUBLISHED or timezone.now() >= tender_selectors.questions_close_at(tender):
        raise ValidationError({"question": "Questions about this tender are closed"})
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": "Enter your question"})
    if len(question) > 2000:
        raise ValidationError({"question": "Your question must be 2,000 characters or fewer"})
    ExpressionOfInterest.objects.get_or_create(
        tender=tender, organisation_id=actor.organisation_id, defaults={"registered_by": actor}
    )
    asked = ClarificationQuestion(
        tender=tender, organisation_id=actor.organisation_id, asked_by=actor, question=question
    )
    save_with_history(asked, actor=actor, reason="Clarification question asked")
    return asked


@transaction.atomic
def bid_start(*, actor, tender: Tender) -> Bid:
    """The supplier's organisation's bid for the tender: its existing one, or a new draft with an empty envelope."""
    require(actor, "procurement.bid")
    _require_open(tender)
    bid = bid_selectors.bid_for_supplier(user=actor, tender=tender)
    if bid is not None:
        return bid
    ExpressionOfInterest.objects.get_or_create(
        tender=tender, organisation_id=actor.organisation_id, defaults={"registered_by": actor}
    )
    bid = Bid(tender=tender, organisation_id=actor.organisation_id, created_by=actor)
    save_with_history(bid, actor=actor, reason="Bid started")
    BidEnvelope.objects.create(bid=bid)
    return bid


def _back_to_draft(bid: Bid, *, actor, reason: str) -> None:
    """A change to a submitted or withdrawn bid makes it a draft again: it must be submitted again to count."""
    if bid.status != BidStatus.DRAFT:
        bid.status, bid.submitted_at, bid.submitted_by, bid.withdrawn_at = BidStatus.DRAFT, None, None, None
        save_with_history(bid, actor=actor, reason=reason)


@transaction.atomic
def bid_save(*, actor, bid: Bid, price: Decimal | None, answers: dict[int, str]) -> Bid:
    """Save the bid's price and its answers (by criterion id) into the sealed envelope. Saving a submitted bid
    takes it back to a draft, to be submitted again (replacing the earlier one) before the deadline."""
    _own(actor, bid)
    bid = _locked_bid(bid)
    _require_open(bid.tender)
    if price is not None and price <= 0:
        raise ValidationError({"price": "The price must be more than £0"})
    criteria = {c.pk: c for c in bid_selectors.answerable_criteria(bid.tender)}
    unknown = set(answers) - set(criteria)
    if unknown:
        raise ValidationError("Answer only this tender's questions")
    envelope, _ = BidEnvelope.objects.select_for_update().get_or_create(bid=bid)
    envelope.price = price
    envelope.full_clean(exclude=["bid"])
    envelope.save()
    for criterion_id, text in answers.items():
        BidAnswer.objects.update_or_create(bid=bid, criterion_id=criterion_id, defaults={"text": (text or "").strip()})
    _back_to_draft(bid, actor=actor, reason="Bid changed, to be submitted again")
    return bid


@transaction.atomic
def bid_attachment_add(*, actor, bid: Bid, file) -> BidAttachment:
    """A file for the bid (type and size checked), sealed with it, stored under a random name."""
    _own(actor, bid)
    bid = _locked_bid(bid)
    _require_open(bid.tender)
    if BidAttachment.objects.filter(bid=bid).count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": f"A bid can have up to {MAX_ATTACHMENTS} files. Remove one first"})
    content_type = check_upload(file, max_bytes=max_upload_bytes(UPLOAD_SETTING))
    attachment = BidAttachment(bid=bid, filename=file.name[:200], content_type=content_type, size=file.size)
    attachment.file.save("bid", file, save=False)
    attachment.save()
    _back_to_draft(bid, actor=actor, reason="File added, to be submitted again")
    return attachment


@transaction.atomic
def bid_attachment_remove(*, actor, bid: Bid, attachment: BidAttachment) -> None:
    _own(actor, bid)
    bid = _locked_bid(bid)
    _require_open(bid.tender)
    if attachment.bid_id != bid.pk:
        raise ValidationError("This file is not part of your bid")
    attachment.file.delete(save=False)
    attachment.delete()
    _back_to_draft(bid, actor=actor, reason="File removed, to be submitted again")


def bid_problems(bid: Bid) -> list[str]:
    """What must be put right before the bid can be submitted."""
    content = bid_selectors._contents([bid])[0]  # the supplier's own bid: the service reads what it wrote
    problems = []
    if content.price is None:
        problems.append("Enter your price")
    answered = {criterion.pk for criterion, text in content.answers if text}
    for criterion in bid_selectors.answerable_criteria(bid.tender):
        if criterion.pk not in answered:
            problems.append(f"Answer the question: {criterion.title}")
    return problems


@transaction.atomic
def bid_submit(*, actor, bid: Bid) -> Bid:
    """Submit the bid before the deadline. Late bids are refused here, on the server, at the moment of submitting."""
    _own(actor, bid)
    bid = _locked_bid(bid)
    _require_open(bid.tender)
    problems = bid_problems(bid)
    if problems:
        raise ValidationError(problems)
    bid.status, bid.submitted_at, bid.submitted_by, bid.withdrawn_at = (
        BidStatus.SUBMITTED,
        timezone.now(),
        actor,
        None,
    )
    save_with_history(bid, actor=actor, reason="Bid submitted")
    return bid


@transaction.atomic
def bid_withdraw(*, actor, bid: Bid) -> Bid:
    """Withdraw a submitted bid before the deadline (it may be changed and submitted again before then)."""
    _own(actor, bid)
    bid = _locked_bid(bid)
    _require_open(bid.tender)
    if bid.status != BidStatus.SUBMITTED:
        raise ValidationError("Only a submitted bid can be withdrawn")
    bid.status, bid.withdrawn_at, bid.submitted_at, bid.submitted_by = BidStatus.WITHDRAWN, timezone.now(), None, None
    save_with_history(bid, actor=actor, reason="Bid withdrawn")
    return bid
