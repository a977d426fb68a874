import datetime as dt

import pytest
from django.utils import timezone

from commissioning.strategy import selectors, services
from commissioning.strategy.models import SignOffStatus, Variation
from commissioning.strategy.tests.factories import (
    DecisionRecordFactory,
    PillarFactory,
    PoliceCrimePlanFactory,
    PriorityFactory,
    StrategyDocumentFactory,
    StrategyVersionFactory,
    VariationFactory,
)

pytestmark = pytest.mark.django_db


def in_force_version(*, review_due_on, document=None):
    return StrategyVersionFactory(
        document=document or StrategyDocumentFactory(),
        status=SignOffStatus.SIGNED,
        in_force_from=timezone.now(),
        review_due_on=review_due_on,
    )


# --- strategy_review_reminders ---


def test_review_reminders_cover_due_within_60_days_and_overdue():
    today = dt.date(2026, 11, 24)
    overdue = in_force_version(review_due_on=dt.date(2026, 10, 1))
    soon = in_force_version(review_due_on=today + dt.timedelta(days=60))
    in_force_version(review_due_on=today + dt.timedelta(days=61))
    StrategyVersionFactory(status=SignOffStatus.SUPERSEDED, review_due_on=dt.date(2020, 1, 1))

    reminders = selectors.strategy_review_reminders(today=today)

    assert [(r.version, r.overdue) for r in reminders] == [(overdue, True), (soon, False)]


@pytest.mark.parametrize("count", [1, 30])
def test_review_reminders_take_one_query(django_assert_max_num_queries, count):
    for _ in range(count):
        in_force_version(review_due_on=dt.date(2020, 1, 1))
    with django_assert_max_num_queries(1):
        titles = [r.version.document.title for r in selectors.strategy_review_reminders()]
    assert len(titles) == count


# --- decision_list_for_user ---


def test_panel_members_see_only_publishable_decisions(users):
    public = DecisionRecordFactory(publishable=True)
    private = DecisionRecordFactory(publishable=False, not_publishable_reason="Personal data")
    assert set(selectors.decision_list_for_user(user=users["panel_member"])) == {public}
    assert set(selectors.decision_list_for_user(user=users["auditor"])) == {public, private}
    assert set(selectors.decision_list_for_user(user=users["finance_officer"])) == {public, private}
    assert list(selectors.decision_list_for_user(user=users["provider"])) == []


def test_decisions_newest_first(users):
    older = DecisionRecordFactory(year=2025, sequence=9)
    newer = DecisionRecordFactory(year=2026, sequence=1)
    newest = DecisionRecordFactory(year=2026, sequence=2)
    assert list(selectors.decision_list_for_user(user=users["pcc"])) == [newest, newer, older]


@pytest.mark.parametrize("count", [1, 40])
def test_decision_list_takes_one_query(users, django_assert_max_num_queries, count):
    DecisionRecordFactory.create_batch(count, decided_by=users["pcc"], recorded_by=users["pcc"])
    with django_assert_max_num_queries(1):
        rows = [(d.number, d.decided_by.display_name) for d in selectors.decision_list_for_user(user=users["pcc"])]
    assert len(rows) == count


# --- sign_offs_awaiting ---


def test_sign_offs_awaiting_lists_what_the_role_has_not_signed(users):
    version = StrategyVersionFactory(status=SignOffStatus.AWAITING, submitted_at=timezone.now())
    in_force = StrategyVersionFactory(status=SignOffStatus.SIGNED)
    variation = VariationFactory(version=in_force, status=Variation.Status.AWAITING, shared_at=timezone.now())
    VariationFactory(version=in_force, status=Variation.Status.DRAFT)

    items = selectors.sign_offs_awaiting(user=users["cfo"])
    assert [i["url"] for i in items] == [
        f"/strategy/versions/{version.pk}/",
        f"/strategy/variations/{variation.pk}/",
    ]
    assert items[0]["label"] == f"{version.document.title}, version {version.number}"

    services.version_sign(actor=users["cfo"], version=version)
    services.variation_sign(actor=users["cfo"], variation=variation)
    assert selectors.sign_offs_awaiting(user=users["cfo"]) == []
    assert len(selectors.sign_offs_awaiting(user=users["pcc"])) == 2
    assert selectors.sign_offs_awaiting(user=users["commissioning_manager"]) == []


