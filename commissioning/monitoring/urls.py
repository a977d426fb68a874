"""Monitoring commissioned services (issue 11): KPIs, return schedules, returns and performance."""

from django.urls import path

from commissioning.monitoring import feedback_views, token_views, views

app_name = "monitoring"

urlpatterns = [
    path("services/<int:pk>/", views.service_monitoring, name="service_monitoring"),
    path("services/<int:pk>/minimum-dataset/", views.kpis_attach, name="kpis_attach"),
    path("services/<int:pk>/measures/add/", views.kpi_add, name="kpi_add"),
    path("services/<int:pk>/schedule/", views.schedule_edit, name="schedule_edit"),
    path("services/<int:pk>/performance/", views.service_performance, name="service_performance"),
    path("measures/<int:pk>/edit/", views.kpi_edit, name="kpi_edit"),
    path("returns/", views.return_list, name="return_list"),
    path("returns/overdue/", views.overdue_list, name="overdue_list"),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/submit/", views.return_submit, name="return_submit"),
    path("returns/<int:pk>/template.<str:extension>", views.return_template, name="return_template"),
    path("returns/<int:pk>/upload/", views.return_upload, name="return_upload"),
    path("returns/<int:pk>/decide/", views.return_decide, name="return_decide"),
    path("returns/<int:pk>/cases/", token_views.case_upload, name="case_upload"),
    path("returns/<int:pk>/cases-template.csv", token_views.case_template, name="case_template"),
    path("api-tokens/", token_views.token_list, name="api_token_list"),
    path("api-tokens/new/", token_views.token_create, name="api_token_create"),
    path("api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="api_token_revoke"),
    path("returns/<int:pk>/narrative/", feedback_views.narrative_edit, name="narrative_edit"),
    path("returns/<int:pk>/case-studies/add/", feedback_views.case_study_add, name="case_study_add"),
    path("services/<int:pk>/feedback/add/", feedback_views.feedback_add, name="feedback_add"),
]

# Strategic reviews, exits and large contracts (issue 11, points 4 to 6).
from commissioning.monitoring.review_urls import urlpatterns as review_urlpatterns  # noqa: E402

urlpatterns += review_urlpatterns
