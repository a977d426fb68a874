"""Who may see and change the register of commissioned services, their agreements and the pre-year review.

Sources: DOMAIN.md "Who uses it" (a partner sees the services it co-funds, a provider its own services only;
the PCC approves variations; the CFO, for the Senior Management Team, approves the pre-year review of the
Commissioner's Safety Fund; auditors and Panel members read and change nothing) and issue 4, points 3 and 5.
Object-level predicates accept obj=None, so one permission answers both "may this person do this kind of thing
at all" (menus, list pages) and "may they do it to this record". selectors.py scopes querysets by the same facts.
"""

import rules

from commissioning.accounts.roles import Role
from commissioning.accounts.rules import (
    has_role,
    is_auditor,
    is_commissioning_manager,
    is_commissioning_officer,
    is_finance_officer,
    is_opcc_staff,
    is_panel_member,
    is_partner,
    is_pcc,
    is_provider,
    is_smt,
)
from commissioning.agreements.models import Agreement, AgreementDocument, AgreementVariation, CoFunder, Service

is_cfo = has_role(Role.CFO)


def _service_of(obj) -> Service:
    """The service a service, co-funder, agreement, variation or document belongs to."""
    if isinstance(obj, (AgreementVariation, AgreementDocument)):
        return obj.agreement.service
    if isinstance(obj, (Agreement, CoFunder)):
        return obj.service
    return obj


@rules.predicate
def provides_service(user, obj):
    """The person's organisation delivers the service (without an object: always)."""
    if obj is None:
        return True
    if not getattr(user, "organisation_id", None):
        return False
    return _service_of(obj).provider_id == user.organisation_id


@rules.predicate
def co_funds_service(user, obj):
    """The person's organisation pays a share of the service (without an object: always)."""
    if obj is None:
        return True
    if not getattr(user, "organisation_id", None):
        return False
    # .all() uses the selector's prefetch when there is one.
    return any(share.organisation_id == user.organisation_id for share in _service_of(obj).co_funders.all())


@rules.predicate
def requested_it(user, variation):
    """The person asked for this variation; they may not also approve it."""
    return variation is not None and variation.requested_by_id == user.pk


sees_whole_register = is_opcc_staff | is_auditor | is_panel_member
sees_own_services = (is_partner & co_funds_service) | (is_provider & provides_service)

rules.add_perm("agreements.view_register", sees_whole_register | is_partner | is_provider)
rules.add_perm("agreements.view_service", sees_whole_register | sees_own_services)
# Signed agreements and their schedules can hold commercial and personal details: the OPCC, its auditors and
# the organisations party to the service, not the Panel (which reads the register and its reports).
rules.add_perm("agreements.view_document", is_opcc_staff | is_auditor | sees_own_services)
rules.add_perm("agreements.change_service", is_commissioning_officer)
rules.add_perm("agreements.manage_agreement", is_commissioning_manager | is_finance_officer)
# The CFO may raise a variation too (a value change found in the accounts); the PCC then decides it.
rules.add_perm("agreements.request_variation", is_commissioning_manager | is_finance_officer | is_cfo)
rules.add_perm("agreements.decide_variation", (is_pcc | is_cfo) & ~requested_it)
# Ending or terminating an agreement (issue 11, point 5): the Commissioning Manager, or the CFO.
rules.add_perm("agreements.end_agreement", is_commissioning_manager | is_cfo)
rules.add_perm("agreements.view_review", is_opcc_staff | is_auditor)
rules.add_perm("agreements.prepare_review", is_finance_officer | is_commissioning_manager)
# The CFO, or the Chief Executive or Director of Operations for the Senior Management Team (seed, Section 3).
rules.add_perm("agreements.decide_review", is_smt)
# The activity log names OPCC staff, so it is for the OPCC and its auditors.
rules.add_perm("agreements.view_history", is_opcc_staff | is_auditor)
