"""Decisions and awards (issue 5, points 4 and 5): the PCC's decision on a round or an application, the award
letter, accepting or declining, the end-of-grant report, its review and asking for money back."""

from django.urls import path

from commissioning.grants.views import awards as views

urlpatterns = [
    path("decisions/rounds/<int:pk>/", views.round_decision, name="round_decision"),
    path("decisions/applications/<int:pk>/", views.application_decision, name="application_decision"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/<int:pk>/", views.award_detail, name="award_detail"),
    path("awards/<int:pk>/letter/", views.award_letter, name="award_letter"),
    path("awards/<int:pk>/accept/", views.award_accept, name="award_accept"),
    path("awards/<int:pk>/decline/", views.award_decline, name="award_decline"),
    path("awards/<int:pk>/report/", views.report_edit, name="report_edit"),
    path("awards/<int:pk>/report/send/", views.report_submit, name="report_submit"),
    path("awards/<int:pk>/report/review/", views.report_review, name="report_review"),
    path("awards/<int:pk>/repayment/", views.award_repayment_request, name="award_repayment_request"),
]
