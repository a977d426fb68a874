"""Who may do what with one-off proposals and the Local Innovation Fund prioritisation (issue 5, points 6 and 7).

Sources: the seed, Section 3. "One-Off Grant Making": approaches reach OPCC staff, all go to the Commissioning
Manager, who asks the organisation for a Proposal Form, assesses it and recommends to the PCC and the Senior
Management Team for the final decision. "Local Innovation Fund": the Policy and Commissioning Team reviews
potential projects; budgets are approved by the Chief Finance Officer (or the PCC). DOMAIN.md "Who uses it":
auditors read everything and change nothing; a partner, provider or applicant acts only for its own
organisation.

Object-level predicates accept obj=None, so one permission answers both "may this person do this kind of thing
at all" (menus, links) and "may they do it to this record". selectors/proposals.py scopes querysets by the same
facts.
"""

import rules

from commissioning.accounts.roles import Role
from commissioning.accounts.rules import (
    has_role,
    is_admin,
    is_applicant,
    is_auditor,
    is_commissioning_manager,
    is_commissioning_officer,
    is_opcc_staff,
    is_partner,
    is_pcc,
    is_provider,
)

is_cfo = has_role(Role.CFO)
is_outside_user = is_partner | is_provider | is_applicant

# Statuses in which the organisation has been asked for (or has sent) its Proposal Form.
INVITED_OR_LATER = frozenset({"invited", "proposal_received", "assessed", "approved", "rejected"})


@rules.predicate
def acts_for_approach_organisation(user, approach):
    """The person belongs to the organisation that made the approach (without an object: always)."""
    if approach is None:
        return True
    organisation_id = getattr(user, "organisation_id", None)
    return bool(organisation_id) and approach.organisation_id == organisation_id


@rules.predicate
def has_been_invited(user, approach):
    """The Commissioning Manager has invited a Proposal Form (without an object: always)."""
    return approach is None or approach.status in INVITED_OR_LATER


# One-off proposals.
rules.add_perm("grants.log_approach", is_opcc_staff)
rules.add_perm("grants.view_approaches", is_opcc_staff | is_auditor)
rules.add_perm("grants.triage_approach", is_commissioning_manager)
rules.add_perm(
    "grants.complete_proposal",
    is_opcc_staff | (is_outside_user & acts_for_approach_organisation & has_been_invited),
)
rules.add_perm("grants.assess_proposal", is_commissioning_manager)
rules.add_perm("grants.decide_proposal", is_pcc)

# Local Innovation Fund.
rules.add_perm("grants.view_prioritisation", is_opcc_staff | is_auditor)
rules.add_perm("grants.manage_prioritisation", is_commissioning_officer)
rules.add_perm("grants.approve_prioritisation", is_cfo | is_pcc)
# The weights are configuration with an effective date (ARCHITECTURE.md): administrators keep configuration,
# and the Commissioning Manager runs the review that uses them.
rules.add_perm("grants.change_innovation_weights", is_admin | is_commissioning_manager)
