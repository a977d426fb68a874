"""Configuration tables an administrator may correct in the admin. Versions, signatures, variations and
decision records are changed only through the service (services.py), so they are not registered here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.strategy.models import (
    CommissioningObjective,
    PanelArea,
    Pillar,
    PoliceCrimePlan,
    Priority,
    StrategyDocument,
)


class PillarInline(admin.TabularInline):
    model = Pillar
    extra = 0


@admin.register(PoliceCrimePlan)
class PoliceCrimePlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "starts_on", "ends_on", "is_current"]
    inlines = [PillarInline]


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "pillar"]
    list_select_related = ["pillar__plan"]


@admin.register(CommissioningObjective)
class CommissioningObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title"]


@admin.register(PanelArea)
class PanelAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "order"]


@admin.register(StrategyDocument)
class StrategyDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "period_start", "period_end", "review_interval_months"]
