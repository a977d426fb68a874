"""The Police and Crime Panel report (seed, Section 4; issue 12): for a financial year or a quarter, by the seven
Panel areas, the services, the money (budget, committed, paid), the people supported and their demographics,
outcomes against targets, the comparison with the previous period, and highlights and case studies.

Each service counts once, under its main Panel area. People's figures come only from ACCEPTED returns (the
accepted version of each), for returns whose period lies inside the report's period. Every figure is aggregated
in the database: the report runs in a fixed number of queries whatever the number of services or returns.

Counts of people go through small-number suppression (reporting/suppression.py) with every relation a reader can
see: areas add up to the total, categories add up to their area's total and across areas, and the change column is
this period less the previous one.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from commissioning.agreements.models import Service
from commissioning.core.dates import FinancialYear as FY
from commissioning.core.models import opcc_settings
from commissioning.core.money import ZERO
from commissioning.funds import selectors as fund_selectors
from commissioning.monitoring.models import Direction, KpiDefinition, KpiKind, ReturnStatus, ReturnValue
from commissioning.reporting.models import PanelHighlight, SuppressionRule
from commissioning.reporting.suppression import (
    MARK,
    MARK_KEY,
    difference_relation,
    suppress,
    total_relation,
)
from commissioning.strategy.models import PanelArea

BENEFICIARIES = "beneficiaries"  # the minimum dataset's count of people supported (profile kpi_definitions)
DEFAULT_THRESHOLD = 5
NO_AREA = "none"
QUARTER_STARTS = {1: 4, 2: 7, 3: 10, 4: 1}


# --- Periods ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A financial year (quarter None) or one of its quarters (1 = April to June). `until` cuts a period still
    running at the day the report is made, so that a year to date is compared with the same number of days of
    the previous period, like for like, not with the whole of it."""

    start_year: int
    quarter: int | None = None
    until: dt.date | None = None

    @classmethod
    def parse(cls, year: str, quarter: str | None = None) -> "Period":
        fy = FY.parse(year)
        if not quarter:
            return cls(fy.start_year)
        text = quarter.strip().upper().removeprefix("Q")
        if text not in {"1", "2", "3", "4"}:
            raise ValueError(f"{quarter!r} is not a quarter: use Q1, Q2, Q3 or Q4")
        return cls(fy.start_year, int(text))

    @property
    def fy(self) -> FY:
        return FY(self.start_year)

    @property
    def starts_on(self) -> dt.date:
        if self.quarter is None:
            return self.fy.starts_on
        month = QUARTER_STARTS[self.quarter]
        return dt.date(self.start_year + (1 if self.quarter == 4 else 0), month, 1)

    @property
    def full_ends_on(self) -> dt.date:
        if self.quarter is None:
            return self.fy.ends_on
        start = self.starts_on
        month, year = start.month + 3, start.year
        if month > 12:
            month, year = month - 12, year + 1
        return dt.date(year, month, 1) - dt.timedelta(days=1)

    @property
    def ends_on(self) -> dt.date:
        return min(self.full_ends_on, self.until) if self.until else self.full_ends_on

    @property
    def is_cut(self) -> bool:
        return self.ends_on < self.full_ends_on

    @property
    def name(self) -> str:
        """The whole period's name: 2026/27, or Q2 2026/27."""
        return self.fy.label if self.quarter is None else f"Q{self.quarter} {self.fy.label}"

    @property
    def label(self) -> str:
        if not self.is_cut:
            return self.name
        last = self.ends_on
        return f"{self.name} to {last.day} {last:%B %Y}"

    @property
    def long_label(self) -> str:
        first, last = self.starts_on, self.ends_on
        dates = f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"
        return f"{self.name}, so far: {dates}" if self.is_cut else f"{self.name} ({dates})"

    @property
    def quarter_code(self) -> str:
        return f"Q{self.quarter}" if self.quarter else ""

    @property
    def slug(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}" + (f"-q{self.quarter}" if self.quarter else "")

    def to_date(self, today: dt.date) -> "Period":
        """This period cut at `today` when it has begun and not yet ended; otherwise unchanged."""
        if self.starts_on <= today < self.full_ends_on:
            return Period(self.start_year, self.quarter, until=today)
        return self

    def previous(self) -> "Period":
        """The period before, cut (when this one is) after as many days as this one has run: like for like."""
        if self.quarter is None:
            before = Period(self.start_year - 1)
        elif self.quarter == 1:
            before = Period(self.start_year - 1, 4)
        else:
            before = Period(self.start_year, self.quarter - 1)
        if not self.is_cut:
            return before
        return Period(before.start_year, before.quarter, until=before.starts_on + (self.ends_on - self.starts_on))


