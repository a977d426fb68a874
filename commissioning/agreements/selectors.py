"""Reads for the register of commissioned services and the pre-year review, scoped to what the user may see.

OPCC staff, auditors and Police and Crime Panel members see the whole register; a partner sees only the
services its organisation co-funds, a provider only the services it delivers; anyone else sees none
(rules.py states the same facts as predicates). Lists keep a fixed number of queries whatever the row count:
related rows come from select_related, prefetch_related or subquery annotations decided here.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from commissioning.accounts.rules import is_auditor, is_opcc_staff, is_panel_member, is_partner, is_provider
from commissioning.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementVariation,
    CoFunder,
    SafetyFundReview,
    SafetyFundReviewLine,
    Service,
)
from commissioning.core.dates import FinancialYear, add_months, long_date
from commissioning.core.history import history_entries, history_for, newest_first
from commissioning.core.models import procurement_regime_starts
from commissioning.core.money import ZERO, to_money
from commissioning.funds import selectors as fund_selectors
from commissioning.funds.models import Fund
from commissioning.strategy.models import Priority

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)
NO_MONEY = Value(ZERO, output_field=MONEY_FIELD)
# The profile's code for the fund of agreements of two years or more (profiles/dorset/profile.yaml).


def _get_or_404(queryset: QuerySet, **lookup):
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} {lookup} for this user") from exc


# Services -----------------------------------------------------------------------------------------------


def services_visible_to(user) -> QuerySet:
    if is_opcc_staff(user) or is_auditor(user) or is_panel_member(user):
        return Service.objects.all()
    organisation_id = getattr(user, "organisation_id", None)
    if is_partner(user) and organisation_id:
        co_funded = CoFunder.objects.filter(organisation_id=organisation_id).values("service_id")
        return Service.objects.filter(pk__in=co_funded)
    if is_provider(user) and organisation_id:
        return Service.objects.filter(provider_id=organisation_id)
    return Service.objects.none()


def _sum_of(queryset: QuerySet, field: str) -> Subquery:
    """A correlated SUM, so totals from two relations never multiply each other through a join."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values(queryset.model._meta.get_field("service").attname)
            .annotate(total=Sum(field))
            .values("total")[:1],
            output_field=MONEY_FIELD,
        ),
        NO_MONEY,
    )


def with_money(services: QuerySet) -> QuerySet:
    """total_value: the value of the service's signed agreements (ended and terminated ones included, for what
    was committed; drafts left out); co_funded: what partners contribute; opcc_share: the rest."""
    signed = Agreement.objects.filter(service=OuterRef("pk")).exclude(status=Agreement.Status.DRAFT)
    return services.annotate(
        total_value=_sum_of(signed, "value"),
        co_funded=_sum_of(CoFunder.objects.filter(service=OuterRef("pk")), "amount"),
    ).annotate(opcc_share=ExpressionWrapper(F("total_value") - F("co_funded"), output_field=MONEY_FIELD))


def service_list_for_user(
    *,
    user,
    search: str = "",
    status: str = "",
    approach: str = "",
    priority=None,
    panel_area=None,
) -> QuerySet:
    """The register in name order with provider, priorities, Panel areas and money (four queries a page)."""
    services = (
        with_money(services_visible_to(user)).select_related("provider").prefetch_related("priorities", "panel_areas")
    )
    search = (search or "").strip()
    if search:
        services = services.filter(
            Q(name__icontains=search)
            | Q(reference__icontains=search)
            | Q(provider__name__icontains=search)
            | Q(purpose__icontains=search)
        )
    if status:
        services = services.filter(status=status)
    if approach:
        services = services.filter(approach=approach)
    if priority is not None:
        services = services.filter(priorities=priority)
    if panel_area is not None:
        services = services.filter(panel_areas=panel_area)
    return services.order_by("name", "pk")


def service_get_for_user(*, user, pk) -> Service:
    """One service with everything its page shows; 404 when the user may not see it."""
    services = (
        with_money(services_visible_to(user))
        .select_related("provider", "lead_officer", "main_panel_area")
        .prefetch_related(
            Prefetch("priorities", queryset=_priorities()),
            "panel_areas",
            "ring_fences",
            Prefetch("co_funders", queryset=CoFunder.objects.select_related("organisation")),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.select_related("decision").prefetch_related(
                    Prefetch("variations", queryset=AgreementVariation.objects.select_related("requested_by")),
                    Prefetch("documents", queryset=AgreementDocument.objects.select_related("uploaded_by")),
                ),
            ),
        )
    )
    return _get_or_404(services, pk=pk)


