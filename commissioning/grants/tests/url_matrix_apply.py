"""Role x URL expectations for rounds, the public pages and the applicant journey (contract in
commissioning/testing/matrix.py).

world.apply_draft is the applicant's organisation's complete draft in an open round; world.apply_submitted its
submitted application; world.apply_other_round an open round it has not applied to; world.apply_draft_round a
draft round with a question and a criterion. A record a person may not see is a 404; a page they may see but
not use is a 403; a POST-only action answers a GET from someone allowed with 405.
"""

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.grants.models import Application
from commissioning.grants.tests.factories import (
    ApplicationFactory,
    AssessmentCriterionFactory,
    AttachmentFactory,
    DraftRoundFactory,
    EligibilityQuestionFactory,
    OpenRoundFactory,
    complete_application,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
ROUND_READERS = [*STAFF, "auditor", "panel_member", "evaluator"]
ROUND_MANAGERS = ("commissioning_manager", "policy_officer")
APPLICATION_READERS = [*STAFF, "auditor"]

EVERYONE = expect(200, anonymous=200)
READ_ROUNDS = expect(403, **roles(*ROUND_READERS, status=200))
MANAGE_ROUNDS = expect(403, **roles(*ROUND_MANAGERS, status=200))
MANAGE_ACTION = expect(403, **roles(*ROUND_MANAGERS, status=405))
APPLICANT_ONLY = expect(403, applicant=200)
# The draft: its applicant changes it; staff and auditors may see it but not change it; others do not see it.
OWN_DRAFT = expect(404, **{**roles(*APPLICATION_READERS, status=403), "applicant": 200})
OWN_DRAFT_ACTION = expect(404, **{**roles(*APPLICATION_READERS, status=403), "applicant": 405})
OWN_APPLICATION = expect(404, **roles(*APPLICATION_READERS, "applicant", status=200))
STAFF_LIST = expect(403, **roles(*APPLICATION_READERS, status=200))


def setup(world):
    applicant = world.users["applicant"]
    organisation = applicant.organisation
    open_round = OpenRoundFactory(name="Matrix open round")
    EligibilityQuestionFactory(round=open_round)
    world.apply_round = open_round
    world.apply_other_round = OpenRoundFactory(name="Matrix round not applied to")
    EligibilityQuestionFactory(round=world.apply_other_round)
    world.apply_draft = complete_application(
        ApplicationFactory(round=open_round, organisation=organisation, created_by=applicant)
    )
    world.apply_submitted = complete_application(
        ApplicationFactory(
            round=OpenRoundFactory(name="Matrix round applied to"),
            organisation=organisation,
            created_by=applicant,
            status=Application.Status.SUBMITTED,
            reference="MTX-2026-0001",
        )
    )
    world.apply_submitted_file = AttachmentFactory(application=world.apply_submitted, kind="other")
    world.apply_draft_file = world.apply_draft.attachments.first()
    world.apply_draft_round = DraftRoundFactory(name="Matrix draft round")
    world.apply_question = EligibilityQuestionFactory(round=world.apply_draft_round)
    world.apply_criterion = AssessmentCriterionFactory(round=world.apply_draft_round)


def _round(world):
    return {"pk": world.apply_draft_round.pk}


def _draft(world):
    return {"pk": world.apply_draft.pk}


CASES = [
    UrlCase("grants:round_list", READ_ROUNDS),
    UrlCase("grants:round_create", MANAGE_ROUNDS),
    UrlCase("grants:round_detail", READ_ROUNDS, _round),
    UrlCase("grants:round_edit", MANAGE_ROUNDS, _round),
    UrlCase("grants:round_publish", MANAGE_ACTION, _round),
    UrlCase("grants:question_add", MANAGE_ROUNDS, _round),
    UrlCase(
        "grants:question_edit",
        MANAGE_ROUNDS,
        lambda w: {"pk": w.apply_draft_round.pk, "question_pk": w.apply_question.pk},
    ),
    UrlCase(
        "grants:question_remove",
        MANAGE_ROUNDS,
        lambda w: {"pk": w.apply_draft_round.pk, "question_pk": w.apply_question.pk},
    ),
    UrlCase("grants:criterion_add", MANAGE_ROUNDS, _round),
    UrlCase(
        "grants:criterion_edit",
        MANAGE_ROUNDS,
        lambda w: {"pk": w.apply_draft_round.pk, "criterion_pk": w.apply_criterion.pk},
    ),
    UrlCase(
        "grants:criterion_remove",
        MANAGE_ROUNDS,
        lambda w: {"pk": w.apply_draft_round.pk, "criterion_pk": w.apply_criterion.pk},
    ),
    UrlCase("grants:open_rounds", EVERYONE),
    UrlCase("grants:round_public", EVERYONE, lambda w: {"pk": w.apply_round.pk}),
    UrlCase("grants:terms", EVERYONE, lambda w: {"pk": w.apply_round.pk}),
    # Signed-in people already have an account: they are sent on to their applications.
    UrlCase("grants:applicant_register", expect(302, anonymous=200)),
    UrlCase("grants:applicant_register_sent", expect(200, anonymous=200)),
    # A confirmation link that is not real: 400 for a visitor; anyone signed in already has an account.
    UrlCase("grants:applicant_confirm", expect(302, anonymous=400), lambda w: {"uidb64": "MQ", "token": "not-a-token"}),
    UrlCase("grants:application_start", APPLICANT_ONLY, lambda w: {"pk": w.apply_other_round.pk}),
    UrlCase("grants:application_list_mine", APPLICANT_ONLY),
    UrlCase("grants:application_tasks", OWN_DRAFT, _draft),
    UrlCase("grants:application_section", OWN_DRAFT, lambda w: {"pk": w.apply_draft.pk, "section": "budget"}),
    UrlCase(
        "grants:attachment_remove",
        OWN_DRAFT_ACTION,
        lambda w: {"pk": w.apply_draft.pk, "attachment_pk": w.apply_draft_file.pk},
    ),
    UrlCase("grants:application_check", OWN_DRAFT, _draft),
    UrlCase("grants:application_declaration", OWN_DRAFT, _draft),
    UrlCase("grants:application_confirmation", OWN_APPLICATION, lambda w: {"pk": w.apply_submitted.pk}),
    UrlCase("grants:application_list", STAFF_LIST),
    UrlCase("grants:application_detail", OWN_APPLICATION, lambda w: {"pk": w.apply_submitted.pk}),
    UrlCase(
        "grants:attachment_download",
        OWN_APPLICATION,
        lambda w: {"pk": w.apply_submitted.pk, "attachment_pk": w.apply_submitted_file.pk},
    ),
]
