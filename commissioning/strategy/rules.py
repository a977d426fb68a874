"""Who may do what with the plan, the commissioning strategy and decision records.

Sources: the seed's Section 6 ("Sign Off": PCC, Chief Executive, CFO, Director of Operations) and
DOMAIN.md ("Who uses it", "Governance"). Auditors and Police and Crime Panel members read; they never
change anything. Object-level predicates accept obj=None so the same permission answers "may this
person do this kind of thing at all" (menus, links) and "may they do it to this record".
"""

import rules

from commissioning.accounts.roles import Role
from commissioning.accounts.rules import (
    has_role,
    is_admin,
    is_auditor,
    is_commissioning_manager,
    is_commissioning_officer,
    is_opcc_staff,
    is_panel_member,
    is_pcc,
    is_signatory,
    is_signed_in,
)

is_chief_executive = has_role(Role.CHIEF_EXECUTIVE)


@rules.predicate
def is_draft_version(user, version):
    return version is None or version.status == "draft"


@rules.predicate
def is_version_in_force(user, version):
    return version is None or version.status == "signed"


@rules.predicate
def is_open_variation(user, variation):
    """A variation may be withdrawn until it takes effect."""
    return variation is None or variation.status in ("draft", "awaiting_sign_off")


@rules.predicate
def is_publishable_decision(user, decision):
    return decision is None or decision.publishable


can_read_strategy = is_opcc_staff | is_auditor | is_panel_member

rules.add_perm("strategy.view_plan", is_signed_in)
rules.add_perm("strategy.change_plan", is_admin | is_commissioning_manager)
rules.add_perm("strategy.add_document", is_admin | is_commissioning_manager)
rules.add_perm("strategy.view_strategy", can_read_strategy)
rules.add_perm("strategy.draft_version", is_commissioning_officer)
rules.add_perm("strategy.change_version", is_commissioning_officer & is_draft_version)
rules.add_perm("strategy.submit_version", is_commissioning_manager)
rules.add_perm("strategy.sign", is_signatory)
rules.add_perm("strategy.raise_variation", is_commissioning_manager & is_version_in_force)
rules.add_perm("strategy.withdraw_variation", is_commissioning_manager & is_open_variation)
# Panel members see only decisions that are published; OPCC staff and auditors see all.
rules.add_perm(
    "strategy.view_decisionrecord",
    is_opcc_staff | is_auditor | (is_panel_member & is_publishable_decision),
)
rules.add_perm("strategy.add_decisionrecord", is_pcc | is_commissioning_manager | is_chief_executive)
