from django.contrib import admin
from django.urls import include, path

from commissioning.monitoring.api import api

admin.site.site_header = "Configuration"
admin.site.site_title = "Configuration"

urlpatterns = [
    path("", include("commissioning.core.urls")),
    path("", include("commissioning.home.urls")),
    path("account/", include("commissioning.accounts.urls")),
    path("organisations/", include("commissioning.organisations.urls")),
    path("strategy/", include("commissioning.strategy.urls")),
    path("services/", include("commissioning.agreements.urls")),
    path("funds/", include("commissioning.funds.urls")),
    path("grants/", include("commissioning.grants.urls")),
    path("monitoring/", include("commissioning.monitoring.urls")),
    path("api/", api.urls),  # the provider API: /api/openapi.json, /api/docs
    path("reporting/", include("commissioning.reporting.urls")),
    path("", include("commissioning.transparency.urls")),
    path("procurement/evaluation/", include("commissioning.procurement.urls_evaluation")),
    path("open-data/", include("commissioning.transparency.urls_ocds")),
    path("procurement/", include("commissioning.procurement.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "commissioning.core.views.error_403"
handler404 = "commissioning.core.views.error_404"
handler500 = "commissioning.core.views.error_500"
