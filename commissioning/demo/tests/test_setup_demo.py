"""setup_demo: refused without DEBUG; otherwise idempotent, with one demo user per role."""

import re
import time
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.demo.story import DEMO_PASSWORD, demo_email
from commissioning.organisations.models import Contact, NonFinancialActivity, Organisation, PartnershipBoard
from commissioning.strategy.models import DecisionRecord

APPS = ["core", "accounts", "organisations", "strategy", "funds", "procurement", "monitoring"]


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True
    settings.OPCC_PROFILE = "dorset"
    return settings


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count() for label in APPS for model in apps.get_app_config(label).get_models()
    }


def run_demo() -> str:
    out = StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """setup_demo run twice, once for the module (it takes a while), and rolled back afterwards. Each test runs
    inside it and rolls back its own changes."""
    uploads = tmp_path_factory.mktemp("demo-uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, OPCC_PROFILE="dorset", MEDIA_ROOT=uploads),
        transaction.atomic(),
    ):
        started = time.perf_counter()
        first = run_demo()
        seconds = time.perf_counter() - started
        before = row_counts()
        started = time.perf_counter()
        second = run_demo()
        again = time.perf_counter() - started
        yield {"first": first, "second": second, "before": before, "after": row_counts(), "seconds": (seconds, again)}
        transaction.set_rollback(True)


def test_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    before = row_counts()
    with pytest.raises(CommandError, match="setup_demo refused: DEBUG is off"):
        call_command("setup_demo")
    assert row_counts() == before


def test_running_twice_gives_the_same_state(demo, db):
    first, second = demo["first"], demo["second"]
    assert demo["after"] == demo["before"]  # history tables included: the second run saved nothing
    assert re.search(r"Demo data: [1-9]\d* created, 0 unchanged, 0 updated\.", first)
    assert re.search(r"Demo data: 0 created, [1-9]\d* unchanged, 0 updated\.", second)
    assert re.search(r"Loaded profile 'dorset' .*: 0 created, \d+ unchanged, 0 updated\.", second)


def test_one_demo_user_per_role_who_can_sign_in(demo, db):
    output = demo["first"]
    demo_users = User.objects.filter(email__endswith="@demo.opcc.invalid")
    assert sorted(demo_users.values_list("role", flat=True)) == sorted(Role.values)
    for role in Role:
        user = User.objects.get(email=demo_email(role.value))
        assert user.role == role.value and user.is_active
        assert user.display_name == f"Demo {role.label}"
        assert user.check_password(DEMO_PASSWORD)
        assert re.search(rf"{re.escape(role.label)}\s+{re.escape(user.email)}\s+{DEMO_PASSWORD}", output)
    assert User.objects.get(email="pcc@demo.opcc.invalid").display_name == "Demo Police and Crime Commissioner"
    assert User.objects.get(role=Role.ADMIN, email__endswith="demo.opcc.invalid").is_staff
    assert User.objects.get(email=demo_email("partner")).organisation.code == "dorset-police"
    assert User.objects.get(email=demo_email("provider")).organisation.name == "Wessex Restorative Partnership (demo)"
    applicant_organisation = User.objects.get(email=demo_email("applicant")).organisation
    assert applicant_organisation.kind == Organisation.Kind.VCSE and applicant_organisation.name.endswith("(demo)")


def test_a_changed_demo_user_is_put_back(demo, db, demo_settings, tmp_path):
    demo_settings.MEDIA_ROOT = tmp_path
    user = User.objects.get(email=demo_email("cfo"))
    user.set_password("something-else-entirely")
    user.role = Role.AUDITOR
    user.save()
    run_demo()
    user.refresh_from_db()
    assert user.role == Role.CFO and user.check_password(DEMO_PASSWORD)


