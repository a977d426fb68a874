"""One-off grant making: approach → triage → Proposal Form → assessment and recommendation → PCC decision.

The seed, Section 3, "One-Off Grant Making": organisations approach the PCC or the team with a business case;
every approach goes to the Commissioning Manager, who asks for a Proposal Form (the service, its cost to the PCC
and the outcomes) when the approach is of interest and relevance; the Commissioning Manager assesses it and
recommends to the PCC and the Senior Management Team, who decide.

new ──close──▶ closed
 └──invite──▶ invited ──submit──▶ proposal_received ──assess──▶ assessed ──decide──▶ approved | rejected
(a Proposal Form may be corrected until it is assessed; an assessment may be revised until the decision)

Each function takes keyword arguments and the acting person, checks their permission (permissions/proposals.py),
locks the approach, runs in one transaction, validates with full_clean and leaves who and why on the history
rows. E-mails go only once the transaction has committed. Refusals are ValidationErrors keyed by the form field
that can show them, in words that name the fix.
"""

from commissioning.grants.services.proposals._common import SCORE_DESCRIPTORS, SCORE_FIELDS
from commissioning.grants.services.proposals.approaches import (
    approach_close,
    approach_invite,
    approach_log,
    proposal_submit,
)
from commissioning.grants.services.proposals.decision import DECISION_CARRIES_OUT, proposal_assess, proposal_decide

__all__ = [
    "DECISION_CARRIES_OUT",
    "SCORE_DESCRIPTORS",
    "SCORE_FIELDS",
    "approach_close",
    "approach_invite",
    "approach_log",
    "proposal_assess",
    "proposal_decide",
    "proposal_submit",
]
