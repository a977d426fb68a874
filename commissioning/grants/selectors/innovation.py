"""Reads for the Local Innovation Fund: candidates, weights and prioritisations, with the query shape decided
here. Everyone who may read them (OPCC staff and auditors) reads them all."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from commissioning.core.history import HistoryEntry, history_entries, newest_first
from commissioning.core.money import ZERO
from commissioning.funds import selectors as fund_selectors
from commissioning.funds.models import FinancialYear, Fund
from commissioning.grants.models import InnovationCandidate, InnovationWeights, Prioritisation, PrioritisationEntry
from commissioning.strategy.models import Priority


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} {pk}") from exc


def candidate_list(*, year: FinancialYear | None = None) -> QuerySet[InnovationCandidate]:
    """Candidates by year and title with their organisation, year and priorities: two queries a page."""
    candidates = InnovationCandidate.objects.select_related("organisation", "year").prefetch_related(
        Prefetch("priorities", queryset=Priority.objects.order_by("pillar__number", "code"))
    )
    if year is not None:
        candidates = candidates.filter(year=year)
    return candidates.order_by("-year__start_year", "title", "pk")


def candidate_get(*, pk) -> InnovationCandidate:
    return _get_or_404(InnovationCandidate.objects.select_related("organisation", "year"), pk)


def weights_list() -> QuerySet[InnovationWeights]:
    return InnovationWeights.objects.order_by("-effective_from")


def prioritisation_list() -> QuerySet[Prioritisation]:
    """Each prioritisation with how much it allocates to how many projects (one query a page)."""
    return (
        Prioritisation.objects.select_related("fund", "year", "approved_by")
        .annotate(
            allocated=Coalesce(
                Sum("entries__allowance"), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2)
            ),
            projects=Count("entries"),
        )
        .order_by("-year__start_year", "fund__name")
    )


def prioritisation_get(*, pk) -> Prioritisation:
    return _get_or_404(
        Prioritisation.objects.select_related("fund", "year", "weights", "prepared_by", "approved_by"), pk
    )


@dataclass(frozen=True)
class RankedRow:
    entry: PrioritisationEntry
    running_total: Decimal
    within_available: bool


def ranked_rows(*, prioritisation: Prioritisation) -> list[RankedRow]:
    """The entries in rank order with the running total of allowances against the money available (one query)."""
    entries = (
        PrioritisationEntry.objects.filter(prioritisation=prioritisation)
        .select_related("candidate__organisation")
        .order_by("rank", "pk")
    )
    rows, total = [], ZERO
    for entry in entries:
        total += entry.allowance
        rows.append(RankedRow(entry=entry, running_total=total, within_available=total <= prioritisation.available))
    return rows


def entry_get(*, prioritisation: Prioritisation, pk) -> PrioritisationEntry:
    entry = _get_or_404(
        PrioritisationEntry.objects.filter(prioritisation=prioritisation).select_related("candidate__organisation"),
        pk,
    )
    entry.prioritisation = prioritisation
    return entry


def prioritisation_activity(*, prioritisation: Prioritisation, limit: int = 50) -> list[HistoryEntry]:
    """The list's own log with its entries' (overrides, recalculations), newest first."""
    return newest_first(
        history_entries(prioritisation.history.all(), subject=lambda row: "prioritisation", limit=limit),
        history_entries(
            PrioritisationEntry.history.filter(prioritisation_id=prioritisation.pk, history_type="~"),
            subject=lambda row: f"allowance of entry {row.rank}",
            limit=limit,
        ),
        limit=limit,
    )


def default_innovation_fund() -> Fund | None:
    """The fund the profile declares as its innovation fund, offered first for a prioritisation."""
    return fund_selectors.fund_with_role(Fund.Role.INNOVATION_FUND)


def funds_for_prioritisation() -> QuerySet[Fund]:
    return Fund.objects.filter(is_ring_fenced=False).order_by("order", "name")


def years() -> QuerySet[FinancialYear]:
    return FinancialYear.objects.order_by("start_year")


def open_years() -> QuerySet[FinancialYear]:
    return FinancialYear.objects.filter(status=FinancialYear.Status.OPEN).order_by("start_year")
