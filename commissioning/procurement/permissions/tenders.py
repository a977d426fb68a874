"""Who may run quotes and tenders, who may bid, and who may read a sealed bid (issue 10, points 5 and 6).

Sources: DOMAIN.md "Who uses it" (the Commissioning Manager runs tenders, Policy and Commissioning officers help;
auditors read everything and change nothing) and "Evaluation conventions" (bids stay sealed until the deadline).
A supplier acts for its own organisation only.

Reading a bid's sealed content is decided first by `selectors.bids.bid_envelope_for`, which refuses anyone but the
bid's own supplier until the bids are opened, whatever their permissions; `procurement.view_bid_content` below says
who, after the opening, may read it. Object-level predicates accept obj=None ("may they at all").
"""

import rules

from commissioning.accounts.roles import Role
from commissioning.accounts.rules import (
    has_role,
    is_auditor,
    is_commissioning_officer,
    is_opcc_staff,
)

is_supplier = has_role(Role.SUPPLIER)
# Officers who may attend a bid opening (standing orders: two officers), not the system administrator.
is_opening_officer = has_role(
    Role.COMMISSIONING_MANAGER,
    Role.POLICY_OFFICER,
    Role.FINANCE_OFFICER,
    Role.CFO,
    Role.CHIEF_EXECUTIVE,
    Role.DIRECTOR_OPERATIONS,
)


@rules.predicate
def bids_for_organisation(user, bid):
    """The bid is the person's organisation's (without an object: they belong to one)."""
    if not getattr(user, "organisation_id", None):
        return False
    return bid is None or bid.organisation_id == user.organisation_id


@rules.predicate
def bid_is_opened(user, bid):
    """The bid's tender has been opened (without an object: no)."""
    return bid is not None and bid.tender.status == "opened"


can_view_tenders = is_opcc_staff | is_auditor

rules.add_perm("procurement.view_tenders", can_view_tenders)
rules.add_perm("procurement.manage_tenders", is_commissioning_officer)
rules.add_perm("procurement.view_quotes", can_view_tenders)
rules.add_perm("procurement.manage_quotes", is_commissioning_officer)
rules.add_perm("procurement.open_bids", is_opening_officer)
rules.add_perm("procurement.bid", is_supplier)
rules.add_perm("procurement.view_own_bid", is_supplier & bids_for_organisation)
# After the opening: the officers who may attend an opening, and the auditor (not the system administrator). The
# evaluation part adds evaluators through its own rule (a declaration of interests first).
rules.add_perm(
    "procurement.view_bid_content",
    (is_supplier & bids_for_organisation) | (bid_is_opened & (is_opening_officer | is_auditor)),
)