def suppression_threshold_on(day: dt.date) -> int:
    """The threshold in force on `day`: the latest SuppressionRule from on or before it, else the OPCC settings'
    (loaded from the profile), else 5."""
    rule = SuppressionRule.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rule is not None:
        return rule.threshold
    settings_row = opcc_settings()
    return settings_row.suppression_threshold if settings_row else DEFAULT_THRESHOLD


# --- The report's shape ------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """A figure as printed: the number, or MARK when suppressed (`value` keeps the real number for staff with the
    right to see it, and for the tests)."""

    value: int
    hidden: bool = False

    @property
    def shown(self):
        return MARK if self.hidden else self.value

    def __str__(self):
        return str(self.shown)


@dataclass(frozen=True)
class ServiceLine:
    name: str
    provider: str


@dataclass
class AreaRow:
    area: PanelArea | None
    code: str
    name: str
    services: int = 0
    service_lines: list[ServiceLine] = field(default_factory=list)
    budget: Decimal = ZERO  # planned and counted commitments for the year: what is set aside for its services
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    previous_paid: Decimal = ZERO
    people: Cell = field(default_factory=lambda: Cell(0))
    previous_people: Cell = field(default_factory=lambda: Cell(0))
    change: Cell = field(default_factory=lambda: Cell(0))
    with_target: int = 0
    met_target: int = 0

    @property
    def paid_change(self) -> Decimal:
        return self.paid - self.previous_paid


@dataclass
class Breakdown:
    """One demographic breakdown (e.g. gender): categories down, areas across, with totals both ways."""

    definition: KpiDefinition
    categories: list[str]
    areas: list[AreaRow]
    cells: dict  # (category, area code) -> Cell
    row_totals: dict  # category -> Cell
    column_totals: dict  # area code -> Cell (only when the categories add up)
    grand_total: Cell | None

    def rows(self):
        for category in self.categories:
            yield category, [self.cells[(category, a.code)] for a in self.areas], self.row_totals[category]


@dataclass
class PanelReport:
    period: Period
    previous: Period
    threshold: int
    suppressed: bool
    areas: list[AreaRow]
    total: AreaRow
    breakdowns: list[Breakdown]
    highlights: list[PanelHighlight]
    hidden_count: int

    @property
    def mark_key(self) -> str:
        return MARK_KEY.format(threshold=self.threshold)

    @property
    def areas_with_total(self) -> list[AreaRow]:
        return [*self.areas, self.total]


# --- Reads ------------------------------------------------------------------------------------------------------


def accepted_values(period: Period):
    """The accepted version's figures of every accepted return whose period lies inside `period`."""
    return ReturnValue.objects.filter(
        version__kpi_return__status=ReturnStatus.ACCEPTED,
        version__decisions__outcome="accepted",
        version__kpi_return__starts_on__gte=period.starts_on,
        version__kpi_return__ends_on__lte=period.ends_on,
    ).order_by()


AREA = "version__kpi_return__service__main_panel_area_id"


def _people_by_area(period: Period) -> dict:
    """{area id: people supported} from the beneficiaries KPI's totals. One query."""
    rows = (
        accepted_values(period)
        .filter(kpi__definition__code=BENEFICIARIES, category="")
        .values(AREA)
        .annotate(people=Sum("value"))
    )
    return {row[AREA]: row["people"] or 0 for row in rows}


