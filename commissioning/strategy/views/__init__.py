"""Views for the plan, the commissioning strategy and decision records: thin, one service or selector each."""

from commissioning.strategy.views.decisions import decision_create, decision_detail, decision_list, decision_search
from commissioning.strategy.views.documents import (
    document_create,
    document_detail,
    variation_create,
    variation_detail,
    variation_share,
    variation_sign,
    variation_withdraw,
    version_create,
    version_detail,
    version_edit,
    version_sign,
    version_submit,
)
from commissioning.strategy.views.plan import index, pillar_edit, plan_edit, priority_create, priority_edit

__all__ = [
    "decision_search",
    "decision_create",
    "decision_detail",
    "decision_list",
    "document_create",
    "document_detail",
    "index",
    "pillar_edit",
    "plan_edit",
    "priority_create",
    "priority_edit",
    "variation_create",
    "variation_detail",
    "variation_share",
    "variation_sign",
    "variation_withdraw",
    "version_create",
    "version_detail",
    "version_edit",
    "version_sign",
    "version_submit",
]
