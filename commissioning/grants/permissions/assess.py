"""Who may do what in assessment: eligibility checks, assigning assessors, declaring interests, scoring,
moderation, the ranked list and the panel's recommendation (issue 5, point 3).

Sources: DOMAIN.md, "Evaluation conventions": evaluators score independently after declaring interests, then
a moderation meeting agrees a consensus score; "Conflicts of interest must be identified, assessed and
mitigated for every person involved". The Commissioning Manager and Policy and Commissioning officers run
the assessment; evaluators and OPCC staff may be assessors.

Object-level predicates accept obj=None, so the same permission answers "may this person do this kind of
thing at all" (menus, links) and "may they do it to this record".
"""

import rules

from commissioning.accounts.rules import (
    is_auditor,
    is_commissioning_officer,
    is_evaluator,
    is_opcc_staff,
)
from commissioning.evaluation import rules as evaluation_rules

# Who may be asked to assess: evaluators and OPCC staff.
is_possible_assessor = is_evaluator | is_opcc_staff


# The shared evaluation predicates (ADR 0015).
is_own_assignment = evaluation_rules.is_own_assignment
has_declared_no_conflict = evaluation_rules.has_declared_no_conflict
is_awaiting_declaration = evaluation_rules.is_awaiting_declaration


@rules.predicate
def is_not_involved_assessor(user, application):
    """An officer who is an assessor of the application may moderate or recommend it only once their own scores
    are in, and never when they declared a conflict."""
    return evaluation_rules.not_involved(user, application)


@rules.predicate
def has_no_undeclared_assignment(user, application):
    """The person is not an assessor of the application who has yet to declare, or who declared a conflict.
    For pages outside assessment that show an application to OPCC staff (combine with &)."""
    return evaluation_rules.no_undeclared_assignment(user, application)


# Evaluators' own menu entry (staff reach their assessments from the grants pages).
rules.add_perm("grants.assessor_menu", is_evaluator)
# An officer who is themselves an undeclared or conflicted assessor of an application sees none of it here.
rules.add_perm("grants.check_eligibility", is_commissioning_officer & has_no_undeclared_assignment)
rules.add_perm("grants.assign_assessors", is_commissioning_officer & has_no_undeclared_assignment)
# Progress shows who has declared and scored, never the scores; auditors read everything.
rules.add_perm("grants.view_assessment_progress", is_commissioning_officer | is_auditor)
rules.add_perm("grants.moderate", is_commissioning_officer & is_not_involved_assessor)
rules.add_perm("grants.recommend", is_commissioning_officer & is_not_involved_assessor)
rules.add_perm("grants.view_my_assessments", is_possible_assessor)
rules.add_perm("grants.declare_interest", is_possible_assessor & is_own_assignment & is_awaiting_declaration)
rules.add_perm("grants.assess_application", is_possible_assessor & is_own_assignment & has_declared_no_conflict)
rules.add_perm("grants.view_ranking", is_opcc_staff | is_auditor)
