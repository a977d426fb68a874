"""The register of commissioned services (issue 4, point 3) and the pre-year review (issue 4, point 5)."""

from django.urls import path

from commissioning.agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("add/", views.service_create, name="service_create"),
    path("<int:pk>/", views.service_detail, name="service_detail"),
    path("<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("<int:pk>/status/", views.service_status, name="service_status"),
    path("<int:pk>/co-funders/add/", views.cofunder_add, name="cofunder_add"),
    path("<int:pk>/co-funders/<int:cofunder_pk>/edit/", views.cofunder_edit, name="cofunder_edit"),
    path("<int:pk>/co-funders/<int:cofunder_pk>/remove/", views.cofunder_remove, name="cofunder_remove"),
    path("<int:pk>/agreements/add/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/commit-money/", views.agreement_commit, name="agreement_commit"),
    path("agreements/<int:pk>/activate/", views.agreement_activate, name="agreement_activate"),
    path("agreements/<int:pk>/documents/add/", views.document_add, name="document_add"),
    path("agreements/<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("agreements/<int:pk>/documents/<int:document_pk>/publish/", views.document_publish, name="document_publish"),
    path("agreements/<int:pk>/variations/add/", views.variation_request, name="variation_request"),
    path("agreements/<int:pk>/variations/<int:number>/", views.variation_detail, name="variation_detail"),
    path("agreements/<int:pk>/variations/<int:number>/decide/", views.variation_decide, name="variation_decide"),
    # Pre-year review of the Commissioner's Safety Fund (seed, Section 3).
    path("safety-fund-reviews/", views.review_list, name="review_list"),
    path("safety-fund-reviews/prepare/", views.review_prepare, name="review_prepare"),
    path("safety-fund-reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("safety-fund-reviews/<int:pk>/lines/<int:line_pk>/", views.review_line_edit, name="review_line_edit"),
    path("safety-fund-reviews/<int:pk>/submit/", views.review_submit, name="review_submit"),
    path("safety-fund-reviews/<int:pk>/decide/", views.review_decide, name="review_decide"),
]