def _breakdowns_by_area(period: Period) -> dict:
    """{(definition id, category, area id): count} for the minimum dataset's breakdowns. One query."""
    rows = (
        accepted_values(period)
        .filter(kpi__definition__kind=KpiKind.BREAKDOWN, kpi__definition__is_minimum_dataset=True)
        .exclude(category="")
        .values("kpi__definition_id", "category", AREA)
        .annotate(people=Sum("value"))
    )
    return {(row["kpi__definition_id"], row["category"], row[AREA]): row["people"] or 0 for row in rows}


def _targets_by_area(period: Period) -> dict:
    """{area id: (figures with a target, figures meeting it)} over every reported KPI total. One query."""
    met = Q(kpi__direction=Direction.HIGHER, value__gte=F("kpi__target")) | Q(
        kpi__direction=Direction.LOWER, value__lte=F("kpi__target")
    )
    rows = (
        accepted_values(period)
        .filter(category="", kpi__target__isnull=False)
        .values(AREA)
        .annotate(with_target=Count("pk"), met=Count("pk", filter=met))
    )
    return {row[AREA]: (row["with_target"], row["met"]) for row in rows}


def _services_by_area(period: Period) -> dict:
    """{area id: [(service name, provider name), ...]} for the services running at some point in the period, by
    name. One query."""
    running = Q(starts_on__lte=period.ends_on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=period.starts_on))
    rows = (
        Service.objects.filter(running)
        .exclude(status=Service.Status.PLANNED)
        .order_by("name", "pk")
        .values_list("main_panel_area_id", "name", "provider__name")
    )
    by_area: dict = {}
    for area_id, name, provider in rows:
        by_area.setdefault(area_id, []).append(ServiceLine(name=name, provider=provider or ""))
    return by_area


def _year(period: Period):
    from commissioning.funds.models import FinancialYear

    return FinancialYear.objects.filter(start_year=period.start_year).first()


def panel_report(*, period: Period, suppressed: bool = True, today: dt.date | None = None) -> PanelReport:
    """The whole report for `period` (see the module's docstring). A period still running is reported to `today`
    (by default the current day) and compared with the same number of days of the previous period. A fixed
    number of queries."""
    period = period.to_date(today or timezone.localdate())
    previous = period.previous()
    threshold = suppression_threshold_on(period.ends_on)
    areas = list(PanelArea.objects.order_by("order", "name"))
    services = _services_by_area(period)
    year = _year(period)
    money = fund_selectors.commitment_totals_by(year=year, key="agreement__service__main_panel_area_id") if year else {}
    key = "agreement__service__main_panel_area_id"
    paid_in = fund_selectors.paid_totals_in(
        periods={"now": (period.starts_on, period.ends_on), "before": (previous.starts_on, previous.ends_on)},
        key=key,
    )
    paid, paid_before = paid_in["now"], paid_in["before"]
    people, people_before = _people_by_area(period), _people_by_area(previous)
    targets = _targets_by_area(period)
    area_keys = [area.pk for area in areas]
    # A service with no main area (only from before the field existed) is shown, not lost.
    if any(None in source for source in (services, money, paid, people, targets)):
        area_keys.append(None)
    rows = []
    for area_id in area_keys:
        area = next((a for a in areas if a.pk == area_id), None)
        row = AreaRow(
            area=area,
            code=area.code if area else NO_AREA,
            name=area.name if area else "No main Panel area recorded",
            services=len(services.get(area_id, ())),
            service_lines=services.get(area_id, []),
            budget=money.get(area_id, {}).get("forecast", ZERO),
            committed=money.get(area_id, {}).get("committed", ZERO),
            paid=paid.get(area_id, ZERO),
            previous_paid=paid_before.get(area_id, ZERO),
            people=Cell(people.get(area_id, 0)),
            previous_people=Cell(people_before.get(area_id, 0)),
            with_target=targets.get(area_id, (0, 0))[0],
            met_target=targets.get(area_id, (0, 0))[1],
        )
        row.change = Cell(row.people.value - row.previous_people.value)
        rows.append(row)
    total = AreaRow(
        area=None,
        code="total",
        name="All areas",
        services=sum(r.services for r in rows),
        budget=sum((r.budget for r in rows), ZERO),
        committed=sum((r.committed for r in rows), ZERO),
        paid=sum((r.paid for r in rows), ZERO),
        previous_paid=sum((r.previous_paid for r in rows), ZERO),
        people=Cell(sum(r.people.value for r in rows)),
        previous_people=Cell(sum(r.previous_people.value for r in rows)),
        with_target=sum(r.with_target for r in rows),
        met_target=sum(r.met_target for r in rows),
    )
    total.change = Cell(total.people.value - total.previous_people.value)
    breakdowns = _breakdowns(period, rows)
    hidden = _suppress(rows, total, breakdowns, threshold) if suppressed else 0
    highlights = list(
        PanelHighlight.objects.filter(start_year=period.start_year, quarter=period.quarter)
        .select_related("panel_area", "service")
        .order_by("panel_area__order", "kind", "pk")
    )
    return PanelReport(
        period=period,
        previous=previous,
        threshold=threshold,
        suppressed=suppressed,
        areas=rows,
        total=total,
        breakdowns=breakdowns,
        highlights=highlights,
        hidden_count=hidden,
    )


