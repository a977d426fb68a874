"""Role × URL expectations for decisions and awards (contract in commissioning/testing/matrix.py).

The awards belong to the applicant's organisation. Someone who may not see an award gets 404 (it is another
organisation's); someone who sees it but may not do this gets 403. Decision pages are the PCC's alone.
"""

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.grants.models import Application, EndOfGrantReport
from commissioning.grants.tests.factories import (
    AcceptedAwardFactory,
    AwardFactory,
    EndOfGrantReportFactory,
    round_to_decide,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
AWARD_READERS = [*STAFF, "auditor", "applicant"]
PCC_ONLY = expect(403, pcc=200)
OFFICER_LIST = expect(403, **roles(*STAFF, "auditor", status=200))
SEE_AWARD = expect(404, **roles(*AWARD_READERS, status=200))


def _act(*doers):
    """404 for those who cannot see the award, 403 for those who see it but may not do this, 200 for doers."""
    return expect(404, **{**roles(*AWARD_READERS, status=403), **roles(*doers, status=200)})


def setup(world):
    users = world.users
    organisation = users["applicant"].organisation
    world.awards_round = round_to_decide(finance=users["finance_officer"], fund_budget="20000.00")
    world.awards_application = world.awards_round.applications.filter(status=Application.Status.RECOMMENDED).first()
    world.offered_award = AwardFactory(application__organisation=organisation)
    world.reporting_award = EndOfGrantReportFactory(
        award__application__organisation=organisation, status=EndOfGrantReport.Status.DRAFT, submitted_at=None
    ).award
    world.reported_award = EndOfGrantReportFactory(award__application__organisation=organisation).award
    world.accepted_award = AcceptedAwardFactory(application__organisation=organisation)


def _pk(attribute):
    return lambda world: {"pk": getattr(world, attribute).pk}


CASES = [
    UrlCase("grants:round_decision", PCC_ONLY, _pk("awards_round")),
    UrlCase("grants:application_decision", PCC_ONLY, _pk("awards_application")),
    UrlCase("grants:award_list", OFFICER_LIST),
    UrlCase("grants:award_list", OFFICER_LIST, query="overdue=on&status=accepted"),
    UrlCase("grants:award_detail", SEE_AWARD, _pk("offered_award")),
    UrlCase("grants:award_detail", SEE_AWARD, _pk("reported_award")),
    UrlCase("grants:award_letter", SEE_AWARD, _pk("offered_award")),
    UrlCase("grants:award_accept", _act("applicant"), _pk("offered_award")),
    UrlCase("grants:award_decline", _act("applicant"), _pk("offered_award")),
    UrlCase("grants:report_edit", _act("applicant"), _pk("reporting_award")),
    UrlCase("grants:report_submit", _act("applicant"), _pk("reporting_award")),
    UrlCase("grants:report_review", _act("commissioning_manager", "policy_officer"), _pk("reported_award")),
    UrlCase("grants:award_repayment_request", _act("commissioning_manager", "finance_officer"), _pk("accepted_award")),
]
