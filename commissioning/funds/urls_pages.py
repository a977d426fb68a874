"""The funds pages (issue 4, points 1, 2 and 4), mounted at /funds/ in the `funds` namespace. Years in a path or
?year= are the year the financial year starts: 2026 for 2026/27."""

from django.urls import path

from commissioning.funds.views import commitments, pages, payments, streams, virements

urlpatterns = [
    path("", pages.fund_list, name="fund_list"),
    path("<int:pk>/", pages.fund_detail, name="fund_detail"),
    path("<int:pk>/budget/<int:year>/lines/add/", pages.budget_line_add, name="budget_line_add"),
    path("budgets/<int:year>/", pages.budget_set, name="budget_set"),
    path("budgets/<int:year>/build/", pages.budget_build, name="budget_build"),
    path("year-end/<int:year>/", pages.year_end, name="year_end"),
    path("streams/", streams.stream_list, name="stream_list"),
    path("streams/<int:pk>/", streams.stream_detail, name="stream_detail"),
    path("streams/<int:pk>/<int:year>/", streams.stream_allocation_set, name="stream_allocation_set"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/approve/", commitments.commitment_approve, name="commitment_approve"),
    path("commitments/<int:pk>/commit/", commitments.commitment_commit, name="commitment_commit"),
    path("commitments/<int:pk>/change/", commitments.commitment_vary, name="commitment_vary"),
    path("commitments/<int:pk>/release/", commitments.commitment_release, name="commitment_release"),
    path("commitments/<int:pk>/schedule/", commitments.payment_schedule_create, name="payment_schedule_create"),
    path("commitments/<int:pk>/payments/add/", commitments.payment_record, name="payment_record"),
    path("commitments/<int:pk>/repayments/add/", commitments.repayment_request, name="repayment_request"),
    path("repayments/<int:pk>/receive/", payments.repayment_receive, name="repayment_receive"),
    path("repayments/<int:pk>/waive/", payments.repayment_waive, name="repayment_waive"),
    path("payments/", payments.payment_list, name="payment_list"),
    path("transfers/", virements.virement_list, name="virement_list"),
    path("transfers/add/", virements.virement_request, name="virement_request"),
    path("transfers/<int:pk>/decide/", virements.virement_decide, name="virement_decide"),
]