def test_demo_data_is_invented_and_linked(demo, db):
    opcc = Organisation.objects.get(kind=Organisation.Kind.OPCC)
    assert opcc.name == "Office of the Police and Crime Commissioner for Dorset"
    demo_organisations = Organisation.objects.filter(name__endswith="(demo)")
    # six partners, providers and applicants, and the three suppliers bidding for the demo tenders
    assert demo_organisations.count() == 9
    assert demo_organisations.get(code="demo-harbourside-womens-aid").org_id == "GB-CHC-9990001"
    assert demo_organisations.get(code="demo-wessex-restorative").org_id == "GB-COH-99000001"
    # contacts by job title only
    assert Contact.objects.exists() and all(c.name == c.job_title for c in Contact.objects.all())
    assert Contact.objects.filter(organisation__code="demo-harbourside-womens-aid", is_primary=True).count() == 1
    boards = PartnershipBoard.objects.filter(
        name__in=["Dorset Community Safety Partnership", "Dorset Criminal Justice Board"]
    )
    assert boards.count() == 2 and all(board.members.exists() for board in boards)
    assert NonFinancialActivity.objects.count() == 2
    assert all(a.priorities.exists() and a.partners.exists() for a in NonFinancialActivity.objects.all())
    # The demo's own decisions (setup_demo also generates a decade of county data with decisions of its own).
    decisions = DecisionRecord.objects.exclude(decided_by__email__endswith="@generated.opcc.invalid")
    # two with their agreements, the decided round, two one-off grant decisions; and monitoring's (issue 11): a
    # strategic review decided, a pilot later terminated and a large co-commissioned contract; and priority
    # commissioning's (issue 10): the PCC's approvals to proceed with the cases, the exemption and the contract award
    assert decisions.count() == 15
    assert all(re.fullmatch(r"\d{4}/\d{3}", d.number) for d in decisions)
    assert {d.decided_by.email for d in decisions} == {"pcc@demo.opcc.invalid"}


# --- The whole cycle, true to itself (issue 8, point 6) -------------------------------------------------------

import datetime as dt  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.db.models import Sum  # noqa: E402
from django.utils import timezone  # noqa: E402

from commissioning.agreements.models import Agreement  # noqa: E402
from commissioning.demo.tests import consistency  # noqa: E402
from commissioning.funds.models import Budget, Commitment, Payment  # noqa: E402
from commissioning.grants.models import (  # noqa: E402
    Application,
    Approach,
    AssessorAssignment,
    Award,
    CriterionScore,
    EndOfGrantReport,
    GrantRound,
    Moderation,
    Prioritisation,
)
from commissioning.monitoring.models import StrategicReview  # noqa: E402
from commissioning.procurement.models import CommissioningCase, ContractAward, TenderEvaluation  # noqa: E402

TODAY = timezone.localdate()
THIS_YEAR = consistency.fy_start(TODAY)


def demo_decisions():
    return DecisionRecord.objects.exclude(subject__endswith="(generated)")


def test_every_business_model_has_rows_and_every_history_model_has_history(demo, db):
    models, histories = consistency.business_models()
    assert len(models) > 40 and len(histories) > 40
    assert consistency.empty_models() == []


def test_the_current_financial_year_is_as_full_as_past_ones(demo, db):
    budgets = dict(
        Budget.objects.values("year__start_year").annotate(t=Sum("amount")).values_list("year__start_year", "t")
    )
    committed = dict(
        Commitment.objects.values("year__start_year").annotate(t=Sum("amount")).values_list("year__start_year", "t")
    )
    past = [THIS_YEAR - n for n in range(1, 5)]
    for totals in (budgets, committed):
        assert all(totals.get(year, 0) > 0 for year in [*past, THIS_YEAR])  # the five-year trend never falls to £0
        assert totals[THIS_YEAR] >= min(totals[year] for year in past) * Decimal("0.8")
    assert Payment.objects.filter(commitment__year__start_year=THIS_YEAR).exists()
    assert not Payment.objects.filter(paid_on__gt=TODAY).exists()


def test_co_funders_never_pay_more_than_the_agreements_are_worth(demo, db):
    assert consistency.services_co_funded_beyond_their_agreements() == []


def test_every_year_of_a_running_agreement_is_committed(demo, db):
    assert consistency.running_agreement_years_without_commitment(current_start_year=THIS_YEAR) == []


def test_payments_fall_in_their_commitments_year_and_after_the_agreement_starts(demo, db):
    assert consistency.payments_out_of_year_or_before_the_agreement() == []


def test_no_grant_payment_is_scheduled_before_its_decision(demo, db):
    assert consistency.grant_payments_due_before_their_decision() == []


def test_commitments_are_approved_by_someone_other_than_their_planner(demo, db):
    assert consistency.commitments_approved_by_their_planner() == []


def test_strategy_sign_off_matches_the_signatures(demo, db):
    assert consistency.signed_versions_without_four_signatures() == []
    assert len(consistency.versions_waiting_for_the_pcc()) == 1


