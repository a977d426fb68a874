from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.procurement.models import ApprovalRole, ProcurementThreshold, StandingOrderTier


@admin.register(ProcurementThreshold)
class ProcurementThresholdAdmin(SimpleHistoryAdmin):
    list_display = ["regime", "category", "amount", "effective_from"]
    list_filter = ["regime", "category"]


@admin.register(StandingOrderTier)
class StandingOrderTierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "min_value", "max_value", "quotes_required", "tender_required", "effective_from"]
    list_filter = ["effective_from"]


@admin.register(ApprovalRole)
class ApprovalRoleAdmin(SimpleHistoryAdmin):
    list_display = ["action", "role", "effective_from"]
    list_filter = ["action"]
