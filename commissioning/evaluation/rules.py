"""Predicates every evaluation shares (ADR 0015): an assessor works only on their own assignment, opens it only
after declaring no conflict, and declares once. Routes combine them with their own roles in their rules."""

import rules


@rules.predicate
def is_own_assignment(user, assignment):
    return assignment is None or assignment.assessor_id == user.pk


@rules.predicate
def has_declared_no_conflict(user, assignment):
    return assignment is None or assignment.declaration == "none"


@rules.predicate
def is_awaiting_declaration(user, assignment):
    return assignment is None or assignment.declaration == "pending"


def not_involved(user, subject, *, related: str = "assignments") -> bool:
    """True unless the person is an assessor of the subject who has not submitted, or declared a conflict: no one
    moderates before their own scores are in, and a conflicted person takes no part."""
    if subject is None:
        return True
    return (
        not getattr(subject, related)
        .filter(assessor_id=user.pk)
        .exclude(declaration="none", submitted_at__isnull=False)
        .exists()
    )


def no_undeclared_assignment(user, subject, *, related: str = "assignments") -> bool:
    """True unless the person is an assessor of the subject who has yet to declare, or declared a conflict: for
    pages outside evaluation that show the subject to staff, so that staff asked to assess cannot read it there
    before declaring."""
    if not hasattr(subject, related) or not getattr(user, "is_authenticated", False):
        return True
    return not getattr(subject, related).filter(assessor_id=user.pk).exclude(declaration="none").exists()
