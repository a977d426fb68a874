"""Assessment pages: the declaration gate, scoring with bad input, moderation, ranking and recommendation;
403 and 404 for people whose pages they are not."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.core.tests.helpers import PageShape
from commissioning.grants.models import Application, AssessorAssignment, CriterionScore, Moderation
from commissioning.grants.services import assessment as services
from commissioning.grants.tests.factories import (
    AssessmentCriterionFactory,
    AssessorAssignmentFactory,
    GrantRoundFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    shape = PageShape()
    shape.feed(html)
    assert shape.h1 == 1, "a page has exactly one h1"
    assert not [i for i, n in shape.ids.items() if n > 1], "ids are unique"
    return re.sub(r"\s+", " ", html)


def client_for_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def grant_round():
    grant_round = GrantRoundFactory(name="Autumn 2026", budget=Decimal("3000.00"))
    for order, (name, weight) in enumerate([("Need", "30"), ("Delivery", "30"), ("Value for money", "40")]):
        AssessmentCriterionFactory(round=grant_round, order=order, name=name, weight=Decimal(weight))
    return grant_round


@pytest.fixture
def criteria(grant_round):
    return list(grant_round.criteria.order_by("order"))


@pytest.fixture
def application(grant_round):
    return SubmittedApplicationFactory(
        round=grant_round,
        status=Application.Status.ELIGIBLE,
        project_title="Youth diversion football",
        summary="Secret summary only for those who declared",
        amount_requested=Decimal("2000.00"),
    )


@pytest.fixture
def assignment(users, application):
    return AssessorAssignmentFactory(
        application=application, assessor=users["evaluator"], assigned_by=users["commissioning_manager"]
    )


def declare(assignment):
    return services.assessor_declare(actor=assignment.assessor, assignment=assignment, has_conflict=False)


def score_post(criteria, values, *, action="submit", comment="Evidence given"):
    data = {"action": action}
    for criterion, value in zip(criteria, values, strict=True):
        data[f"score_{criterion.pk}"] = "" if value is None else str(value)
        data[f"comment_{criterion.pk}"] = comment if value is not None else ""
    return data


# --- The declaration gate --------------------------------------------------------------------------------


def test_before_declaring_the_scoring_page_sends_the_assessor_to_the_declaration(client_for, assignment):
    client = client_for("evaluator")
    url = reverse("grants:assessment_score", args=[assignment.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("grants:assessment_declare", args=[assignment.pk])
    text = page_text(client.get(response.url))
    assert "Declare whether you have a conflict of interest before you open the application" in text
    # Only the organisation's name and the project title show before declaring.
    assert assignment.application.organisation.name in text and "Youth diversion football" in text
    assert "Secret summary" not in text
    attachment_url = reverse("grants:assessment_attachment", args=[assignment.pk, 1])
    assert client.get(attachment_url).status_code == 302


def test_declaring_no_conflict_opens_the_scoring_page(client_for, assignment):
    client = client_for("evaluator")
    response = client.post(reverse("grants:assessment_declare", args=[assignment.pk]), {"declaration": "none"})
    assert response.url == reverse("grants:assessment_score", args=[assignment.pk])
    text = page_text(client.get(response.url))
    assert "Secret summary only for those who declared" in text
    assert "5: Excellent" in text  # each option labelled with its descriptor


def test_a_conflict_without_details_keeps_the_choice_and_saves_nothing(client_for, assignment):
    response = client_for("evaluator").post(
        reverse("grants:assessment_declare", args=[assignment.pk]), {"declaration": "conflict", "details": ""}
    )
    text = page_text(response)
    assert "Describe the conflict of interest" in text
    assert re.search(r'value="conflict"[^>]*checked', text)
    assignment.refresh_from_db()
    assert assignment.declaration == AssessorAssignment.Declaration.PENDING


def test_with_a_declared_conflict_the_application_never_opens(client_for, assignment):
    client = client_for("evaluator")
    client.post(
        reverse("grants:assessment_declare", args=[assignment.pk]),
        {"declaration": "conflict", "details": "I am a trustee of the organisation"},
    )
    assignment.refresh_from_db()
    assert assignment.declaration == AssessorAssignment.Declaration.CONFLICT
    response = client.get(reverse("grants:assessment_score", args=[assignment.pk]), follow=True)
    text = page_text(response)
    assert "You declared a conflict of interest, so you cannot open this application" in text
    assert "Secret summary" not in text
    # The officer sees it on the progress page.
    officer_page = page_text(
        client_for("commissioning_manager").get(
            reverse("grants:assessment_round", args=[assignment.application.round_id])
        )
    )
    assert "I am a trustee of the organisation" in officer_page


def test_another_assessors_assignment_is_not_found(assignment):
    other = client_for_user(UserFactory(role=Role.EVALUATOR))
    for name in ("grants:assessment_declare", "grants:assessment_score"):
        assert other.get(reverse(name, args=[assignment.pk])).status_code == 404


def test_people_who_never_assess_are_refused(client_for, assignment):
    for role in ("applicant", "provider", "panel_member"):
        assert client_for(role).get(reverse("grants:assessment_score", args=[assignment.pk])).status_code == 403


# --- Scoring ---------------------------------------------------------------------------------------------


def test_submitting_with_a_criterion_missing_keeps_what_was_typed_and_saves_nothing(client_for, assignment, criteria):
    declare(assignment)
    data = score_post(criteria, [4, 3, None], comment="Typed with care")
    response = client_for("evaluator").post(reverse("grants:assessment_score", args=[assignment.pk]), data)
    text = page_text(response)
    assert "There is a problem" in text
    assert "Choose a score for Value for money before you submit" in text
    assert text.count("Typed with care") == 2
    assert re.search(rf'name="score_{criteria[0].pk}" type="radio" value="4" checked', text)
    assert not CriterionScore.objects.exists()


def test_a_score_without_a_comment_is_refused(client_for, assignment, criteria):
    declare(assignment)
    data = score_post(criteria, [4, 3, 2])
    data[f"comment_{criteria[1].pk}"] = ""
    text = page_text(client_for("evaluator").post(reverse("grants:assessment_score", args=[assignment.pk]), data))
    assert "Enter a comment explaining your score for Delivery" in text
    assert not CriterionScore.objects.exists()


def test_an_out_of_range_score_is_refused(client_for, assignment, criteria):
    declare(assignment)
    data = score_post(criteria, [4, 3, 9])
    text = page_text(client_for("evaluator").post(reverse("grants:assessment_score", args=[assignment.pk]), data))
    assert "Choose a score from 0 to 5 for Value for money" in text
    assert not CriterionScore.objects.exists()


def test_a_draft_is_saved_then_submitted_and_becomes_read_only(client_for, assignment, criteria):
    declare(assignment)
    client = client_for("evaluator")
    url = reverse("grants:assessment_score", args=[assignment.pk])
    response = client.post(url, score_post(criteria, [4, None, None], action="draft"))
    assert response.status_code == 302 and CriterionScore.objects.count() == 1
    response = client.post(url, score_post(criteria, [4, 3, 5]))
    assert response.url == reverse("grants:my_assessments")
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    text = page_text(client.get(url))
    assert "They can no longer be changed" in text and '<form method="post" novalidate>' not in text
    # A late POST changes nothing.
    client.post(url, score_post(criteria, [0, 0, 0]))
    assert sorted(CriterionScore.objects.values_list("score", flat=True)) == [3, 4, 5]


def test_an_assessor_never_sees_another_assessors_scores(client_for, assignment, criteria, application):
    declare(assignment)
    first = client_for("evaluator")
    first.post(
        reverse("grants:assessment_score", args=[assignment.pk]),
        score_post(criteria, [5, 5, 5], comment="FIRST-ASSESSOR-COMMENT"),
    )
    second_user = UserFactory(role=Role.EVALUATOR)
    second_assignment = declare(AssessorAssignmentFactory(application=application, assessor=second_user))
    second = client_for_user(second_user)
    for url in (
        reverse("grants:my_assessments"),
        reverse("grants:assessment_declare", args=[second_assignment.pk]),
        reverse("grants:assessment_score", args=[second_assignment.pk]),
    ):
        assert "FIRST-ASSESSOR-COMMENT" not in page_text(second.get(url))
    assert second.get(reverse("grants:moderation", args=[application.pk])).status_code == 403
    assert second.get(reverse("grants:round_ranking", args=[application.round_id])).status_code == 403


# --- Officers --------------------------------------------------------------------------------------------


def test_eligibility_refused_without_a_note_keeps_the_choice(client_for, grant_round):
    application = SubmittedApplicationFactory(round=grant_round)
    url = reverse("grants:eligibility_check", args=[application.pk])
    text = page_text(client_for("policy_officer").post(url, {"eligible": "no", "note": ""}))
    assert "Enter why the application is not eligible" in text
    assert re.search(r'value="no"[^>]*checked', text)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    response = client_for("policy_officer").post(url, {"eligible": "yes", "note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.ELIGIBLE


def test_an_officer_assigns_one_and_then_the_whole_round(client_for, users, application, grant_round):
    client = client_for("commissioning_manager")
    response = client.post(
        reverse("grants:assessor_assign", args=[application.pk]), {"assessor": users["evaluator"].pk}
    )
    assert response.status_code == 302
    other = SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)
    response = client.post(
        reverse("grants:assessment_round", args=[grant_round.pk]),
        {"assessors": [users["evaluator"].pk, users["finance_officer"].pk]},
    )
    assert response.status_code == 302
    pairs = set(AssessorAssignment.objects.values_list("application_id", "assessor_id"))
    assert pairs == {(a.pk, u.pk) for a in (application, other) for u in (users["evaluator"], users["finance_officer"])}


def test_the_officer_cannot_assign_themself(client_for, users, application):
    response = client_for("commissioning_manager").post(
        reverse("grants:assessor_assign", args=[application.pk]), {"assessor": users["commissioning_manager"].pk}
    )
    assert "Select an assessor from the list" in page_text(response)
    assert not AssessorAssignment.objects.exists()


def test_progress_shows_no_scores_until_moderation(client_for, assignment, criteria, grant_round):
    declare(assignment)
    client_for("evaluator").post(
        reverse("grants:assessment_score", args=[assignment.pk]), score_post(criteria, [5, 5, 5], comment="HIDDEN")
    )
    text = page_text(client_for("commissioning_manager").get(reverse("grants:assessment_round", args=[grant_round.pk])))
    assert "Scores submitted" in text and "HIDDEN" not in text


def test_moderation_shows_every_assessor_side_by_side_and_keeps_typed_input(
    client_for, users, assignment, criteria, application
):
    declare(assignment)
    client_for("evaluator").post(
        reverse("grants:assessment_score", args=[assignment.pk]), score_post(criteria, [3, 4, 5], comment="ONE")
    )
    second_user = UserFactory(role=Role.EVALUATOR, display_name="Sam Second")
    second = declare(AssessorAssignmentFactory(application=application, assessor=second_user))
    client_for_user(second_user).post(
        reverse("grants:assessment_score", args=[second.pk]), score_post(criteria, [2, 4, 4], comment="TWO")
    )
    client = client_for("commissioning_manager")
    url = reverse("grants:moderation", args=[application.pk])
    text = page_text(client.get(url))
    assert "ONE" in text and "TWO" in text and "Sam Second" in text
    assert "2.5" in text and "4.5" in text  # averages
    assert "Moderation needs at least 1 submitted assessment" in text and "GRANTS_MIN_ASSESSORS" not in text

    data = {f"score_{c.pk}": v for c, v in zip(criteria, ["3", "4", "5"], strict=True)}
    text = page_text(client.post(url, {**data, "rationale": ""}))
    assert "Enter the rationale" in text
    assert re.search(rf'name="score_{criteria[2].pk}" type="radio" value="5" checked', text)
    assert not Moderation.objects.exists()

    response = client.post(url, {**data, "rationale": "Agreed after discussion"})
    assert response.url == reverse("grants:round_ranking", args=[application.round_id])
    assert Moderation.objects.get().weighted_score == Decimal("82.00")


def test_moderation_is_blocked_below_the_minimum(client_for, application):
    text = page_text(client_for("commissioning_manager").get(reverse("grants:moderation", args=[application.pk])))
    assert "cannot be moderated yet" in text and "Record moderation" not in text


def test_an_officer_assessing_the_application_cannot_open_moderation_before_submitting(client_for, users, application):
    AssessorAssignmentFactory(application=application, assessor=users["policy_officer"])
    assert client_for("policy_officer").get(reverse("grants:moderation", args=[application.pk])).status_code == 403


def moderated(grant_round, officer, score, requested):
    application = SubmittedApplicationFactory(
        round=grant_round, status=Application.Status.MODERATED, amount_requested=Decimal(requested)
    )
    Moderation.objects.create(
        application=application, rationale="Agreed", weighted_score=Decimal(score), moderated_by=officer
    )
    return application


def test_ranking_shows_where_the_budget_runs_out_and_refuses_over_budget(client_for, users, grant_round):
    officer = users["commissioning_manager"]
    top = moderated(grant_round, officer, "90.00", "2000.00")
    below = moderated(grant_round, officer, "70.00", "2000.00")
    client = client_for("commissioning_manager")
    text = page_text(client.get(reverse("grants:round_ranking", args=[grant_round.pk])))
    assert text.index(top.reference) < text.index("Budget runs out here") < text.index(below.reference)

    client.post(reverse("grants:application_recommend", args=[top.pk]), {"recommend": "yes", "amount": "2000"})
    url = reverse("grants:application_recommend", args=[below.pk])
    text = page_text(client.post(url, {"recommend": "yes", "amount": "1,500.00", "note": ""}))
    assert "over its budget of £3,000.00" in text
    assert 'value="1,500.00"' in text
    below.refresh_from_db()
    assert below.status == Application.Status.MODERATED

    text = page_text(client_for("auditor").get(reverse("grants:round_ranking", args=[grant_round.pk])))
    assert "£2,000.00" in text and "Record recommendation" not in text


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("grants:assessment_round", "round"),
        ("grants:round_ranking", "round"),
    ],
)
def test_officer_lists_take_the_same_queries_for_one_or_many(client_for, users, grant_round, url_name, make):
    client = client_for("commissioning_manager")
    officer = users["commissioning_manager"]
    url = reverse(url_name, args=[grant_round.pk])

    def add(count):
        for _ in range(count):
            application = moderated(grant_round, officer, "50.00", "100.00")
            AssessorAssignmentFactory(application=application, assigned_by=officer)

    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(9)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_the_assessors_queue_takes_the_same_queries_for_one_or_many(client_for, users, grant_round):
    client = client_for("evaluator")
    AssessorAssignmentFactory(application__round=grant_round, assessor=users["evaluator"])
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("grants:my_assessments"))
    for _ in range(9):
        AssessorAssignmentFactory(application__round=grant_round, assessor=users["evaluator"])
    with CaptureQueriesContext(connection) as many:
        text = page_text(client.get(reverse("grants:my_assessments")))
    assert len(many) == len(one)
    assert text.count("Declare interests") == 10