def _priorities():
    return Priority.objects.select_related("pillar")


def cofunder_get_for_user(*, user, service_pk, pk) -> CoFunder:
    service = service_get_for_user(user=user, pk=service_pk)
    cofunder = _get_or_404(CoFunder.objects.select_related("organisation"), service=service, pk=pk)
    cofunder.service = service
    return cofunder


# Agreements, documents and variations -------------------------------------------------------------------


def agreement_get_for_user(*, user, pk) -> Agreement:
    """One agreement with its service, variations and documents; 404 when the user may not see the service."""
    agreements = (
        Agreement.objects.filter(service__in=services_visible_to(user))
        .select_related("service__provider", "decision")
        .prefetch_related(
            Prefetch("service__co_funders", queryset=CoFunder.objects.select_related("organisation")),
            Prefetch(
                "variations",
                queryset=AgreementVariation.objects.select_related("requested_by", "decided_by"),
            ),
            Prefetch("documents", queryset=AgreementDocument.objects.select_related("uploaded_by")),
        )
    )
    return _get_or_404(agreements, pk=pk)


def document_get_for_user(*, user, agreement_pk, pk) -> AgreementDocument:
    agreement = agreement_get_for_user(user=user, pk=agreement_pk)
    document = _get_or_404(AgreementDocument.objects.all(), agreement=agreement, pk=pk)
    document.agreement = agreement
    return document


def variation_get_for_user(*, user, agreement_pk, number) -> AgreementVariation:
    agreement = agreement_get_for_user(user=user, pk=agreement_pk)
    variation = _get_or_404(
        AgreementVariation.objects.select_related("requested_by", "decided_by", "decision"),
        agreement=agreement,
        number=number,
    )
    variation.agreement = agreement
    return variation


def agreement_regime_note(agreement: Agreement) -> str:
    """A warning when a contract starting on or after the Procurement Act 2023's start date (dated configuration
    from the profile, core.ProcurementRegimeStart) names the Public Contracts Regulations 2015: that is right only
    when its procurement started before that date. No warning while the profile does not configure the date."""
    act_from = procurement_regime_starts(Agreement.Regime.PA_2023)
    if act_from and agreement.regime == Agreement.Regime.PCR_2015 and agreement.starts_on >= act_from:
        day = long_date(act_from)
        return (
            f"This agreement starts on or after {day} but names the Public Contracts Regulations 2015. "
            f"That is right only if its procurement started before {day}; procurements started on or "
            "after that date fall under the Procurement Act 2023."
        )
    return ""


# Pre-year review of the Commissioner's Safety Fund ------------------------------------------------------


def runs_two_years_or_more(starts_on: dt.date, ends_on: dt.date) -> bool:
    """1 April 2025 to 31 March 2027 is two years."""
    return ends_on >= add_months(starts_on, 24) - dt.timedelta(days=1)


def expected_spend_in_year(agreement: Agreement, year: FinancialYear) -> Decimal:
    """The agreement's value shared evenly over its days, for the days that fall in the year."""
    first, last = max(agreement.starts_on, year.starts_on), min(agreement.ends_on, year.ends_on)
    if last < first:
        return to_money("0")
    days_in_year = (last - first).days + 1
    days_in_all = (agreement.ends_on - agreement.starts_on).days + 1
    return to_money(agreement.value * Decimal(days_in_year) / Decimal(days_in_all))


def agreements_for_safety_fund_review(*, fund, year) -> list[Agreement]:
    """Active agreements of two years or more whose dates overlap the year, funded from this fund: those with
    a commitment from it, and those with no commitment from any fund yet (an agreement funded wholly from
    another fund, such as the annual Victims Fund, belongs to that fund's budget instead)."""
    fy = year.fy
    funded_from_fund = Agreement.objects.filter(commitments__fund=fund).values("pk")
    committed_anywhere = Agreement.objects.filter(commitments__isnull=False).values("pk")
    candidates = (
        Agreement.objects.filter(status=Agreement.Status.ACTIVE, starts_on__lte=fy.ends_on, ends_on__gte=fy.starts_on)
        .filter(Q(pk__in=funded_from_fund) | ~Q(pk__in=committed_anywhere))
        .select_related("service")
        .order_by("reference")
    )
    return [a for a in candidates if runs_two_years_or_more(a.starts_on, a.ends_on)]


