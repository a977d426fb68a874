"""Who may see and run rounds, and who may apply (permissions/apply.py), for every role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from commissioning.accounts.roles import OPCC_STAFF, Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.grants.tests.factories import ApplicationFactory, SubmittedApplicationFactory

pytestmark = pytest.mark.django_db

STAFF = {r.value for r in OPCC_STAFF}
ALL = [r.value for r in Role]


def allowed(users, permission, obj=None) -> set[str]:
    return {role for role in ALL if users[role].has_perm(permission, obj)}


def test_staff_auditors_panel_members_and_evaluators_see_rounds(users):
    assert allowed(users, "grants.view_rounds") == STAFF | {"auditor", "panel_member", "evaluator"}


def test_commissioning_officers_run_rounds(users):
    assert allowed(users, "grants.manage_rounds") == {"commissioning_manager", "policy_officer"}


def test_only_applicants_apply(users):
    assert allowed(users, "grants.apply") == {"applicant"}


def test_staff_and_auditors_list_every_application(users):
    assert allowed(users, "grants.view_applications") == STAFF | {"auditor"}
    assert allowed(users, "grants.view_application_history") == STAFF | {"auditor"}


def test_an_applicant_sees_only_its_organisations_applications(users):
    own = ApplicationFactory(organisation=users["applicant"].organisation)
    other = ApplicationFactory()
    assert allowed(users, "grants.view_application", own) == STAFF | {"auditor", "applicant"}
    assert allowed(users, "grants.view_application", other) == STAFF | {"auditor"}


def test_evaluators_do_not_read_applications_through_this_part(users):
    # Assessors see applications through the assessment part's own rule, after declaring their interests.
    assert not users["evaluator"].has_perm("grants.view_application", ApplicationFactory())


def test_only_the_organisations_applicants_change_its_draft(users):
    organisation = users["applicant"].organisation
    draft = ApplicationFactory(organisation=organisation)
    colleague = UserFactory(role="applicant", organisation=organisation)
    assert allowed(users, "grants.change_application", draft) == {"applicant"}
    assert colleague.has_perm("grants.change_application", draft)
    assert not UserFactory(role="applicant").has_perm("grants.change_application", draft)


def test_a_submitted_application_is_no_longer_changed(users):
    submitted = SubmittedApplicationFactory(organisation=users["applicant"].organisation)
    assert allowed(users, "grants.change_application", submitted) == set()


def test_a_closed_account_and_a_visitor_have_no_grants_permissions(users):
    applicant = users["applicant"]
    applicant.is_active = False
    applicant.save()
    draft = ApplicationFactory(organisation=applicant.organisation)
    for permission in ("grants.apply", "grants.view_application", "grants.change_application"):
        assert not applicant.has_perm(permission, draft)
        assert not AnonymousUser().has_perm(permission, draft)
    assert not AnonymousUser().has_perm("grants.view_rounds")
