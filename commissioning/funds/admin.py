from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.funds.models import Fund, FundSplit


@admin.register(Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "parent", "is_ring_fenced", "order"]
    list_filter = ["is_ring_fenced"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(FundSplit)
class FundSplitAdmin(SimpleHistoryAdmin):
    list_display = ["parent", "child", "percentage", "effective_from"]
    list_filter = ["parent", "effective_from"]
