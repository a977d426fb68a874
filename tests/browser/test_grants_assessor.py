"""Assessing a grant round in the browser (issue 5, point 3): the officer checks eligibility and assigns the
round's assessors; an assessor cannot open an application before declaring interests; two assessors score
independently and neither sees the other's scores; the officer moderates and the ranked list shows. Every
page of the assessor's and the officer's journeys passes axe-core."""

import re
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.grants.models import Application, AssessorAssignment, Moderation
from commissioning.grants.tests.factories import (
    AssessmentCriterionFactory,
    GrantRoundFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_COMMENT = "Ann-only remark: the youth worker posts are well costed"


@pytest.fixture
def grant_round():
    grant_round = GrantRoundFactory(name="Community Grants autumn 2026", budget=Decimal("3000.00"))
    for order, (name, weight) in enumerate([("Need", "30"), ("Delivery", "30"), ("Value for money", "40")]):
        AssessmentCriterionFactory(round=grant_round, order=order, name=name, weight=Decimal(weight))
    return grant_round


@pytest.fixture
def application(grant_round):
    return SubmittedApplicationFactory(
        round=grant_round,
        organisation__name="Weymouth Youth Trust",
        project_title="Friday night football",
        summary="Sessions for young people at risk of exploitation, every Friday evening.",
        amount_requested=Decimal("2000.00"),
    )


@pytest.fixture
def assessors(users):
    ann = users["evaluator"]
    ann.display_name = "Ann Assessor"
    ann.save()
    return ann, UserFactory(role=Role.EVALUATOR, display_name="Bea Second", email="bea@example.org")


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def _score(page, criteria, values, comment):
    for criterion, value in zip(criteria, values, strict=True):
        page.locator(f"#id_score_{criterion.pk}_{value}").check()
        page.get_by_label(f"Comment on {criterion.name}").fill(f"{comment} ({criterion.name})")


def test_assessors_declare_then_score_independently_and_the_officer_moderates(
    page, live_server, users, grant_round, application, assessors, sign_in, axe_check
):
    ann, bea = assessors
    criteria = list(grant_round.criteria.order_by("order"))
    url = live_server.url

    # The officer checks eligibility and assigns both assessors to the round.
    sign_in(page, users["commissioning_manager"])
    page.goto(f"{url}{reverse('grants:assessment_index')}")
    axe_check(page)
    page.get_by_role("link", name=grant_round.name).click()
    axe_check(page)
    page.get_by_role("link", name=f"Check eligibility of {application.reference}").click()
    axe_check(page)
    page.get_by_label("No, it is not eligible").check()
    page.get_by_role("button", name="Save eligibility decision").click()
    assert "Enter why the application is not eligible" in page.content()
    axe_check(page)
    page.get_by_label("Yes, it meets the round's eligibility rules").check()
    page.get_by_role("button", name="Save eligibility decision").click()
    page.get_by_label("Ann Assessor (Evaluator or grant panel member)").check()
    page.get_by_label("Bea Second (Evaluator or grant panel member)").check()
    page.get_by_role("button", name="Assign to every eligible application").click()
    assert "2 assignments have been made" in page.content()
    axe_check(page)
    page.get_by_role("link", name=f"Assign assessors to {application.reference}").click()
    assert "Ann Assessor" in page.content() and "Not declared" in page.content()
    axe_check(page)
    _sign_out(page)

    first = AssessorAssignment.objects.get(assessor=ann)
    second = AssessorAssignment.objects.get(assessor=bea)

    # Ann cannot open the application before declaring, even by its address.
    sign_in(page, ann)
    page.goto(f"{url}{reverse('grants:my_assessments')}")
    assert "Weymouth Youth Trust" in page.content() and "Friday night football" in page.content()
    axe_check(page)
    page.goto(f"{url}{reverse('grants:assessment_score', args=[first.pk])}")
    assert page.url.endswith(reverse("grants:assessment_declare", args=[first.pk]))
    assert "Declare whether you have a conflict of interest before you open the application" in page.content()
    assert "every Friday evening" not in page.content()
    axe_check(page)
    try:
        detail = reverse("grants:application_detail", args=[application.pk])
    except NoReverseMatch:
        detail = None
    if detail:
        page.goto(f"{url}{detail}")
        assert "every Friday evening" not in page.content()
        page.goto(f"{url}{reverse('grants:assessment_declare', args=[first.pk])}")
    page.get_by_label("I have no conflict of interest").check()
    page.get_by_role("button", name="Save declaration").click()
    assert page.url.endswith(reverse("grants:assessment_score", args=[first.pk]))
    assert "every Friday evening" in page.content()
    axe_check(page)
    # Submitting with a criterion unscored keeps what was typed and saves nothing.
    _score(page, criteria[:2], [4, 3], FIRST_COMMENT)
    page.get_by_role("button", name="Submit scores").click()
    assert "Choose a score for Value for money before you submit" in page.content()
    assert page.get_by_label("Comment on Need").input_value() == f"{FIRST_COMMENT} (Need)"
    axe_check(page)
    _score(page, criteria, [4, 3, 5], FIRST_COMMENT)
    page.get_by_role("button", name="Submit scores").click()
    assert "Your scores have been submitted" in page.content()
    page.get_by_role("link", name="View your scores for Friday night football").click()
    assert "They can no longer be changed" in page.content()
    axe_check(page)
    _sign_out(page)

    # Bea sees nothing of Ann's scores anywhere on her journey.
    sign_in(page, bea)
    for path in (reverse("grants:my_assessments"), reverse("grants:assessment_declare", args=[second.pk])):
        page.goto(f"{url}{path}")
        assert "Ann-only remark" not in page.content() and "Ann Assessor" not in page.content()
        axe_check(page)
    page.get_by_label("I have no conflict of interest").check()
    page.get_by_role("button", name="Save declaration").click()
    content = page.content()
    assert "every Friday evening" in content
    assert "Ann-only remark" not in content and "Ann Assessor" not in content
    assert not re.search(r"\b4 out of 5\b", content)
    for path in (
        reverse("grants:moderation", args=[application.pk]),
        reverse("grants:round_ranking", args=[grant_round.pk]),
        reverse("grants:assessment_round", args=[grant_round.pk]),
    ):
        page.goto(f"{url}{path}")
        assert "Ann-only remark" not in page.content()
    page.goto(f"{url}{reverse('grants:assessment_score', args=[second.pk])}")
    _score(page, criteria, [2, 4, 4], "Bea's view")
    page.get_by_role("button", name="Submit scores").click()
    _sign_out(page)

    # The officer moderates: both assessors side by side, then the ranked list.
    sign_in(page, users["commissioning_manager"])
    page.goto(f"{url}{reverse('grants:assessment_round', args=[grant_round.pk])}")
    assert "Ann-only remark" not in page.content(), "progress never shows scores"
    page.get_by_role("link", name=f"Moderate {application.reference}").click()
    content = page.content()
    assert "Ann-only remark" in content and "Bea's view" in content
    axe_check(page)
    page.get_by_role("button", name="Record moderation").click()
    assert "Enter the rationale" in page.content()
    axe_check(page)
    for criterion, value in zip(criteria, [3, 4, 5], strict=True):
        page.locator(f"#id_score_{criterion.pk}_{value}").check()
    page.get_by_label("Rationale").fill("Agreed the stronger reading of the value for money evidence")
    page.get_by_role("button", name="Record moderation").click()
    assert Moderation.objects.get(application=application).weighted_score == Decimal("82.00")
    assert "Ranked list for Community Grants autumn 2026" in page.content()
    assert "82.00" in page.content()
    axe_check(page)
    page.get_by_role("link", name=f"Record recommendation for {application.reference}").click()
    axe_check(page)
    page.get_by_label("Recommend funding").check()
    page.get_by_label("Amount recommended").fill("3500")
    page.get_by_role("button", name="Save recommendation").click()
    assert "no more than the £2,000.00 requested" in page.content()
    assert page.get_by_label("Amount recommended").input_value() == "3500"
    axe_check(page)
    page.get_by_label("Amount recommended").fill("1800")
    page.get_by_role("button", name="Save recommendation").click()
    application.refresh_from_db()
    assert application.status == Application.Status.RECOMMENDED
    assert "£1,800.00" in page.content()
    axe_check(page)
    page.goto(f"{url}{reverse('grants:moderation', args=[application.pk])}")
    assert "Agreed at moderation" in page.content()
    axe_check(page)


def test_a_declared_conflict_never_opens_the_application(
    page, live_server, users, grant_round, application, assessors, sign_in, axe_check
):
    ann, _ = assessors
    application.status = Application.Status.ELIGIBLE
    application.save()
    assignment = AssessorAssignment.objects.create(
        application=application, assessor=ann, assigned_by=users["policy_officer"]
    )
    sign_in(page, ann)
    page.goto(f"{live_server.url}{reverse('grants:assessment_declare', args=[assignment.pk])}")
    page.get_by_label("I have a conflict of interest").check()
    page.get_by_role("button", name="Save declaration").click()
    assert "Describe the conflict of interest" in page.content()
    axe_check(page)
    page.get_by_label("Details of the conflict").fill("I am a trustee of Weymouth Youth Trust")
    page.get_by_role("button", name="Save declaration").click()
    assert "Conflict of interest" in page.content()
    page.goto(f"{live_server.url}{reverse('grants:assessment_score', args=[assignment.pk])}")
    assert "You declared a conflict of interest, so you cannot open this application" in page.content()
    assert "every Friday evening" not in page.content()
    axe_check(page)
    _sign_out(page)

    sign_in(page, users["policy_officer"])
    page.goto(f"{live_server.url}{reverse('grants:assessment_round', args=[grant_round.pk])}")
    assert "I am a trustee of Weymouth Youth Trust" in page.content()
    axe_check(page)
