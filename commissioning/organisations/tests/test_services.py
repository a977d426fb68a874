import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning.organisations import services
from commissioning.organisations.identifiers import normalise_company_number, org_id_for
from commissioning.organisations.models import (
    BoardMeeting,
    Contact,
    NonFinancialActivity,
    Organisation,
    PartnershipBoard,
)
from commissioning.organisations.tests.factories import (
    ActivityFactory,
    AreaOfInterestFactory,
    BoardFactory,
    ContactFactory,
    OrganisationFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(users):
    return users["commissioning_manager"]


def create(actor, **kwargs):
    kwargs.setdefault("name", "Dorset Victim Support")
    kwargs.setdefault("kind", Organisation.Kind.VCSE)
    return services.organisation_create(actor=actor, **kwargs)


# Org-id derivation -------------------------------------------------------------------------------------


def test_a_registered_charity_gets_a_gb_chc_identifier(officer):
    assert create(officer, charity_number="1234567").org_id == "GB-CHC-1234567"


def test_a_company_number_is_padded_to_eight_characters(officer):
    organisation = create(officer, company_number="1234567")
    assert organisation.company_number == "01234567"
    assert organisation.org_id == "GB-COH-01234567"


def test_a_scottish_company_number_keeps_its_prefix():
    assert normalise_company_number(" sc123456 ") == "SC123456"


def test_a_scottish_charity_gets_a_gb_sc_identifier(officer):
    organisation = create(officer, charity_register="GB-SC", charity_number="SC012345")
    assert organisation.org_id == "GB-SC-SC012345"


def test_the_charity_number_wins_over_the_company_number(officer):
    organisation = create(officer, charity_number="1234567", company_number="7654321")
    assert organisation.org_id == "GB-CHC-1234567"


def test_another_org_id_is_used_when_there_is_no_charity_or_company_number(officer):
    assert create(officer, other_org_id="gb-gor-pb123").org_id == "GB-GOR-PB123"


def test_without_identifiers_a_local_360giving_identifier_is_made_from_the_record(officer):
    organisation = create(officer)
    assert organisation.org_id == f"360G-opcc-ORG-{organisation.pk}"
    organisation.refresh_from_db()
    assert organisation.org_id == f"360G-opcc-ORG-{organisation.pk}"
    assert organisation.history.get().org_id == organisation.org_id


def test_a_profile_code_makes_a_stable_local_identifier():
    assert (
        org_id_for(
            charity_register="",
            charity_number="",
            company_number="",
            other_org_id="",
            local_id="dorset-police",
        )
        == "360G-opcc-ORG-dorset-police"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("charity_number", "12-AB", "Enter a charity number like 1234567"),
        ("company_number", "ABC12", "Enter a Companies House number like 01234567 or SC123456"),
        ("other_org_id", "not an id", "Enter an identifier from org-id.guide, like GB-GOR-PB123"),
    ],
)
def test_invalid_identifiers_are_refused_with_a_message_and_nothing_is_saved(officer, field, value, message):
    with pytest.raises(ValidationError) as error:
        create(officer, **{field: value})
    assert error.value.message_dict[field] == [message]
    assert not Organisation.objects.filter(name="Dorset Victim Support").exists()


def test_a_second_organisation_with_the_same_charity_number_is_refused(officer):
    create(officer, name="First Charity", charity_number="1234567")
    with pytest.raises(ValidationError) as error:
        create(officer, name="Second Charity", charity_number="1234567")
    assert "First Charity already has this charity number" in error.value.message_dict["charity_number"][0]
    assert not Organisation.objects.filter(name="Second Charity").exists()


def test_there_is_only_one_opcc(officer):
    OrganisationFactory(kind=Organisation.Kind.OPCC)
    with pytest.raises(ValidationError) as error:
        create(officer, kind=Organisation.Kind.OPCC)
    assert error.value.message_dict["kind"] == [
        "The OPCC is already in the directory. Choose another type of organisation"
    ]


@pytest.mark.parametrize("role", ["auditor", "panel_member", "finance_officer", "pcc", "partner", "provider"])
def test_only_commissioning_officers_and_administrators_add_organisations(users, role):
    with pytest.raises(PermissionDenied):
        create(users[role])
    assert not Organisation.objects.filter(name="Dorset Victim Support").exists()


