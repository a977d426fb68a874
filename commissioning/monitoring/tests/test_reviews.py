"""Strategic reviews (issue 11, point 4): flagged on the right day, carried out, decided by the profile's role,
and the decision starting the next step."""

import calendar
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.agreements.models import AgreementVariation, Service
from commissioning.agreements.tests.factories import AgreementFactory, ServiceFactory
from commissioning.monitoring import selectors, services
from commissioning.monitoring.models import StrategicReview, StrategicReviewRule

TODAY = dt.date(2026, 12, 4)


def expected_due_on(starts_on: dt.date, ends_on: dt.date, months: int) -> dt.date:
    """Independent computation: the first day of the final `months` months, counting back whole calendar months
    from the day after the end (a day the shorter month lacks becomes its last day)."""
    after = ends_on + dt.timedelta(days=1)
    total = after.year * 12 + (after.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    day = min(after.day, calendar.monthrange(year, month)[1])
    return max(starts_on, dt.date(year, month, day))


@given(
    starts_on=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)),
    length_days=st.integers(min_value=1, max_value=365 * 8),
    months=st.integers(min_value=12, max_value=18),
)
def test_review_due_on_matches_an_independent_count_for_every_length_and_start(starts_on, length_days, months):
    ends_on = starts_on + dt.timedelta(days=length_days)
    due = services.review_due_on(starts_on=starts_on, ends_on=ends_on, window_months=months)
    assert due == expected_due_on(starts_on, ends_on, months)
    assert starts_on <= due <= ends_on
    # The final months really are `months` long (or the whole agreement, when it is shorter).
    if due > starts_on:
        assert dt.date(due.year, due.month, 1) <= ends_on


@pytest.mark.django_db
@settings(max_examples=20, deadline=None)
@given(
    starts_on=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 4)),
    length_days=st.integers(min_value=30, max_value=365 * 6),
    offset_days=st.integers(min_value=-40, max_value=40),
    months=st.integers(min_value=12, max_value=18),
)
def test_agreements_are_flagged_on_exactly_the_right_day(starts_on, length_days, offset_days, months):
    """For an agreement of any start and length, the daily flag includes it from its due day to its end, and not
    the day before."""
    StrategicReviewRule.objects.update_or_create(effective_from=dt.date(2017, 4, 1), defaults={"window_months": months})
    ends_on = starts_on + dt.timedelta(days=length_days)
    agreement = AgreementFactory(starts_on=starts_on, ends_on=ends_on, service=ServiceFactory(starts_on=starts_on))
    due = expected_due_on(starts_on, ends_on, months)
    for day in {
        due - dt.timedelta(days=1),
        due,
        due + dt.timedelta(days=offset_days),
        ends_on,
        ends_on + dt.timedelta(days=1),
    }:
        flagged = agreement in services.agreements_due_for_review(today=day)
        assert flagged == (due <= day <= ends_on), (day, due, ends_on)
    agreement.delete()
    agreement.service.delete()


@pytest.fixture
def agreement(db):
    """Ends 31 March 2028: in its final 18 months from 1 October 2026."""
    return AgreementFactory(starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2028, 3, 31))


def test_the_daily_flag_opens_each_due_review_once(agreement):
    not_yet = AgreementFactory(starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2029, 3, 31))
    created = services.strategic_reviews_flag(today=TODAY)
    assert [r.agreement for r in created] == [agreement]
    assert created[0].due_on == dt.date(2026, 10, 1)
    assert created[0].status == StrategicReview.Status.DUE
    assert services.strategic_reviews_flag(today=TODAY) == []
    assert not not_yet.strategic_reviews.exists()


def test_the_profile_window_changes_the_day(agreement):
    StrategicReviewRule.objects.create(effective_from=dt.date(2017, 4, 1), window_months=12)
    assert services.agreements_due_for_review(today=TODAY) == []
    assert services.agreements_due_for_review(today=dt.date(2027, 4, 1)) == [agreement]


def _finish(review, officer):
    return services.strategic_review_record(
        actor=officer,
        review=review,
        data={
            "outcomes": "Supported 412 victims against a target of 400.",
            "met_need": "yes",
            "lessons": "Referrals from the police rose once the pathway was agreed.",
            "value_for_money": "good",
            "recommendation": "extend",
            "recommendation_reasons": "Demand continues; a re-tender in 2028 fits the new needs assessment.",
        },
    )


