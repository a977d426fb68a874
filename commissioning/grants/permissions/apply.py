"""Who may see and run grant rounds, and who may apply (issue 5, points 1 and 2).

Sources: DOMAIN.md "Who uses it": the Commissioning Manager and Policy and Commissioning officers run
rounds; auditors read everything and change nothing; Panel members and evaluators see the rounds; an
applicant acts for its own organisation only. Evaluators see applications only through the assessment
part's own rule (`grants.assess_application`), after declaring their interests, so not here.

Object-level predicates accept obj=None, so one permission answers both "may this person do this kind of
thing at all" (menus, list pages) and "may they do it to this record". Selectors scope querysets by the same
facts.
"""

import rules

from commissioning.accounts.rules import (
    is_applicant,
    is_auditor,
    is_commissioning_officer,
    is_evaluator,
    is_opcc_staff,
    is_panel_member,
)
from commissioning.grants.permissions.assess import has_no_undeclared_assignment


@rules.predicate
def applies_for_organisation(user, application):
    """The application is the person's organisation's (without an object: they belong to one)."""
    if not getattr(user, "organisation_id", None):
        return False
    return application is None or application.organisation_id == user.organisation_id


@rules.predicate
def is_draft(user, application):
    """The application has not been submitted yet (without an object: always)."""
    return application is None or application.status == "draft"


can_view_rounds = is_opcc_staff | is_auditor | is_panel_member | is_evaluator
can_view_all_applications = is_opcc_staff | is_auditor

rules.add_perm("grants.view_rounds", can_view_rounds)
rules.add_perm("grants.manage_rounds", is_commissioning_officer)
rules.add_perm("grants.apply", is_applicant)
rules.add_perm("grants.view_applications", can_view_all_applications)
# Staff asked to assess an application cannot read it here before declaring their interests (DOMAIN.md,
# "Evaluation conventions"); the assessment part's predicate says so.
rules.add_perm(
    "grants.view_application",
    (can_view_all_applications & has_no_undeclared_assignment) | (is_applicant & applies_for_organisation),
)
# Changing a draft: only its own organisation's applicants. Whether the round is still open is a rule the
# services state in words ("This round closed at ..."), not a permission.
rules.add_perm("grants.change_application", is_applicant & applies_for_organisation & is_draft)
# The officers' activity log names OPCC staff, so it is for the OPCC and its auditors.
rules.add_perm("grants.view_application_history", can_view_all_applications)