def review_total(review: SafetyFundReview) -> Decimal:
    total = SafetyFundReviewLine.objects.filter(review=review).aggregate(
        total=Sum(Coalesce("adjusted_spend", "expected_spend"))
    )["total"]
    return to_money(total or "0")


def default_review_fund():
    """The fund the profile declares as its safety fund (multi-year agreements), offered first for a review."""
    return fund_selectors.fund_with_role(Fund.Role.SAFETY_FUND)


def review_list_for_user(*, user) -> QuerySet:
    """Reviews, newest year first, with their total and number of lines. OPCC staff and auditors only."""
    if not (is_opcc_staff(user) or is_auditor(user)):
        return SafetyFundReview.objects.none()
    totals = (
        SafetyFundReviewLine.objects.filter(review=OuterRef("pk"))
        .order_by()
        .values("review_id")
        .annotate(total=Sum(Coalesce("adjusted_spend", "expected_spend")))
        .values("total")[:1]
    )
    return (
        SafetyFundReview.objects.select_related("fund", "year", "prepared_by", "decided_by")
        .annotate(total=Coalesce(Subquery(totals, output_field=MONEY_FIELD), NO_MONEY))
        .order_by("-year__start_year", "fund__name", "pk")
    )


def review_get_for_user(*, user, pk) -> SafetyFundReview:
    """One review with its lines (agreement, service and provider) and total; 404 for anyone else."""
    lines = SafetyFundReviewLine.objects.select_related("agreement__service__provider").order_by("agreement__reference")
    review = _get_or_404(review_list_for_user(user=user).prefetch_related(Prefetch("lines", queryset=lines)), pk=pk)
    return review


def review_line_get_for_user(*, user, review_pk, pk) -> SafetyFundReviewLine:
    review = review_get_for_user(user=user, pk=review_pk)
    line = _get_or_404(SafetyFundReviewLine.objects.select_related("agreement__service"), review=review, pk=pk)
    line.review = review
    return line


# What waits for whom (the home page) ----------------------------------------------------------------------


def variations_to_decide(*, user) -> QuerySet:
    """Variations awaiting approval, except those the person asked for (no one approves their own), oldest
    first."""
    return (
        AgreementVariation.objects.filter(status=AgreementVariation.Status.REQUESTED)
        .exclude(requested_by_id=user.pk)
        .select_related("agreement__service")
        .order_by("requested_at", "pk")
    )


def reviews_at(*, statuses) -> QuerySet:
    """Pre-year reviews of the Commissioner's Safety Fund at the given stages: submitted ones wait for the
    Senior Management Team's decision; drafts and returned ones for whoever prepares them."""
    return (
        SafetyFundReview.objects.filter(status__in=statuses)
        .select_related("fund", "year")
        .order_by("year__start_year", "pk")
    )


# Activity logs ------------------------------------------------------------------------------------------


def service_history(service: Service) -> list:
    """The service's log with its co-funders', agreements' and variations' (OPCC staff and auditors)."""
    agreement_ids = [agreement.pk for agreement in service.agreements.all()]
    return newest_first(
        history_for(service),
        history_entries(
            CoFunder.history.filter(service_id=service.pk).select_related("organisation"),
            subject=lambda row: f"co-funder {row.organisation.name}",
        ),
        history_entries(Agreement.history.filter(service_id=service.pk), subject=lambda row: row.reference),
        history_entries(
            AgreementVariation.history.filter(agreement_id__in=agreement_ids).select_related("agreement"),
            subject=lambda row: f"variation {row.number} to {row.agreement.reference}",
        ),
    )


def agreement_history(agreement: Agreement) -> list:
    """The agreement's log with its variations' and documents'."""
    return newest_first(
        history_for(agreement),
        history_entries(
            AgreementVariation.history.filter(agreement_id=agreement.pk),
            subject=lambda row: f"variation {row.number}",
        ),
        history_entries(
            AgreementDocument.history.filter(agreement_id=agreement.pk), subject=lambda row: f"document {row.title}"
        ),
    )


