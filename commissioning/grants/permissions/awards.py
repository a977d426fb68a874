"""Who may decide grant rounds, see and accept awards, report on them and ask for money back (issue 5, points 4
and 5; DOMAIN.md "Who uses it": the PCC makes final decisions on awards, an applicant sees only its own
organisation's records, auditors read everything and change nothing).

Object-level predicates accept obj=None, so one permission answers both "may this person do this kind of thing
at all" and "may they do it to this award". selectors/awards.py scopes querysets by the same facts.
"""

import rules

from commissioning.accounts.rules import (
    is_applicant,
    is_auditor,
    is_commissioning_manager,
    is_finance_officer,
    is_opcc_staff,
    is_pcc,
    is_policy_officer,
)
from commissioning.grants.models import Award, EndOfGrantReport


def _organisation_id(obj):
    """The applicant organisation of an award, an end-of-grant report or an application."""
    if isinstance(obj, EndOfGrantReport):
        obj = obj.award
    if isinstance(obj, Award):
        obj = obj.application
    return getattr(obj, "organisation_id", None)


@rules.predicate
def of_own_organisation(user, obj):
    """The award (or report, or application) is the person's own organisation's (without an object: always)."""
    if obj is None:
        return True
    organisation_id = getattr(user, "organisation_id", None)
    return bool(organisation_id) and _organisation_id(obj) == organisation_id


@rules.predicate
def award_is_offered(user, award):
    """The offer is still open: not yet accepted or declined (without an object: always)."""
    if award is None:
        return True
    return award.status == Award.Status.OFFERED


reads_all_awards = is_opcc_staff | is_auditor
own_applicant = is_applicant & of_own_organisation

# The PCC decides grant rounds and individual applications (DOMAIN.md "Governance").
rules.add_perm("grants.decide", is_pcc)
rules.add_perm("grants.view_award", reads_all_awards | own_applicant)
# The officers' list of every award, with filters; applicants see their own awards from their applications.
rules.add_perm("grants.view_award_list", reads_all_awards)
# The activity log names OPCC staff, so it is for the OPCC and its auditors.
rules.add_perm("grants.view_award_log", reads_all_awards)
rules.add_perm("grants.accept_award", own_applicant & award_is_offered)
rules.add_perm("grants.submit_report", own_applicant)
rules.add_perm("grants.review_report", is_commissioning_manager | is_policy_officer)
# Asking for money back when a condition is not met (PRSRA 2011 s9(3)).
rules.add_perm("grants.request_repayment", is_commissioning_manager | is_finance_officer)
