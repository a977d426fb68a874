from django.urls import path

from commissioning.reporting.views import funder_returns, panel

app_name = "reporting"

urlpatterns = [
    path("panel/", panel.panel_report_page, name="panel_report"),
    path("panel/report.<str:extension>", panel.panel_report_file, name="panel_report_file"),
    path("panel/highlights/add/", panel.highlight_add, name="highlight_add"),
    path("funder-returns/", funder_returns.funder_return_list, name="funder_return_list"),
    path("funder-returns/<int:pk>.<str:extension>", funder_returns.funder_return_file, name="funder_return_file"),
    path("funder-returns/<int:pk>/submit/", funder_returns.funder_return_submit, name="funder_return_submit"),
]
