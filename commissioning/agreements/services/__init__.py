"""Every write to the register of commissioned services, their agreements, co-funders and variations, and to
the pre-year review of the Commissioner's Safety Fund (issue 4, points 3 and 5; seed, Section 3).

Each function takes keyword arguments and the acting person, checks their permission (rules.py), runs in one
transaction, validates with full_clean before saving and leaves who and why on the history rows
(django-simple-history). Rules people can act on are raised as ValidationError against the form field.
"""

from commissioning.agreements.services.agreements import (
    agreement_activate,
    agreement_create,
    agreement_document_add,
    agreement_document_publish,
    agreement_update,
)
from commissioning.agreements.services.exits import (
    EXIT_CARRIES_OUT,
    agreement_exit_complete,
    agreement_exit_start,
    exit_end_date,
)
from commissioning.agreements.services.register import (
    AGREEMENT_FIELDS,
    LOCKED_ONCE_ACTIVE,
    SERVICE_FIELDS,
    SERVICE_M2M,
    SERVICE_STATUS_CHANGES,
    UPLOAD_SETTING,
    cofunder_add,
    cofunder_remove,
    cofunder_update,
    cofunding_for,
    service_create,
    service_status_change,
    service_update,
)
from commissioning.agreements.services.reviews import (
    safety_fund_review_adjust_line,
    safety_fund_review_decide,
    safety_fund_review_prepare,
    safety_fund_review_submit,
)
from commissioning.agreements.services.variations import variation_decide, variation_request

__all__ = [
    "EXIT_CARRIES_OUT",
    "agreement_exit_complete",
    "agreement_exit_start",
    "exit_end_date",
    "AGREEMENT_FIELDS",
    "LOCKED_ONCE_ACTIVE",
    "SERVICE_FIELDS",
    "SERVICE_M2M",
    "SERVICE_STATUS_CHANGES",
    "UPLOAD_SETTING",
    "agreement_activate",
    "agreement_create",
    "agreement_document_add",
    "agreement_document_publish",
    "agreement_update",
    "cofunder_add",
    "cofunder_remove",
    "cofunder_update",
    "cofunding_for",
    "safety_fund_review_adjust_line",
    "safety_fund_review_decide",
    "safety_fund_review_prepare",
    "safety_fund_review_submit",
    "service_create",
    "service_status_change",
    "service_update",
    "variation_decide",
    "variation_request",
]
