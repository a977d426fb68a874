"""Who may see and change monitoring: KPI definitions (administrators, in the configuration admin), each
service's KPIs and schedule (commissioning officers), and returns.

A provider sees and submits the returns of the services it delivers, and a partner reads those of the services
it co-funds (the same facts as agreements.rules); OPCC staff and auditors read every return; the commissioning
officers (commissioning manager, policy and commissioning officer) accept or query them. Police and Crime Panel
members read the register but not providers' returns (they see the Panel report). selectors.py scopes
querysets by the same facts.
"""

import rules

from commissioning.accounts.rules import (
    is_admin,
    is_auditor,
    is_commissioning_manager,
    is_commissioning_officer,
    is_opcc_staff,
    is_partner,
    is_provider,
)
from commissioning.agreements.rules import co_funds_service, provides_service
from commissioning.monitoring.models import KpiReturn, ServiceKpi
from commissioning.monitoring.review_models import DEFAULT_DECIDING_ROLE, StrategicReviewRule


def _service(obj):
    if isinstance(obj, (KpiReturn, ServiceKpi)):
        return obj.service
    return obj


@rules.predicate
def delivers(user, obj):
    return provides_service(user, None if obj is None else _service(obj))


@rules.predicate
def co_funds(user, obj):
    return co_funds_service(user, None if obj is None else _service(obj))


reads_every_return = is_opcc_staff | is_auditor

rules.add_perm("monitoring", is_admin)  # the app in the configuration admin
rules.add_perm("monitoring.view_kpidefinition", is_admin | is_auditor)
rules.add_perm("monitoring.view_ragrule", is_admin | is_auditor)
rules.add_perm("monitoring.view_funderkpi", is_admin | is_auditor)
for _action in ("add", "change", "delete"):
    rules.add_perm(f"monitoring.{_action}_kpidefinition", is_admin)
    rules.add_perm(f"monitoring.{_action}_ragrule", is_admin)
    rules.add_perm(f"monitoring.{_action}_funderkpi", is_admin)

# Objects are a service, one of its KPIs or one of its returns.
rules.add_perm("monitoring.view_returns", reads_every_return | (is_provider & delivers) | (is_partner & co_funds))
rules.add_perm("monitoring.manage_kpis", is_commissioning_officer)
rules.add_perm("monitoring.submit_return", is_provider & delivers)
rules.add_perm("monitoring.review_return", is_commissioning_officer)
rules.add_perm("monitoring.view_overdue", reads_every_return)
# The activity log names OPCC staff, so it is for the OPCC and its auditors.
rules.add_perm("monitoring.view_history", reads_every_return)


@rules.predicate
def token_of_own_organisation(user, token):
    """The API token belongs to the person's organisation (without a token: always)."""
    if token is None:
        return True
    return bool(getattr(user, "organisation_id", None)) and token.organisation_id == user.organisation_id


# A provider's own people create and revoke its API tokens (api_tokens.py); the OPCC never holds them.
rules.add_perm("monitoring.manage_api_tokens", is_provider & token_of_own_organisation)


# Strategic reviews, exits and contract management (issue 11, points 4 to 6; review_services.py).
@rules.predicate
def holds_deciding_role(user):
    """The person holds the role the profile names to decide strategic reviews (the PCC by default)."""
    from django.utils import timezone

    if not (user and user.is_authenticated and user.is_active):
        return False
    rule = StrategicReviewRule.objects.filter(effective_from__lte=timezone.localdate()).first()
    return user.role == (rule.deciding_role if rule else DEFAULT_DECIDING_ROLE)


@rules.predicate
def recommended_it(user, review):
    return review is not None and getattr(review, "recommended_by_id", None) == user.pk


rules.add_perm("monitoring.view_reviews", reads_every_return)
rules.add_perm("monitoring.carry_out_review", is_commissioning_officer)
rules.add_perm("monitoring.decide_review", holds_deciding_role & ~recommended_it)
rules.add_perm("monitoring.assess_contract", is_commissioning_officer)
rules.add_perm("monitoring.publish_assessment", is_commissioning_manager)
# Narratives and case studies: the provider writes them with its returns; whoever reads the return reads them.
rules.add_perm("monitoring.write_narrative", is_provider & delivers)
# Feedback (partners' views, service-user surveys) is recorded by the commissioning officers and read by the OPCC
# and its auditors: it may be frank about the provider.
rules.add_perm("monitoring.record_feedback", is_commissioning_officer)
rules.add_perm("monitoring.view_feedback", reads_every_return)
