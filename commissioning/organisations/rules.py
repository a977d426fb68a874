"""Who may see and change organisations, partnership boards and non-financial commissioning activities.

Sources: DOMAIN.md "Who uses it" (auditors and Panel members read, they change nothing; a partner,
provider or applicant acts for its own organisation only) and issue 3 point 5. Object-level predicates
accept obj=None, so one permission answers both "may this person do this kind of thing at all" (menus,
list pages) and "may they do it to this record". Selectors scope querysets by the same facts.
"""

import rules

from commissioning.accounts.rules import (
    is_admin,
    is_applicant,
    is_auditor,
    is_commissioning_officer,
    is_opcc_staff,
    is_panel_member,
    is_partner,
    is_provider,
)


@rules.predicate
def acts_for_organisation(user, organisation):
    """The person belongs to this organisation (without an object: to any organisation)."""
    if not getattr(user, "organisation_id", None):
        return False
    return organisation is None or organisation.pk == user.organisation_id


@rules.predicate
def sits_on_board(user, board):
    """The person's organisation chairs or is a member of the board (without an object: always)."""
    if board is None:
        return True
    if not getattr(user, "organisation_id", None):
        return False
    # .all() uses the selector's prefetch when there is one.
    return board.chair_id == user.organisation_id or any(
        member.pk == user.organisation_id for member in board.members.all()
    )


@rules.predicate
def is_partner_on_activity(user, activity):
    """The person's organisation is a partner on the activity (without an object: always)."""
    if activity is None:
        return True
    if not getattr(user, "organisation_id", None):
        return False
    return any(partner.pk == user.organisation_id for partner in activity.partners.all())


is_outside_user = is_partner | is_provider | is_applicant
can_view_directory = is_opcc_staff | is_auditor | is_panel_member
# Commissioning Manager and Policy & Commissioning officer keep partner records; the administrator too.
can_change = is_commissioning_officer | is_admin

rules.add_perm("organisations.view_directory", can_view_directory)
rules.add_perm("organisations.view_organisation", can_view_directory | (is_outside_user & acts_for_organisation))
rules.add_perm("organisations.change_organisation", can_change)

rules.add_perm("organisations.view_board", is_opcc_staff | is_auditor | (is_partner & sits_on_board))
rules.add_perm("organisations.change_board", can_change)

rules.add_perm("organisations.view_activity", is_opcc_staff | is_auditor | (is_partner & is_partner_on_activity))
rules.add_perm("organisations.change_activity", can_change)

# The activity log names OPCC staff, so it is for the OPCC and its auditors.
rules.add_perm("organisations.view_history", is_opcc_staff | is_auditor)