def test_each_demo_decision_has_what_it_decided(demo, db):
    for decision in demo_decisions():
        decided = (
            Agreement.objects.filter(decision=decision).exists()
            or Award.objects.filter(decision=decision).exists()
            or Approach.objects.filter(decision=decision).exists()
            or StrategicReview.objects.filter(decision_record=decision).exists()
            or ContractAward.objects.filter(decision=decision).exists()
            or TenderEvaluation.objects.filter(decision=decision).exists()
            or CommissioningCase.objects.filter(approval_decision=decision).exists()
        )
        assert decided, decision.subject
    agreements = Agreement.objects.filter(decision__in=demo_decisions())
    assert agreements.filter(kind=Agreement.Kind.CONTRACT).exists() and agreements.filter(kind="grant").count() >= 4


def test_last_years_round_is_decided_with_every_outcome(demo, db):
    grant_round = GrantRound.objects.get(
        name__startswith=f"Community Grant Scheme {THIS_YEAR - 1}/", name__endswith="summer round"
    )
    assert grant_round.status == GrantRound.Status.DECIDED and grant_round.year.start_year == THIS_YEAR - 1
    assert grant_round.closes_at.date() < dt.date(THIS_YEAR, 4, 1)
    statuses = sorted(grant_round.applications.values_list("status", flat=True))
    assert statuses == ["awarded", "awarded", "awarded", "declined", "ineligible"]
    assessed = grant_round.applications.exclude(status="ineligible")
    for application in assessed:
        submitted = AssessorAssignment.objects.filter(application=application, submitted_at__isnull=False)
        assert submitted.count() == 2  # two assessors' scores
        assert CriterionScore.objects.filter(assignment__in=submitted).count() == 8
        assert Moderation.objects.filter(application=application).exists()
        assert application.submitted_at.date() < grant_round.decision.decided_on
    awards = Award.objects.filter(application__round=grant_round)
    assert sorted(awards.values_list("status", flat=True)) == ["completed", "declined", "repayment_requested"]
    reports = EndOfGrantReport.objects.filter(award__in=awards)
    assert sorted(reports.values_list("status", flat=True)) == ["returned", "signed_off"]
    repaid = awards.get(status="repayment_requested")
    assert Payment.objects.filter(commitment__agreement=repaid.agreement, amount__lt=0).exists()
    for award in awards.exclude(status="declined"):
        assert award.agreement.signed_on >= award.awarded_on
        assert award.agreement.starts_on > award.awarded_on


def test_this_years_round_is_being_assessed_and_the_open_round_has_a_draft(demo, db):
    assessing = GrantRound.objects.get(
        name__startswith=f"Community Grant Scheme {THIS_YEAR}/", name__endswith="autumn round"
    )
    assert assessing.closes_at < timezone.now()
    statuses = sorted(assessing.applications.values_list("status", flat=True))
    assert statuses == ["eligible", "moderated", "recommended", "submitted"]
    open_round = GrantRound.objects.get(name="Community Grant Scheme: demo round")
    draft = open_round.applications.get()
    assert (
        draft.status == "draft" and draft.organisation == User.objects.get(email=demo_email("applicant")).organisation
    )


def test_one_off_approaches_at_every_stage_and_an_innovation_ranking(demo, db):
    demo_approaches = Approach.objects.filter(summary__endswith="(demo)")
    assert set(demo_approaches.values_list("status", flat=True)) == set(Approach.Status.values)
    ranking = Prioritisation.objects.get(fund__code="local-innovation-fund", year__start_year=THIS_YEAR)
    assert ranking.entries.count() == 4


def test_each_role_finds_work_waiting(demo, db):
    evaluator = User.objects.get(email=demo_email("evaluator"))
    waiting = AssessorAssignment.objects.filter(assessor=evaluator, submitted_at__isnull=True)
    assert waiting.filter(application__status=Application.Status.ELIGIBLE).exists()
    finance = User.objects.get(email=demo_email("finance_officer"))
    planned = Commitment.objects.filter(status=Commitment.Status.PLANNED).exclude(created_by=finance)
    assert planned.filter(created_by__email=demo_email("commissioning_manager")).exists()
    assert finance.has_perm("funds.approve_commitment", planned.first())
    assert Approach.objects.filter(status=Approach.Status.ASSESSED, summary__endswith="(demo)").exists()
    assert consistency.versions_waiting_for_the_pcc()
    assert Prioritisation.objects.filter(status="draft").exists()


def test_nothing_is_dated_in_the_future(demo, db):
    now = timezone.now()
    assert not Application.objects.filter(submitted_at__gt=now).exists()
    assert not AssessorAssignment.objects.filter(submitted_at__gt=now).exists()
    assert not demo_decisions().filter(decided_on__gt=TODAY).exists()
    assert not Application.history.filter(history_date__gt=now).exists()


def test_setup_demo_takes_reasonable_time(demo):
    first, again = demo["seconds"]
    assert again < first
