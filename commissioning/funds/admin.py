"""Funds in the configuration admin.

Funds, splits and funding streams (with their claim and return dates) are configuration an administrator keeps.
Money records are read-only here: they change only through services, which check budgets and record why.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.funds.models import (
    Budget,
    BudgetLine,
    Commitment,
    FinancialYear,
    Fund,
    FundingStream,
    FundSplit,
    Payment,
    Repayment,
    StreamAllocation,
    StreamReturnDate,
    Virement,
)


@admin.register(Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "parent", "is_ring_fenced", "allows_carry_forward", "order"]
    list_filter = ["is_ring_fenced", "allows_carry_forward"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(FundSplit)
class FundSplitAdmin(SimpleHistoryAdmin):
    list_display = ["parent", "child", "percentage", "effective_from"]
    list_filter = ["parent", "effective_from"]


class StreamReturnDateInline(admin.TabularInline):
    model = StreamReturnDate
    extra = 0


class ReadOnlyMixin:
    """Shown for reading and audit; changed only through the funds services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StreamAllocationInline(ReadOnlyMixin, admin.TabularInline):
    model = StreamAllocation
    extra = 0
    fields = ["year", "amount", "confirmed", "notes"]
    readonly_fields = fields


@admin.register(FundingStream)
class FundingStreamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "source", "fund", "funder", "is_active"]
    list_filter = ["source", "is_active"]
    list_select_related = ["fund", "funder"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [StreamReturnDateInline, StreamAllocationInline]


@admin.register(FinancialYear)
class FinancialYearAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["label", "status", "closed_at", "closed_by"]
    list_select_related = ["closed_by"]


class BudgetLineInline(ReadOnlyMixin, admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["kind", "amount", "stream", "description", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(Budget)
class BudgetAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["fund", "year", "amount"]
    list_filter = ["year", "fund"]
    list_select_related = ["fund", "year"]
    inlines = [BudgetLineInline]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["agreement", "fund", "year", "amount", "released_amount", "status"]
    list_filter = ["status", "year", "fund"]
    list_select_related = ["agreement__service", "fund", "year"]
    search_fields = ["agreement__reference", "agreement__service__name"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["reference", "paid_on", "amount", "commitment"]
    list_select_related = ["commitment__agreement__service", "commitment__fund", "commitment__year"]
    search_fields = ["reference"]
    date_hierarchy = "paid_on"


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["commitment", "amount", "status", "requested_on"]
    list_filter = ["status"]
    list_select_related = ["commitment__agreement__service", "commitment__fund", "commitment__year"]


@admin.register(Virement)
class VirementAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["year", "from_fund", "to_fund", "amount", "status", "requested_by", "decided_by"]
    list_filter = ["status", "year"]
    list_select_related = ["year", "from_fund", "to_fund", "requested_by", "decided_by"]
