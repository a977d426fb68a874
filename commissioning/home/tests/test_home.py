"""Each role's home page shows its own work first, each item linking to where the work is done, and every count
takes a bounded number of queries that does not grow with the rows (issue 8, point 7)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.agreements.models import SafetyFundReview
from commissioning.agreements.tests.factories import CoFunderFactory, SafetyFundReviewFactory, VariationFactory
from commissioning.agreements.tests.factories import ServiceFactory as RegisterServiceFactory
from commissioning.funds.models import Commitment, ScheduledPayment, Virement
from commissioning.funds.tests.factories import CommitmentFactory, FinancialYearFactory, FundFactory
from commissioning.grants.models import Application, AssessorAssignment, EndOfGrantReport
from commissioning.grants.services import assessment as assessment_services
from commissioning.grants.tests.factories import (
    AcceptedAwardFactory,
    ApplicationFactory,
    ApproachFactory,
    AssessorAssignmentFactory,
    AwardFactory,
    EndOfGrantReportFactory,
    GrantRoundFactory,
    SubmittedApplicationFactory,
    round_to_decide,
)
from commissioning.home.tests.work import assessor_work, finance_work, next_number, officer_work, pcc_work
from commissioning.procurement.tests.factories_planning import CommissioningCaseFactory, EngagementFactory, assessed
from commissioning.strategy.models import SignOffStatus
from commissioning.strategy.tests.factories import (
    DecisionRecordFactory,
    StrategyDocumentFactory,
    StrategyVersionFactory,
)

pytestmark = pytest.mark.django_db

# The most queries any role's home page takes (session, user, and each area's count and first rows). The Commissioning
# Manager's has the most areas: strategic reviews to carry out and agreements to end added three counts (issue 11),
# and open commissioning cases seven (a count, the first five cases, and the five sets of records their next step is
# worked out from: engagements, market events, specifications, exemptions, notices; issue 10).
MAX_QUERIES = 32


def home(client) -> str:
    response = client.get(reverse("home:index"))
    assert response.status_code == 200
    return response.content.decode()


def waiting(page: str, key: str) -> int | None:
    """The count shown for an area in the "Waiting for you" summary, or None when the area is not there."""
    found = re.search(rf'id="waiting-{key}-count"><strong class="govuk-tag[^"]*">(\d+)</strong>', page)
    return int(found.group(1)) if found else None


def order_of(page: str, *texts: str) -> list[int]:
    return [page.index(text) for text in texts]


# --- One test per role ------------------------------------------------------------------------------------


def test_the_pcc_sees_what_awaits_their_signature_and_decision(client_for, users):
    work = pcc_work(users)
    page = home(client_for("pcc"))
    assert waiting(page, "signatures") == 1
    assert reverse("strategy:version_detail", args=[work["version"].pk]) in page
    assert waiting(page, "rounds-to-decide") == 1
    assert reverse("grants:round_decision", args=[work["round"].pk]) in page
    assert "3 applications" in page  # two recommended and one not, waiting for the decision
    assert waiting(page, "proposals-to-decide") == 1
    assert reverse("grants:proposal_decide", args=[work["approach"].pk]) in page
    assert waiting(page, "variations-to-approve") == 1
    variation = work["variation"]
    assert reverse("agreements:variation_decide", args=[variation.agreement.pk, variation.number]) in page
    assert waiting(page, "innovation-to-approve") == 1
    assert reverse("grants:prioritisation_detail", args=[work["prioritisation"].pk]) in page
    # Their own work comes before what everyone can do.
    first, last = order_of(page, "Waiting for you", "What you can do")
    assert first < last


def test_an_undecidable_round_is_not_offered_to_the_pcc(client_for, users):
    grant_round = round_to_decide(finance=users["finance_officer"])
    SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)  # still with the panel
    page = home(client_for("pcc"))
    assert waiting(page, "rounds-to-decide") is None
    assert reverse("grants:round_decision", args=[grant_round.pk]) not in page


def test_an_evaluator_sees_applications_to_score_and_the_count_drops_when_scored(client_for, users):
    evaluator = users["evaluator"]
    _, criterion, assignments = assessor_work(evaluator)
    pending = AssessorAssignmentFactory(assessor=evaluator, application__project_title="Boxing club")
    AssessorAssignmentFactory(application__project_title="Someone else's")  # another assessor's
    client = client_for("evaluator")
    page = home(client)
    assert waiting(page, "applications-to-score") == 3
    assert reverse("grants:assessment_score", args=[assignments[0].pk]) in page
    assert reverse("grants:assessment_declare", args=[pending.pk]) in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page

    assessment_services.assessment_scores_save(
        actor=evaluator, assignment=assignments[0], scores={criterion.pk: (4, "Clear evidence of need")}, submit=True
    )
    page = home(client)
    assert waiting(page, "applications-to-score") == 2
    assert reverse("grants:assessment_score", args=[assignments[0].pk]) not in page


def test_an_evaluator_with_nothing_to_score_is_told_so(client_for):
    page = home(client_for("evaluator"))
    assert "Nothing is waiting for you." in page
    assert "You have no applications to score." in page


def test_the_finance_officer_sees_commitments_to_approve_and_payments_due(client_for):
    planned, payable = finance_work()
    page = home(client_for("finance_officer"))
    assert waiting(page, "commitments-to-approve") == 1
    assert reverse("funds:commitment_approve", args=[planned[0].pk]) in page
    assert waiting(page, "payments-due") == 1
    assert reverse("funds:payment_record", args=[payable[0].pk]) in page
    assert "£1,000.00" in page
    # Commitments then payments come first, before anything else on the page.
    assert order_of(page, "Commitments to approve", "Payments due", "What you can do") == sorted(
        order_of(page, "Commitments to approve", "Payments due", "What you can do")
    )


def test_the_commissioning_manager_sees_rounds_to_progress_and_reviews_due(client_for, users):
    grant_round, approaches, proposals, reports = officer_work(users)
    document = StrategyDocumentFactory(title="Victims Needs Strategy")
    StrategyVersionFactory(
        document=document,
        number=1,
        status=SignOffStatus.SIGNED,
        in_force_from=timezone.now(),
        review_due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    review = SafetyFundReviewFactory(status=SafetyFundReview.Status.RETURNED)
    overdue = AcceptedAwardFactory(report_due_on=timezone.localdate() - dt.timedelta(days=1))
    page = home(client_for("commissioning_manager"))
    assert waiting(page, "rounds-to-progress") == 1
    assert reverse("grants:assessment_round", args=[grant_round.pk]) in page
    assert "1 to check for eligibility; 1 to recommend" in page
    assert waiting(page, "approaches-to-triage") == 1
    assert reverse("grants:approach_triage", args=[approaches[0].pk]) in page
    assert waiting(page, "proposals-to-assess") == 1
    assert reverse("grants:proposal_assess", args=[proposals[0].pk]) in page
    assert waiting(page, "reports-to-sign-off") == 1
    assert reverse("grants:report_review", args=[reports[0].award_id]) in page
    assert waiting(page, "overdue-reports") == 1 and overdue.pk
    assert waiting(page, "strategy-reviews") == 1
    assert reverse("strategy:document_detail", args=[document.pk]) in page
    assert "the annual review was due on" in page
    assert waiting(page, "reviews-to-prepare") == 1
    assert reverse("agreements:review_detail", args=[review.pk]) in page


def test_the_policy_officer_sees_rounds_and_reports(client_for, users):
    grant_round, _, _, reports = officer_work(users)
    page = home(client_for("policy_officer"))
    assert waiting(page, "rounds-to-progress") == 1
    assert waiting(page, "reports-to-sign-off") == 1
    assert waiting(page, "approaches-to-triage") is None  # triage is the Commissioning Manager's


def test_the_cfo_sees_signatures_money_and_reviews_to_approve(client_for, users):
    StrategyVersionFactory(status=SignOffStatus.AWAITING)
    planned, _ = finance_work()
    year = FinancialYearFactory(start_year=timezone.localdate().year)
    virement = Virement.objects.create(
        year=year,
        from_fund=FundFactory(),
        to_fund=FundFactory(),
        amount=Decimal("5000.00"),
        reason="Move underspend to victims' services",
        requested_by=users["finance_officer"],
    )
    review = SafetyFundReviewFactory(status=SafetyFundReview.Status.SUBMITTED)
    own = VariationFactory(requested_by=users["cfo"])  # no one approves their own request
    page = home(client_for("cfo"))
    assert waiting(page, "signatures") == 1
    assert waiting(page, "commitments-to-approve") == 1
    assert reverse("funds:commitment_approve", args=[planned[0].pk]) in page
    assert waiting(page, "transfers-to-decide") == 1
    assert reverse("funds:virement_decide", args=[virement.pk]) in page
    assert waiting(page, "reviews-to-approve") == 1
    assert reverse("agreements:review_detail", args=[review.pk]) in page
    assert waiting(page, "variations-to-approve") is None
    assert reverse("agreements:variation_decide", args=[own.agreement.pk, own.number]) not in page


@pytest.mark.parametrize("role", ["chief_executive", "director_operations"])
def test_the_senior_management_team_sees_signatures_and_reviews(client_for, role):
    version = StrategyVersionFactory(status=SignOffStatus.AWAITING)
    review = SafetyFundReviewFactory(status=SafetyFundReview.Status.SUBMITTED)
    page = home(client_for(role))
    assert waiting(page, "signatures") == 1
    assert reverse("strategy:version_detail", args=[version.pk]) in page
    assert waiting(page, "reviews-to-approve") == 1
    assert reverse("agreements:review_detail", args=[review.pk]) in page
    assert waiting(page, "commitments-to-approve") is None


def test_an_applicant_sees_their_applications_offers_and_reports(client_for, users):
    applicant = users["applicant"]
    organisation = applicant.organisation
    draft = ApplicationFactory(organisation=organisation, project_title="Safer streets walk")
    offer = AwardFactory(application__organisation=organisation, application__project_title="Youth boxing club")
    accepted = AcceptedAwardFactory(application__organisation=organisation, application__project_title="Food bank")
    invited = ApproachFactory(organisation=organisation, status="invited", summary="Help for rural victims")
    AwardFactory(application__project_title="Another organisation's offer")
    page = home(client_for("applicant"))
    assert waiting(page, "offers") == 1
    assert reverse("grants:award_accept", args=[offer.pk]) in page
    assert waiting(page, "reports-to-send") == 1
    assert reverse("grants:report_edit", args=[accepted.pk]) in page
    assert waiting(page, "proposal-forms") == 1
    assert reverse("grants:proposal_form", args=[invited.pk]) in page
    assert waiting(page, "applications") is None  # their applications are listed, not counted as waiting
    assert 'id="applications"' in page
    assert reverse("grants:application_tasks", args=[draft.pk]) in page
    assert "Another organisation" not in page
    assert reverse("grants:open_rounds") in page


def test_a_provider_sees_its_own_services(client_for, users):
    provider = users["provider"]
    own = RegisterServiceFactory(provider=provider.organisation, name="Independent domestic violence advisers")
    other = RegisterServiceFactory(name="Somebody else's service")
    page = home(client_for("provider"))
    assert 'id="services">Your services<' in page
    assert reverse("agreements:service_detail", args=[own.pk]) in page
    assert reverse("agreements:service_detail", args=[other.pk]) not in page


def test_monitoring_returns_wait_for_the_provider_and_then_for_the_officer(client_for, users):
    from commissioning.monitoring.models import ReturnStatus
    from commissioning.monitoring.tests.factories import KpiReturnFactory

    own = RegisterServiceFactory(provider=users["provider"].organisation, name="Independent advisers")
    overdue = KpiReturnFactory(service=own)  # April to June 2026, due 28 July 2026
    queried = KpiReturnFactory(
        service=own,
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 9, 30),
        due_on=dt.date(2026, 10, 28),
        status=ReturnStatus.QUERIED,
    )
    not_yet = KpiReturnFactory(
        service=own, starts_on=dt.date(2099, 1, 1), ends_on=dt.date(2099, 3, 31), due_on=dt.date(2099, 4, 28)
    )
    KpiReturnFactory()  # another provider's
    page = home(client_for("provider"))
    assert "Monitoring returns to send" in page and "Overdue: was due 28 July 2026" in page
    assert reverse("monitoring:return_detail", args=[overdue.pk]) in page
    assert reverse("monitoring:return_detail", args=[queried.pk]) in page
    assert reverse("monitoring:return_detail", args=[not_yet.pk]) not in page

    assert "Monitoring returns to check" not in home(client_for("commissioning_manager"))
    overdue.status = ReturnStatus.SUBMITTED
    overdue.save()
    page = home(client_for("commissioning_manager"))
    assert "Monitoring returns to check" in page and reverse("monitoring:return_detail", args=[overdue.pk]) in page


def test_a_provider_without_services_is_told_its_organisation_has_none(client_for):
    RegisterServiceFactory(name="Somebody else's service")
    page = home(client_for("provider"))
    assert "Your organisation has no services in the register." in page
    assert "there are no services" not in page.lower()


def test_a_partner_sees_the_services_it_co_funds(client_for, users):
    share = CoFunderFactory(organisation=users["partner"].organisation, service__name="Sexual assault referral centre")
    RegisterServiceFactory(name="Not co-funded")
    page = home(client_for("partner"))
    assert 'id="services">Services you co-fund<' in page
    assert reverse("agreements:service_detail", args=[share.service.pk]) in page
    assert "Not co-funded" not in page


@pytest.mark.parametrize("role", ["panel_member", "auditor"])
def test_readers_see_what_they_can_read(client_for, role):
    decision = DecisionRecordFactory(subject="Funding for the youth diversion scheme")
    page = home(client_for(role))
    assert "What you can read" in page and "What you can do" not in page
    assert reverse("agreements:service_list") in page
    assert reverse("strategy:decision_detail", args=[decision.pk]) in page
    assert "Waiting for you" not in page


def test_the_administrator_has_nothing_waiting(client_for):
    page = home(client_for("admin"))
    assert "Nothing is waiting for you." in page
    assert reverse("accounts:user_list") in page


def test_staff_asked_to_assess_see_it_after_their_own_work(client_for, users):
    assessor_work(users["policy_officer"], count=1)
    officer_work(users)
    page = home(client_for("policy_officer"))
    assert waiting(page, "applications-to-score") == 1
    rounds, scoring = order_of(page, 'id="rounds-to-progress"', 'id="applications-to-score"')
    assert rounds < scoring


# --- Navigation and sign-in --------------------------------------------------------------------------------


def test_an_applicants_navigation_has_grants(client_for):
    page = home(client_for("applicant"))
    navigation = page.split('id="navigation"')[1].split("</ul>")[0]
    assert ">Grants<" in navigation
    assert reverse("grants:application_list_mine") in navigation


def test_the_sign_in_page_links_to_the_open_rounds(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("grants:open_rounds")}"' in page
    assert "See the grant rounds open now" in page


# --- Bounded queries --------------------------------------------------------------------------------------


def _review(status):
    return SafetyFundReviewFactory(status=status, year=FinancialYearFactory(start_year=2030 + next_number() % 60))


def _work_for(role, users, rows):
    """Make `rows` more of each kind of work the role sees (and some it does not)."""
    for _ in range(rows):
        DecisionRecordFactory()
        if role in ("pcc", "cfo", "chief_executive", "director_operations"):
            pcc_work(users)
            _review(SafetyFundReview.Status.SUBMITTED)
            StrategyVersionFactory(
                status=SignOffStatus.SIGNED, in_force_from=timezone.now(), review_due_on=timezone.localdate()
            )
        if role in ("finance_officer", "cfo"):
            finance_work(rows=1)
            year = FinancialYearFactory(start_year=timezone.localdate().year)
            Virement.objects.create(
                year=year,
                from_fund=FundFactory(),
                to_fund=FundFactory(),
                amount=Decimal("100.00"),
                reason="Underspend",
                requested_by=users["commissioning_manager"],
            )
            ScheduledPayment.objects.create(
                commitment=CommitmentFactory(year=year, status=Commitment.Status.COMMITTED),
                due_on=timezone.localdate() - dt.timedelta(days=5),
                amount=Decimal("250.00"),
            )
        if role in ("commissioning_manager", "policy_officer", "finance_officer"):
            officer_work(users)
            assessed(EngagementFactory().case)
            GrantRoundFactory()  # a round with nothing waiting
            AcceptedAwardFactory(report_due_on=timezone.localdate() - dt.timedelta(days=1))
            EndOfGrantReportFactory(status=EndOfGrantReport.Status.RETURNED)
            StrategyVersionFactory(status=SignOffStatus.DRAFT)
            _review(SafetyFundReview.Status.DRAFT)
            assessor_work(users[role], count=1)
        if role == "evaluator":
            assessor_work(users["evaluator"], count=1)
        if role == "applicant":
            organisation = users["applicant"].organisation
            ApplicationFactory(organisation=organisation)
            AwardFactory(application__organisation=organisation)
            AcceptedAwardFactory(application__organisation=organisation)
            ApproachFactory(organisation=organisation, status="invited")
        if role == "provider":
            RegisterServiceFactory(provider=users["provider"].organisation)
            ApproachFactory(organisation=users["provider"].organisation, status="invited")
        if role == "partner":
            CoFunderFactory(organisation=users["partner"].organisation)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        home(client)
    return len(queries)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_home_page_takes_a_bounded_number_of_queries_that_does_not_grow_with_rows(
    client_for, users, role, django_assert_max_num_queries
):
    client = client_for(role)
    _work_for(role, users, rows=1)
    few = _queries(client)
    _work_for(role, users, rows=6)  # more rows than the page lists under each heading
    with django_assert_max_num_queries(MAX_QUERIES):
        home(client)
    assert _queries(client) == few


def test_the_commissioning_manager_sees_open_commissioning_cases_with_their_next_step(client_for, users):
    case = CommissioningCaseFactory(title="Stalking advocacy")
    CommissioningCaseFactory(title="Finished", stage="contracted")
    page = home(client_for("commissioning_manager"))
    assert waiting(page, "commissioning-cases") == 1
    assert reverse("procurement:case_detail", args=[case.pk]) in page
    assert "Next: Complete the needs assessment" in page and "Finished" not in page
    assert reverse("procurement:pipeline") in page


def test_another_evaluators_assignments_do_not_count(client_for, users):
    other = UserFactory(role=Role.EVALUATOR)
    assessor_work(other, count=3)
    page = home(client_for("evaluator"))
    assert waiting(page, "applications-to-score") is None


def test_assignments_whose_scoring_has_closed_or_with_a_conflict_are_not_counted(client_for, users):
    evaluator = users["evaluator"]
    AssessorAssignmentFactory(assessor=evaluator, application__status=Application.Status.MODERATED)
    AssessorAssignmentFactory(
        assessor=evaluator,
        declaration=AssessorAssignment.Declaration.CONFLICT,
        conflict_details="My sister chairs the trustees",
        declared_at=timezone.now(),
    )
    open_one = AssessorAssignmentFactory(assessor=evaluator)
    page = home(client_for("evaluator"))
    assert waiting(page, "applications-to-score") == 1
    assert reverse("grants:assessment_declare", args=[open_one.pk]) in page
