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

# Who may be asked to assess: evaluators and OPCC staff.
is_possible_assessor = is_evaluator | is_opcc_staff


@rules.predicate
def is_own_assignment(user, assignment):
    return assignment is None or assignment.assessor_id == user.pk


@rules.predicate
def has_declared_no_conflict(user, assignment):
    return assignment is None or assignment.declaration == "none"


@rules.predicate
def is_awaiting_declaration(user, assignment):
    return assignment is None or assignment.declaration == "pending"


@rules.predicate
def is_not_involved_assessor(user, application):
    """An officer who is an assessor of the application may moderate or recommend it only once their own scores
    are in, and never when they declared a conflict: no one sees the others' scores before their own are
    submitted, and a conflicted person takes no part."""
    if application is None:
        return True
    return (
        not application.assignments.filter(assessor_id=user.pk)
        .exclude(declaration="none", submitted_at__isnull=False)
        .exists()
    )


@rules.predicate
def has_no_undeclared_assignment(user, application):
    """The person is not an assessor of the application who has yet to declare, or who declared a conflict.
    For pages outside assessment that show an application to OPCC staff, so that staff asked to assess cannot
    read it there before declaring (combine with &)."""
    if not hasattr(application, "assignments") or not getattr(user, "is_authenticated", False):
        return True  # no application given (e.g. a whole round): nothing of one application is shown
    return not application.assignments.filter(assessor_id=user.pk).exclude(declaration="none").exists()


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
