"""The monitoring pages: a provider's web form with every problem shown, officers' decisions, lists."""

import datetime as dt

import pytest
from django.urls import reverse

from commissioning.monitoring import services
from commissioning.monitoring.models import KpiReturn, ReturnStatus
from commissioning.monitoring.tests.factories import (
    GenderDefinitionFactory,
    KpiDefinitionFactory,
    KpiReturnFactory,
    ServiceFactory,
)


@pytest.fixture
def service(users):
    return ServiceFactory(name="Safe Steps", provider=users["provider"].organisation)


@pytest.fixture
def kpis(users, service):
    KpiDefinitionFactory(), GenderDefinitionFactory()
    return services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)


@pytest.fixture
def kpi_return(service):
    return KpiReturnFactory(service=service)


def _form(kpis, total="10", female="7", male="2", not_known="1"):
    count, gender = kpis
    return {
        f"kpi_{count.pk}_total": total,
        f"kpi_{gender.pk}_total": total,
        f"kpi_{gender.pk}_0": female,
        f"kpi_{gender.pk}_1": male,
        f"kpi_{gender.pk}_2": not_known,
        "note": "A quiet quarter",
    }


def test_the_web_form_shows_every_problem_and_saves_nothing(client_for, kpis, kpi_return):
    url = reverse("monitoring:return_submit", args=[kpi_return.pk])
    page = client_for("provider").get(url)
    assert page.status_code == 200
    assert "Number of beneficiaries" in page.content.decode() and "Not known" in page.content.decode()
    response = client_for("provider").post(url, _form(kpis, total="²", male="5", not_known=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and html.count("govuk-error-message") == 3
    assert "Number of beneficiaries: total must be a whole number, 0 or more, like 12" in html
    assert "Enter Gender: Not known, 0 if there were none" in html
    assert f'href="#id_kpi_{kpis[0].pk}_total"' in html
    assert kpi_return.versions.count() == 0


def test_provider_submits_and_officer_queries_then_accepts(client_for, kpis, kpi_return):
    submit = reverse("monitoring:return_submit", args=[kpi_return.pk])
    decide = reverse("monitoring:return_decide", args=[kpi_return.pk])
    response = client_for("provider").post(submit, _form(kpis))
    assert response.status_code == 302
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.SUBMITTED
    response = client_for("policy_officer").post(decide, {"outcome": "queried", "comments": ""})
    assert "Say what the provider needs to check or correct" in response.content.decode()
    client_for("policy_officer").post(decide, {"outcome": "queried", "comments": "Check the gender figures"})
    page = client_for("provider").get(submit).content.decode()
    assert "Check the gender figures" in page and 'value="7"' in page  # the last version's figures to correct
    client_for("provider").post(submit, _form(kpis, total="12", female="9"))
    client_for("commissioning_manager").post(decide, {"outcome": "accepted", "comments": ""})
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.ACCEPTED
    detail = client_for("provider").get(reverse("monitoring:return_detail", args=[kpi_return.pk])).content.decode()
    assert "Version 2" in detail and "Earlier versions" in detail and "Check the gender figures" in detail


def test_an_accepted_return_cannot_be_submitted_again(client_for, kpis, kpi_return):
    kpi_return.status = ReturnStatus.ACCEPTED
    kpi_return.save()
    response = client_for("provider").post(reverse("monitoring:return_submit", args=[kpi_return.pk]), _form(kpis))
    assert response.status_code == 200 and "It can be submitted again only if the OPCC queries it" in (
        response.content.decode()
    )
    assert kpi_return.versions.count() == 0


def test_a_provider_lists_only_its_own_returns(client_for, service, kpi_return):
    KpiReturnFactory(service=ServiceFactory(name="Somebody Else's Service"))
    html = client_for("provider").get(reverse("monitoring:return_list")).content.decode()
    assert "Safe Steps" in html and "Somebody Else" not in html
    html = client_for("policy_officer").get(reverse("monitoring:return_list")).content.decode()
    assert "Safe Steps" in html and "Somebody Else" in html


def test_overdue_list_shows_only_due_returns_past_their_date(client_for, service):
    KpiReturnFactory(
        service=service, starts_on=dt.date(2020, 4, 1), ends_on=dt.date(2020, 6, 30), due_on=dt.date(2020, 7, 28)
    )
    KpiReturnFactory(
        service=service,
        starts_on=dt.date(2020, 7, 1),
        ends_on=dt.date(2020, 9, 30),
        due_on=dt.date(2020, 10, 28),
        status=ReturnStatus.SUBMITTED,
    )
    html = client_for("commissioning_manager").get(reverse("monitoring:overdue_list")).content.decode()
    assert "1 April 2020 to 30 June 2020" in html and "1 July 2020" not in html


@pytest.mark.parametrize("url_name", ["monitoring:return_list", "monitoring:overdue_list"])
def test_lists_take_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, url_name):
    for _n in range(30):
        service = ServiceFactory()
        KpiReturnFactory(
            service=service, starts_on=dt.date(2020, 4, 1), ends_on=dt.date(2020, 6, 30), due_on=dt.date(2020, 7, 28)
        )
    client = client_for("policy_officer")
    with django_assert_max_num_queries(8):
        response = client.get(reverse(url_name))
    assert response.status_code == 200 and KpiReturn.objects.count() == 30


def test_officer_attaches_the_minimum_dataset_and_sets_a_schedule(client_for, service):
    KpiDefinitionFactory()
    client = client_for("policy_officer")
    assert client.post(reverse("monitoring:kpis_attach", args=[service.pk])).status_code == 302
    assert service.kpis.count() == 1
    response = client.post(
        reverse("monitoring:schedule_edit", args=[service.pk]), {"frequency": "monthly", "days_to_submit": "100"}
    )
    assert "Enter a number of days from 1 to 90" in response.content.decode()
    client.post(
        reverse("monitoring:schedule_edit", args=[service.pk]), {"frequency": "monthly", "days_to_submit": "14"}
    )
    assert service.return_schedule.frequency == "monthly"
    page = client.get(reverse("monitoring:service_monitoring", args=[service.pk])).content.decode()
    assert "Monthly returns, due 14 days after each period ends" in page
