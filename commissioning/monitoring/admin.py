from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.monitoring.models import FunderKpi, KpiDefinition, RagRule


@admin.register(KpiDefinition)
class KpiDefinitionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "adds_up", "not_known", "is_minimum_dataset", "applies_when", "order"]
    list_filter = ["kind", "is_minimum_dataset"]
    search_fields = ["name", "code"]


@admin.register(RagRule)
class RagRuleAdmin(SimpleHistoryAdmin):
    list_display = ["effective_from", "amber_margin_percent"]


@admin.register(FunderKpi)
class FunderKpiAdmin(SimpleHistoryAdmin):
    list_display = ["definition", "stream", "frequency", "effective_from", "effective_to"]
    list_filter = ["stream"]