def test_drafts_to_submit_are_draft_versions_and_draft_variations_of_versions_in_force(django_assert_num_queries):
    draft = StrategyVersionFactory(status=SignOffStatus.DRAFT)
    StrategyVersionFactory(status=SignOffStatus.AWAITING)
    in_force = StrategyVersionFactory(status=SignOffStatus.SIGNED)
    variation = VariationFactory(version=in_force, status=Variation.Status.DRAFT)
    VariationFactory(version=in_force, status=Variation.Status.AWAITING)
    with django_assert_num_queries(2):
        items = selectors.drafts_to_submit()
    assert [i["url"] for i in items] == [
        f"/strategy/versions/{draft.pk}/",
        f"/strategy/variations/{variation.pk}/",
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_sign_offs_awaiting_takes_two_queries(users, django_assert_max_num_queries, count):
    for _ in range(count):
        StrategyVersionFactory(status=SignOffStatus.AWAITING)
        VariationFactory(status=Variation.Status.AWAITING)
    with django_assert_max_num_queries(2):
        items = selectors.sign_offs_awaiting(user=users["pcc"])
    assert len(items) == 2 * count


# --- lists and detail shapes ---


@pytest.mark.parametrize("count", [1, 12])
def test_current_plan_with_pillars_and_priorities_takes_three_queries(django_assert_max_num_queries, count):
    plan = PoliceCrimePlanFactory(is_current=True)
    for number in range(1, count + 1):
        pillar = PillarFactory(plan=plan, number=number)
        PriorityFactory.create_batch(3, pillar=pillar)
    with django_assert_max_num_queries(3):
        found = selectors.plan_current()
        codes = [p.code for pillar in found.pillars.all() for p in pillar.priorities.all()]
    assert len(codes) == 3 * count


def test_without_a_current_plan_the_latest_is_shown():
    PoliceCrimePlanFactory(starts_on=dt.date(2017, 4, 1), ends_on=dt.date(2021, 3, 31))
    latest = PoliceCrimePlanFactory(starts_on=dt.date(2021, 4, 1), ends_on=dt.date(2025, 3, 31))
    assert selectors.plan_current() == latest


@pytest.mark.parametrize("count", [1, 15])
def test_document_list_takes_one_query(django_assert_max_num_queries, count):
    for _ in range(count):
        in_force_version(review_due_on=dt.date(2027, 1, 1))
    with django_assert_max_num_queries(1):
        rows = [(d.title, d.in_force_number, d.review_due_on) for d in selectors.document_list()]
    assert len(rows) == count
    assert all(number and due == dt.date(2027, 1, 1) for _, number, due in rows)


@pytest.mark.parametrize("count", [1, 30])
def test_version_list_takes_one_query(django_assert_max_num_queries, count):
    document = StrategyDocumentFactory()
    StrategyVersionFactory.create_batch(count, document=document, status=SignOffStatus.SUPERSEDED)
    with django_assert_max_num_queries(1):
        rows = [
            (v.number, v.signature_count, v.prepared_by.display_name)
            for v in selectors.version_list_for_document(document=document)
        ]
    assert len(rows) == count


def test_signatory_rows_follow_the_seed_order(users):
    version = StrategyVersionFactory(status=SignOffStatus.AWAITING)
    services.version_sign(actor=users["cfo"], version=version, comment="Budget checked")
    rows = selectors.signatory_rows(record=version)
    assert [r.role for r in rows] == ["pcc", "chief_executive", "cfo", "director_operations"]
    assert rows[2].signature.comment == "Budget checked"
    assert rows[0].signature is None


@pytest.mark.parametrize("signers", [["cfo"], ["pcc", "chief_executive", "cfo", "director_operations"]])
def test_version_activity_takes_two_queries(users, django_assert_max_num_queries, signers):
    version = StrategyVersionFactory(status=SignOffStatus.AWAITING)
    for role in signers:
        version = services.version_sign(actor=users[role], version=version)
    with django_assert_max_num_queries(2):
        activity = selectors.activity_for_version(version=version)
    whats = [entry.what for entry in activity]
    assert "Signed as Chief Finance Officer" in whats
    assert all(entry.who for entry in activity)


def test_activity_says_what_changed_and_why(users):
    version = StrategyVersionFactory(status=SignOffStatus.DRAFT, prepared_by=users["policy_officer"])
    services.version_submit(actor=users["commissioning_manager"], version=version)
    newest = selectors.activity_for_version(version=version)[0]
    assert newest.who == users["commissioning_manager"].display_name
    assert newest.reason == "Submitted for sign-off"
    assert "Status: Draft to Awaiting sign-off" in [str(change) for change in newest.changes]
