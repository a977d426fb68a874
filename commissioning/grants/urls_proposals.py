"""One-off proposals (issue 5, point 6) and Local Innovation Fund prioritisation (point 7), under /grants/."""

from django.urls import path

from commissioning.grants.views import innovation, proposals

urlpatterns = [
    path("proposals/", proposals.approach_list, name="approach_list"),
    path("proposals/log/", proposals.approach_log, name="approach_log"),
    path("proposals/<int:pk>/", proposals.approach_detail, name="approach_detail"),
    path("proposals/<int:pk>/triage/", proposals.approach_triage, name="approach_triage"),
    path("proposals/<int:pk>/proposal-form/", proposals.proposal_form, name="proposal_form"),
    path("proposals/<int:pk>/assess/", proposals.proposal_assess, name="proposal_assess"),
    path("proposals/<int:pk>/decide/", proposals.proposal_decide, name="proposal_decide"),
    path("innovation/", innovation.prioritisation_list, name="prioritisation_list"),
    path("innovation/prioritise/", innovation.prioritisation_create, name="prioritisation_create"),
    path("innovation/<int:pk>/", innovation.prioritisation_detail, name="prioritisation_detail"),
    path(
        "innovation/<int:pk>/entries/<int:entry_pk>/override/",
        innovation.prioritisation_override,
        name="prioritisation_override",
    ),
    path("innovation/<int:pk>/recalculate/", innovation.prioritisation_recalculate, name="prioritisation_recalculate"),
    path("innovation/<int:pk>/approve/", innovation.prioritisation_approve, name="prioritisation_approve"),
    path("innovation/candidates/", innovation.candidate_list, name="candidate_list"),
    path("innovation/candidates/add/", innovation.candidate_create, name="candidate_create"),
    path("innovation/candidates/<int:pk>/edit/", innovation.candidate_edit, name="candidate_edit"),
    path("innovation/weights/", innovation.innovation_weights, name="innovation_weights"),
]
