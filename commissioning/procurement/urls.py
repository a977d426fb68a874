"""Priority commissioning's pages, one URL module per part (ADR 0004)."""

from commissioning.procurement import urls_suppliers, urls_tenders
from commissioning.procurement.urls_planning import urlpatterns as planning_patterns

app_name = "procurement"

urlpatterns = [*planning_patterns, *urls_tenders.urlpatterns, *urls_suppliers.urlpatterns]
