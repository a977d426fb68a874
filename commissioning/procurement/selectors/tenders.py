"""Reads of quotes and tenders: lists for officers, the open opportunities suppliers see, a tender's criteria
and its clarification questions (published without the asker's name)."""

from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from commissioning.core.history import history_entries, newest_first
from commissioning.procurement.models import (
    AwardCriterion,
    BidOpening,
    BidStatus,
    ClarificationQuestion,
    CommissioningCase,
    ExpressionOfInterest,
    Quote,
    Tender,
    TenderDocument,
    TenderStatus,
)

HUNDRED = Decimal("100")


def case_get(*, pk: int) -> CommissioningCase:
    case = CommissioningCase.objects.filter(pk=pk).select_related("fund", "lead_officer").first()
    if case is None:
        raise Http404
    return case


# --- Quotes --------------------------------------------------------------------------------------------------


def quotes_for_case(case: CommissioningCase):
    return Quote.objects.filter(case=case).select_related("organisation", "chosen_by").order_by("invited_on", "pk")


def quote_get(*, case: CommissioningCase, pk: int) -> Quote:
    quote = Quote.objects.filter(case=case, pk=pk).first()
    if quote is None:
        raise Http404
    return quote


# --- Tenders, for officers -------------------------------------------------------------------------------------


def tender_list():
    return (
        Tender.objects.select_related("case")
        .annotate(submitted=Count("bids", filter=Q(bids__status=BidStatus.SUBMITTED)))
        .order_by("-deadline", "reference")
    )


def tender_get(*, pk: int) -> Tender:
    tender = Tender.objects.filter(pk=pk).select_related("case", "created_by", "published_by").first()
    if tender is None:
        raise Http404
    return tender


def criteria_tree(tender: Tender) -> list[AwardCriterion]:
    """The top-level criteria in order, each with its sub-criteria prefetched (two queries)."""
    return list(
        AwardCriterion.objects.filter(tender=tender, parent__isnull=True)
        .prefetch_related(Prefetch("sub_criteria", queryset=AwardCriterion.objects.order_by("order", "id")))
        .order_by("order", "id")
    )


def criterion_get(*, tender: Tender, pk: int) -> AwardCriterion:
    criterion = AwardCriterion.objects.filter(tender=tender, pk=pk).first()
    if criterion is None:
        raise Http404
    return criterion


def weight_totals(criteria: list[AwardCriterion]) -> dict:
    """{"total": sum of top-level weights, "quality"/"price"/"social_value": each kind's share}."""
    totals = {"total": sum((c.weight for c in criteria), Decimal("0"))}
    for kind in ("quality", "price", "social_value"):
        totals[kind] = sum((c.weight for c in criteria if c.kind == kind), Decimal("0"))
    return totals


def percent(value: Decimal) -> str:
    """90, 37.5 (no trailing zeros)."""
    return format(value.normalize(), "f")


def criteria_problems(tender: Tender, criteria: list[AwardCriterion] | None = None) -> list[str]:
    """What stops the criteria being published, in words: weights must add up to 100 (DOMAIN.md, "Evaluation
    conventions"), one price criterion, at least one quality criterion, and each criterion's sub-criteria must add
    up to its weight."""
    criteria = criteria_tree(tender) if criteria is None else criteria
    problems = []
    totals = weight_totals(criteria)
    if totals["total"] != HUNDRED:
        problems.append(f"The weights of the criteria must add up to 100%. They add up to {percent(totals['total'])}%")
    prices = [c for c in criteria if c.kind == "price"]
    if len(prices) != 1:
        problems.append("Add exactly one price criterion")
    if not any(c.kind == "quality" for c in criteria):
        problems.append("Add at least one quality criterion")
    for criterion in criteria:
        subs = list(criterion.sub_criteria.all())
        if subs:
            total = sum((s.weight for s in subs), Decimal("0"))
            if total != criterion.weight:
                problems.append(
                    f"The sub-criteria of {criterion.title} must add up to its weight, {percent(criterion.weight)}%. "
                    f"They add up to {percent(total)}%"
                )
    return problems


def documents_for(tender: Tender):
    return TenderDocument.objects.filter(tender=tender).order_by("uploaded_at", "pk")


