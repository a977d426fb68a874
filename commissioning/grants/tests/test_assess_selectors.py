"""Assessment reads: no assessor's selector ever returns another assessor's scores, and every list takes the
same number of queries for one row as for twenty."""

from decimal import Decimal

import pytest

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.grants.models import Application, AssessorAssignment, CriterionScore
from commissioning.grants.selectors import assessment as selectors
from commissioning.grants.services import assessment as services
from commissioning.grants.tests.factories import (
    AssessmentCriterionFactory,
    AssessorAssignmentFactory,
    GrantRoundFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant_round():
    grant_round = GrantRoundFactory(budget=Decimal("5000.00"))
    for order, weight in enumerate(["30", "30", "40"]):
        AssessmentCriterionFactory(round=grant_round, order=order, weight=Decimal(weight))
    return grant_round


@pytest.fixture
def criteria(grant_round):
    return list(grant_round.criteria.order_by("order"))


def assessed(application, assessor, criteria, values, *, submit=True, officer=None):
    assignment = AssessorAssignmentFactory(
        application=application, assessor=assessor, **({"assigned_by": officer} if officer else {})
    )
    services.assessor_declare(actor=assessor, assignment=assignment, has_conflict=False)
    services.assessment_scores_save(
        actor=assessor,
        assignment=assignment,
        scores={c.pk: (v, f"Comment {v}") for c, v in zip(criteria, values, strict=True)},
        submit=submit,
    )
    return assignment


def moderate(application, criteria, officer, score=3):
    return services.moderation_record(
        actor=officer, application=application, scores={c.pk: score for c in criteria}, rationale="Agreed"
    )


# --- No assessor sees another's scores ------------------------------------------------------------------


def test_an_assessor_sees_only_their_own_scores_at_every_stage(users, grant_round, criteria):
    first, second = users["evaluator"], UserFactory(role=Role.EVALUATOR)
    application = SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)
    mine = assessed(application, first, criteria, [1, 1, 1])
    # The second assessor has not scored yet: they see nothing at all.
    theirs = AssessorAssignmentFactory(application=application, assessor=second)
    assert list(selectors.scores_visible_to(user=second, application=application)) == []

    services.assessor_declare(actor=second, assignment=theirs, has_conflict=False)
    services.assessment_scores_save(
        actor=second, assignment=theirs, scores={criteria[0].pk: (5, "Strong")}, submit=False
    )
    for user, assignment in ((first, mine), (second, theirs)):
        visible = list(selectors.scores_visible_to(user=user, application=application))
        assert visible and {s.assignment_id for s in visible} == {assignment.pk}

    # Still only their own once both have submitted, and after moderation.
    services.assessment_scores_save(
        actor=second, assignment=theirs, scores={c.pk: (5, "Strong") for c in criteria}, submit=True
    )
    moderate(application, criteria, users["commissioning_manager"])
    for user, assignment in ((first, mine), (second, theirs)):
        assert {s.assignment_id for s in selectors.scores_visible_to(user=user, application=application)} == {
            assignment.pk
        }


def test_an_officer_assessing_the_application_sees_only_their_own_until_they_submit(users, grant_round, criteria):
    officer = users["policy_officer"]
    application = SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)
    assessed(application, users["evaluator"], criteria, [4, 4, 4])
    own = assessed(application, officer, criteria, [2, 2, 2], submit=False, officer=users["commissioning_manager"])
    assert {s.assignment_id for s in selectors.scores_visible_to(user=officer, application=application)} == {own.pk}
    services.assessment_scores_save(actor=officer, assignment=own, scores={}, submit=True)
    assert len(selectors.scores_visible_to(user=officer, application=application)) == 6


def test_the_moderation_sheet_leaves_out_drafts_and_conflicts(users, grant_round, criteria):
    application = SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)
    submitted = assessed(application, users["evaluator"], criteria, [3, 4, 5])
    draft = assessed(application, UserFactory(role=Role.EVALUATOR), criteria, [1, 1, 1], submit=False)
    conflicted = AssessorAssignmentFactory(application=application)
    services.assessor_declare(actor=conflicted.assessor, assignment=conflicted, has_conflict=True, details="Trustee")

    sheet = selectors.moderation_sheet(user=users["commissioning_manager"], application=application)

    assert sheet.assessors == [submitted]
    assert [[cell.score for cell in row.scores] for row in sheet.rows] == [[3], [4], [5]]
    assert sheet.waiting == [draft] and sheet.conflicts == [conflicted]
    assert sheet.enough


def test_the_moderation_sheet_averages_each_criterion(users, grant_round, criteria):
    application = SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)
    assessed(application, users["evaluator"], criteria, [3, 4, 5])
    assessed(application, UserFactory(role=Role.EVALUATOR), criteria, [2, 4, 4])
    sheet = selectors.moderation_sheet(user=users["commissioning_manager"], application=application)
    assert [row.average for row in sheet.rows] == [Decimal("2.5"), Decimal("4.0"), Decimal("4.5")]


def test_nobody_else_gets_the_moderation_sheet(users, grant_round, criteria):
    application = SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)
    assessed(application, users["evaluator"], criteria, [3, 4, 5])
    for role in ("finance_officer", "auditor", "pcc", "applicant"):
        assert list(selectors.scores_visible_to(user=users[role], application=application)) == [], role


