from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.procurement.models import ProcurementThreshold, StandingOrderTier


@admin.register(ProcurementThreshold)
class ProcurementThresholdAdmin(SimpleHistoryAdmin):
    list_display = ["regime", "category", "amount", "effective_from"]
    list_filter = ["regime", "category"]


@admin.register(StandingOrderTier)
class StandingOrderTierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "min_value", "max_value", "route", "effective_from"]
    list_filter = ["effective_from"]
