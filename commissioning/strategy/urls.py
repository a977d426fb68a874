from django.urls import path

from commissioning.strategy import views

app_name = "strategy"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("pillars/<int:pk>/edit/", views.pillar_edit, name="pillar_edit"),
    path("pillars/<int:pk>/priorities/add/", views.priority_create, name="priority_create"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority_edit"),
    path("documents/add/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/versions/add/", views.version_create, name="version_create"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/submit/", views.version_submit, name="version_submit"),
    path("versions/<int:pk>/sign/", views.version_sign, name="version_sign"),
    path("versions/<int:pk>/variations/add/", views.variation_create, name="variation_create"),
    path("variations/<int:pk>/", views.variation_detail, name="variation_detail"),
    path("variations/<int:pk>/share/", views.variation_share, name="variation_share"),
    path("variations/<int:pk>/sign/", views.variation_sign, name="variation_sign"),
    path("variations/<int:pk>/withdraw/", views.variation_withdraw, name="variation_withdraw"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/add/", views.decision_create, name="decision_create"),
    path("decisions/search/", views.decision_search, name="decision_search"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
]
