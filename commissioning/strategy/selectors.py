"""Reads for the plan, the commissioning strategy and decision records, each with its query shape set here.

The home page (commissioning/home/selectors.py) calls strategy_review_reminders, decision_list_for_user,
sign_offs_awaiting and drafts_to_submit.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.roles import STRATEGY_SIGNATORIES, Role
from commissioning.core.history import HistoryEntry, history_entries, newest_first
from commissioning.strategy.models import (
    CommissioningObjective,
    DecisionRecord,
    PanelArea,
    Pillar,
    PoliceCrimePlan,
    Priority,
    SignOffStatus,
    StrategyDocument,
    StrategyVersion,
    Variation,
    VariationSignature,
    VersionSignature,
)

REVIEW_REMINDER_DAYS = 60
SIGNATORY_ROLES = frozenset(r.value for r in STRATEGY_SIGNATORIES)


# --- The dashboard ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewReminder:
    version: StrategyVersion
    overdue: bool


def strategy_review_reminders(*, today: dt.date | None = None) -> list[ReviewReminder]:
    """Versions in force whose annual review (seed, Section 6) is due within 60 days or is past."""
    today = today or timezone.localdate()
    versions = (
        StrategyVersion.objects.filter(
            status=SignOffStatus.SIGNED,
            review_due_on__isnull=False,
            review_due_on__lte=today + dt.timedelta(days=REVIEW_REMINDER_DAYS),
        )
        .select_related("document")
        .order_by("review_due_on", "document__title")
    )
    return [ReviewReminder(version=v, overdue=v.review_due_on < today) for v in versions]


def decision_list_for_user(*, user) -> models.QuerySet[DecisionRecord]:
    """OPCC staff and auditors see every decision; Panel members see only those to be published."""
    records = DecisionRecord.objects.select_related("decided_by").order_by("-year", "-sequence")
    if not user.has_perm("strategy.view_decisionrecord"):
        return records.none()
    if user.role == Role.PANEL_MEMBER:
        return records.filter(publishable=True)
    return records


def sign_offs_awaiting(*, user) -> list[dict]:
    """Versions and variations waiting for the signature of the user's role."""
    if not (user.is_authenticated and user.role in SIGNATORY_ROLES):
        return []
    versions = (
        StrategyVersion.objects.filter(status=SignOffStatus.AWAITING)
        .exclude(signatures__role=user.role)
        .select_related("document")
        .order_by("submitted_at", "pk")
    )
    variations = (
        Variation.objects.filter(status=Variation.Status.AWAITING, version__status=SignOffStatus.SIGNED)
        .exclude(signatures__role=user.role)
        .select_related("version__document")
        .order_by("shared_at", "pk")
    )
    items = [
        {
            "label": f"{v.document.title}, version {v.number}",
            "url": reverse("strategy:version_detail", args=[v.pk]),
        }
        for v in versions
    ]
    items += [
        {
            "label": f"Variation {v.number} to {v.version.document.title}, version {v.version.number}: {v.title}",
            "url": reverse("strategy:variation_detail", args=[v.pk]),
        }
        for v in variations
    ]
    return items


def drafts_to_submit() -> list[dict]:
    """Draft versions to quality assure and send for sign-off, and draft variations to share with the
    signatories: the Commissioning Manager's part of sign-off. Two queries."""
    versions = StrategyVersion.objects.filter(status=SignOffStatus.DRAFT).select_related("document").order_by("pk")
    variations = (
        Variation.objects.filter(status=Variation.Status.DRAFT, version__status=SignOffStatus.SIGNED)
        .select_related("version__document")
        .order_by("pk")
    )
    items = [
        {
            "label": f"{v.document.title}, version {v.number}",
            "url": reverse("strategy:version_detail", args=[v.pk]),
            "hint": "Draft: quality assure it and send it for sign-off",
        }
        for v in versions
    ]
    items += [
        {
            "label": f"Variation {v.number} to {v.version.document.title}: {v.title}",
            "url": reverse("strategy:variation_detail", args=[v.pk]),
            "hint": "Draft: share it with the signatories",
        }
        for v in variations
    ]
    return items


