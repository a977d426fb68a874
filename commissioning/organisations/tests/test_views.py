import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.core.tests.helpers import PageShape, text
from commissioning.organisations.models import (
    BoardMeeting,
    Contact,
    NonFinancialActivity,
    Organisation,
    PartnershipBoard,
)
from commissioning.organisations.tests import url_matrix
from commissioning.organisations.tests.factories import (
    ActivityFactory,
    AreaOfInterestFactory,
    BoardFactory,
    BoardMeetingFactory,
    ContactFactory,
    OrganisationFactory,
    PriorityFactory,
)
from commissioning.testing.matrix import ALL_ROLES, ANONYMOUS

pytestmark = pytest.mark.django_db

# Session, user, then the page's own reads: a constant whatever the number of rows.
LIST_PAGE_QUERIES = 10


def assert_well_formed_page(response):
    shape = PageShape()
    shape.feed(response.content.decode())
    assert shape.h1 == 1, "a page has exactly one h1"
    duplicates = [i for i, n in shape.ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"


@pytest.fixture
def officer(client_for):
    return client_for("commissioning_manager")


# The role × URL matrix for this app's URLs (the project test runs every app's together).


def test_every_url_of_the_app_has_the_expected_status_for_every_role(users):
    world = SimpleNamespace(users=users, opcc=OrganisationFactory(name="Test OPCC", kind=Organisation.Kind.OPCC))
    url_matrix.setup(world)
    clients = {ANONYMOUS: Client()}
    for role in ALL_ROLES:
        clients[role] = Client()
        clients[role].force_login(users[role])
    failures = []
    for case in url_matrix.CASES:
        url = reverse(case.url_name, kwargs=case.kwargs(world)) + (f"?{case.query}" if case.query else "")
        for who, expected in case.expected.items():
            status = clients[who].get(url).status_code
            if status != expected:
                failures.append(f"{case.url_name} as {who}: expected {expected}, got {status}")
    assert not failures, "\n".join(failures)


def test_the_matrix_names_every_url_of_the_app():
    from commissioning.organisations.urls import urlpatterns

    assert {f"organisations:{p.name}" for p in urlpatterns} == {c.url_name for c in url_matrix.CASES}


# Organisations ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 30])
def test_the_organisation_list_runs_a_bounded_number_of_queries(officer, rows, django_assert_max_num_queries):
    areas = [AreaOfInterestFactory(name="Safeguarding"), AreaOfInterestFactory(name="Homelessness")]
    for _ in range(rows):
        organisation = OrganisationFactory()
        organisation.areas_of_interest.set(areas)
        ContactFactory(organisation=organisation, is_primary=True)
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = officer.get(reverse("organisations:list"))
    assert response.status_code == 200


def test_the_organisation_list_paginates_25_a_page(officer):
    for n in range(30):
        OrganisationFactory(name=f"Paged Organisation {n:02d}")
    first = officer.get(reverse("organisations:list"), {"search": "Paged"})
    assert text(first).count("Paged Organisation") == 25
    assert 'class="govuk-pagination"' in text(first)
    second = officer.get(reverse("organisations:list"), {"search": "Paged", "page": 2})
    assert text(second).count("Paged Organisation") == 5
    assert "search=Paged&amp;page=1" in text(second)
    assert_well_formed_page(first)


def test_the_organisation_list_searches_and_filters_by_kind(officer):
    OrganisationFactory(name="Dorset Police", kind=Organisation.Kind.STATUTORY)
    OrganisationFactory(name="Dorset Refuge", kind=Organisation.Kind.VCSE)
    page = text(officer.get(reverse("organisations:list"), {"search": "dorset", "kind": "statutory"}))
    assert "Dorset Police" in page and "Dorset Refuge" not in page
    page = text(officer.get(reverse("organisations:list"), {"kind": "not-a-kind"}))
    assert "Dorset Police" in page and "Dorset Refuge" in page


def test_the_organisation_page_shows_its_identifier_interests_contacts_boards_activities_and_log(officer, users):
    organisation = OrganisationFactory(name="Dorset Refuge", charity_number="1234567")
    organisation.areas_of_interest.set([AreaOfInterestFactory(name="Domestic Abuse")])
    ContactFactory(organisation=organisation, name="Refuge Manager", is_primary=True)
    BoardFactory(name="Domestic Abuse Strategic Board", members=[organisation])
    ActivityFactory(title="Joint bid to the Home Office", partners=[organisation])

    response = officer.get(reverse("organisations:detail", args=[organisation.pk]))

    page = text(response)
    for expected in (
        "GB-CHC-1234567",
        "Domestic Abuse",
        "Refuge Manager",
        "Main contact",
        "Domestic Abuse Strategic Board",
        "Joint bid to the Home Office",
        "Activity log",
    ):
        assert expected in page
    assert_well_formed_page(response)


def test_a_provider_sees_its_own_organisation_but_not_another(client_for, users):
    provider = client_for("provider")
    own = users["provider"].organisation
    response = provider.get(reverse("organisations:detail", args=[own.pk]))
    assert response.status_code == 200
    assert "Activity log" not in text(response)
    assert "Change<" not in text(response)
    assert provider.get(reverse("organisations:detail", args=[OrganisationFactory().pk])).status_code == 404


def test_adding_an_organisation(officer):
    area = AreaOfInterestFactory(name="Mental Health")
    response = officer.post(
        reverse("organisations:create"),
        {
            "name": "Dorset Mind",
            "kind": "vcse",
            "charity_number": "1101234",
            "charity_register": "GB-CHC",
            "company_number": "",
            "areas_of_interest": [area.pk],
            "website": "www.example.org",
        },
    )
    organisation = Organisation.objects.get(name="Dorset Mind")
    assert response.status_code == 302
    assert response.url == reverse("organisations:detail", args=[organisation.pk])
    assert organisation.org_id == "GB-CHC-1101234"
    assert organisation.website == "https://www.example.org"
    assert list(organisation.areas_of_interest.all()) == [area]


def test_an_invalid_charity_number_is_shown_in_the_error_summary_and_nothing_is_saved(officer):
    response = officer.post(
        reverse("organisations:create"), {"name": "Bad Number", "kind": "vcse", "charity_number": "12-XY"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert '<a href="#id_charity_number">Enter a charity number like 1234567</a>' in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    assert not Organisation.objects.filter(name="Bad Number").exists()
    assert_well_formed_page(response)


def test_missing_answers_get_messages_naming_the_fix(officer):
    page = text(officer.post(reverse("organisations:create"), {"company_number": "123456789"}))
    assert "Enter the organisation name" in page
    assert "Select the type of organisation" in page
    assert "Enter a Companies House number like 01234567 or SC123456" in page


def test_the_opcc_type_is_offered_only_on_the_opcc_record(officer):
    assert 'value="opcc"' not in text(officer.get(reverse("organisations:create")))
    opcc = OrganisationFactory(kind=Organisation.Kind.OPCC)
    assert 'value="opcc"' in text(officer.get(reverse("organisations:edit", args=[opcc.pk])))


def test_editing_an_organisation_records_the_reason_in_the_log(officer):
    organisation = OrganisationFactory(name="Old Name")
    response = officer.post(
        reverse("organisations:edit", args=[organisation.pk]),
        {
            "name": "New Name",
            "kind": "vcse",
            "is_active": "on",
            "reason": "Rebranded in 2026",
        },
    )
    assert response.status_code == 302
    page = text(officer.get(reverse("organisations:detail", args=[organisation.pk])))
    assert "New Name" in page
    assert "Rebranded in 2026" in page


def test_the_edit_form_shows_the_current_answers(officer):
    organisation = OrganisationFactory(name="Shown Trust", company_number="01234567")
    page = text(officer.get(reverse("organisations:edit", args=[organisation.pk])))
    assert 'value="Shown Trust"' in page and 'value="01234567"' in page


def test_an_auditor_cannot_post_changes(client_for):
    organisation = OrganisationFactory(name="Unchanged")
    response = client_for("auditor").post(
        reverse("organisations:edit", args=[organisation.pk]), {"name": "Changed", "kind": "vcse"}
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Unchanged"


# Contacts -----------------------------------------------------------------------------------------------


def test_adding_changing_and_removing_a_contact(officer):
    organisation = OrganisationFactory()
    url = reverse("organisations:contact_add", args=[organisation.pk])
    response = officer.post(url, {"name": "Ann Example", "job_title": "Director", "email": "ann@example.org"})
    assert response.status_code == 302
    contact = Contact.objects.get(organisation=organisation)
    assert contact.is_primary

    edit = reverse("organisations:contact_edit", args=[organisation.pk, contact.pk])
    officer.post(edit, {"name": "Ann Example", "phone": "01202 123456", "email": "", "is_primary": "on"})
    contact.refresh_from_db()
    assert contact.phone == "01202 123456"

    delete = reverse("organisations:contact_delete", args=[organisation.pk, contact.pk])
    confirm = officer.get(delete)
    assert "Are you sure you want to remove Ann Example" in text(confirm)
    assert_well_formed_page(confirm)
    assert officer.post(delete).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_a_contact_without_email_or_phone_is_refused(officer):
    organisation = OrganisationFactory()
    response = officer.post(reverse("organisations:contact_add", args=[organisation.pk]), {"name": "Nobody"})
    assert "Enter an email address or a phone number for the contact" in text(response)
    assert not organisation.contacts.exists()


def test_a_contact_of_another_organisation_is_not_found(officer):
    contact = ContactFactory()
    url = reverse("organisations:contact_edit", args=[OrganisationFactory().pk, contact.pk])
    assert officer.get(url).status_code == 404


# Boards -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 30])
def test_the_board_list_runs_a_bounded_number_of_queries(officer, rows, django_assert_max_num_queries):
    for _ in range(rows):
        board = BoardFactory(chair=OrganisationFactory(), members=[OrganisationFactory()])
        BoardMeetingFactory(board=board)
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = officer.get(reverse("organisations:board_list"))
    assert response.status_code == 200


def test_adding_a_board_and_recording_a_meeting(officer):
    member, priority = OrganisationFactory(name="Dorset Council"), PriorityFactory(title="Protect people")
    response = officer.post(
        reverse("organisations:board_create"),
        {
            "name": "Community Safety Partnership",
            "purpose": "Joint community safety plan",
            "chair": member.pk,
            "members": [member.pk],
            "priorities": [priority.pk],
            "meeting_frequency": "Quarterly",
        },
    )
    board = PartnershipBoard.objects.get(name="Community Safety Partnership")
    assert response.status_code == 302
    assert list(board.members.all()) == [member]

    response = officer.post(
        reverse("organisations:meeting_add", args=[board.pk]),
        {
            "held_on_day": "3",
            "held_on_month": "2",
            "held_on_year": "2026",
            "notes": "Agreed the plan.",
            "actions": "OPCC to share figures",
        },
    )
    assert response.status_code == 302
    meeting = BoardMeeting.objects.get(board=board)
    assert meeting.held_on == dt.date(2026, 2, 3)

    page = officer.get(reverse("organisations:board_detail", args=[board.pk]))
    for expected in (
        "Dorset Council",
        "Protect people",
        "Meeting on 3 February 2026",
        "OPCC to share figures",
        "Activity log",
    ):
        assert expected in text(page)
    assert_well_formed_page(page)


def test_a_meeting_date_must_be_real(officer):
    board = BoardFactory()
    response = officer.post(
        reverse("organisations:meeting_add", args=[board.pk]),
        {"held_on_day": "31", "held_on_month": "2", "held_on_year": "2026", "notes": "Notes"},
    )
    assert '<a href="#id_held_on_0">Date of meeting must be a real date</a>' in text(response)
    assert not board.meetings.exists()


def test_a_partner_sees_its_board_without_edit_links(client_for, users):
    partner = users["partner"]
    board = BoardFactory(name="Shared Board", members=[partner.organisation])
    response = client_for("partner").get(reverse("organisations:board_detail", args=[board.pk]))
    assert response.status_code == 200
    assert "Record a meeting" not in text(response)
    assert "Activity log" not in text(response)


# Activities ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 30])
def test_the_activity_list_runs_a_bounded_number_of_queries(officer, rows, django_assert_max_num_queries):
    for _ in range(rows):
        ActivityFactory(board=BoardFactory(), partners=[OrganisationFactory(), OrganisationFactory()])
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = officer.get(reverse("organisations:activity_list"))
    assert response.status_code == 200


def test_recording_an_activity(officer):
    partner, priority = OrganisationFactory(name="NHS England"), PriorityFactory()
    board = BoardFactory()
    form = officer.get(reverse("organisations:activity_create"), {"board": board.pk})
    assert_well_formed_page(form)
    response = officer.post(
        reverse("organisations:activity_create"),
        {
            "kind": "partnership",
            "title": "Joint SARC review",
            "description": "Reviewed the SARC contract.",
            "occurred_on_day": "12",
            "occurred_on_month": "1",
            "occurred_on_year": "2026",
            "partners": [partner.pk],
            "priorities": [priority.pk],
            "board": board.pk,
        },
    )
    activity = NonFinancialActivity.objects.get(title="Joint SARC review")
    assert response.status_code == 302
    assert list(activity.partners.all()) == [partner]
    detail = officer.get(reverse("organisations:activity_detail", args=[activity.pk]))
    assert "NHS England" in text(detail) and "12 January 2026" in text(detail)
    assert_well_formed_page(detail)


def test_an_activity_without_partners_or_priorities_is_refused(officer):
    response = officer.post(
        reverse("organisations:activity_create"),
        {
            "kind": "influence",
            "title": "Letter",
            "description": "Wrote a letter",
            "occurred_on_day": "12",
            "occurred_on_month": "1",
            "occurred_on_year": "2026",
        },
    )
    page = text(response)
    # Partners are typed, one a line, with search as you type (issue 9, point 3).
    assert '<a href="#id_partners">Enter at least one partner organisation</a>' in page
    assert '<a href="#id_priorities_0">Select at least one Police and Crime Plan priority</a>' in page
    assert not NonFinancialActivity.objects.exists()


def test_editing_an_activity_keeps_a_partner_that_has_since_closed(officer):
    closed = OrganisationFactory(name="Closed Charity", is_active=False)
    activity = ActivityFactory(partners=[closed])
    page = text(officer.get(reverse("organisations:activity_edit", args=[activity.pk])))
    assert "Closed Charity" in page


def test_a_partner_lists_only_its_activities(client_for, users):
    ActivityFactory(title="Ours", partners=[users["partner"].organisation])
    ActivityFactory(title="Theirs")
    page = text(client_for("partner").get(reverse("organisations:activity_list")))
    assert ">Ours<" in page and ">Theirs<" not in page


@pytest.mark.parametrize(
    "name", ["organisations:create", "organisations:board_create", "organisations:activity_create"]
)
def test_form_pages_are_well_formed(officer, name):
    OrganisationFactory()
    PriorityFactory()
    assert_well_formed_page(officer.get(reverse(name)))


def test_list_pages_are_well_formed(client_for):
    auditor = client_for("auditor")
    ActivityFactory(board=BoardFactory())
    for name in ("organisations:list", "organisations:board_list", "organisations:activity_list"):
        assert_well_formed_page(auditor.get(reverse(name)))
