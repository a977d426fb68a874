"""Commissioning cases before the tender (issue 10, points 1 to 4 and 9), under /procurement/."""

from django.urls import path

from commissioning.procurement.views import planning as views

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/from-review/<int:review_pk>/", views.case_from_review, name="case_from_review"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/needs/", views.needs_edit, name="needs_edit"),
    path("cases/<int:pk>/priorities/", views.priorities_edit, name="priorities_edit"),
    path("cases/<int:pk>/resources/add/", views.resource_add, name="resource_add"),
    path("cases/<int:pk>/engagement/add/", views.engagement_add, name="engagement_add"),
    path("cases/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("cases/<int:pk>/approve/", views.proceed_approve, name="proceed_approve"),
    path("cases/<int:pk>/market/events/add/", views.event_add, name="event_add"),
    path("cases/<int:pk>/market/events/<int:event_pk>/", views.event_detail, name="event_detail"),
    path("cases/<int:pk>/market/events/<int:event_pk>/questions/add/", views.question_add, name="question_add"),
    path("cases/<int:pk>/market/questions/<int:question_pk>/answer/", views.question_answer, name="question_answer"),
    path("cases/<int:pk>/market/notes/add/", views.market_note_add, name="market_note_add"),
    path("cases/<int:pk>/notices/<slug:kind>/", views.notice_record, name="notice_record"),
    path("cases/<int:pk>/specification/new/", views.specification_create, name="specification_create"),
    path("cases/<int:pk>/specification/<int:version>/", views.specification_detail, name="specification_detail"),
    path("cases/<int:pk>/specification/<int:version>/edit/", views.specification_edit, name="specification_edit"),
    path(
        "cases/<int:pk>/specification/<int:version>/kpis/add/",
        views.specification_kpi_add,
        name="specification_kpi_add",
    ),
    path(
        "cases/<int:pk>/specification/<int:version>/approve/",
        views.specification_approve,
        name="specification_approve",
    ),
    path("cases/<int:pk>/route/", views.route, name="route"),
    path("cases/<int:pk>/exemption/", views.exemption_request, name="exemption_request"),
    path("cases/<int:pk>/exemption/decide/", views.exemption_decide, name="exemption_decide"),
]
