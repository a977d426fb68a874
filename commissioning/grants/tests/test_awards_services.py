"""The PCC's decisions and acceptance (services/awards.py), and repayment (services/reports.py)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning.agreements.models import Agreement, Service
from commissioning.funds import services as fund_services
from commissioning.funds.models import Commitment, ScheduledPayment
from commissioning.funds.selectors import fund_position
from commissioning.funds.tests.factories import RingFencedFundFactory
from commissioning.grants.models import Application, Award, GrantRound
from commissioning.grants.selectors.open_data import COMMUNITY, grants_made
from commissioning.grants.services import awards as services
from commissioning.grants.services import reports
from commissioning.grants.tests.factories import AwardFactory, round_to_decide
from commissioning.organisations.models import Organisation
from commissioning.strategy.models import DecisionRecord, LegalBasis

pytestmark = pytest.mark.django_db


@pytest.fixture
def pcc(users):
    return users["pcc"]


@pytest.fixture
def applicant(users):
    return users["applicant"]


@pytest.fixture
def round(users, applicant):
    """£2,500 for the applicant's organisation and £2,000 for another recommended; one not recommended.
    The round's budget is £6,000 and its fund has £10,000 in 2026/27."""
    return round_to_decide(
        finance=users["finance_officer"],
        recommended=(("2500.00", applicant.organisation), ("2000.00", None)),
    )


def _decide(pcc, round, **kwargs):
    return services.round_decide(
        actor=pcc, round=round, decided_on=timezone.localdate(), reasons="They meet the plan's priorities", **kwargs
    )


def _applications(round):
    return list(round.applications.order_by("reference"))


def _own(round, applicant):
    return round.applications.get(organisation=applicant.organisation)


# --- Deciding a round ------------------------------------------------------------------------------------


def test_batch_decision_creates_one_numbered_decision_record(pcc, round, django_capture_on_commit_callbacks):
    before = DecisionRecord.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(pcc, round)
    assert DecisionRecord.objects.count() == before + 1
    assert re.fullmatch(rf"{timezone.localdate().year}/\d{{3}}", decision.number)
    assert decision.legal_basis == LegalBasis.PRSRA_2011_S9
    assert decision.amount == Decimal("4500.00")
    assert decision.publishable and decision.decided_by == pcc
    assert decision.subject.endswith(": awards") and round.name in decision.subject
    round.refresh_from_db()
    assert round.status == GrantRound.Status.DECIDED and round.decision == decision
    statuses = sorted(a.status for a in _applications(round))
    assert statuses == ["awarded", "awarded", "declined"]
    assert all(a.decision == decision for a in _applications(round))
    awards = Award.objects.filter(application__round=round)
    assert sorted(a.amount for a in awards) == [Decimal("2000.00"), Decimal("2500.00")]
    for award in awards:
        application = award.application
        assert award.status == Award.Status.OFFERED
        assert award.purpose == application.summary
        assert award.report_due_on == application.ends_on.replace(month=6, day=30)  # 31 March + 3 months
        assert "Spend the grant only on the approved purpose" in award.conditions
        assert round.terms.version in award.conditions
        assert "section 9(3)" in award.repayment_conditions
    # Every applicant organisation hears its outcome, with the reasons.
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 3
    assert sum("has been awarded a grant" in s for s in subjects) == 2
    assert sum("has not been funded" in s for s in subjects) == 1
    assert all("They meet the plan's priorities" in message.body for message in mail.outbox)


def test_the_pcc_can_untick_a_recommended_application(pcc, round, applicant):
    own = _own(round, applicant)
    others = [a.pk for a in _applications(round) if a.status == "recommended" and a.pk != own.pk]
    decision = _decide(pcc, round, decisions={own.pk: False, others[0]: True})
    own.refresh_from_db()
    assert own.status == Application.Status.DECLINED
    assert decision.amount == Decimal("2000.00")
    assert not Award.objects.filter(application=own).exists()


def test_it_refuses_awards_over_the_round_budget_and_saves_nothing(pcc, users):
    round = round_to_decide(finance=users["finance_officer"], round_budget="3000.00")
    decisions_before = DecisionRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        _decide(pcc, round)
    assert "The awards total £4,500.00, more than the round's budget of £3,000.00" in " ".join(refused.value.messages)
    assert DecisionRecord.objects.count() == decisions_before
    assert not Award.objects.filter(application__round=round).exists()
    assert sorted(a.status for a in _applications(round)) == ["not_recommended", "recommended", "recommended"]
    round.refresh_from_db()
    assert round.status == GrantRound.Status.ASSESSING


