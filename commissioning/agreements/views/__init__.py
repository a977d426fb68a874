"""Pages for the register of commissioned services, their agreements, co-funders and variations, and the
pre-year review of the Commissioner's Safety Fund.

Thin views: check permission, call one selector or service, render. A record the user may not see is a 404
(the selector decides); a change the user may not make is a 403.
"""

from commissioning.agreements.views.agreements import (
    agreement_activate,
    agreement_create,
    agreement_detail,
    agreement_edit,
    document_add,
    document_download,
    document_publish,
    variation_decide,
    variation_detail,
    variation_request,
)
from commissioning.agreements.views.money import agreement_commit
from commissioning.agreements.views.register import (
    cofunder_add,
    cofunder_edit,
    cofunder_remove,
    service_create,
    service_detail,
    service_edit,
    service_list,
    service_status,
)
from commissioning.agreements.views.reviews import (
    review_decide,
    review_detail,
    review_line_edit,
    review_list,
    review_prepare,
    review_submit,
)

__all__ = [
    "agreement_commit",
    "agreement_activate",
    "agreement_create",
    "agreement_detail",
    "agreement_edit",
    "cofunder_add",
    "cofunder_edit",
    "cofunder_remove",
    "document_add",
    "document_download",
    "document_publish",
    "review_decide",
    "review_detail",
    "review_line_edit",
    "review_list",
    "review_prepare",
    "review_submit",
    "service_create",
    "service_detail",
    "service_edit",
    "service_list",
    "service_status",
    "variation_decide",
    "variation_detail",
    "variation_request",
]