def test_update_records_who_and_why_in_the_history(officer):
    areas = [AreaOfInterestFactory(name="Domestic Abuse"), AreaOfInterestFactory(name="Safeguarding")]
    organisation = create(officer, areas_of_interest=areas[:1])
    services.organisation_update(
        actor=officer,
        organisation=organisation,
        data={"name": " Victim Support Dorset ", "areas_of_interest": areas},
        reason="Name changed after merger",
    )
    organisation.refresh_from_db()
    assert organisation.name == "Victim Support Dorset"
    assert set(organisation.areas_of_interest.all()) == set(areas)
    latest = organisation.history.latest()
    assert latest.history_user == officer
    assert latest.history_change_reason == "Name changed after merger"


def test_update_refuses_unknown_fields(officer):
    organisation = create(officer)
    with pytest.raises(TypeError):
        services.organisation_update(actor=officer, organisation=organisation, data={"org_id": "X"})


def test_update_of_an_invalid_number_saves_nothing(officer):
    organisation = create(officer, charity_number="1234567")
    with pytest.raises(ValidationError):
        services.organisation_update(actor=officer, organisation=organisation, data={"charity_number": "bad"})
    organisation.refresh_from_db()
    assert organisation.charity_number == "1234567"


# Contacts -----------------------------------------------------------------------------------------------


def test_the_first_contact_becomes_the_main_contact(officer):
    organisation = OrganisationFactory()
    contact = services.contact_add(
        actor=officer, organisation=organisation, name="Service Manager", email="manager@example.org"
    )
    assert contact.is_primary


def test_choosing_a_new_main_contact_demotes_the_old_one(officer):
    organisation = OrganisationFactory()
    first = services.contact_add(actor=officer, organisation=organisation, name="First", email="a@example.org")
    second = services.contact_add(
        actor=officer, organisation=organisation, name="Second", phone="01202 000000", is_primary=True
    )
    first.refresh_from_db()
    assert second.is_primary and not first.is_primary
    assert Contact.objects.filter(organisation=organisation, is_primary=True).count() == 1

    services.contact_update(actor=officer, contact=first, data={"is_primary": True})
    second.refresh_from_db()
    assert not second.is_primary


def test_a_contact_needs_an_email_address_or_phone_number(officer):
    with pytest.raises(ValidationError) as error:
        services.contact_add(actor=officer, organisation=OrganisationFactory(), name="No Details")
    assert error.value.message_dict["email"] == ["Enter an email address or a phone number for the contact"]
    assert not Contact.objects.exists()


def test_removing_a_contact_keeps_who_removed_it_in_the_history(officer):
    contact = ContactFactory()
    pk = contact.pk
    services.contact_remove(actor=officer, contact=contact, reason="Left the organisation")
    assert not Contact.objects.filter(pk=pk).exists()
    removal = Contact.history.filter(id=pk).latest()
    assert removal.history_type == "-"
    assert removal.history_user == officer
    assert removal.history_change_reason == "Left the organisation"


def test_a_provider_cannot_change_even_its_own_contacts(users):
    contact = ContactFactory(organisation=users["provider"].organisation)
    with pytest.raises(PermissionDenied):
        services.contact_update(actor=users["provider"], contact=contact, data={"name": "Changed"})


# Boards and meetings ------------------------------------------------------------------------------------


def test_a_board_is_created_with_members_and_priorities(officer):
    members = [OrganisationFactory(), OrganisationFactory()]
    priority = PriorityFactory()
    board = services.board_create(
        actor=officer,
        name="Dorset Criminal Justice Board",
        purpose="Joint work",
        chair=members[0],
        members=members,
        priorities=[priority],
    )
    assert set(board.members.all()) == set(members)
    assert list(board.priorities.all()) == [priority]
    assert board.history.latest().history_user == officer


def test_board_names_are_unique_whatever_the_case(officer):
    BoardFactory(name="Community Safety Partnership")
    with pytest.raises(ValidationError) as error:
        services.board_create(actor=officer, name="community safety partnership", purpose="Duplicate")
    assert "There is already a board called" in error.value.message_dict["name"][0]
    assert PartnershipBoard.objects.count() == 1


