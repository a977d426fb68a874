"""Rounds (staff), the public pages of open rounds, registering, and the application journey (issue 5,
points 1 and 2)."""

from django.urls import path, re_path

from commissioning.grants.views import apply, draft, rounds

# The application's sections, in task-list order (selectors/applications.py SECTIONS).
SECTION = r"(?P<section>organisation|project|priorities|budget|attachments)"

urlpatterns = [
    # Rounds, for staff.
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/add/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/publish/", rounds.round_publish, name="round_publish"),
    path("rounds/<int:pk>/questions/add/", rounds.question_add, name="question_add"),
    path("rounds/<int:pk>/questions/<int:question_pk>/edit/", rounds.question_edit, name="question_edit"),
    path("rounds/<int:pk>/questions/<int:question_pk>/remove/", rounds.question_remove, name="question_remove"),
    path("rounds/<int:pk>/criteria/add/", rounds.criterion_add, name="criterion_add"),
    path("rounds/<int:pk>/criteria/<int:criterion_pk>/edit/", rounds.criterion_edit, name="criterion_edit"),
    path("rounds/<int:pk>/criteria/<int:criterion_pk>/remove/", rounds.criterion_remove, name="criterion_remove"),
    # Public pages.
    path("open/", apply.open_rounds, name="open_rounds"),
    path("open/<int:pk>/", apply.round_public, name="round_public"),
    path("open/<int:pk>/terms/", apply.terms, name="terms"),
    # Applicants.
    path("apply/register/", apply.applicant_register, name="applicant_register"),
    path("apply/register/sent/", apply.applicant_register_sent, name="applicant_register_sent"),
    path("apply/confirm/<uidb64>/<token>/", apply.applicant_confirm, name="applicant_confirm"),
    path("apply/<int:pk>/start/", apply.application_start, name="application_start"),
    path("my-applications/", apply.application_list_mine, name="application_list_mine"),
    path("my-applications/<int:pk>/", draft.application_tasks, name="application_tasks"),
    re_path(rf"^my-applications/(?P<pk>[0-9]+)/{SECTION}/$", draft.application_section, name="application_section"),
    path(
        "my-applications/<int:pk>/attachments/<int:attachment_pk>/remove/",
        draft.attachment_remove,
        name="attachment_remove",
    ),
    path("my-applications/<int:pk>/check-answers/", draft.application_check, name="application_check"),
    path("my-applications/<int:pk>/declaration/", draft.application_declaration, name="application_declaration"),
    path("my-applications/<int:pk>/submitted/", draft.application_confirmation, name="application_confirmation"),
    # Applications, read by staff (and by the applicant, their own).
    path("applications/", apply.application_list, name="application_list"),
    path("applications/<int:pk>/", apply.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        apply.attachment_download,
        name="attachment_download",
    ),
]
