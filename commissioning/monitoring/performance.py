"""A service's performance: each KPI's figures over the periods against its target, with a RAG rating by the
rules the profile sets (RagRule), as a chart and the same figures in a table.

A period's figure is the latest version of its return; a return not yet accepted is shown as such, so an
officer reading the page knows which figures are settled."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from commissioning.monitoring.models import Direction, KpiReturn, RagRule, ReturnValue, ReturnVersion, ServiceKpi
from commissioning.monitoring.services import TOTAL

DEFAULT_MARGIN = 10
GREEN, AMBER, RED = "Green", "Amber", "Red"


def rag(value: int, target: int | None, direction: str, margin_percent: int) -> str:
    """Green on or better than the target; amber when worse by no more than margin_percent of the target; red
    beyond; "" with no target."""
    if target is None:
        return ""
    allowance = target * margin_percent / 100
    if direction == Direction.LOWER:
        return GREEN if value <= target else AMBER if value <= target + allowance else RED
    return GREEN if value >= target else AMBER if value >= target - allowance else RED


def margin_on(day: dt.date, rules: list[RagRule]) -> int:
    """The amber margin of the rule in effect on `day` (rules newest first)."""
    for rule in rules:
        if rule.effective_from <= day:
            return rule.amber_margin_percent
    return DEFAULT_MARGIN


@dataclass
class Point:
    kpi_return: KpiReturn
    value: int | None
    rating: str


@dataclass
class KpiPerformance:
    kpi: ServiceKpi
    points: list[Point] = field(default_factory=list)

    @property
    def reported(self) -> list[Point]:
        return [point for point in self.points if point.value is not None]


def service_performance(service) -> list[KpiPerformance]:
    """Each reported KPI of the service with its total in every period that has a submitted return, oldest
    first (four queries whatever the number of periods)."""
    kpis = [kpi for kpi in service.kpis.select_related("definition").order_by("order", "pk") if kpi.is_reported]
    returns = list(
        service.kpi_returns.filter(versions__isnull=False)
        .distinct()
        .order_by("starts_on")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ReturnVersion.objects.order_by("-number").prefetch_related(
                    Prefetch("values", queryset=ReturnValue.objects.filter(category=TOTAL))
                ),
            )
        )
    )
    rules = list(RagRule.objects.order_by("-effective_from"))
    found = []
    for kpi in kpis:
        performance = KpiPerformance(kpi)
        for kpi_return in returns:
            latest = kpi_return.versions.all()[0]
            value = next((v.value for v in latest.values.all() if v.kpi_id == kpi.pk), None)
            rating = (
                "" if value is None else rag(value, kpi.target, kpi.direction, margin_on(kpi_return.ends_on, rules))
            )
            performance.points.append(Point(kpi_return, value, rating))
        found.append(performance)
    return found
