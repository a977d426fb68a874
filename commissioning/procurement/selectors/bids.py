"""Reading bids, and the one way to read a bid's sealed content (issue 10, point 6).

Before a tender's bids are opened (a recorded opening, confirmed by a second officer, after the deadline) no one
but the bid's own supplier may read its price, answers or files: not officers, not administrators, not the auditor.
`bid_envelope_for` and `bid_attachment_for` are the only functions that read BidEnvelope, BidAnswer and
BidAttachment for anyone but the services that write them; they refuse with BidSealed first, whatever the person's
permissions, then ask `procurement.view_bid_content` who may read after the opening.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404

from commissioning.procurement.models import (
    AwardCriterion,
    Bid,
    BidAnswer,
    BidAttachment,
    BidEnvelope,
    BidStatus,
    Tender,
    TenderStatus,
)

SEALED_MESSAGE = "The bids are sealed until they are opened after the deadline"


class BidSealed(PermissionDenied):
    """A bid's sealed content was asked for before the bids were opened."""

    def __init__(self, message: str = SEALED_MESSAGE):
        super().__init__(message)


@dataclass
class SealedContent:
    """What a bid's envelope holds: its price, an answer per criterion (criterion, text), and its files."""

    bid: Bid
    price: object = None
    answers: list[tuple[AwardCriterion, str]] = field(default_factory=list)
    attachments: list[BidAttachment] = field(default_factory=list)

    def answer_for(self, criterion) -> str:
        for answered, text in self.answers:
            if answered.pk == criterion.pk:
                return text
        return ""


def tender_is_opened(tender: Tender) -> bool:
    return tender.status == TenderStatus.OPENED


def is_own_bid(user, bid: Bid) -> bool:
    """The bid is the supplier's own (their organisation's)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == "supplier"
        and user.organisation_id
        and user.organisation_id == bid.organisation_id
    )


def _check_may_read(user, bid: Bid) -> None:
    if is_own_bid(user, bid):
        return
    if not tender_is_opened(bid.tender):
        raise BidSealed()
    if bid.status != BidStatus.SUBMITTED or not user.has_perm("procurement.view_bid_content", bid):
        raise PermissionDenied


def _contents(bids: list[Bid]) -> list[SealedContent]:
    ids = [bid.pk for bid in bids]
    prices = dict(BidEnvelope.objects.filter(bid_id__in=ids).values_list("bid_id", "price"))
    answers: dict[int, list] = {pk: [] for pk in ids}
    for answer in (
        BidAnswer.objects.filter(bid_id__in=ids)
        .select_related("criterion")
        .order_by("criterion__order", "criterion_id")
    ):
        answers[answer.bid_id].append((answer.criterion, answer.text))
    attachments: dict[int, list] = {pk: [] for pk in ids}
    for attachment in BidAttachment.objects.filter(bid_id__in=ids).order_by("uploaded_at", "id"):
        attachments[attachment.bid_id].append(attachment)
    return [
        SealedContent(bid=bid, price=prices.get(bid.pk), answers=answers[bid.pk], attachments=attachments[bid.pk])
        for bid in bids
    ]


def bid_envelope_for(*, user, bid: Bid) -> SealedContent:
    """The bid's sealed content for `user`: BidSealed before the opening (anyone but the bid's own supplier),
    PermissionDenied for someone who may not read it after."""
    _check_may_read(user, bid)
    return _contents([bid])[0]


def opened_bids(*, user, tender: Tender) -> list[SealedContent]:
    """Every submitted bid of an opened tender with its content (four queries, however many bids): for the
    evaluation. BidSealed before the opening."""
    if not tender_is_opened(tender):
        raise BidSealed()
    bids = list(
        Bid.objects.filter(tender=tender, status=BidStatus.SUBMITTED)
        .select_related("organisation", "tender")
        .order_by("submitted_at", "pk")
    )
    for bid in bids:
        if not user.has_perm("procurement.view_bid_content", bid):
            raise PermissionDenied
    return _contents(bids)


def bid_attachment_for(*, user, bid: Bid, pk: int) -> BidAttachment:
    """One of the bid's files, for a permission-checked download: BidSealed before the opening."""
    _check_may_read(user, bid)
    attachment = BidAttachment.objects.filter(bid=bid, pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


# --- Bids without their content ------------------------------------------------------------------------------


def bids_for_tender(tender: Tender):
    """A tender's bids as officers list them: who and when, never what (the content is sealed)."""
    return Bid.objects.filter(tender=tender).select_related("organisation").order_by("submitted_at", "pk")


def submitted_count(tender: Tender) -> int:
    return Bid.objects.filter(tender=tender, status=BidStatus.SUBMITTED).count()


def bid_for_supplier(*, user, tender: Tender) -> Bid | None:
    """The supplier's own organisation's bid for the tender, if it has started one."""
    if not getattr(user, "organisation_id", None):
        return None
    return Bid.objects.filter(tender=tender, organisation_id=user.organisation_id).select_related("tender").first()


def bids_of_supplier(*, user):
    """The supplier's own organisation's bids, newest deadline first."""
    return (
        Bid.objects.filter(organisation_id=user.organisation_id)
        .select_related("tender")
        .order_by("-tender__deadline", "pk")
    )


def bid_get_for_officer(*, tender: Tender, pk: int) -> Bid:
    bid = Bid.objects.filter(tender=tender, pk=pk).select_related("organisation", "tender").first()
    if bid is None:
        raise Http404
    return bid


def answerable_criteria(tender: Tender) -> list[AwardCriterion]:
    """The criteria bidders answer in words: quality and social value criteria without sub-criteria of their own,
    and every sub-criterion, in order (price is answered by the price)."""
    criteria = list(
        AwardCriterion.objects.filter(tender=tender)
        .prefetch_related(Prefetch("sub_criteria", queryset=AwardCriterion.objects.order_by("order", "id")))
        .order_by("order", "id")
    )
    leaves = []
    for criterion in criteria:
        if criterion.parent_id is not None:
            continue
        subs = list(criterion.sub_criteria.all())
        if subs:
            leaves.extend(subs)
        elif criterion.kind != "price":
            leaves.append(criterion)
    return leaves
