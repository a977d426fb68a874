from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.monitoring.models import KpiDefinition


@admin.register(KpiDefinition)
class KpiDefinitionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "is_minimum_dataset", "applies_when", "order"]
    list_filter = ["kind", "is_minimum_dataset"]
    search_fields = ["name", "code"]
