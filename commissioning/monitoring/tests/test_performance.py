"""A service's performance: figures against targets over the periods, rated by the profile's RAG rules, as a
chart and the same figures in a table."""

import datetime as dt

import pytest
from django.urls import reverse

from commissioning.monitoring import performance, services
from commissioning.monitoring.models import RagRule
from commissioning.monitoring.services import TOTAL
from commissioning.monitoring.tests.factories import KpiDefinitionFactory, KpiReturnFactory, ServiceFactory


@pytest.mark.parametrize(
    "value, target, direction, margin, rating",
    [
        (100, 100, "higher", 10, "Green"),
        (90, 100, "higher", 10, "Amber"),
        (89, 100, "higher", 10, "Red"),
        (89, 100, "higher", 20, "Amber"),
        (5, 5, "lower", 10, "Green"),
        (11, 10, "lower", 10, "Amber"),
        (12, 10, "lower", 10, "Red"),
        (3, None, "higher", 10, ""),
    ],
)
def test_rag_rating(value, target, direction, margin, rating):
    assert performance.rag(value, target, direction, margin) == rating


def test_the_rule_in_effect_at_the_end_of_the_period_applies(db):
    RagRule.objects.create(effective_from=dt.date(2017, 4, 1), amber_margin_percent=10)
    RagRule.objects.create(effective_from=dt.date(2026, 4, 1), amber_margin_percent=25)
    rules = list(RagRule.objects.order_by("-effective_from"))
    assert performance.margin_on(dt.date(2026, 3, 31), rules) == 10
    assert performance.margin_on(dt.date(2026, 6, 30), rules) == 25
    assert performance.margin_on(dt.date(2010, 1, 1), []) == performance.DEFAULT_MARGIN


@pytest.fixture
def reported(users):
    """A service with a beneficiaries target of 50 and two quarters reported: 55 (accepted) then 40."""
    service = ServiceFactory(name="Safe Steps", provider=users["provider"].organisation)
    KpiDefinitionFactory()
    [kpi] = services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)
    services.kpi_update(actor=users["policy_officer"], kpi=kpi, data={"target": 50})
    for start, end, figure in (
        (dt.date(2025, 4, 1), dt.date(2025, 6, 30), 55),
        (dt.date(2025, 7, 1), dt.date(2025, 9, 30), 40),
    ):
        kpi_return = KpiReturnFactory(service=service, starts_on=start, ends_on=end, due_on=end + dt.timedelta(days=28))
        services.return_submit(actor=users["provider"], kpi_return=kpi_return, values={(kpi.pk, TOTAL): figure})
    services.return_accept(
        actor=users["policy_officer"], kpi_return=service.kpi_returns.get(starts_on=dt.date(2025, 4, 1))
    )
    KpiReturnFactory(
        service=service, starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2025, 12, 31), due_on=dt.date(2026, 1, 28)
    )
    return service


def test_performance_shows_each_period_in_the_chart_and_the_table(client_for, reported, django_assert_max_num_queries):
    measures = performance.service_performance(reported)
    assert [(p.value, p.rating) for p in measures[0].points] == [(55, "Green"), (40, "Red")]
    client = client_for("provider")
    url = reverse("monitoring:service_performance", args=[reported.pk])
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    chart = html[html.index("<svg") : html.index("</svg>")]
    table = html[html.index("<table") : html.index("</table>")]
    for text in ("Apr to Jun 2025", "Jul to Sep 2025", ">55<", ">40<", "Target 50"):
        assert text in chart
    for text in ("Apr to Jun 2025", ">55<", ">40<", "Green", "Red", "Accepted", "Submitted"):
        assert text in table
    assert 'role="img"' in chart and "Number of beneficiaries by period. Apr to Jun 2025: 55" in chart


def test_the_service_page_links_to_monitoring_for_those_who_may_see_it(client_for, reported):
    url = reverse("agreements:service_detail", args=[reported.pk])
    link = reverse("monitoring:service_performance", args=[reported.pk])
    assert link in client_for("provider").get(url).content.decode()
    assert link not in client_for("panel_member").get(url).content.decode()
