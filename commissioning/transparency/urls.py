"""Public pages and open data, mounted at the site's root: /transparency/... and /open-data/360giving.json."""

from django.urls import path

from commissioning.transparency.views import public

app_name = "transparency"

urlpatterns = [
    path("transparency/", public.index, name="index"),
    path("transparency/grants/", public.grants, name="grants"),
    path("transparency/contracts/", public.contracts, name="contracts"),
    path("transparency/contracts/<int:pk>/documents/<int:document_pk>/", public.document, name="contract_document"),
    path("transparency/funding/", public.funding, name="funding"),
    path("transparency/decisions/", public.decisions, name="decisions"),
    path("transparency/decisions/<int:pk>/", public.decision, name="decision"),
    path("open-data/360giving.json", public.giving_json, name="giving_json"),
]
