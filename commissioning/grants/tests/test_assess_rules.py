"""Who may do what in assessment (permissions/assess.py), for every role."""

import pytest

from commissioning.accounts.roles import OPCC_STAFF, Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.grants.models import Application, AssessorAssignment
from commissioning.grants.tests.factories import AssessorAssignmentFactory, SubmittedApplicationFactory

pytestmark = pytest.mark.django_db

STAFF = {r.value for r in OPCC_STAFF}
OFFICERS = {"commissioning_manager", "policy_officer"}
EVERY_ROLE = [r.value for r in Role]


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_role_level_permissions(users, role):
    user = users[role]
    assert user.has_perm("grants.check_eligibility") == (role in OFFICERS)
    assert user.has_perm("grants.assign_assessors") == (role in OFFICERS)
    assert user.has_perm("grants.moderate") == (role in OFFICERS)
    assert user.has_perm("grants.recommend") == (role in OFFICERS)
    assert user.has_perm("grants.view_assessment_progress") == (role in OFFICERS | {"auditor"})
    assert user.has_perm("grants.view_my_assessments") == (role in STAFF | {"evaluator"})
    assert user.has_perm("grants.view_ranking") == (role in STAFF | {"auditor"})


def test_only_the_assessor_opens_their_assignment_and_only_after_declaring_no_conflict(users):
    assignment = AssessorAssignmentFactory(assessor=users["evaluator"])
    evaluator = users["evaluator"]
    assert evaluator.has_perm("grants.declare_interest", assignment)
    assert not evaluator.has_perm("grants.assess_application", assignment)

    assignment.declaration = AssessorAssignment.Declaration.NONE
    assert evaluator.has_perm("grants.assess_application", assignment)
    assert not evaluator.has_perm("grants.declare_interest", assignment)
    for other in (UserFactory(role=Role.EVALUATOR), users["commissioning_manager"], users["auditor"]):
        assert not other.has_perm("grants.assess_application", assignment)

    assignment.declaration = AssessorAssignment.Declaration.CONFLICT
    assignment.conflict_details = "Trustee"
    assert not evaluator.has_perm("grants.assess_application", assignment)


def test_an_officer_assessing_an_application_moderates_it_only_after_submitting(users):
    officer = users["policy_officer"]
    application = SubmittedApplicationFactory(status=Application.Status.ELIGIBLE)
    assert officer.has_perm("grants.moderate", application)
    assignment = AssessorAssignmentFactory(application=application, assessor=officer)
    assert not officer.has_perm("grants.moderate", application)
    assert not officer.has_perm("grants.recommend", application)
    assignment.declaration = AssessorAssignment.Declaration.NONE
    assignment.submitted_at = assignment.declared_at = application.submitted_at
    assignment.save()
    assert officer.has_perm("grants.moderate", application)
    assignment.declaration, assignment.conflict_details, assignment.submitted_at = "conflict", "Trustee", None
    assignment.save()
    assert not officer.has_perm("grants.moderate", application), "a conflicted officer takes no part"


def test_staff_assessor_cannot_read_the_application_elsewhere_before_declaring(users):
    from commissioning.grants.tests.factories import AssessorAssignmentFactory, SubmittedApplicationFactory

    application = SubmittedApplicationFactory()
    officer = users["finance_officer"]
    assert officer.has_perm("grants.view_application", application)
    assignment = AssessorAssignmentFactory(application=application, assessor=officer)
    assert not officer.has_perm("grants.view_application", application)
    assignment.declaration = "none"
    assignment.save()
    assert officer.has_perm("grants.view_application", application)


def test_officer_assigned_as_assessor_cannot_open_the_eligibility_page_before_declaring(users, client_for):
    from django.urls import reverse

    from commissioning.grants.tests.factories import AssessorAssignmentFactory, SubmittedApplicationFactory

    application = SubmittedApplicationFactory()
    officer = users["policy_officer"]
    url = reverse("grants:eligibility_check", args=[application.pk])
    assert client_for("policy_officer").get(url).status_code == 200
    assignment = AssessorAssignmentFactory(application=application, assessor=officer)
    assert client_for("policy_officer").get(url).status_code == 403
    assignment.declaration = "conflict"
    assignment.conflict_details = "Trustee of the applicant"
    assignment.save()
    assert client_for("policy_officer").get(url).status_code == 403
    assert not officer.has_perm("grants.assign_assessors", application)
