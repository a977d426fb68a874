"""Strategic reviews, exits and large contracts (issue 11, points 4 to 6), in the monitoring namespace. Named
strategic_review_* so they never clash with the Safety Fund review's agreements:review_* pages."""

from django.urls import path

from commissioning.monitoring import review_views as views

urlpatterns = [
    path("reviews/", views.strategic_review_list, name="strategic_review_list"),
    path("reviews/agreements/<int:pk>/start/", views.strategic_review_start, name="strategic_review_start"),
    path("reviews/<int:pk>/", views.strategic_review_detail, name="strategic_review_detail"),
    path("reviews/<int:pk>/findings/", views.strategic_review_edit, name="strategic_review_edit"),
    path("reviews/<int:pk>/submit/", views.strategic_review_submit, name="strategic_review_submit"),
    path("reviews/<int:pk>/decide/", views.strategic_review_decide, name="strategic_review_decide"),
    path("agreements/<int:pk>/exit/", views.agreement_exit_start, name="agreement_exit_start"),
    path("exits/<int:pk>/", views.agreement_exit_detail, name="agreement_exit_detail"),
    path("exits/<int:pk>/complete/", views.agreement_exit_complete, name="agreement_exit_complete"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/<int:pk>/assess/", views.contract_assess, name="contract_assess"),
    path("assessments/<int:pk>/publish/", views.assessment_publish, name="assessment_publish"),
]
