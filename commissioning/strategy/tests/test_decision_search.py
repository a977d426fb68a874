"""The decision-record search behind the agreement and variation forms' decision field (issue 9, point 3)."""

import datetime as dt

import pytest
from django.urls import reverse

from commissioning.strategy import services

URL = reverse("strategy:decision_search")


@pytest.fixture
def decisions(users):
    made = []
    for n, (subject, publishable) in enumerate(
        [("Award to Weymouth Youth Trust", True), ("Confidential settlement", False), ("Victims Fund budget", True)]
    ):
        made.append(
            services.decision_record_create(
                actor=users["commissioning_manager"],
                subject=subject,
                legal_basis="prsra_2011_s9",
                decision="Approved",
                reasons="Reasons",
                decided_by=users["pcc"],
                decided_on=dt.date(2026, 5, 1 + n),
                publishable=publishable,
                not_publishable_reason="" if publishable else "Commercially sensitive",
            )
        )
    return made


def test_json_finds_by_number_or_subject(decisions, client_for):
    client = client_for("commissioning_manager")
    found = client.get(URL, {"q": "weymouth", "format": "json"}).json()["results"]
    assert found == [{"label": decisions[0].number, "hint": "Award to Weymouth Youth Trust"}]
    by_number = client.get(URL, {"q": decisions[2].number, "format": "json"}).json()["results"]
    assert [r["label"] for r in by_number] == [decisions[2].number]


def test_panel_members_find_only_published_decisions(decisions, client_for):
    found = client_for("panel_member").get(URL, {"q": "settlement", "format": "json"}).json()["results"]
    assert found == []


def test_the_page_works_without_javascript(decisions, client_for):
    html = client_for("cfo").get(URL, {"q": "budget"}).content.decode()
    assert decisions[2].number in html and "1 decision record found" in html