def test_board_update_replaces_members(officer):
    old, new = OrganisationFactory(), OrganisationFactory()
    board = BoardFactory(members=[old])
    services.board_update(
        actor=officer,
        board=board,
        data={"members": [new], "meeting_frequency": "Monthly"},
        reason="Membership refreshed",
    )
    board.refresh_from_db()
    assert list(board.members.all()) == [new]
    assert board.meeting_frequency == "Monthly"


def test_a_meeting_is_recorded_with_notes_actions_and_who_recorded_it(officer):
    board = BoardFactory()
    meeting = services.board_meeting_record(
        actor=officer,
        board=board,
        held_on=dt.date(2026, 3, 2),
        notes="Reviewed data sharing.",
        actions="OPCC to circulate figures",
    )
    assert meeting.recorded_by == officer
    assert list(board.meetings.all()) == [meeting]


def test_a_meeting_in_the_future_is_refused(officer):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.board_meeting_record(actor=officer, board=BoardFactory(), held_on=tomorrow, notes="Not yet")
    assert "held_on" in error.value.message_dict
    assert not BoardMeeting.objects.exists()


@pytest.mark.parametrize("role", ["auditor", "panel_member", "partner", "pcc"])
def test_only_commissioning_officers_record_meetings(users, role):
    with pytest.raises(PermissionDenied):
        services.board_meeting_record(
            actor=users[role], board=BoardFactory(), held_on=dt.date(2026, 1, 1), notes="Notes"
        )


# Non-financial activities -------------------------------------------------------------------------------


def activity_kwargs(**overrides):
    kwargs = {
        "kind": NonFinancialActivity.Kind.INFLUENCE,
        "title": "Letter to the Home Office on refuge funding",
        "description": "The PCC wrote to the minister.",
        "occurred_on": dt.date(2026, 2, 10),
        "partners": [OrganisationFactory()],
        "priorities": [PriorityFactory()],
    }
    kwargs.update(overrides)
    return kwargs


def test_an_activity_is_recorded_with_partners_and_priorities(officer):
    activity = services.non_financial_activity_record(actor=officer, **activity_kwargs())
    assert activity.partners.count() == 1
    assert activity.priorities.count() == 1
    assert activity.recorded_by == officer


def test_an_activity_without_a_partner_or_a_priority_is_refused(officer):
    with pytest.raises(ValidationError) as error:
        services.non_financial_activity_record(actor=officer, **activity_kwargs(partners=[], priorities=[]))
    assert error.value.message_dict["partners"] == ["Select at least one partner organisation"]
    assert error.value.message_dict["priorities"] == ["Select at least one Police and Crime Plan priority"]
    assert not NonFinancialActivity.objects.exists()


def test_an_activity_reports_every_problem_at_once(officer):
    with pytest.raises(ValidationError) as error:
        services.non_financial_activity_record(actor=officer, **activity_kwargs(partners=[], title=""))
    assert {"partners", "title"} <= set(error.value.message_dict)


def test_an_update_cannot_remove_every_partner(officer):
    activity = ActivityFactory()
    with pytest.raises(ValidationError) as error:
        services.non_financial_activity_update(actor=officer, activity=activity, data={"partners": []})
    assert "partners" in error.value.message_dict
    assert activity.partners.count() == 1


def test_an_update_changes_fields_and_links(officer):
    activity = ActivityFactory()
    partner, priority = OrganisationFactory(), PriorityFactory()
    services.non_financial_activity_update(
        actor=officer,
        activity=activity,
        data={"outcome": "Funding confirmed", "partners": [partner], "priorities": [priority]},
        reason="Outcome known",
    )
    activity.refresh_from_db()
    assert activity.outcome == "Funding confirmed"
    assert list(activity.partners.all()) == [partner]
    assert activity.history.latest().history_change_reason == "Outcome known"


@pytest.mark.parametrize("role", ["auditor", "panel_member", "partner", "finance_officer"])
def test_readers_cannot_record_activities(users, role):
    with pytest.raises(PermissionDenied):
        services.non_financial_activity_record(actor=users[role], **activity_kwargs())
    assert not NonFinancialActivity.objects.exists()
