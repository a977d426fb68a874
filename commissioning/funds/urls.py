"""Funds pages (urls_pages.py) and reporting: dashboard, exports and imports (urls_reporting.py)."""

from commissioning.funds.urls_pages import urlpatterns as page_patterns
from commissioning.funds.urls_reporting import urlpatterns as reporting_patterns

app_name = "funds"
urlpatterns = [*page_patterns, *reporting_patterns]
