from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.reporting.models import SuppressionRule


@admin.register(SuppressionRule)
class SuppressionRuleAdmin(SimpleHistoryAdmin):
    list_display = ["effective_from", "threshold", "reason"]
