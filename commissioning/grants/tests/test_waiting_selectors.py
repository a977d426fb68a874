"""What grants work waits for whom (selectors/waiting.py), read by the home page."""

import datetime as dt

import pytest
from django.utils import timezone

from commissioning.grants.models import Application, AssessorAssignment, GrantRound
from commissioning.grants.selectors import waiting
from commissioning.grants.tests.factories import (
    AssessorAssignmentFactory,
    GrantRoundFactory,
    OpenRoundFactory,
    SubmittedApplicationFactory,
    round_to_decide,
)

pytestmark = pytest.mark.django_db

ELIGIBLE = Application.Status.ELIGIBLE


def _assign(application, *, declaration="pending", submitted=False):
    return AssessorAssignmentFactory(
        application=application,
        declaration=declaration,
        conflict_details="Trustee of the applicant" if declaration == "conflict" else "",
        declared_at=None if declaration == "pending" else timezone.now(),
        submitted_at=timezone.now() if submitted else None,
    )


def test_rounds_to_progress_counts_each_officer_stage(settings):
    settings.GRANTS_MIN_ASSESSORS = 2
    grant_round = GrantRoundFactory()
    SubmittedApplicationFactory(round=grant_round)  # eligibility to check
    SubmittedApplicationFactory(round=grant_round, status=ELIGIBLE)  # no assessors: to assign
    conflicted = SubmittedApplicationFactory(round=grant_round, status=ELIGIBLE)
    _assign(conflicted, declaration="none", submitted=True)
    _assign(conflicted, declaration="conflict")  # a conflicted assessor does not count: still to assign
    scoring = SubmittedApplicationFactory(round=grant_round, status=ELIGIBLE)
    _assign(scoring, declaration="none", submitted=True)
    _assign(scoring)  # two assessors, one score in: with the assessors
    ready = SubmittedApplicationFactory(round=grant_round, status=ELIGIBLE)
    _assign(ready, declaration="none", submitted=True)
    _assign(ready, declaration="none", submitted=True)  # enough scores: to moderate
    SubmittedApplicationFactory(round=grant_round, status=Application.Status.MODERATED)  # to recommend
    SubmittedApplicationFactory(round=grant_round, status=Application.Status.RECOMMENDED)  # the PCC's, not theirs

    count, rows = waiting.rounds_to_progress()
    assert count == 1
    row = rows[0]
    assert row.round == grant_round
    assert (row.to_check, row.to_assign, row.being_scored, row.to_moderate, row.to_recommend) == (1, 2, 1, 1, 1)
    assert row.waiting == 5


def test_rounds_to_progress_leaves_out_drafts_decided_rounds_and_rounds_with_nothing_for_officers():
    SubmittedApplicationFactory(round=GrantRoundFactory(status=GrantRound.Status.DECIDED))
    SubmittedApplicationFactory(round=GrantRoundFactory(status=GrantRound.Status.DRAFT))
    scoring = SubmittedApplicationFactory(status=ELIGIBLE)
    _assign(scoring)  # only the assessor has something to do
    assert waiting.rounds_to_progress() == (0, [])


def test_rounds_to_progress_takes_two_queries_however_many_rounds(django_assert_num_queries):
    for _ in range(7):
        SubmittedApplicationFactory()
    with django_assert_num_queries(2):
        count, rows = waiting.rounds_to_progress(limit=5)
    assert (count, len(rows)) == (7, 5)


def test_rounds_to_decide_are_closed_with_the_panel_finished(users):
    ready = round_to_decide(finance=users["finance_officer"])
    with_panel = round_to_decide(finance=users["finance_officer"])
    SubmittedApplicationFactory(round=with_panel, status=ELIGIBLE)
    still_open = round_to_decide(finance=users["finance_officer"])
    still_open.closes_at = timezone.now() + dt.timedelta(days=3)
    still_open.save()
    OpenRoundFactory()
    rounds = list(waiting.rounds_to_decide())
    assert rounds == [ready]
    assert rounds[0].to_decide == 3


def test_assignments_to_score_are_the_persons_own_while_scoring_is_open(users):
    evaluator = users["evaluator"]
    pending = _assign(SubmittedApplicationFactory(status=ELIGIBLE))
    pending.assessor = evaluator
    pending.save()
    AssessorAssignmentFactory(assessor=evaluator, submitted_at=timezone.now(), declaration="none")
    AssessorAssignmentFactory(assessor=evaluator, application__status=Application.Status.MODERATED)
    AssessorAssignmentFactory(
        assessor=evaluator, declaration=AssessorAssignment.Declaration.CONFLICT, conflict_details="Former employee"
    )
    AssessorAssignmentFactory()  # someone else's
    assert list(waiting.assignments_to_score(user=evaluator)) == [pending]