def document_get(*, tender: Tender, pk: int) -> TenderDocument:
    document = TenderDocument.objects.filter(tender=tender, pk=pk).first()
    if document is None:
        raise Http404
    return document


def clarifications_for_officers(tender: Tender):
    return (
        ClarificationQuestion.objects.filter(tender=tender)
        .select_related("organisation", "asked_by", "answered_by")
        .order_by("asked_at", "pk")
    )


def clarification_get(*, tender: Tender, pk: int) -> ClarificationQuestion:
    question = ClarificationQuestion.objects.filter(tender=tender, pk=pk).first()
    if question is None:
        raise Http404
    return question


def opening_for(tender: Tender) -> BidOpening | None:
    return BidOpening.objects.filter(tender=tender).select_related("started_by", "confirmed_by").first()


def interest_count(tender: Tender) -> int:
    return ExpressionOfInterest.objects.filter(tender=tender).count()


def tender_activity(tender: Tender) -> list:
    """The tender's activity log: its own changes, its criteria and documents, and the bid opening."""
    logs = [
        history_entries(tender.history.all()),
        history_entries(
            AwardCriterion.history.filter(tender_id=tender.pk), subject=lambda row: f"criterion {row.title}"
        ),
        history_entries(
            TenderDocument.history.filter(tender_id=tender.pk), subject=lambda row: f"document {row.title}"
        ),
        history_entries(
            BidOpening.history.filter(tender_id=tender.pk),
            what=lambda row: "Bid opening confirmed" if row.confirmed_at else "Bid opening started",
        ),
    ]
    return newest_first(*logs)


# --- Opportunities, for suppliers ------------------------------------------------------------------------------


def opportunities_open(now=None):
    """Published tenders still taking bids, soonest deadline first."""
    now = now or timezone.now()
    return (
        Tender.objects.filter(status=TenderStatus.PUBLISHED, deadline__gt=now)
        .select_related("case")
        .order_by("deadline", "reference")
    )


def open_tenders_public(now=None, limit: int = 50) -> list[dict]:
    """Published tenders still taking bids, for the public funding page (transparency): only what the tender notice
    makes public (reference, title, deadline, the case's estimated value), never a bid or anything sealed. One
    query."""
    rows = opportunities_open(now).values("pk", "reference", "title", "deadline", "case__estimated_value")[:limit]
    return [
        {
            "pk": row["pk"],
            "reference": row["reference"],
            "title": row["title"],
            "deadline": row["deadline"],
            "estimated_value": row["case__estimated_value"],
            "link_text": f"Register to bid for {row['title']}",
        }
        for row in rows
    ]


def opportunity_get(*, pk: int) -> Tender:
    """A tender suppliers may see: published, or past its deadline and opened (never a draft)."""
    tender = (
        Tender.objects.filter(pk=pk, status__in=[TenderStatus.PUBLISHED, TenderStatus.OPENED])
        .select_related("case")
        .first()
    )
    if tender is None:
        raise Http404
    return tender


def is_open_for_bids(tender: Tender, now=None) -> bool:
    return tender.status == TenderStatus.PUBLISHED and (now or timezone.now()) < tender.deadline


def questions_close_at(tender: Tender):
    return tender.questions_close_at or tender.deadline


def published_clarifications(tender: Tender) -> list[dict]:
    """The answered questions every supplier sees: the question, the answer and when, never who asked."""
    return list(
        ClarificationQuestion.objects.filter(tender=tender, answered_at__isnull=False)
        .order_by("answered_at", "pk")
        .values("pk", "question", "answer", "answered_at")
    )


def own_questions(*, user, tender: Tender) -> list[dict]:
    """The supplier's own organisation's questions not answered yet (answered ones are published to everyone)."""
    if not getattr(user, "organisation_id", None):
        return []
    return list(
        ClarificationQuestion.objects.filter(
            tender=tender, organisation_id=user.organisation_id, answered_at__isnull=True
        )
        .order_by("asked_at", "pk")
        .values("pk", "question", "asked_at")
    )


def has_interest(*, user, tender: Tender) -> bool:
    if not getattr(user, "organisation_id", None):
        return False
    return ExpressionOfInterest.objects.filter(tender=tender, organisation_id=user.organisation_id).exists()