def test_it_refuses_awards_over_the_funds_available_money(pcc, users):
    round = round_to_decide(finance=users["finance_officer"], fund_budget="3000.00", round_budget="10000.00")
    with pytest.raises(ValidationError) as refused:
        _decide(pcc, round)
    message = " ".join(refused.value.messages)
    assert "The awards total £4,500.00, more than the £3,000.00" in message
    assert round.fund.name in message and "2026/27" in message
    assert not Award.objects.filter(application__round=round).exists()


def test_offers_not_yet_accepted_count_against_the_fund(pcc, users):
    first = round_to_decide(finance=users["finance_officer"], fund_budget="6000.00", not_recommended=0)
    _decide(pcc, first)  # £4,500 offered, not yet committed
    second = round_to_decide(
        finance=users["finance_officer"], fund=first.fund, fund_budget="6000.00", recommended=(("2000.00", None),)
    )
    with pytest.raises(ValidationError) as refused:
        _decide(pcc, second)
    assert "more than the £1,500.00" in " ".join(refused.value.messages)


def test_only_the_pcc_decides(users, round):
    for role in ("commissioning_manager", "cfo", "applicant", "auditor"):
        with pytest.raises(PermissionDenied):
            _decide(users[role], round)


def test_a_round_still_being_assessed_cannot_be_decided(pcc, round):
    application = _applications(round)[0]
    application.status = Application.Status.MODERATED
    application.save()
    with pytest.raises(ValidationError, match="still being assessed"):
        _decide(pcc, round)


def test_a_round_still_open_for_applications_cannot_be_decided(pcc, round):
    round.closes_at = timezone.now() + dt.timedelta(days=2)
    round.save()
    with pytest.raises(ValidationError, match="is open for applications until"):
        _decide(pcc, round)


def test_a_decided_round_cannot_be_decided_again(pcc, round):
    decision = _decide(pcc, round)
    with pytest.raises(ValidationError, match=f"already decided this round \\(decision {decision.number},"):
        _decide(pcc, round)


def test_the_pcc_decides_one_application_with_its_own_record(pcc, round, applicant):
    own = _own(round, applicant)
    decision = services.application_decide(
        actor=pcc, application=own, award=True, decided_on=timezone.localdate(), reasons="Exceptional need"
    )
    assert decision.amount == Decimal("2500.00") and own.reference in decision.subject
    own.refresh_from_db()
    assert own.status == Application.Status.AWARDED and own.award.decision == decision
    round.refresh_from_db()
    assert round.status == GrantRound.Status.ASSESSING  # others still wait
    for application in round.applications.exclude(pk=own.pk):
        services.application_decide(
            actor=pcc, application=application, award=False, decided_on=timezone.localdate(), reasons="Lower score"
        )
    round.refresh_from_db()
    assert round.status == GrantRound.Status.DECIDED


def test_an_individual_award_stays_within_the_scheme_limits(pcc, round, applicant):
    with pytest.raises(ValidationError) as refused:
        services.application_decide(
            actor=pcc,
            application=_own(round, applicant),
            award=True,
            amount="3000.01",
            decided_on=timezone.localdate(),
            reasons="Exceptional need",
        )
    assert "Enter an amount between £100.00 and £3,000.00" in refused.value.message_dict["amount"][0]


# --- Accepting -------------------------------------------------------------------------------------------


def _offered(pcc, round, applicant) -> Award:
    _decide(pcc, round)
    return Award.objects.get(application__organisation=applicant.organisation, application__round=round)


