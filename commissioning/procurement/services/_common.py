"""What the procurement services share: moving a case forward through its stages, and the approver the profile
names for a step."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commissioning.core.services import save_with_history
from commissioning.procurement.models import CaseStage, CommissioningCase
from commissioning.procurement.selectors.config import approval_role_for, role_label  # noqa: F401

STAGE_ORDER = {stage: index for index, stage in enumerate(CaseStage.values)}


def advance(case: CommissioningCase, stage: str, *, actor, reason: str) -> None:
    """Move the case on to `stage`; never back (a later stage is kept), never out of closed."""
    if case.stage == CaseStage.CLOSED or STAGE_ORDER[stage] <= STAGE_ORDER[case.stage]:
        return
    case.stage = stage
    save_with_history(case, actor=actor, reason=reason)


def named_approver(actor, action: str) -> str:
    """The role the profile names for `action` today, checked against the actor: PermissionDenied otherwise."""
    role = approval_role_for(action, timezone.localdate())
    if role is None or getattr(actor, "role", None) != role:
        raise PermissionDenied(f"{actor} is not the approver the profile names for {action}")
    return role
