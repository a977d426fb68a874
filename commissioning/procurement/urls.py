"""Priority commissioning's pages, one URL module per part (ADR 0004)."""

from commissioning.procurement import urls_suppliers, urls_tenders

app_name = "procurement"

urlpatterns = [*urls_tenders.urlpatterns, *urls_suppliers.urlpatterns]
