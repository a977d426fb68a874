"""Exit (issue 11, point 5) and Procurement Act contract management (point 6)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement, AgreementExit, Service
from commissioning.agreements.tests.factories import AgreementFactory, ServiceFactory
from commissioning.funds import services as fund_services
from commissioning.funds.models import Commitment
from commissioning.funds.tests.factories import FinancialYearFactory, FundFactory
from commissioning.monitoring import selectors, services
from commissioning.monitoring.models import ContractAssessment, KpiReturn
from commissioning.monitoring.tests.factories import ServiceKpiFactory

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def money(users):
    """An agreement to 31 March 2028 with £40,000 committed in 2026/27 (£10,000 paid) and £40,000 in 2027/28."""
    finance, cfo = users["finance_officer"], users["cfo"]
    fund = FundFactory(code="exit-fund", name="Exit test fund")
    agreement = AgreementFactory(starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2028, 3, 31))
    commitments = []
    for start_year in (2026, 2027):
        year = FinancialYearFactory(start_year=start_year)
        fund_services.budget_set_total(actor=finance, fund=fund, year=year, amount="100000", reason="Budget")
        commitment = fund_services.commitment_plan(
            actor=finance, fund=fund, year=year, agreement=agreement, amount="40000"
        )
        commitments.append(fund_services.commitment_approve(actor=cfo, commitment=commitment))
    fund_services.payment_record(
        actor=finance, commitment=commitments[0], amount="10000", paid_on=dt.date(2026, 6, 30), reference="P1"
    )
    return agreement, commitments


def _terminate(actor, agreement, **overrides):
    data = {
        "kind": "termination",
        "notice_given_on": dt.date(2026, 12, 1),
        "notice_period_days": 90,
        "reason": "The provider is closing its Dorset office",
        "service_users": "transferred",
        "transition_plan": "Open cases move to the county-wide service by 28 February 2027",
        "still_to_pay": "15000",
        "today": TODAY,
    }
    return services.exit_record(actor=actor, agreement=agreement, **{**data, **overrides})


def test_termination_releases_money_back_to_the_fund_and_schedules_the_final_return(money, users):
    agreement, (this_year, next_year) = money
    exit_ = _terminate(users["commissioning_manager"], agreement)
    assert exit_.ends_on == dt.date(2027, 3, 1)
    # This year: £30,000 unpaid, £15,000 still to pay: £15,000 released. Next year: all £40,000 released.
    assert exit_.released == Decimal("55000.00")
    this_year.refresh_from_db()
    next_year.refresh_from_db()
    assert this_year.released_amount == Decimal("15000.00")
    assert this_year.status == Commitment.Status.APPROVED
    assert next_year.released_amount == Decimal("40000.00")
    assert next_year.status == Commitment.Status.RELEASED
    agreement.refresh_from_db()
    assert agreement.ends_on == dt.date(2027, 3, 1)
    assert agreement.status == Agreement.Status.ACTIVE  # until the end date comes
    final = KpiReturn.objects.get(service=agreement.service, ends_on=dt.date(2027, 3, 1))
    assert final.starts_on == dt.date(2027, 1, 1)
    assert final.due_on == dt.date(2027, 3, 29)
    assert exit_.history.count() == 1


def test_completing_on_the_end_date_ends_the_agreement_and_the_service(money, users):
    agreement, _ = money
    manager = users["commissioning_manager"]
    exit_ = _terminate(manager, agreement)
    with pytest.raises(ValidationError):
        agreement_services.agreement_exit_complete(actor=manager, agreement_exit=exit_, today=TODAY)
    exit_ = agreement_services.agreement_exit_complete(actor=manager, agreement_exit=exit_, today=dt.date(2027, 3, 1))
    assert exit_.status == AgreementExit.Status.COMPLETED
    agreement.refresh_from_db()
    agreement.service.refresh_from_db()
    assert agreement.status == Agreement.Status.TERMINATED
    assert agreement.service.status == Service.Status.ENDED


def test_an_exit_whose_end_date_has_passed_is_completed_at_once(users):
    agreement = AgreementFactory(starts_on=dt.date(2024, 4, 1), ends_on=dt.date(2026, 9, 30))
    exit_ = services.exit_record(
        actor=users["cfo"],
        agreement=agreement,
        kind="expiry",
        notice_given_on=dt.date(2026, 6, 1),
        notice_period_days=0,
        reason="Reached its end date",
        service_users="completed",
        transition_plan="Every client's support ended by September",
        today=TODAY,
    )
    assert exit_.status == AgreementExit.Status.COMPLETED
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ENDED


def test_bad_input_is_named_by_field_and_nothing_is_released(money, users):
    agreement, (this_year, _) = money
    with pytest.raises(ValidationError) as error:
        _terminate(
            users["commissioning_manager"],
            agreement,
            notice_given_on=dt.date(2027, 1, 1),
            reason="",
            transition_plan="",
            service_users="",
        )
    assert {"notice_given_on", "reason", "transition_plan", "service_users"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        _terminate(users["commissioning_manager"], agreement, still_to_pay="30000.01")
    assert "still_to_pay" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _terminate(users["commissioning_manager"], agreement, notice_period_days=600)
    assert "notice_period_days" in error.value.message_dict
    this_year.refresh_from_db()
    assert this_year.released_amount == 0
    assert not AgreementExit.objects.exists()


@pytest.mark.parametrize("role", ["policy_officer", "finance_officer", "pcc", "provider", "auditor"])
def test_only_the_commissioning_manager_or_cfo_ends_an_agreement(money, users, role):
    agreement, _ = money
    with pytest.raises(PermissionDenied):
        _terminate(users[role], agreement)


def test_closed_years_are_left_alone(money, users):
    agreement, (this_year, _) = money
    this_year.year.status = "closed"
    this_year.year.save()
    exit_ = _terminate(users["commissioning_manager"], agreement, still_to_pay="0")
    this_year.refresh_from_db()
    assert this_year.released_amount == 0
    assert exit_.released == Decimal("40000.00")


# Procurement Act 2023 contract management ---------------------------------------------------------------------


@pytest.fixture
def large_contract(db):
    service = ServiceFactory(starts_on=dt.date(2025, 10, 1))
    return AgreementFactory(
        service=service,
        kind=Agreement.Kind.CONTRACT,
        regime=Agreement.Regime.PA_2023,
        value=Decimal("6200000.00"),
        starts_on=dt.date(2025, 10, 1),
        ends_on=dt.date(2030, 9, 30),
        status=Agreement.Status.DRAFT,
        signed_on=None,
    )


def test_a_large_contract_is_signed_only_with_three_kpis(large_contract, users):
    manager = users["commissioning_manager"]
    ServiceKpiFactory(service=large_contract.service, effective_from=dt.date(2025, 10, 1))
    with pytest.raises(ValidationError) as error:
        agreement_services.agreement_activate(actor=manager, agreement=large_contract, signed_on=dt.date(2025, 9, 1))
    assert "at least 3 KPIs" in str(error.value)
    ServiceKpiFactory.create_batch(2, service=large_contract.service, effective_from=dt.date(2025, 10, 1))
    agreement_services.agreement_activate(actor=manager, agreement=large_contract, signed_on=dt.date(2025, 9, 1))


def test_smaller_or_older_contracts_need_no_assessment(db):
    small = AgreementFactory(kind="contract", regime="pa_2023", value=Decimal("5000000.00"))
    pcr = AgreementFactory(kind="contract", regime="pcr_2015", value=Decimal("9000000.00"))
    assert services.contract_rule_for(small) is None
    assert services.contract_rule_for(pcr) is None


def test_yearly_assessment_recorded_and_published(large_contract, users):
    large_contract.status = Agreement.Status.ACTIVE
    large_contract.save()
    officer, manager = users["policy_officer"], users["commissioning_manager"]
    assert [a.kpi_count for a in selectors.large_contracts(today=TODAY)] == [0]
    with pytest.raises(ValidationError) as error:
        services.assessment_record(
            actor=officer,
            agreement=large_contract,
            period_starts_on=dt.date(2025, 10, 1),
            period_ends_on=dt.date(2026, 9, 30),
            rating="good",
            narrative="All three KPIs met",
        )
    assert "at least 3 KPIs" in error.value.message_dict["rating"][0]
    ServiceKpiFactory.create_batch(3, service=large_contract.service, effective_from=dt.date(2025, 10, 1))
    with pytest.raises(ValidationError) as error:
        services.assessment_record(
            actor=officer,
            agreement=large_contract,
            period_starts_on=dt.date(2025, 10, 1),
            period_ends_on=dt.date(2026, 10, 1),
            rating="",
            narrative="",
        )
    assert {"period_ends_on", "rating", "narrative"} == set(error.value.message_dict)
    assessment = services.assessment_record(
        actor=officer,
        agreement=large_contract,
        period_starts_on=dt.date(2025, 10, 1),
        period_ends_on=dt.date(2026, 9, 30),
        rating=ContractAssessment.Rating.APPROACHING,
        narrative="Two KPIs met; referrals within 48 hours at 88% against 90%.",
    )
    assert assessment.kpis_assessed == 3
    assert list(selectors.published_assessments()) == []
    with pytest.raises(PermissionDenied):
        services.assessment_publish(actor=officer, assessment=assessment)
    services.assessment_publish(actor=manager, assessment=assessment)
    assert list(selectors.published_assessments()) == [assessment]
