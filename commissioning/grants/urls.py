"""Grants pages, one URL module per part: applying (and rounds), assessing, decisions and awards, one-off
proposals and the Local Innovation Fund."""

from commissioning.grants.urls_apply import urlpatterns as apply_patterns
from commissioning.grants.urls_assess import urlpatterns as assess_patterns
from commissioning.grants.urls_awards import urlpatterns as award_patterns
from commissioning.grants.urls_proposals import urlpatterns as proposal_patterns

app_name = "grants"
urlpatterns = [*apply_patterns, *assess_patterns, *award_patterns, *proposal_patterns]