def test_acceptance_creates_service_agreement_and_commitment(pcc, round, applicant, django_capture_on_commit_callbacks):
    award = _offered(pcc, round, applicant)
    committed_before = fund_position(fund=round.fund, year=round.year).committed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        award = services.award_accept(actor=applicant, award=award, name="Sam Example")
    assert award.status == Award.Status.ACCEPTED and award.accepted_by == applicant and award.accepted_at
    agreement = award.agreement
    assert agreement.kind == Agreement.Kind.GRANT and agreement.regime == Agreement.Regime.GRANT
    assert agreement.status == Agreement.Status.ACTIVE and agreement.value == Decimal("2500.00")
    assert agreement.decision == award.decision and agreement.conditions == award.conditions
    assert agreement.repayment_conditions == award.repayment_conditions
    service = agreement.service
    application = award.application
    assert service.approach == Service.Approach.COMMUNITY_GRANT and service.status == Service.Status.ACTIVE
    assert service.provider == applicant.organisation
    assert (service.starts_on, service.ends_on) == (application.starts_on, application.ends_on)
    assert set(service.priorities.all()) == set(application.priorities.all())
    commitment = Commitment.objects.get(agreement=agreement)
    assert (commitment.fund, commitment.year) == (round.fund, round.year)
    assert commitment.status == Commitment.Status.COMMITTED and commitment.amount == Decimal("2500.00")
    schedule = list(commitment.schedule.filter(status=ScheduledPayment.Status.DUE))
    # Paid in advance, but never before the agreement starts (ADR 0007): due on the project's first day.
    assert [(row.due_on, row.amount) for row in schedule] == [(agreement.starts_on, Decimal("2500.00"))]
    assert agreement.starts_on > dt.date(2026, 4, 1)
    assert fund_position(fund=round.fund, year=round.year).committed == committed_before + Decimal("2500.00")
    # The history names the applicant for the acceptance and the PCC's decision for the steps it authorised.
    assert award.history.first().history_user == applicant
    assert "Sam Example" in award.history.first().history_change_reason
    assert commitment.approved_by == award.decision.decided_by
    assert any("pay £2,500.00 in advance" in message.subject for message in mail.outbox)


def test_acceptance_needs_a_name(pcc, round, applicant):
    award = _offered(pcc, round, applicant)
    with pytest.raises(ValidationError) as refused:
        services.award_accept(actor=applicant, award=award, name="  ")
    assert refused.value.message_dict == {"name": ["Enter your full name"]}


def test_only_the_recipients_applicant_accepts_once(pcc, round, applicant, users):
    award = _offered(pcc, round, applicant)
    for role in ("pcc", "commissioning_manager", "finance_officer", "provider"):
        with pytest.raises(PermissionDenied):
            services.award_accept(actor=users[role], award=award, name="Someone")
    services.award_accept(actor=applicant, award=award, name="Sam Example")
    with pytest.raises(PermissionDenied):
        services.award_accept(actor=applicant, award=award, name="Sam Example")


def test_a_ring_fenced_fund_refuses_and_nothing_is_saved(pcc, users, applicant):
    fence = RingFencedFundFactory(code="grants-csa", name="Child Sexual Abuse fund")
    round = round_to_decide(
        finance=users["finance_officer"], fund=fence, recommended=(("2500.00", applicant.organisation),)
    )
    award = _offered(pcc, round, applicant)
    services_before = Service.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.award_accept(actor=applicant, award=award, name="Sam Example")
    message = " ".join(refused.value.messages)
    assert "Child Sexual Abuse fund is ring-fenced for victims of child sexual abuse only" in message
    assert "your acceptance has not been recorded" in message
    award.refresh_from_db()
    assert award.status == Award.Status.OFFERED and award.agreement is None
    assert Service.objects.count() == services_before
    assert not Commitment.objects.filter(fund=fence).exists()


def test_the_funds_engine_refuses_an_acceptance_over_budget(pcc, round, applicant, users):
    award = _offered(pcc, round, applicant)
    fund_services.budget_set_total(
        actor=users["finance_officer"], fund=round.fund, year=round.year, amount="1000.00", reason="Cut in year"
    )
    with pytest.raises(ValidationError) as refused:
        services.award_accept(actor=applicant, award=award, name="Sam Example")
    message = " ".join(refused.value.messages)
    assert "has £1,000.00 available in 2026/27" in message and "needs £2,500.00" in message
    award.refresh_from_db()
    assert award.status == Award.Status.OFFERED


