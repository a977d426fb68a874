"""Fund dashboard, its XLSX export, and imports of budget lines and payments (issue 4, point 6)."""

from django.urls import path

from commissioning.funds.views import dashboard, exports, imports

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", exports.dashboard_export, name="dashboard_export"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/budget-lines/", imports.import_budget_lines, name="import_budget_lines"),
    path("import/budget-lines/template.csv", imports.import_budget_lines_template, name="import_budget_lines_template"),
    path("import/payments/", imports.import_payments, name="import_payments"),
    path("import/payments/template.csv", imports.import_payments_template, name="import_payments_template"),
]