def test_review_carried_out_and_decided_by_the_pcc_starts_an_extension(agreement, users):
    officer, pcc = users["commissioning_manager"], users["pcc"]
    review = services.strategic_review_open(actor=officer, agreement=agreement, today=TODAY)
    agreement.service.refresh_from_db()
    assert agreement.service.status == Service.Status.IN_REVIEW
    review = _finish(review, officer)
    review = services.strategic_review_submit(actor=officer, review=review)
    assert review.status == StrategicReview.Status.AWAITING_DECISION
    with pytest.raises(PermissionDenied):
        services.strategic_review_decide(
            actor=users["cfo"], review=review, decision="extend", reasons="x", new_ends_on=dt.date(2029, 3, 31)
        )
    with pytest.raises(ValidationError) as error:
        services.strategic_review_decide(actor=pcc, review=review, decision="extend", reasons="Demand continues")
    assert "new_ends_on" in error.value.message_dict
    review = services.strategic_review_decide(
        actor=pcc, review=review, decision="extend", reasons="Demand continues", new_ends_on=dt.date(2029, 3, 31)
    )
    assert review.status == StrategicReview.Status.DECIDED
    assert review.decision_record.decided_by == pcc
    variation = review.extension_variation
    assert variation.kind == AgreementVariation.Kind.EXTENSION
    assert variation.status == AgreementVariation.Status.REQUESTED
    assert variation.new_ends_on == dt.date(2029, 3, 31)
    agreement.service.refresh_from_db()
    assert agreement.service.status == Service.Status.ACTIVE
    assert review.history.count() >= 3


def test_submitting_needs_every_finding(agreement, users):
    officer = users["policy_officer"]
    review = services.strategic_review_open(actor=officer, agreement=agreement, today=TODAY)
    with pytest.raises(ValidationError) as error:
        services.strategic_review_submit(actor=officer, review=review)
    assert set(error.value.message_dict) == {
        "outcomes",
        "met_need",
        "lessons",
        "value_for_money",
        "recommendation",
        "recommendation_reasons",
    }


def test_only_the_named_role_decides_and_never_who_recommended(agreement, users):
    StrategicReviewRule.objects.create(
        effective_from=dt.date(2017, 4, 1), window_months=18, deciding_role="commissioning_manager"
    )
    officer = users["commissioning_manager"]
    review = services.strategic_review_open(actor=officer, agreement=agreement, today=TODAY)
    review = services.strategic_review_submit(actor=officer, review=_finish(review, officer))
    with pytest.raises(PermissionDenied):
        services.strategic_review_decide(actor=officer, review=review, decision="end", reasons="x")
    with pytest.raises(PermissionDenied):
        services.strategic_review_decide(actor=users["pcc"], review=review, decision="end", reasons="x")


@pytest.mark.parametrize("role", ["provider", "partner", "auditor", "panel_member", "finance_officer"])
def test_outsiders_and_readers_cannot_carry_out_a_review(agreement, users, role):
    with pytest.raises(PermissionDenied):
        services.strategic_review_open(actor=users[role], agreement=agreement, today=TODAY)


def test_retender_waits_for_a_commissioning_case_which_procurement_links(agreement, users):
    officer, pcc = users["commissioning_manager"], users["pcc"]
    review = services.strategic_review_open(actor=officer, agreement=agreement, today=TODAY)
    review = _finish(review, officer)
    review = services.strategic_review_submit(actor=officer, review=review)
    review = services.strategic_review_decide(actor=pcc, review=review, decision="retender", reasons="New need")
    assert list(selectors.reviews_awaiting_case()) == [review]
    review = services.strategic_review_case_started(actor=officer, review=review, case_reference="CASE-2026-0003")
    assert review.case_reference == "CASE-2026-0003"
    assert list(selectors.reviews_awaiting_case()) == []
    with pytest.raises(ValidationError):
        services.strategic_review_case_started(actor=officer, review=review, case_reference="CASE-2026-0004")


def test_an_end_decision_waits_for_the_exit(agreement, users):
    officer, pcc = users["commissioning_manager"], users["pcc"]
    review = services.strategic_review_open(actor=officer, agreement=agreement, today=TODAY)
    review = services.strategic_review_submit(actor=officer, review=_finish(review, officer))
    review = services.strategic_review_decide(actor=pcc, review=review, decision="end", reasons="Need met")
    assert list(selectors.reviews_awaiting_exit()) == [review]
    assert Decimal(agreement.value) > 0