def test_the_applicant_can_decline(pcc, round, applicant, django_capture_on_commit_callbacks, users):
    award = _offered(pcc, round, applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.award_decline(actor=applicant, award=award, reason="We found other funding")
    award.refresh_from_db()
    assert award.status == Award.Status.DECLINED
    assert [m.to for m in mail.outbox] == [[users["commissioning_manager"].email]]
    with pytest.raises(PermissionDenied):
        services.award_accept(actor=applicant, award=award, name="Sam Example")


# --- Repayment -------------------------------------------------------------------------------------------


def _paid(pcc, round, applicant, finance) -> Award:
    award = services.award_accept(actor=applicant, award=_offered(pcc, round, applicant), name="Sam Example")
    commitment = Commitment.objects.get(agreement=award.agreement)
    fund_services.payment_record(
        actor=finance, commitment=commitment, amount="2500.00", paid_on=timezone.localdate(), reference="PAY-1"
    )
    return award


@pytest.mark.parametrize("role", ["commissioning_manager", "finance_officer"])
def test_a_repayment_is_asked_for_when_a_condition_is_not_met(
    pcc, round, applicant, users, role, django_capture_on_commit_callbacks
):
    award = _paid(pcc, round, applicant, users["finance_officer"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        repayment = reports.award_repayment_request(
            actor=users[role], award=award, amount="500.00", reason="£500 was not spent by the end date"
        )
    assert repayment.amount == Decimal("500.00") and repayment.requested_by == users[role]
    assert repayment.commitment.agreement == award.agreement
    award.refresh_from_db()
    assert award.status == Award.Status.REPAYMENT_REQUESTED
    assert len(mail.outbox) == 1 and applicant.email in mail.outbox[0].to
    assert "repay £500.00" in mail.outbox[0].subject


def test_a_repayment_is_never_more_than_was_paid(pcc, round, applicant, users):
    award = _paid(pcc, round, applicant, users["finance_officer"])
    with pytest.raises(ValidationError, match="ask for £2,500.00 or less"):
        reports.award_repayment_request(
            actor=users["commissioning_manager"], award=award, amount="2600.00", reason="Misused"
        )


def test_only_officers_ask_for_repayment_and_only_after_acceptance(pcc, round, applicant, users):
    award = _offered(pcc, round, applicant)
    for role in ("policy_officer", "applicant", "pcc", "auditor"):
        with pytest.raises(PermissionDenied):
            reports.award_repayment_request(actor=users[role], award=award, amount="1", reason="x")
    with pytest.raises(ValidationError, match="only once a grant has been accepted"):
        reports.award_repayment_request(actor=users["finance_officer"], award=award, amount="1", reason="x")


# --- Ready for publishing --------------------------------------------------------------------------------


def test_every_award_is_ready_for_publishing(pcc, round, applicant, users):
    Organisation.objects.create(name="Office of the Test Police and Crime Commissioner", kind="opcc")
    _decide(pcc, round)
    AwardFactory()  # and one built directly
    declined = AwardFactory(status=Award.Status.DECLINED)
    rows = [row for row in grants_made() if row.route == COMMUNITY]
    assert len(rows) == Award.objects.exclude(status=Award.Status.DECLINED).count() == 3
    for row in rows:
        for name in ("reference", "title", "description", "recipient_org_id", "recipient_name", "conditions"):
            assert getattr(row, name), (name, row)
        assert row.amount > 0 and row.award_date
    own = next(r for r in rows if r.recipient_name == applicant.organisation.name)
    assert own.reference == _own(round, applicant).reference
    assert own.recipient_org_id == applicant.organisation.org_id
    assert not any(r.reference == declined.application.reference for r in rows)


def test_review_findings_an_individual_decision_waits_for_the_round_to_close_and_is_capped(users):
    """Review findings: deciding one application while its round is open, or above what was asked for."""
    import datetime as dt
    from decimal import Decimal

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from commissioning.grants.services import awards as award_services
    from commissioning.grants.tests.factories import RecommendedApplicationFactory

    application = RecommendedApplicationFactory()
    grant_round = application.round
    grant_round.closes_at = timezone.now() + dt.timedelta(days=3)
    grant_round.save()
    with pytest.raises(ValidationError, match="Decide it once it has closed"):
        award_services.application_decide(
            actor=users["pcc"], application=application, award=True, decided_on=dt.date(2026, 11, 1), reasons="Good"
        )
    grant_round.closes_at = timezone.now() - dt.timedelta(days=1)
    grant_round.save()
    too_much = application.amount_requested + Decimal("1.00")
    with pytest.raises(ValidationError) as caught:
        award_services.application_decide(
            actor=users["pcc"],
            application=application,
            award=True,
            decided_on=dt.date(2026, 11, 1),
            reasons="Good",
            amount=too_much,
        )
    assert "the amount the applicant asked for" in str(caught.value)


def test_review_findings_no_one_decides_an_application_they_declared_a_conflict_on(users):
    import datetime as dt

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from commissioning.grants.services import awards as award_services
    from commissioning.grants.tests.factories import AssessorAssignmentFactory, RecommendedApplicationFactory

    application = RecommendedApplicationFactory()
    application.round.closes_at = timezone.now() - dt.timedelta(days=1)
    application.round.save()
    AssessorAssignmentFactory(
        application=application, assessor=users["pcc"], declaration="conflict", conflict_details="Trustee"
    )
    with pytest.raises(ValidationError, match="conflict of interest"):
        award_services.application_decide(
            actor=users["pcc"], application=application, award=True, decided_on=dt.date(2026, 11, 1), reasons="Good"
        )
