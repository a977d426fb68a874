"""Role × URL matrix for assessment (contract in commissioning/testing/matrix.py).

Officers (Commissioning Manager, Policy and Commissioning officer) run the assessment; auditors also read
progress. An assessor's own pages answer 404 to other OPCC staff (whose assessments they are not), and 403
to roles that never assess.
"""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.grants.models import Application, AssessorAssignment, Attachment, Moderation
from commissioning.grants.tests.factories import (
    AssessmentCriterionFactory,
    AssessorAssignmentFactory,
    GrantRoundFactory,
    SubmittedApplicationFactory,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
OFFICERS = ("commissioning_manager", "policy_officer")

OFFICER_PAGE = expect(403, **roles(*OFFICERS, status=200))
PROGRESS = expect(403, **roles(*OFFICERS, "auditor", status=200))
RANKING = expect(403, **roles(*STAFF, "auditor", status=200))
ASSESSORS = expect(403, **roles(*STAFF, "evaluator", status=200))
# The evaluator's own assignment: theirs to open; other OPCC staff may assess too, but not this one.
OWN_ASSIGNMENT = expect(403, **roles(*STAFF, status=404), evaluator=200)


def setup(world):
    users = world.users
    officer = users["commissioning_manager"]
    grant_round = GrantRoundFactory(name="URL matrix assessment round", budget=Decimal("5000.00"))
    criterion = AssessmentCriterionFactory(round=grant_round, weight=Decimal("100"))
    world.assess_round = grant_round
    world.assess_submitted = SubmittedApplicationFactory(round=grant_round)
    world.assess_eligible = SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)
    world.assess_assignment = AssessorAssignmentFactory(
        application=world.assess_eligible,
        assessor=users["evaluator"],
        assigned_by=officer,
        declaration=AssessorAssignment.Declaration.NONE,
        declared_at=timezone.now(),
    )
    world.assess_attachment = Attachment.objects.create(
        application=world.assess_eligible,
        kind=Attachment.Kind.CONSTITUTION,
        file=SimpleUploadedFile("constitution.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        original_name="constitution.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=world.assess_eligible.created_by,
    )
    world.assess_moderated = SubmittedApplicationFactory(round=grant_round, status=Application.Status.MODERATED)
    moderation = Moderation.objects.create(
        application=world.assess_moderated, rationale="Agreed", weighted_score=Decimal("60.00"), moderated_by=officer
    )
    moderation.scores.create(criterion=criterion, score=3)


CASES = [
    UrlCase("grants:assessment_index", PROGRESS),
    UrlCase("grants:assessment_round", PROGRESS, lambda w: {"pk": w.assess_round.pk}),
    UrlCase("grants:round_ranking", RANKING, lambda w: {"pk": w.assess_round.pk}),
    UrlCase("grants:eligibility_check", OFFICER_PAGE, lambda w: {"pk": w.assess_submitted.pk}),
    UrlCase("grants:assessor_assign", OFFICER_PAGE, lambda w: {"pk": w.assess_eligible.pk}),
    UrlCase("grants:moderation", OFFICER_PAGE, lambda w: {"pk": w.assess_eligible.pk}),
    UrlCase("grants:application_recommend", OFFICER_PAGE, lambda w: {"pk": w.assess_moderated.pk}),
    UrlCase("grants:my_assessments", ASSESSORS),
    UrlCase("grants:assessment_declare", OWN_ASSIGNMENT, lambda w: {"pk": w.assess_assignment.pk}),
    UrlCase("grants:assessment_score", OWN_ASSIGNMENT, lambda w: {"pk": w.assess_assignment.pk}),
    UrlCase(
        "grants:assessment_attachment",
        OWN_ASSIGNMENT,
        lambda w: {"pk": w.assess_assignment.pk, "attachment_pk": w.assess_attachment.pk},
    ),
]