# --- The plan --------------------------------------------------------------------------------------------


def plan_current() -> PoliceCrimePlan | None:
    """The current Police and Crime Plan with its pillars and priorities (3 queries), else the latest."""
    plans = PoliceCrimePlan.objects.prefetch_related(
        Prefetch(
            "pillars",
            queryset=Pillar.objects.order_by("number").prefetch_related(
                Prefetch("priorities", queryset=Priority.objects.order_by("code"))
            ),
        )
    )
    return plans.filter(is_current=True).first() or plans.order_by("-starts_on").first()


def plan_queryset() -> models.QuerySet[PoliceCrimePlan]:
    return PoliceCrimePlan.objects.all()


def pillar_queryset() -> models.QuerySet[Pillar]:
    return Pillar.objects.select_related("plan")


def priority_queryset() -> models.QuerySet[Priority]:
    return Priority.objects.select_related("pillar__plan")


def priority_choices() -> models.QuerySet[Priority]:
    """Priorities to choose from in a form, in plan and pillar order."""
    return Priority.objects.select_related("pillar").order_by("pillar__plan", "pillar__number", "code")


def plan_list() -> models.QuerySet[PoliceCrimePlan]:
    return PoliceCrimePlan.objects.order_by("-starts_on")


def objective_list() -> models.QuerySet[CommissioningObjective]:
    return CommissioningObjective.objects.order_by("number")


def panel_area_list() -> models.QuerySet[PanelArea]:
    return PanelArea.objects.order_by("order", "name")


# --- Strategy documents, versions and variations ---------------------------------------------------------


def _in_force(field_name: str):
    return Subquery(
        StrategyVersion.objects.filter(document=OuterRef("pk"), status=SignOffStatus.SIGNED).values(field_name)[:1]
    )


def document_list() -> models.QuerySet[StrategyDocument]:
    """Documents with the number, start and review date of the version in force (one query)."""
    return StrategyDocument.objects.annotate(
        in_force_number=_in_force("number"),
        in_force_from=_in_force("in_force_from"),
        review_due_on=_in_force("review_due_on"),
    ).order_by("-period_start", "title")


def document_queryset() -> models.QuerySet[StrategyDocument]:
    return StrategyDocument.objects.select_related("plan")


def version_list_for_document(*, document: StrategyDocument) -> models.QuerySet[StrategyVersion]:
    return (
        StrategyVersion.objects.filter(document=document)
        .select_related("prepared_by")
        .annotate(signature_count=Count("signatures"))
        .order_by("-number")
    )


def version_in_force(*, document: StrategyDocument) -> StrategyVersion | None:
    return StrategyVersion.objects.filter(document=document, status=SignOffStatus.SIGNED).first()


def version_in_progress(*, document: StrategyDocument) -> StrategyVersion | None:
    return StrategyVersion.objects.filter(
        document=document, status__in=[SignOffStatus.DRAFT, SignOffStatus.AWAITING]
    ).first()


def version_queryset() -> models.QuerySet[StrategyVersion]:
    return StrategyVersion.objects.select_related("document", "prepared_by", "quality_assured_by")


def variation_list_for_version(*, version: StrategyVersion) -> models.QuerySet[Variation]:
    return Variation.objects.filter(version=version).select_related("raised_by").order_by("-number")


def variation_queryset() -> models.QuerySet[Variation]:
    return Variation.objects.select_related("version__document", "raised_by")


@dataclass
class SignatoryRow:
    role: str
    label: str
    signature: VersionSignature | VariationSignature | None = None


