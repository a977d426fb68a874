import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from commissioning.core.history import history_for
from commissioning.organisations import selectors, services
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import (
    ActivityFactory,
    AreaOfInterestFactory,
    BoardFactory,
    BoardMeetingFactory,
    ContactFactory,
    OrganisationFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(func):
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


# Organisations ------------------------------------------------------------------------------------------


def test_directory_readers_see_every_organisation(users):
    OrganisationFactory(name="Dorset Police", kind=Organisation.Kind.STATUTORY)
    for role in ("auditor", "panel_member", "finance_officer"):
        names = {o.name for o in selectors.organisation_list(user=users[role])}
        assert "Dorset Police" in names
        assert users["provider"].organisation.name in names


@pytest.mark.parametrize("role", ["partner", "provider", "applicant"])
def test_an_outside_user_lists_only_their_own_organisation(users, role):
    OrganisationFactory(name="Someone Else")
    assert list(selectors.organisation_list(user=users[role])) == [users[role].organisation]


def test_an_evaluator_sees_no_organisations(users):
    OrganisationFactory()
    assert not selectors.organisation_list(user=users["evaluator"]).exists()


def test_a_provider_cannot_get_another_organisation(users):
    other = OrganisationFactory()
    with pytest.raises(Http404):
        selectors.organisation_get_for_user(user=users["provider"], pk=other.pk)
    own = users["provider"].organisation
    assert selectors.organisation_get_for_user(user=users["provider"], pk=own.pk) == own


def test_search_matches_name_identifier_and_postcode_and_kind_filters(users):
    police = OrganisationFactory(name="Dorset Police", kind=Organisation.Kind.STATUTORY, postcode="DT1 1AA")
    charity = OrganisationFactory(name="Refuge Trust", charity_number="1234567")
    officer = users["policy_officer"]
    assert list(selectors.organisation_list(user=officer, search="police")) == [police]
    assert list(selectors.organisation_list(user=officer, search="GB-CHC-1234567")) == [charity]
    assert list(selectors.organisation_list(user=officer, search="dt1")) == [police]
    assert list(selectors.organisation_list(user=officer, kind="statutory")) == [police]


def test_the_main_contact_is_annotated(users):
    organisation = OrganisationFactory()
    ContactFactory(organisation=organisation, name="Other", is_primary=False)
    ContactFactory(organisation=organisation, name="Main Person", is_primary=True)
    row = selectors.organisation_list(user=users["auditor"]).get(pk=organisation.pk)
    assert row.main_contact_name == "Main Person"


def test_the_organisation_list_costs_the_same_queries_for_one_row_or_thirty(users):
    officer = users["commissioning_manager"]
    areas = [AreaOfInterestFactory(name="Safeguarding"), AreaOfInterestFactory(name="Mental Health")]

    def read():
        return [
            (o.main_contact_name, list(o.areas_of_interest.all())) for o in selectors.organisation_list(user=officer)
        ]

    few = count_queries(read)
    for _ in range(30):
        organisation = OrganisationFactory()
        organisation.areas_of_interest.set(areas)
        ContactFactory(organisation=organisation, is_primary=True)
    assert count_queries(read) == few == 2


# Boards -------------------------------------------------------------------------------------------------


def test_a_partner_sees_boards_its_organisation_chairs_or_sits_on(users):
    partner = users["partner"]
    member = BoardFactory(name="Member board", members=[partner.organisation, OrganisationFactory()])
    chaired = BoardFactory(name="Chaired board", chair=partner.organisation)
    BoardFactory(name="Other board", members=[OrganisationFactory()])
    assert list(selectors.board_list(user=partner)) == [chaired, member]
    with pytest.raises(Http404):
        selectors.board_get_for_user(user=partner, pk=BoardFactory().pk)


@pytest.mark.parametrize("role", ["provider", "applicant", "evaluator", "panel_member"])
def test_other_outsiders_see_no_boards(users, role):
    BoardFactory(members=[users["partner"].organisation])
    assert not selectors.board_list(user=users[role]).exists()


def test_board_list_counts_members_and_finds_the_last_meeting(users):
    board = BoardFactory(members=[OrganisationFactory(), OrganisationFactory(), OrganisationFactory()])
    BoardMeetingFactory(board=board, held_on=dt.date(2026, 1, 10))
    BoardMeetingFactory(board=board, held_on=dt.date(2026, 3, 10))
    row = selectors.board_list(user=users["auditor"]).get(pk=board.pk)
    assert row.member_count == 3
    assert row.last_met_on == dt.date(2026, 3, 10)


def test_a_partners_board_list_still_counts_every_member(users):
    partner = users["partner"]
    BoardFactory(members=[partner.organisation, OrganisationFactory(), OrganisationFactory()])
    assert selectors.board_list(user=partner).get().member_count == 3


def test_boards_for_an_organisation_include_those_it_chairs(users):
    organisation = OrganisationFactory()
    chaired = BoardFactory(name="A chaired", chair=organisation)
    member = BoardFactory(name="B member", members=[organisation])
    BoardFactory(name="C unrelated")
    assert list(selectors.board_list_for_organisation(user=users["pcc"], organisation=organisation)) == [
        chaired,
        member,
    ]


def test_the_board_list_costs_the_same_queries_for_one_row_or_thirty(users):
    def read():
        return [(b.chair.name, b.member_count, b.last_met_on) for b in selectors.board_list(user=users["pcc"])]

    BoardFactory(chair=OrganisationFactory())
    few = count_queries(read)
    for _ in range(30):
        BoardFactory(chair=OrganisationFactory(), members=[OrganisationFactory()])
    assert count_queries(read) == few == 1


# Activities ---------------------------------------------------------------------------------------------


def test_a_partner_sees_only_activities_it_is_a_partner_on(users):
    partner = users["partner"]
    own = ActivityFactory(partners=[partner.organisation, OrganisationFactory()])
    other = ActivityFactory()
    assert list(selectors.activity_list(user=partner)) == [own]
    with pytest.raises(Http404):
        selectors.activity_get_for_user(user=partner, pk=other.pk)
    assert selectors.activity_get_for_user(user=users["auditor"], pk=other.pk) == other


def test_activities_filter_by_organisation_board_kind_and_search(users):
    organisation, board = OrganisationFactory(), BoardFactory()
    with_org = ActivityFactory(partners=[organisation], title="Refuge funding letter", kind="influence")
    on_board = ActivityFactory(board=board, kind="challenge")
    officer = users["policy_officer"]
    assert list(selectors.activity_list(user=officer, organisation_id=organisation.pk)) == [with_org]
    assert list(selectors.activity_list(user=officer, board_id=board.pk)) == [on_board]
    assert list(selectors.activity_list(user=officer, kind="challenge")) == [on_board]
    assert list(selectors.activity_list(user=officer, search="refuge")) == [with_org]


def test_latest_activities_say_when_there_are_more(users):
    organisation = OrganisationFactory()
    for _ in range(3):
        ActivityFactory(partners=[organisation])
    rows, more = selectors.activity_list_latest(user=users["pcc"], limit=2, organisation_id=organisation.pk)
    assert len(rows) == 2 and more
    rows, more = selectors.activity_list_latest(user=users["pcc"], limit=3, organisation_id=organisation.pk)
    assert len(rows) == 3 and not more


def test_the_activity_list_costs_the_same_queries_for_one_row_or_thirty(users):
    def read():
        return [
            (a.board.name, [p.name for p in a.partners.all()], [p.code for p in a.priorities.all()])
            for a in selectors.activity_list(user=users["auditor"])
        ]

    ActivityFactory(board=BoardFactory())
    few = count_queries(read)
    for _ in range(30):
        ActivityFactory(
            board=BoardFactory(),
            partners=[OrganisationFactory(), OrganisationFactory()],
            priorities=[PriorityFactory(), PriorityFactory()],
        )
    assert count_queries(read) == few == 3


# Activity log -------------------------------------------------------------------------------------------


def test_an_organisation_log_shows_who_changed_what_and_why(users):
    officer = users["commissioning_manager"]
    organisation = services.organisation_create(actor=officer, name="Log Trust", kind="vcse")
    services.organisation_update(
        actor=officer,
        organisation=organisation,
        data={"name": "Log Trust Dorset", "areas_of_interest": [AreaOfInterestFactory(name="Homelessness")]},
        reason="Renamed",
    )
    contact = services.contact_add(
        actor=officer, organisation=organisation, name="Ann Example", email="ann@example.org"
    )
    services.contact_remove(actor=officer, contact=contact)

    entries = selectors.organisation_history(organisation=organisation)

    assert [(e.action, e.subject) for e in entries] == [
        ("Deleted", "contact Ann Example"),
        ("Created", "contact Ann Example"),
        ("Changed", ""),
        ("Created", ""),
    ]
    change = entries[2]
    # The save and the many-to-many update are one change in the log.
    assert change.changed == ["Areas of interest", "Name"]
    assert change.reason == "Renamed"
    assert change.who == officer.display_name


def test_a_board_log_merges_the_rows_one_save_writes(users):
    officer = users["commissioning_manager"]
    board = services.board_create(
        actor=officer,
        name="Log Board",
        purpose="Testing",
        members=[OrganisationFactory()],
        priorities=[PriorityFactory()],
    )
    services.board_update(
        actor=officer,
        board=board,
        data={"members": [OrganisationFactory()], "purpose": "New"},
        reason="Refresh",
    )
    entries = history_for(board)
    assert [e.action for e in entries] == ["Changed", "Created"]
    assert entries[0].changed == ["Members", "Purpose"]


def test_the_log_costs_the_same_queries_however_long_it_is(users):
    officer = users["commissioning_manager"]
    activity = ActivityFactory()
    services.non_financial_activity_update(actor=officer, activity=activity, data={"outcome": "One"})
    few = count_queries(lambda: history_for(activity))
    for n in range(10):
        services.non_financial_activity_update(
            actor=officer,
            activity=activity,
            data={"outcome": f"Outcome {n}", "partners": [OrganisationFactory()]},
            reason=f"Update {n}",
        )
    entries = history_for(activity)
    assert count_queries(lambda: history_for(activity)) == few
    assert entries[0].changed == ["Outcome so far", "Partners"]
    assert entries[0].reason == "Update 9"
