"""Every organisations permission for every role, with and without a record."""

import pytest
from django.contrib.auth.models import AnonymousUser

from commissioning.accounts.roles import Role
from commissioning.organisations.tests.factories import ActivityFactory, BoardFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

STAFF = {
    "admin",
    "pcc",
    "chief_executive",
    "cfo",
    "director_operations",
    "commissioning_manager",
    "policy_officer",
    "finance_officer",
}
EDITORS = {"admin", "commissioning_manager", "policy_officer"}


def allowed(users, permission, obj=None):
    return {role for role, user in users.items() if user.has_perm(permission, obj)}


def test_the_directory_is_for_opcc_staff_auditors_and_panel_members(users):
    assert allowed(users, "organisations.view_directory") == STAFF | {"auditor", "panel_member"}


def test_any_organisation_is_visible_to_directory_readers_only(users):
    assert allowed(users, "organisations.view_organisation", OrganisationFactory()) == STAFF | {
        "auditor",
        "panel_member",
    }


@pytest.mark.parametrize("role", ["partner", "provider", "applicant"])
def test_an_outside_user_may_view_only_their_own_organisation(users, role):
    user = users[role]
    assert user.has_perm("organisations.view_organisation", user.organisation)
    assert not user.has_perm("organisations.view_organisation", OrganisationFactory())


def test_organisations_are_changed_by_commissioning_officers_and_administrators(users):
    assert allowed(users, "organisations.change_organisation") == EDITORS
    own = users["provider"].organisation
    assert allowed(users, "organisations.change_organisation", own) == EDITORS


def test_boards_are_seen_by_opcc_staff_auditors_and_partners(users):
    assert allowed(users, "organisations.view_board") == STAFF | {"auditor", "partner"}


def test_a_partner_sees_only_boards_its_organisation_sits_on_or_chairs(users):
    partner = users["partner"]
    assert partner.has_perm("organisations.view_board", BoardFactory(members=[partner.organisation]))
    assert partner.has_perm("organisations.view_board", BoardFactory(chair=partner.organisation))
    assert not partner.has_perm("organisations.view_board", BoardFactory(members=[OrganisationFactory()]))


def test_boards_are_changed_by_commissioning_officers_and_administrators(users):
    assert allowed(users, "organisations.change_board", BoardFactory()) == EDITORS


def test_activities_are_seen_by_opcc_staff_auditors_and_partners_on_them(users):
    partner = users["partner"]
    assert allowed(users, "organisations.view_activity") == STAFF | {"auditor", "partner"}
    assert allowed(users, "organisations.view_activity", ActivityFactory(partners=[partner.organisation])) == (
        STAFF | {"auditor", "partner"}
    )
    assert allowed(users, "organisations.view_activity", ActivityFactory()) == STAFF | {"auditor"}


def test_activities_are_changed_by_commissioning_officers_and_administrators(users):
    assert allowed(users, "organisations.change_activity", ActivityFactory()) == EDITORS


def test_the_activity_log_is_for_opcc_staff_and_auditors(users):
    assert allowed(users, "organisations.view_history") == STAFF | {"auditor"}


@pytest.mark.parametrize("role", ["auditor", "panel_member"])
def test_auditors_and_panel_members_change_nothing(users, role):
    user = users[role]
    for permission in ("change_organisation", "change_board", "change_activity"):
        assert not user.has_perm(f"organisations.{permission}")


def test_a_signed_out_visitor_has_no_permission():
    visitor = AnonymousUser()
    for permission in (
        "view_directory",
        "view_organisation",
        "change_organisation",
        "view_board",
        "change_board",
        "view_activity",
        "change_activity",
        "view_history",
    ):
        assert not visitor.has_perm(f"organisations.{permission}")


def test_an_inactive_user_has_no_permission(users):
    user = users["commissioning_manager"]
    user.is_active = False
    assert not user.has_perm("organisations.view_directory")


def test_the_expectations_above_name_real_roles():
    assert STAFF | EDITORS | {"auditor", "panel_member", "partner"} <= {r.value for r in Role}