# --- Money committed to agreements (the panel on the service and agreement pages) -----------------------------

ENDED = (Agreement.Status.ENDED, Agreement.Status.TERMINATED)


def _co_funds(user, service) -> bool:
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id or not is_partner(user):
        return False
    # .all() uses the page's prefetch of the service's co-funders.
    return any(share.organisation_id == organisation_id for share in service.co_funders.all())


def money_panels(*, user, agreements) -> dict[int, dict]:
    """Each agreement's commitments by fund and year (status, live amount, paid, left to pay), keyed by agreement id.

    Shown to people who may see funds, and read-only to a partner whose organisation co-funds the service; links
    only for people who may open the funds pages. One query for all the agreements' commitments.
    """
    agreements = list(agreements)
    can_see_funds = user.has_perm("funds.view_funds")
    can_plan = can_see_funds and user.has_perm("funds.plan_commitment")
    visible_ids = [a.pk for a in agreements if can_see_funds or _co_funds(user, a.service)]
    commitments = fund_selectors.commitments_by_agreement(agreement_ids=visible_ids) if visible_ids else {}
    panels = {}
    for agreement in agreements:
        rows = []
        for commitment in commitments.get(agreement.pk, ()):
            live, paid = to_money(commitment.live_amount), to_money(commitment.paid)
            rows.append({"commitment": commitment, "live": live, "paid": paid, "left": live - paid})
        panels[agreement.pk] = {
            "visible": agreement.pk in commitments,
            "agreement": agreement,
            "rows": rows,
            "links": can_see_funds,
            "can_plan": can_plan and agreement.status not in ENDED,
            "totals": {name: sum((row[name] for row in rows), to_money(0)) for name in ("live", "paid", "left")},
        }
    return panels


# --- Published for everyone (transparency pages) ------------------------------------------------------------

PUBLIC_AGREEMENT_STATUSES = (Agreement.Status.ACTIVE, Agreement.Status.ENDED, Agreement.Status.TERMINATED)


def contracts_published(*, thresholds: list[tuple[dt.date, Decimal]], search: str = "") -> QuerySet[Agreement]:
    """Signed contracts worth more than the threshold in force on the day each starts (`thresholds`: [(applies
    from, contracts over)], oldest first, as core.models.publication_thresholds gives), newest first, with their
    provider and only their published documents: what anyone may read. A contract whose decision record is not
    to be published is left out. Three queries for a page of any length (count, rows, documents)."""
    over_threshold = Q()
    for index, (applies_from, over) in enumerate(thresholds):
        window = Q(starts_on__gte=applies_from) if index else Q()
        if index + 1 < len(thresholds):
            window &= Q(starts_on__lt=thresholds[index + 1][0])
        over_threshold |= window & Q(value__gt=over)
    published = AgreementDocument.objects.filter(is_published=True).only(
        "pk",
        "agreement_id",
        "title",
        "published_file",
        "published_content_type",
        "content_type",
        "size",
        "published_size",
        "redactions",
        "redaction_reason",
        "published_at",
        "uploaded_at",
    )
    contracts = (
        Agreement.objects.filter(kind=Agreement.Kind.CONTRACT, status__in=PUBLIC_AGREEMENT_STATUSES)
        .filter(over_threshold)
        .filter(Q(decision__isnull=True) | Q(decision__publishable=True))
        .select_related("service__provider", "decision")
        .prefetch_related(Prefetch("documents", queryset=published, to_attr="published_documents"))
        .order_by("-starts_on", "-pk")
    )
    if search:
        contracts = contracts.filter(
            Q(service__name__icontains=search) | Q(service__provider__name__icontains=search) | Q(reference=search)
        )
    return contracts


def document_get_published(*, agreement_pk, pk) -> AgreementDocument:
    """A published document of a signed agreement that may be published; 404 otherwise."""
    documents = AgreementDocument.objects.filter(
        is_published=True, agreement__status__in=PUBLIC_AGREEMENT_STATUSES
    ).filter(Q(agreement__decision__isnull=True) | Q(agreement__decision__publishable=True))
    return _get_or_404(documents, agreement_id=agreement_pk, pk=pk)
