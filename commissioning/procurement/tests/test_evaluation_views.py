"""Evaluation pages keep the conventions: an evaluator who has not declared sees nothing of the bid; scores are
hidden from everyone but their author until the moderation sheet; another bidder's letter is not found."""

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.procurement.services import evaluation as services
from commissioning.procurement.tests.evaluation_world import opened_tender

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_undeclared_evaluator_sees_nothing_of_the_bid():
    manager, evaluator = UserFactory(role=Role.COMMISSIONING_MANAGER), UserFactory(role=Role.EVALUATOR)
    tender, bids = opened_tender(manager=manager)
    assignment = services.evaluators_assign(actor=manager, tender=tender, evaluators=[evaluator])[0]
    client = _client(evaluator)
    score = client.get(reverse("procurement_evaluation:score", args=[assignment.pk]))
    assert score.status_code == 302 and score.url == reverse("procurement_evaluation:declare", args=[assignment.pk])
    declare = client.get(reverse("procurement_evaluation:declare", args=[assignment.pk]))
    assert declare.status_code == 200
    body = declare.content.decode()
    assert "Answer of bid" not in body and "300,000" not in body
    services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    body = client.get(reverse("procurement_evaluation:score", args=[assignment.pk])).content.decode()
    assert f"Answer of bid {bids.index(assignment.bid) + 1}" in body


def test_scores_stay_hidden_until_the_moderation_sheet():
    manager = UserFactory(role=Role.COMMISSIONING_MANAGER)
    first, second = UserFactory(role=Role.EVALUATOR), UserFactory(role=Role.EVALUATOR)
    tender, bids = opened_tender(manager=manager)
    c = tender.criteria_by_kind
    assignments = services.evaluators_assign(actor=manager, tender=tender, evaluators=[first, second])
    mine = next(a for a in assignments if a.assessor == first and a.bid == bids[0])
    theirs = next(a for a in assignments if a.assessor == second and a.bid == bids[0])
    services.evaluator_declare(actor=first, assignment=mine, has_conflict=False)
    services.bid_scores_save(
        actor=first,
        assignment=mine,
        scores={c["quality"].pk: (4, "Unmistakable comment"), c["social_value"].pk: (2, "Another comment")},
        submit=True,
    )
    services.evaluator_declare(actor=second, assignment=theirs, has_conflict=False)
    other = _client(second).get(reverse("procurement_evaluation:score", args=[theirs.pk])).content.decode()
    assert "Unmistakable comment" not in other
    detail = _client(manager).get(reverse("procurement_evaluation:evaluation_detail", args=[tender.pk]))
    assert "Unmistakable comment" not in detail.content.decode()
    # Someone else's assignment is not found, even for another evaluator of the same bid.
    assert _client(second).get(reverse("procurement_evaluation:score", args=[mine.pk])).status_code == 404
    sheet = _client(manager).get(reverse("procurement_evaluation:moderate", args=[bids[0].pk])).content.decode()
    assert "Unmistakable comment" in sheet


def test_the_evaluation_report_is_a_pdf():
    manager = UserFactory(role=Role.COMMISSIONING_MANAGER)
    tender, _ = opened_tender(manager=manager)
    response = _client(manager).get(reverse("procurement_evaluation:evaluation_report", args=[tender.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
