"""Assessment (issue 5, point 3): eligibility, assessors, declarations of interest, scoring, moderation, the
ranked list and the panel's recommendation. Included under /grants/ with the app's other parts."""

from django.urls import path

from commissioning.grants.views import assess as views

urlpatterns = [
    # Officers
    path("assessment/", views.assessment_index, name="assessment_index"),
    path("assessment/rounds/<int:pk>/", views.assessment_round, name="assessment_round"),
    path("assessment/rounds/<int:pk>/ranking/", views.round_ranking, name="round_ranking"),
    path("assessment/applications/<int:pk>/eligibility/", views.eligibility_check, name="eligibility_check"),
    path("assessment/applications/<int:pk>/assessors/", views.assessor_assign, name="assessor_assign"),
    path("assessment/applications/<int:pk>/moderation/", views.moderation, name="moderation"),
    path(
        "assessment/applications/<int:pk>/recommendation/",
        views.application_recommend,
        name="application_recommend",
    ),
    # Assessors
    path("assessment/mine/", views.my_assessments, name="my_assessments"),
    path("assessment/mine/<int:pk>/declare/", views.assessment_declare, name="assessment_declare"),
    path("assessment/mine/<int:pk>/score/", views.assessment_score, name="assessment_score"),
    path(
        "assessment/mine/<int:pk>/documents/<int:attachment_pk>/",
        views.assessment_attachment,
        name="assessment_attachment",
    ),
]