def _breakdowns(period: Period, rows: list[AreaRow]) -> list[Breakdown]:
    definitions = list(
        KpiDefinition.objects.filter(kind=KpiKind.BREAKDOWN, is_minimum_dataset=True).order_by("order", "name")
    )
    counts = _breakdowns_by_area(period)
    area_ids = [r.area.pk if r.area else None for r in rows]
    found = []
    for definition in definitions:
        categories = list(definition.breakdown)
        # Categories a provider used that the definition no longer lists are kept, after the listed ones.
        extra = sorted({c for (d, c, _a) in counts if d == definition.pk and c not in categories})
        categories += extra
        cells, row_totals, column_totals = {}, {}, {}
        for category in categories:
            for row, area_id in zip(rows, area_ids, strict=True):
                cells[(category, row.code)] = Cell(counts.get((definition.pk, category, area_id), 0))
            row_totals[category] = Cell(sum(cells[(category, r.code)].value for r in rows))
        grand = None
        if definition.adds_up:
            for row in rows:
                column_totals[row.code] = Cell(sum(cells[(c, row.code)].value for c in categories))
            grand = Cell(sum(t.value for t in row_totals.values()))
        if not any(t.value for t in row_totals.values()):
            continue
        found.append(Breakdown(definition, categories, rows, cells, row_totals, column_totals, grand))
    return found


def _suppress(rows: list[AreaRow], total: AreaRow, breakdowns: list[Breakdown], threshold: int) -> int:
    """Mark the cells to hide across the whole report at once, so no table reveals another's hidden cell."""
    cells: dict = {}
    relations = []
    derived = []
    for period_name in ("people", "previous_people"):
        for row in [*rows, total]:
            cells[(period_name, row.code)] = getattr(row, period_name)
        relations.append(total_relation((period_name, "total"), [(period_name, r.code) for r in rows]))
    for row in [*rows, total]:
        cells[("change", row.code)] = row.change
        derived.append(("change", row.code))
        relations.append(difference_relation(("change", row.code), ("people", row.code), ("previous_people", row.code)))
    for b in breakdowns:
        d = b.definition.pk
        for (category, code), cell in b.cells.items():
            cells[(d, category, code)] = cell
        for category, cell in b.row_totals.items():
            cells[(d, category, "total")] = cell
            relations.append(total_relation((d, category, "total"), [(d, category, r.code) for r in rows]))
        if b.grand_total is not None:
            for code, cell in b.column_totals.items():
                cells[(d, "total", code)] = cell
                relations.append(total_relation((d, "total", code), [(d, c, code) for c in b.categories]))
            cells[(d, "total", "total")] = b.grand_total
            relations.append(total_relation((d, "total", "total"), [(d, "total", r.code) for r in rows]))
            relations.append(total_relation((d, "total", "total"), [(d, c, "total") for c in b.categories]))
    hidden = suppress({k: c.value for k, c in cells.items()}, relations, threshold, derived=derived)
    for key in hidden:
        cells[key].hidden = True
    return len(hidden)
