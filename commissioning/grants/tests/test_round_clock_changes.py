"""A grant round's closing time at the clock changes (issue 13 point 5), through the officers' form, and shown
as UK time."""

import datetime as dt

import pytest
from django.urls import reverse

from commissioning.funds.tests.factories import BudgetFactory
from commissioning.grants.models import GrantRound
from commissioning.grants.selectors.rounds import when_text
from commissioning.grants.tests.factories import GrantSchemeFactory


@pytest.fixture
def scheme():
    return GrantSchemeFactory(code="community-grant-scheme", name="Community Grant Scheme")


def round_data(scheme, year, terms, *, day, time, **extra):
    return {
        "scheme": scheme.pk,
        "name": "Autumn round",
        "fund": scheme.fund.pk,
        "year": year.pk,
        "budget": "6000",
        "opens_at_day": "1",
        "opens_at_month": "9",
        "opens_at_year": "2026",
        "opens_time": "9am",
        "closes_at_day": day.day,
        "closes_at_month": day.month,
        "closes_at_year": day.year,
        "closes_time": time,
        "terms": terms.pk,
        "guidance": "What we fund",
        **extra,
    }


def test_a_closing_time_the_clocks_skip_is_refused_and_one_they_repeat_is_asked_about(client_for, scheme):
    year = BudgetFactory(fund=scheme.fund).year
    terms = scheme.terms_versions.create(version="1", text="Terms", effective_from=dt.date(2026, 4, 1))
    client = client_for("commissioning_manager")
    url = reverse("grants:round_create")

    skipped = client.post(url, round_data(scheme, year, terms, day=dt.date(2027, 3, 28), time="1:30am"))
    html = skipped.content.decode()
    assert skipped.status_code == 200 and "govuk-error-summary" in html
    assert "1:30am on 28 March 2027 does not exist in UK time: the clocks go forward from 1am to 2am" in html
    assert not GrantRound.objects.exists()

    twice = client.post(url, round_data(scheme, year, terms, day=dt.date(2026, 10, 25), time="1:30am"))
    html = twice.content.decode()
    assert twice.status_code == 200 and "Which 1:30am on 25 October 2026?" in html
    assert "Select which 1:30am you mean" in html
    assert not GrantRound.objects.exists()

    answered = client.post(
        url, round_data(scheme, year, terms, day=dt.date(2026, 10, 25), time="1:30am", closes_at_which="second")
    )
    assert answered.status_code == 302
    grant_round = GrantRound.objects.get()
    assert grant_round.closes_at == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
    assert when_text(grant_round.closes_at) == "1:30am UK time (GMT) on 25 October 2026"
    detail = client.get(reverse("grants:round_detail", args=[grant_round.pk])).content.decode()
    assert "1:30am UK time (GMT) on 25 October 2026" in detail
    listing = client.get(reverse("grants:round_list")).content.decode()
    assert "UK time" in listing
