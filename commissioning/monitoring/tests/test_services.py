"""Per-service KPIs, the return schedule, and a return's life: due, submitted, queried, resubmitted, accepted."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from commissioning.monitoring import services
from commissioning.monitoring.models import KpiReturn, ReturnDecision, ReturnSchedule, ReturnStatus, ServiceKpi
from commissioning.monitoring.services import TOTAL
from commissioning.monitoring.tests.factories import (
    GenderDefinitionFactory,
    KpiDefinitionFactory,
    KpiReturnFactory,
    ServiceFactory,
)


@pytest.fixture
def service(users):
    return ServiceFactory(provider=users["provider"].organisation, starts_on=dt.date(2025, 4, 1))


@pytest.fixture
def dataset(db):
    """Two minimum-dataset measures (a count and a breakdown) and one that is not in the minimum dataset."""
    KpiDefinitionFactory(code="not-minimum", name="Optional", is_minimum_dataset=False, order=9)
    return KpiDefinitionFactory(), GenderDefinitionFactory()


# KPIs ---------------------------------------------------------------------------------------------------------


def test_minimum_dataset_attached_in_one_action_and_only_once(users, service, dataset):
    officer = users["policy_officer"]
    added = services.kpis_attach_minimum_dataset(actor=officer, service=service)
    assert [kpi.label for kpi in added] == ["Number of beneficiaries", "Gender"]
    assert all(kpi.effective_from == service.starts_on for kpi in added)
    assert services.kpis_attach_minimum_dataset(actor=officer, service=service) == []
    assert service.kpis.count() == 2
    assert added[0].history.first().history_user == officer


def test_only_commissioning_officers_manage_kpis(users, service, dataset):
    for role in ("provider", "finance_officer", "auditor", "pcc"):
        with pytest.raises(PermissionDenied):
            services.kpis_attach_minimum_dataset(actor=users[role], service=service)
    services.kpis_attach_minimum_dataset(actor=users["commissioning_manager"], service=service)


def test_own_breakdown_measure_names_its_not_known_category(users, service):
    officer = users["policy_officer"]
    with pytest.raises(ValidationError) as error:
        services.kpi_add(
            officer,
            service,
            name="Sessions by venue",
            kind="breakdown",
            breakdown=["Bournemouth", "Poole"],
            not_known="Unknown",
        )
    assert "not_known" in error.value.message_dict
    kpi = services.kpi_add(
        officer,
        service,
        name="Sessions by venue",
        kind="breakdown",
        breakdown=["Bournemouth", "Poole", "Unknown"],
        not_known="Unknown",
        adds_up=False,
        unit="sessions",
        target=30,
        direction="higher",
    )
    assert kpi.categories == ["Bournemouth", "Poole", "Unknown"] and not kpi.must_add_up


def test_kpi_update_checks_dates_and_keeps_a_definition_fixed(users, service, dataset):
    officer = users["policy_officer"]
    kpi = services.kpis_attach_minimum_dataset(actor=officer, service=service)[0]
    services.kpi_update(actor=officer, kpi=kpi, data={"target": 120, "direction": "lower"}, reason="New contract")
    kpi.refresh_from_db()
    assert (kpi.target, kpi.direction) == (120, "lower")
    assert kpi.history.first().history_change_reason == "New contract"
    with pytest.raises(ValidationError) as error:
        services.kpi_update(actor=officer, kpi=kpi, data={"effective_to": dt.date(2024, 1, 1)})
    assert "effective_to" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.kpi_update(actor=officer, kpi=kpi, data={"name": "Renamed"})


def test_a_service_reports_a_definition_once(service, dataset):
    ServiceKpi.objects.create(service=service, definition=dataset[0], effective_from=service.starts_on)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceKpi.objects.create(service=service, definition=dataset[0], effective_from=service.starts_on)


# The schedule -------------------------------------------------------------------------------------------------


def test_quarterly_periods_follow_the_financial_year():
    found = services.periods(frequency="quarterly", starts_on=dt.date(2025, 5, 15), ends_on=dt.date(2025, 12, 31))
    assert found == [
        (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    ]
    assert services.periods(frequency="yearly", starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 2, 1)) == [
        (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    ]


def test_returns_are_due_for_every_ended_period_once(service):
    created = services.returns_ensure(service=service, today=dt.date(2026, 1, 10))
    assert [(r.starts_on, r.due_on) for r in created] == [
        (dt.date(2025, 4, 1), dt.date(2025, 7, 28)),
        (dt.date(2025, 7, 1), dt.date(2025, 10, 28)),
        (dt.date(2025, 10, 1), dt.date(2026, 1, 28)),
    ]
    assert services.returns_ensure(service=service, today=dt.date(2026, 1, 10)) == []
    assert created[0].is_overdue(dt.date(2026, 1, 10)) and not created[2].is_overdue(dt.date(2026, 1, 10))


def test_a_planned_service_has_no_returns(service):
    service.status = "planned"
    assert services.returns_ensure(service=service, today=dt.date(2026, 1, 10)) == []


def test_schedule_change_replaces_unstarted_returns(users, service):
    services.returns_ensure(service=service, today=dt.date(2026, 1, 10))
    schedule = services.schedule_set(
        actor=users["commissioning_manager"], service=service, frequency="half_yearly", days_to_submit=42
    )
    assert ReturnSchedule.objects.get(service=service) == schedule
    periods = list(service.kpi_returns.order_by("starts_on").values_list("starts_on", "ends_on", "due_on"))
    assert periods[0] == (dt.date(2025, 4, 1), dt.date(2025, 9, 30), dt.date(2025, 11, 11))
    with pytest.raises(ValidationError):
        services.schedule_set(
            actor=users["commissioning_manager"], service=service, frequency="quarterly", days_to_submit=0
        )


def test_a_yearly_measure_is_only_in_the_return_ending_in_march(users, service, dataset):
    officer = users["policy_officer"]
    count, _ = (kpi for kpi in services.kpis_attach_minimum_dataset(actor=officer, service=service))
    services.kpi_update(actor=officer, kpi=count, data={"frequency": "yearly"})
    june = KpiReturnFactory.build(service=service, starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2025, 6, 30))
    march = KpiReturnFactory.build(service=service, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31))
    assert [k.label for k in services.kpis_for_return(june)] == ["Gender"]
    assert [k.label for k in services.kpis_for_return(march)] == ["Number of beneficiaries", "Gender"]
    late = KpiReturnFactory.build(service=service, starts_on=dt.date(2030, 1, 1), ends_on=dt.date(2030, 3, 31))
    services.kpi_update(actor=officer, kpi=count, data={"effective_to": dt.date(2029, 3, 31)})
    assert [k.label for k in services.kpis_for_return(late)] == ["Gender"]


# Returns ------------------------------------------------------------------------------------------------------


@pytest.fixture
def kpis(users, service, dataset):
    return services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)


@pytest.fixture
def kpi_return(service):
    return KpiReturnFactory(service=service)


def good_values(kpis, people=10):
    count, gender = kpis
    return {
        (count.pk, TOTAL): people,
        (gender.pk, TOTAL): people,
        (gender.pk, "Female"): people - 3,
        (gender.pk, "Male"): 2,
        (gender.pk, "Not known"): 1,
    }


def test_every_problem_is_reported_and_nothing_saved(users, kpis, kpi_return):
    count, gender = kpis
    values = good_values(kpis)
    values[(count.pk, TOTAL)] = None  # not a whole number
    values[(gender.pk, "Male")] = 5  # 7 + 5 + 1 is not 10
    del values[(gender.pk, "Not known")]
    with pytest.raises(ValidationError) as error:
        services.return_submit(actor=users["provider"], kpi_return=kpi_return, values=values)
    errors = error.value.message_dict
    assert errors[f"kpi_{count.pk}_total"] == [
        "Number of beneficiaries: total must be a whole number, 0 or more, like 12"
    ]
    assert errors[f"kpi_{gender.pk}_2"] == ["Enter Gender: Not known, 0 if there were none"]
    assert kpi_return.versions.count() == 0
    values[(gender.pk, "Not known")] = 1
    values[(count.pk, TOTAL)] = 10
    with pytest.raises(ValidationError) as error:
        services.return_submit(actor=users["provider"], kpi_return=kpi_return, values=values)
    assert "add up to 13 but the total is 10" in error.value.message_dict[f"kpi_{gender.pk}_total"][0]


@pytest.mark.parametrize("figure", [-1, 2_147_483_648, 1.5])
def test_figures_are_whole_numbers_the_database_can_keep(users, kpis, kpi_return, figure):
    values = good_values(kpis)
    values[(kpis[0].pk, TOTAL)] = figure
    with pytest.raises(ValidationError) as error:
        services.return_submit(actor=users["provider"], kpi_return=kpi_return, values=values)
    assert list(error.value.message_dict) == [f"kpi_{kpis[0].pk}_total"]


def test_a_breakdown_that_need_not_add_up_caps_each_category_at_the_total(users, service, kpi_return):
    kpi = services.kpi_add(
        users["policy_officer"],
        service,
        name="Referred on",
        kind="breakdown",
        breakdown=["Housing", "Health", "Not known"],
        not_known="Not known",
        adds_up=False,
    )
    values = {(kpi.pk, TOTAL): 5, (kpi.pk, "Housing"): 4, (kpi.pk, "Health"): 4, (kpi.pk, "Not known"): 0}
    services.return_submit(actor=users["provider"], kpi_return=kpi_return, values=values)  # 8 > 5 is fine here
    kpi_return.status = ReturnStatus.QUERIED
    kpi_return.save()
    values[(kpi.pk, "Housing")] = 6
    with pytest.raises(ValidationError) as error:
        services.return_submit(actor=users["provider"], kpi_return=kpi_return, values=values)
    assert error.value.message_dict[f"kpi_{kpi.pk}_0"] == ["Referred on: Housing cannot be more than the total, 5"]


def test_the_whole_life_of_a_return_keeps_every_version(users, kpis, kpi_return):
    provider, officer = users["provider"], users["policy_officer"]
    first = services.return_submit(actor=provider, kpi_return=kpi_return, values=good_values(kpis, 10), note="Q1")
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.SUBMITTED and first.number == 1
    with pytest.raises(ValidationError):  # not again until it is queried
        services.return_submit(actor=provider, kpi_return=kpi_return, values=good_values(kpis))
    with pytest.raises(ValidationError) as error:
        services.return_query(actor=officer, kpi_return=kpi_return, comments=" ")
    assert "comments" in error.value.message_dict
    services.return_query(actor=officer, kpi_return=kpi_return, comments="The total looks low for a quarter")
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.QUERIED
    second = services.return_submit(actor=provider, kpi_return=kpi_return, values=good_values(kpis, 40))
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.RESUBMITTED and second.number == 2
    decision = services.return_accept(actor=users["commissioning_manager"], kpi_return=kpi_return)
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.ACCEPTED and decision.version == second
    assert first.values.get(kpi=kpis[0]).value == 10 and second.values.get(kpi=kpis[0]).value == 40
    assert list(first.decisions.values_list("outcome", flat=True)) == [ReturnDecision.Outcome.QUERIED]
    with pytest.raises(ValidationError):
        services.return_accept(actor=officer, kpi_return=kpi_return)
    reasons = [h.history_change_reason for h in kpi_return.history.order_by("history_date")]
    assert reasons[1:] == ["Version 1 submitted", "Version 1 queried", "Version 2 submitted", "Version 2 accepted"]


def test_only_the_services_provider_submits_and_only_officers_decide(users, kpis, kpi_return):
    other = KpiReturnFactory(service=ServiceFactory())
    with pytest.raises(PermissionDenied):
        services.return_submit(actor=users["provider"], kpi_return=other, values={})
    for role in ("partner", "policy_officer", "auditor"):
        with pytest.raises(PermissionDenied):
            services.return_submit(actor=users[role], kpi_return=kpi_return, values=good_values(kpis))
    services.return_submit(actor=users["provider"], kpi_return=kpi_return, values=good_values(kpis))
    for role in ("provider", "finance_officer", "cfo", "auditor"):
        with pytest.raises(PermissionDenied):
            services.return_accept(actor=users[role], kpi_return=kpi_return)


def test_a_return_is_submitted_after_its_period(users, kpis, service):
    running = KpiReturnFactory(
        service=service, starts_on=dt.date(2099, 4, 1), ends_on=dt.date(2099, 6, 30), due_on=dt.date(2099, 7, 28)
    )
    with pytest.raises(ValidationError) as error:
        services.return_submit(actor=users["provider"], kpi_return=running, values=good_values(kpis))
    assert "submit the return after it ends" in error.value.messages[0]


def test_the_database_holds_one_return_per_period(service):
    KpiReturnFactory(service=service)
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiReturn.objects.create(
            service=service, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 6, 30), due_on=dt.date(2026, 7, 1)
        )
