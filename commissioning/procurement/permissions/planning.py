"""Who may do what with commissioning cases before the tender (issue 10, points 1 to 4 and 9).

Sources: DOMAIN.md "Who uses it": the Commissioning Manager runs tenders and the Policy and Commissioning officer does
needs assessments, consultation and specifications; auditors read everything and change nothing. Approvals (to
proceed, of the specification, of an exemption) go to the role the OPCC's profile names for them on the day
(procurement.ApprovalRole), so the approver is configuration, not code. Partners, providers, applicants, evaluators
and Panel members see no case (403 for the lists; the selectors give them nothing).
"""

import rules
from django.utils import timezone

from commissioning.accounts.rules import is_auditor, is_commissioning_officer, is_opcc_staff
from commissioning.procurement.models import ApprovalAction
from commissioning.procurement.selectors.config import approval_role_for


def named_approver(action: str):
    """A predicate: the person holds the role the profile names for `action` today."""

    @rules.predicate(name=f"is_named_approver_for_{action}")
    def predicate(user):
        role = approval_role_for(action, timezone.localdate())
        return role is not None and getattr(user, "role", None) == role

    return predicate


rules.add_perm("procurement.view_cases", is_opcc_staff | is_auditor)
rules.add_perm("procurement.view_pipeline", is_opcc_staff | is_auditor)
rules.add_perm("procurement.manage_case", is_commissioning_officer)
rules.add_perm("procurement.record_notice", is_commissioning_officer)
rules.add_perm("procurement.view_case_history", is_opcc_staff | is_auditor)
rules.add_perm("procurement.approve_proceed", named_approver(ApprovalAction.PROCEED))
rules.add_perm("procurement.approve_specification", named_approver(ApprovalAction.SPECIFICATION))
rules.add_perm("procurement.approve_exemption", named_approver(ApprovalAction.EXEMPTION))