def signatory_rows(*, record: StrategyVersion | Variation) -> list[SignatoryRow]:
    """The four signatories in the seed's order, each with their signature if given (one query)."""
    signatures = {s.role: s for s in record.signatures.select_related("signed_by")}
    return [SignatoryRow(role=r.value, label=r.label, signature=signatures.get(r.value)) for r in STRATEGY_SIGNATORIES]


# --- Decision records ------------------------------------------------------------------------------------


def decision_queryset_for_user(*, user) -> models.QuerySet[DecisionRecord]:
    return decision_list_for_user(user=user).select_related("recorded_by")


def decision_makers() -> models.QuerySet:
    """People who can be named as having made a decision: the Police and Crime Commissioner."""
    return get_user_model().objects.filter(role=Role.PCC, is_active=True).order_by("display_name")


# --- Activity logs ---------------------------------------------------------------------------------------


def _signature_what(row) -> str:
    text = f"Signed as {Role(row.role).label}" if row.history_type == "+" else "Signature removed"
    return f"{text}: “{row.comment}”" if row.comment else text


def activity_for_plan(*, plan: PoliceCrimePlan) -> list[HistoryEntry]:
    return newest_first(
        history_entries(plan.history.all(), subject=lambda r: "plan"),
        history_entries(Pillar.history.filter(plan_id=plan.pk), subject=lambda r: f"pillar {r.number}"),
        history_entries(
            Priority.history.filter(pillar_id__in=Pillar.objects.filter(plan=plan).values("pk")),
            subject=lambda r: f"priority {r.code}",
        ),
    )


def activity_for_document(*, document: StrategyDocument) -> list[HistoryEntry]:
    return newest_first(
        history_entries(document.history.all(), subject=lambda r: "strategy"),
        history_entries(
            StrategyVersion.history.filter(document_id=document.pk), subject=lambda r: f"version {r.number}"
        ),
    )


def activity_for_version(*, version: StrategyVersion) -> list[HistoryEntry]:
    return newest_first(
        history_entries(version.history.all(), subject=lambda r: f"version {r.number}"),
        history_entries(VersionSignature.history.filter(version_id=version.pk), what=_signature_what),
    )


def activity_for_variation(*, variation: Variation) -> list[HistoryEntry]:
    return newest_first(
        history_entries(variation.history.all(), subject=lambda r: f"variation {r.number}"),
        history_entries(VariationSignature.history.filter(variation_id=variation.pk), what=_signature_what),
    )


def activity_for_decision(*, decision: DecisionRecord) -> list[HistoryEntry]:
    return history_entries(decision.history.all(), subject=lambda r: f"decision {r.number}")


DECISION_SEARCH_LIMIT = 20


def decision_search(*, user, query: str, limit: int = DECISION_SEARCH_LIMIT) -> list[DecisionRecord]:
    """At most `limit` decisions the user may see whose number or subject contains `query`, newest first, for the
    search-as-you-type decision fields; one query however many decisions there are."""
    query = " ".join((query or "").split())
    if not query:
        return []
    return list(
        decision_list_for_user(user=user)
        .filter(models.Q(number__icontains=query) | models.Q(subject__icontains=query))
        .order_by("-year", "-sequence")[:limit]
    )


def decision_list_published(*, search: str = "") -> models.QuerySet[DecisionRecord]:
    """Decision records anyone may read (the transparency pages): those marked to be published, newest first.
    Who recorded them is left out."""
    records = DecisionRecord.objects.filter(publishable=True).order_by("-year", "-sequence")
    if search:
        records = records.filter(models.Q(subject__icontains=search) | models.Q(number=search))
    return records.only("pk", "number", "year", "sequence", "subject", "legal_basis", "decided_on", "amount")


def decision_get_published(*, pk) -> DecisionRecord:
    try:
        return DecisionRecord.objects.filter(publishable=True).get(pk=pk)
    except (DecisionRecord.DoesNotExist, ValueError) as exc:
        raise Http404("No published decision") from exc
