"""Pages of a commissioning case: forms show GOV.UK errors; the case page shows every part and its activity log;
the pipeline keeps a fixed number of queries."""

import pytest
from django.urls import reverse

from commissioning.procurement.tests.factories_planning import (
    CommissioningCaseFactory,
    EngagementFactory,
    MarketEventFactory,
    assessed,
    procurement_config,
)


@pytest.fixture
def config(db):
    procurement_config()


def test_an_empty_case_form_shows_the_error_summary(client_for, config):
    response = client_for("policy_officer").post(reverse("procurement:case_create"), {})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Enter the title" in body


def test_a_bad_value_and_half_a_date_are_named(client_for, config):
    response = client_for("policy_officer").post(
        reverse("procurement:case_create"),
        {
            "title": "A need",
            "need_summary": "A gap",
            "estimated_value": "12,34x",
            "contract_starts_on_day": "1",
            "contract_starts_on_month": "",
            "contract_starts_on_year": "",
        },
    )
    body = response.content.decode()
    assert "must be in pounds and pence" in body
    assert "must include a day, month and year" in body


def test_opening_a_case_and_recording_engagement(client_for, config):
    client = client_for("policy_officer")
    response = client.post(reverse("procurement:case_create"), {"title": "Stalking advocacy", "need_summary": "A gap"})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "Stalking advocacy" in detail.content.decode()
    assert "Activity log" in detail.content.decode()


def test_the_case_page_shows_every_part(client_for, config):
    case = assessed(CommissioningCaseFactory())
    EngagementFactory(case=case)
    MarketEventFactory(case=case)
    body = client_for("auditor").get(reverse("procurement:case_detail", args=[case.pk])).content.decode()
    for heading in (
        "Needs assessment",
        "Current resources",
        "Review of priorities",
        "Engagement and consultation",
        "Market analysis",
        "Specification",
        "Route to market",
        "Notices",
        "Activity log",
    ):
        assert heading in body


def test_the_pipeline_has_a_fixed_number_of_queries(client_for, config, django_assert_max_num_queries):
    client = client_for("commissioning_manager")
    for _ in range(3):
        case = assessed(CommissioningCaseFactory())
        EngagementFactory(case=case)
    client.get(reverse("procurement:pipeline"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("procurement:pipeline"))
    for _ in range(6):
        MarketEventFactory(case=CommissioningCaseFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("procurement:pipeline"))
    assert response.status_code == 200
