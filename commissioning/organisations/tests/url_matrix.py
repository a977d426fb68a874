"""Role × URL expectations for the organisations app (contract in commissioning/testing/matrix.py).

A record a person may not see is a 404; a page they may see but not use is a 403.
"""

from commissioning.organisations.models import Contact
from commissioning.organisations.tests.factories import ActivityFactory, BoardFactory, OrganisationFactory
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = (
    "admin",
    "pcc",
    "chief_executive",
    "cfo",
    "director_operations",
    "commissioning_manager",
    "policy_officer",
    "finance_officer",
)
EDITORS = ("admin", "commissioning_manager", "policy_officer")
READERS_NOT_EDITING = ("pcc", "chief_executive", "cfo", "director_operations", "finance_officer", "auditor")

DIRECTORY = expect(403, **roles(*STAFF, "auditor", "panel_member", status=200))
# Another organisation's page: the directory's readers only; everyone else is told it is not there.
OTHER_ORGANISATION = expect(404, **roles(*STAFF, "auditor", "panel_member", status=200))
OWN_ORGANISATION = expect(404, **roles(*STAFF, "auditor", "panel_member", "provider", status=200))
ADD_PAGE = expect(403, **roles(*EDITORS, status=200))
CHANGE_ORGANISATION = expect(
    404, **roles(*READERS_NOT_EDITING, "panel_member", status=403), **roles(*EDITORS, status=200)
)
PARTNERSHIPS = expect(403, **roles(*STAFF, "auditor", "partner", status=200))
# The partner's organisation sits on world.board and is a partner on world.activity.
PARTNER_RECORD = expect(404, **roles(*STAFF, "auditor", "partner", status=200))
OTHER_PARTNER_RECORD = expect(404, **roles(*STAFF, "auditor", status=200))
CHANGE_PARTNER_RECORD = expect(404, **roles(*READERS_NOT_EDITING, "partner", status=403), **roles(*EDITORS, status=200))


def setup(world):
    partner_org = world.users["partner"].organisation
    world.organisation = OrganisationFactory(name="Matrix Community Trust")
    world.contact = Contact.objects.create(
        organisation=world.organisation, name="Matrix Contact", email="matrix@example.org", is_primary=True
    )
    world.board = BoardFactory(name="Matrix Partnership Board", members=[partner_org, world.organisation])
    world.other_board = BoardFactory(name="Matrix Board Without The Partner", members=[world.organisation])
    world.activity = ActivityFactory(partners=[partner_org], board=world.board, recorded_by=world.users["admin"])
    world.other_activity = ActivityFactory(partners=[world.organisation], recorded_by=world.users["admin"])


def _organisation(world):
    return {"pk": world.organisation.pk}


def _contact(world):
    return {"pk": world.organisation.pk, "contact_pk": world.contact.pk}


CASES = [
    UrlCase("organisations:list", DIRECTORY),
    # The search behind the search-as-you-type organisation fields: the directory's readers.
    UrlCase("organisations:search", DIRECTORY),
    UrlCase("organisations:search", DIRECTORY, query="q=test&scope=providers&format=json"),
    UrlCase("organisations:list", DIRECTORY, query="search=Matrix&kind=vcse&page=1"),
    UrlCase("organisations:create", ADD_PAGE),
    UrlCase("organisations:detail", OTHER_ORGANISATION, kwargs=_organisation),
    UrlCase(
        "organisations:detail",
        OWN_ORGANISATION,
        kwargs=lambda world: {"pk": world.users["provider"].organisation_id},
    ),
    UrlCase("organisations:detail", OTHER_ORGANISATION, kwargs=lambda world: {"pk": world.opcc.pk}),
    UrlCase("organisations:edit", CHANGE_ORGANISATION, kwargs=_organisation),
    UrlCase("organisations:contact_add", CHANGE_ORGANISATION, kwargs=_organisation),
    UrlCase("organisations:contact_edit", CHANGE_ORGANISATION, kwargs=_contact),
    UrlCase("organisations:contact_delete", CHANGE_ORGANISATION, kwargs=_contact),
    UrlCase("organisations:board_list", PARTNERSHIPS),
    UrlCase("organisations:board_create", ADD_PAGE),
    UrlCase("organisations:board_detail", PARTNER_RECORD, kwargs=lambda world: {"pk": world.board.pk}),
    UrlCase("organisations:board_detail", OTHER_PARTNER_RECORD, kwargs=lambda world: {"pk": world.other_board.pk}),
    UrlCase("organisations:board_edit", CHANGE_PARTNER_RECORD, kwargs=lambda world: {"pk": world.board.pk}),
    UrlCase("organisations:meeting_add", CHANGE_PARTNER_RECORD, kwargs=lambda world: {"pk": world.board.pk}),
    UrlCase("organisations:activity_list", PARTNERSHIPS),
    UrlCase("organisations:activity_create", ADD_PAGE),
    UrlCase("organisations:activity_detail", PARTNER_RECORD, kwargs=lambda world: {"pk": world.activity.pk}),
    UrlCase(
        "organisations:activity_detail",
        OTHER_PARTNER_RECORD,
        kwargs=lambda world: {"pk": world.other_activity.pk},
    ),
    UrlCase("organisations:activity_edit", CHANGE_PARTNER_RECORD, kwargs=lambda world: {"pk": world.activity.pk}),
]
