"""Monitoring commissioned services (issue 11): KPIs, return schedules, returns and performance."""

from django.urls import path

from commissioning.monitoring import feedback_views, views

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
    path("returns/<int:pk>/narrative/", feedback_views.narrative_edit, name="narrative_edit"),
    path("returns/<int:pk>/case-studies/add/", feedback_views.case_study_add, name="case_study_add"),
    path("services/<int:pk>/feedback/add/", feedback_views.feedback_add, name="feedback_add"),
]