def test_round_progress_carries_no_scores(users, grant_round, criteria):
    application = SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)
    assessed(application, users["evaluator"], criteria, [3, 4, 5])
    row = selectors.round_progress(grant_round=grant_round).get()
    assert row.submitted_assessments == 1
    assert not any(isinstance(value, CriterionScore) for value in vars(row).values())
    assert "scores" not in getattr(row, "_prefetched_objects_cache", {})


# --- Ranking ---------------------------------------------------------------------------------------------


def test_ranking_orders_by_weighted_score_then_submission(users, grant_round, criteria):
    officer = users["commissioning_manager"]
    made = []
    for score, requested in [(3, "2000"), (5, "2500"), (3, "1500")]:
        application = SubmittedApplicationFactory(
            round=grant_round, status=Application.Status.ELIGIBLE, amount_requested=Decimal(requested)
        )
        assessed(application, users["evaluator"], criteria, [score] * 3)
        moderate(application, criteria, officer, score=score)
        made.append(application)
    SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)  # not moderated: not ranked

    rows = list(selectors.ranking_for_round(grant_round=grant_round))
    selectors.mark_budget_line(rows, budget=grant_round.budget)

    assert [r.pk for r in rows] == [made[1].pk, made[0].pk, made[2].pk]
    assert [r.rank for r in rows] == [1, 2, 3]
    assert [Decimal(r.running_total) for r in rows] == [Decimal("2500"), Decimal("4500"), Decimal("6000")]
    assert [r.budget_runs_out_here for r in rows] == [False, False, True]


def test_round_money_counts_recommended_and_awarded(users, grant_round):
    SubmittedApplicationFactory(round=grant_round, status="recommended", recommended_amount=Decimal("1200"))
    SubmittedApplicationFactory(round=grant_round, status="awarded", recommended_amount=Decimal("800"))
    SubmittedApplicationFactory(round=grant_round, status="not_recommended")
    money = selectors.round_money(grant_round=grant_round)
    assert money["recommended"] == Decimal("2000") and money["left"] == Decimal("3000")


# --- Query counts ----------------------------------------------------------------------------------------


def populate(grant_round, criteria, count, users):
    """`count` eligible applications, each with `count` assessors who have submitted."""
    officer = users["commissioning_manager"]
    assessors = [users["evaluator"]] + [UserFactory(role=Role.EVALUATOR) for _ in range(count - 1)]
    applications = SubmittedApplicationFactory.create_batch(
        count, round=grant_round, status=Application.Status.ELIGIBLE
    )
    services.assessors_assign_round(actor=officer, round=grant_round, assessors=assessors)
    for assignment in AssessorAssignment.objects.filter(application__round=grant_round):
        CriterionScore.objects.bulk_create(
            [CriterionScore(assignment=assignment, criterion=c, score=3, comment="ok") for c in criteria]
        )
    AssessorAssignment.objects.filter(application__round=grant_round).update(declaration="none")
    return applications, assessors


@pytest.mark.parametrize("count", [1, 20])
def test_progress_takes_a_fixed_number_of_queries(users, grant_round, criteria, count, django_assert_max_num_queries):
    populate(grant_round, criteria, count, users)
    with django_assert_max_num_queries(2):
        rows = [
            (
                a.reference,
                a.organisation.name,
                a.submitted_assessments,
                [x.assessor.display_name for x in a.assignments.all()],
            )
            for a in selectors.round_progress(grant_round=grant_round)
        ]
    assert len(rows) == count and all(len(r[3]) == count for r in rows)


@pytest.mark.parametrize("count", [1, 20])
def test_an_assessors_queue_takes_one_query(users, grant_round, criteria, count, django_assert_max_num_queries):
    populate(grant_round, criteria, count, users)
    with django_assert_max_num_queries(1):
        rows = [
            (a.application.organisation.name, a.application.project_title, a.application.round.name)
            for a in selectors.assignment_list_for_assessor(user=users["evaluator"])
        ]
    assert len(rows) == count


@pytest.mark.parametrize("count", [1, 20])
def test_the_moderation_sheet_takes_a_fixed_number_of_queries(
    users, grant_round, criteria, count, django_assert_max_num_queries
):
    applications, _ = populate(grant_round, criteria, count, users)
    AssessorAssignment.objects.update(submitted_at="2026-11-24T10:00:00Z")
    officer = users["commissioning_manager"]
    with django_assert_max_num_queries(6):
        sheet = selectors.moderation_sheet(user=officer, application=applications[0])
        cells = [(cell.score, cell.assignment.assessor.display_name) for row in sheet.rows for cell in row.scores]
    assert len(cells) == 3 * count


@pytest.mark.parametrize("count", [1, 20])
def test_the_ranking_takes_one_query(users, grant_round, criteria, count, django_assert_max_num_queries):
    officer = users["commissioning_manager"]
    for _ in range(count):
        application = SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)
        assessed(application, users["evaluator"], criteria, [3, 3, 3])
        moderate(application, criteria, officer)
    with django_assert_max_num_queries(1):
        rows = [
            (r.rank, r.organisation.name, r.moderation.weighted_score, r.running_total)
            for r in selectors.ranking_for_round(grant_round=grant_round)
        ]
    assert len(rows) == count
