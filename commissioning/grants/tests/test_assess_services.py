"""Assessment services: eligibility, assigning, declarations, independent scoring, moderation maths and the
panel's recommendation against the round budget (issue 5, point 3)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.grants.models import Application, AssessorAssignment, CriterionScore, Moderation
from commissioning.grants.services import assessment as services
from commissioning.grants.tests.factories import (
    AssessmentCriterionFactory,
    AssessorAssignmentFactory,
    GrantRoundFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(users):
    return users["commissioning_manager"]


@pytest.fixture
def grant_round():
    grant_round = GrantRoundFactory(budget=Decimal("5000.00"))
    for order, (name, weight) in enumerate([("Need", "30"), ("Delivery", "30"), ("Value for money", "40")]):
        AssessmentCriterionFactory(round=grant_round, order=order, name=name, weight=Decimal(weight))
    return grant_round


@pytest.fixture
def criteria(grant_round):
    return list(grant_round.criteria.order_by("order"))


@pytest.fixture
def application(grant_round):
    return SubmittedApplicationFactory(round=grant_round, status=Application.Status.ELIGIBLE)


@pytest.fixture
def second_evaluator():
    return UserFactory(role=Role.EVALUATOR, display_name="Second Evaluator")


def declared(assignment, *, conflict=False):
    return services.assessor_declare(
        actor=assignment.assessor,
        assignment=assignment,
        has_conflict=conflict,
        details="My sister chairs it" * conflict,
    )


def scored(assignment, criteria, values, *, submit=True):
    scores = {c.pk: (value, f"Because {value}") for c, value in zip(criteria, values, strict=True)}
    return services.assessment_scores_save(
        actor=assignment.assessor, assignment=assignment, scores=scores, submit=submit
    )


def assessed(application, assessor, officer, criteria, values):
    assignment = services.assessor_assign(actor=officer, application=application, assessor=assessor)
    declared(assignment)
    return scored(assignment, criteria, values)


# --- Eligibility -----------------------------------------------------------------------------------------


def test_an_officer_marks_a_submitted_application_eligible(officer, grant_round):
    application = SubmittedApplicationFactory(round=grant_round)
    application = services.application_eligibility_decide(actor=officer, application=application, eligible=True)
    assert application.status == Application.Status.ELIGIBLE
    assert application.eligibility_checked_by == officer
    assert application.history.first().history_change_reason == "Checked: eligible"


def test_not_eligible_needs_a_note(users, grant_round):
    application = SubmittedApplicationFactory(round=grant_round)
    with pytest.raises(ValidationError) as error:
        services.application_eligibility_decide(
            actor=users["policy_officer"], application=application, eligible=False, note=" "
        )
    assert "note" in error.value.message_dict
    result = services.application_eligibility_decide(
        actor=users["policy_officer"], application=application, eligible=False, note="Not based in the county"
    )
    assert result.status == Application.Status.INELIGIBLE
    assert result.eligibility_note == "Not based in the county"


def test_only_a_submitted_application_is_checked(officer, application):
    with pytest.raises(ValidationError, match="only a submitted application"):
        services.application_eligibility_decide(actor=officer, application=application, eligible=False, note="x")


@pytest.mark.parametrize("role", ["evaluator", "finance_officer", "applicant", "auditor", "pcc"])
def test_others_may_not_check_eligibility(users, grant_round, role):
    application = SubmittedApplicationFactory(round=grant_round)
    with pytest.raises(PermissionDenied):
        services.application_eligibility_decide(actor=users[role], application=application, eligible=True)


# --- Assigning -------------------------------------------------------------------------------------------


def test_an_officer_assigns_an_evaluator_who_is_emailed_after_commit(
    officer, users, application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assessor_assign(actor=officer, application=application, assessor=users["evaluator"])
    assert assignment.declaration == AssessorAssignment.Declaration.PENDING
    assert assignment.assigned_by == officer
    assert [m.to for m in mail.outbox] == [[users["evaluator"].email]]
    assert application.project_title in mail.outbox[0].body
    assert "declare whether you have a conflict of interest" in mail.outbox[0].body


def test_opcc_staff_other_than_the_officer_may_assess(officer, users, application):
    assert services.assessor_assign(actor=officer, application=application, assessor=users["finance_officer"])
    with pytest.raises(ValidationError, match="cannot assign yourself"):
        services.assessor_assign(actor=officer, application=application, assessor=officer)


@pytest.mark.parametrize("role", ["applicant", "provider", "partner", "auditor", "panel_member"])
def test_outsiders_cannot_be_assessors(officer, users, application, role):
    with pytest.raises(ValidationError, match="not an evaluator or a member of OPCC staff"):
        services.assessor_assign(actor=officer, application=application, assessor=users[role])


def test_an_assessor_is_assigned_once(officer, users, application):
    services.assessor_assign(actor=officer, application=application, assessor=users["evaluator"])
    with pytest.raises(ValidationError, match="already assigned"):
        services.assessor_assign(actor=officer, application=application, assessor=users["evaluator"])


def test_only_eligible_applications_are_assigned(officer, users, grant_round):
    submitted = SubmittedApplicationFactory(round=grant_round)
    with pytest.raises(ValidationError, match="only to an eligible application"):
        services.assessor_assign(actor=officer, application=submitted, assessor=users["evaluator"])


def test_assigning_a_round_covers_every_eligible_application_once(officer, users, grant_round, second_evaluator):
    eligible = SubmittedApplicationFactory.create_batch(3, round=grant_round, status=Application.Status.ELIGIBLE)
    SubmittedApplicationFactory(round=grant_round)  # not yet checked: not assigned
    services.assessor_assign(actor=officer, application=eligible[0], assessor=users["evaluator"])

    created = services.assessors_assign_round(
        actor=officer, round=grant_round, assessors=[users["evaluator"], second_evaluator]
    )

    assert len(created) == 5
    assert AssessorAssignment.objects.filter(application__round=grant_round).count() == 6
    assert not AssessorAssignment.objects.exclude(application__in=eligible).exists()
    # Running it again assigns nobody twice.
    assert services.assessors_assign_round(actor=officer, round=grant_round, assessors=[second_evaluator]) == []


def test_assigning_a_round_needs_assessors_and_eligible_applications(officer, users, grant_round):
    with pytest.raises(ValidationError) as error:
        services.assessors_assign_round(actor=officer, round=grant_round, assessors=[])
    assert error.value.message_dict == {"assessors": ["Select at least one assessor"]}
    with pytest.raises(ValidationError, match="no eligible applications"):
        services.assessors_assign_round(actor=officer, round=grant_round, assessors=[users["evaluator"]])


def test_evaluators_may_not_assign(users, application, second_evaluator):
    with pytest.raises(PermissionDenied):
        services.assessor_assign(actor=users["evaluator"], application=application, assessor=second_evaluator)


# --- Declaring -------------------------------------------------------------------------------------------


def test_declaring_no_conflict_opens_the_application(users, application):
    assignment = AssessorAssignmentFactory(application=application, assessor=users["evaluator"])
    assert not users["evaluator"].has_perm("grants.assess_application", assignment)
    assignment = declared(assignment)
    assert assignment.declaration == AssessorAssignment.Declaration.NONE and assignment.declared_at
    assert users["evaluator"].has_perm("grants.assess_application", assignment)


def test_a_conflict_needs_details_and_blocks_opening_for_good(users, application, criteria):
    assignment = AssessorAssignmentFactory(application=application, assessor=users["evaluator"])
    with pytest.raises(ValidationError) as error:
        services.assessor_declare(actor=users["evaluator"], assignment=assignment, has_conflict=True, details="")
    assert "details" in error.value.message_dict

    assignment = declared(assignment, conflict=True)

    assert assignment.declaration == AssessorAssignment.Declaration.CONFLICT
    assert not users["evaluator"].has_perm("grants.assess_application", assignment)
    with pytest.raises(PermissionDenied):
        scored(assignment, criteria, [3, 3, 3])
    with pytest.raises(ValidationError, match="cannot be changed"):
        declared(assignment)


def test_a_conflict_tells_the_officer_after_commit(users, application, django_capture_on_commit_callbacks):
    assignment = AssessorAssignmentFactory(
        application=application, assessor=users["evaluator"], assigned_by=users["policy_officer"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        declared(assignment, conflict=True)
    assert [m.to for m in mail.outbox] == [[users["policy_officer"].email]]
    assert "My sister chairs it" in mail.outbox[0].body


def test_only_the_assessor_declares(users, application, second_evaluator):
    assignment = AssessorAssignmentFactory(application=application, assessor=users["evaluator"])
    with pytest.raises(PermissionDenied):
        services.assessor_declare(actor=second_evaluator, assignment=assignment, has_conflict=False)


# --- Scoring ---------------------------------------------------------------------------------------------


@pytest.fixture
def assignment(users, application):
    return declared(AssessorAssignmentFactory(application=application, assessor=users["evaluator"]))


def test_an_assessor_cannot_score_before_declaring(users, application, criteria):
    pending = AssessorAssignmentFactory(application=application, assessor=users["evaluator"])
    with pytest.raises(PermissionDenied):
        scored(pending, criteria, [1, 2, 3])
    assert not CriterionScore.objects.exists()


@pytest.mark.parametrize("bad", [6, -1, "7", "three", 2.5, True])
def test_scores_are_0_to_5_only(assignment, criteria, bad):
    with pytest.raises(ValidationError) as error:
        services.assessment_scores_save(
            actor=assignment.assessor, assignment=assignment, scores={criteria[0].pk: (bad, "Comment")}
        )
    assert error.value.message_dict == {f"score_{criteria[0].pk}": ["Choose a score from 0 to 5 for Need"]}
    assert not CriterionScore.objects.exists()


def test_every_score_needs_a_comment(assignment, criteria):
    with pytest.raises(ValidationError) as error:
        services.assessment_scores_save(
            actor=assignment.assessor,
            assignment=assignment,
            scores={criteria[0].pk: (4, "Clear evidence"), criteria[1].pk: (0, "  ")},
        )
    assert error.value.message_dict == {
        f"comment_{criteria[1].pk}": ["Enter a comment explaining your score for Delivery"]
    }
    assert not CriterionScore.objects.exists(), "nothing is saved when anything is wrong"


def test_a_draft_may_be_partial_and_changed(assignment, criteria):
    services.assessment_scores_save(
        actor=assignment.assessor, assignment=assignment, scores={criteria[0].pk: (2, "Some evidence")}
    )
    services.assessment_scores_save(
        actor=assignment.assessor, assignment=assignment, scores={criteria[0].pk: (3, "More evidence")}
    )
    row = CriterionScore.objects.get()
    assert (row.score, row.comment) == (3, "More evidence")
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_submitting_needs_every_criterion_and_saves_nothing_otherwise(assignment, criteria):
    with pytest.raises(ValidationError) as error:
        services.assessment_scores_save(
            actor=assignment.assessor,
            assignment=assignment,
            scores={criteria[0].pk: (4, "Good"), criteria[1].pk: (3, "Fair")},
            submit=True,
        )
    assert error.value.message_dict == {
        f"score_{criteria[2].pk}": ["Choose a score for Value for money before you submit"]
    }
    assert not CriterionScore.objects.exists()
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_submitted_scores_are_final(assignment, criteria):
    scored(assignment, criteria, [4, 3, 5])
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    with pytest.raises(ValidationError, match="already submitted"):
        scored(assignment, criteria, [0, 0, 0], submit=False)
    assert sorted(CriterionScore.objects.values_list("score", flat=True)) == [3, 4, 5]


def test_nobody_scores_for_someone_else(users, assignment, criteria, second_evaluator):
    with pytest.raises(PermissionDenied):
        services.assessment_scores_save(
            actor=second_evaluator, assignment=assignment, scores={criteria[0].pk: (5, "x")}
        )


def test_a_criterion_of_another_round_is_refused(assignment):
    other = AssessmentCriterionFactory()
    with pytest.raises(ValidationError, match="not criteria of this round"):
        services.assessment_scores_save(actor=assignment.assessor, assignment=assignment, scores={other.pk: (3, "x")})


# --- Moderation ------------------------------------------------------------------------------------------


def test_weighted_score_with_weights_30_30_40(criteria):
    scores = dict(zip([c.pk for c in criteria], [3, 4, 5], strict=True))
    # 3/5 x 30 + 4/5 x 30 + 5/5 x 40 = 18 + 24 + 40
    assert services.weighted_score(criteria=criteria, scores=scores) == Decimal("82.00")
    assert services.weighted_score(criteria=criteria, scores=dict.fromkeys(scores, 5)) == Decimal("100.00")
    assert services.weighted_score(criteria=criteria, scores=dict.fromkeys(scores, 0)) == Decimal("0.00")


def test_weighted_score_rounds_to_two_places(grant_round):
    thirds = [
        AssessmentCriterionFactory(round=GrantRoundFactory(), weight=Decimal(w)) for w in ("33.33", "33.33", "33.34")
    ]
    scores = {thirds[0].pk: 1, thirds[1].pk: 2, thirds[2].pk: 2}
    # 6.666 + 13.332 + 13.336 = 33.334
    assert services.weighted_score(criteria=thirds, scores=scores) == Decimal("33.33")


def test_moderation_records_consensus_and_weighted_score(officer, users, application, criteria, second_evaluator):
    assessed(application, users["evaluator"], officer, criteria, [3, 4, 5])
    assessed(application, second_evaluator, officer, criteria, [2, 4, 4])

    moderation = services.moderation_record(
        actor=officer,
        application=application,
        scores={criteria[0].pk: 3, criteria[1].pk: 4, criteria[2].pk: 5},
        rationale="Agreed the stronger reading of the value for money evidence",
    )

    assert moderation.weighted_score == Decimal("82.00")
    assert {(s.criterion_id, s.score) for s in moderation.scores.all()} == {
        (criteria[0].pk, 3),
        (criteria[1].pk, 4),
        (criteria[2].pk, 5),
    }
    application.refresh_from_db()
    assert application.status == Application.Status.MODERATED
    assert application.history.first().history_change_reason == "Moderated: 82.00 out of 100"


def test_moderation_needs_a_rationale_and_every_score(officer, users, application, criteria):
    assessed(application, users["evaluator"], officer, criteria, [3, 4, 5])
    with pytest.raises(ValidationError) as error:
        services.moderation_record(
            actor=officer, application=application, scores={criteria[0].pk: 9, criteria[1].pk: 4}, rationale=""
        )
    assert set(error.value.message_dict) == {f"score_{criteria[0].pk}", f"score_{criteria[2].pk}", "rationale"}
    assert not Moderation.objects.exists()


def test_moderation_needs_a_submitted_assessment_without_conflict(officer, users, application, criteria):
    conflicted = AssessorAssignmentFactory(application=application, assessor=users["evaluator"])
    declared(conflicted, conflict=True)
    draft = declared(AssessorAssignmentFactory(application=application))
    scored(draft, criteria, [3, 3, 3], submit=False)
    with pytest.raises(ValidationError, match="at least 1 submitted assessment from assessors without a conflict"):
        services.moderation_record(
            actor=officer, application=application, scores={c.pk: 3 for c in criteria}, rationale="Agreed"
        )


def test_the_minimum_number_of_assessors_is_a_setting(settings, officer, users, application, criteria):
    settings.GRANTS_MIN_ASSESSORS = 2
    assessed(application, users["evaluator"], officer, criteria, [3, 4, 5])
    with pytest.raises(ValidationError, match="at least 2 submitted assessments"):
        services.moderation_record(
            actor=officer, application=application, scores={c.pk: 3 for c in criteria}, rationale="Agreed"
        )


def test_moderation_refuses_weights_not_adding_up_to_100(officer, users, application, criteria):
    criteria[2].weight = Decimal("35")
    criteria[2].save()
    assessed(application, users["evaluator"], officer, criteria, [3, 4, 5])
    with pytest.raises(ValidationError, match="add up to 95%, not 100%"):
        services.moderation_record(
            actor=officer, application=application, scores={c.pk: 3 for c in criteria}, rationale="Agreed"
        )


def test_an_officer_who_is_an_unsubmitted_assessor_cannot_moderate(users, application, criteria):
    manager, policy = users["commissioning_manager"], users["policy_officer"]
    assessed(application, users["evaluator"], manager, criteria, [3, 4, 5])
    own = declared(services.assessor_assign(actor=manager, application=application, assessor=policy))
    with pytest.raises(PermissionDenied):
        services.moderation_record(
            actor=policy, application=application, scores={c.pk: 3 for c in criteria}, rationale="Agreed"
        )
    scored(own, criteria, [2, 2, 2])
    assert services.moderation_record(
        actor=policy, application=application, scores={c.pk: 3 for c in criteria}, rationale="Agreed"
    )


def test_assessors_cannot_score_after_moderation(officer, users, application, criteria, second_evaluator):
    assessed(application, users["evaluator"], officer, criteria, [3, 4, 5])
    late = declared(services.assessor_assign(actor=officer, application=application, assessor=second_evaluator))
    services.moderation_record(
        actor=officer, application=application, scores={c.pk: 3 for c in criteria}, rationale="Agreed"
    )
    with pytest.raises(ValidationError, match="has closed"):
        scored(late, criteria, [1, 1, 1])


# --- Recommendation --------------------------------------------------------------------------------------


def moderated(grant_round, officer, evaluator, criteria, *, requested="2000.00"):
    application = SubmittedApplicationFactory(
        round=grant_round, status=Application.Status.ELIGIBLE, amount_requested=Decimal(requested)
    )
    assessed(application, evaluator, officer, criteria, [3, 3, 3])
    services.moderation_record(
        actor=officer, application=application, scores={c.pk: 3 for c in criteria}, rationale="Agreed"
    )
    application.refresh_from_db()
    return application


def test_recommend_an_amount_within_the_limits(officer, users, grant_round, criteria):
    application = moderated(grant_round, officer, users["evaluator"], criteria)
    result = services.application_recommend(actor=officer, application=application, recommend=True, amount="1500")
    assert result.status == Application.Status.RECOMMENDED
    assert result.recommended_amount == Decimal("1500.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (None, "Enter the amount to recommend"),
        ("2000.01", "no more than the £2,000.00 requested"),
        ("99.99", "from £100.00 to £3,000.00"),
        ("lots", "Enter an amount in pounds and pence"),
    ],
)
def test_recommended_amounts_are_checked(officer, users, grant_round, criteria, amount, message):
    application = moderated(grant_round, officer, users["evaluator"], criteria)
    with pytest.raises(ValidationError, match=message):
        services.application_recommend(actor=officer, application=application, recommend=True, amount=amount)
    application.refresh_from_db()
    assert application.status == Application.Status.MODERATED


def test_not_recommending_needs_a_note(officer, users, grant_round, criteria):
    application = moderated(grant_round, officer, users["evaluator"], criteria)
    with pytest.raises(ValidationError) as error:
        services.application_recommend(actor=officer, application=application, recommend=False, note="")
    assert "note" in error.value.message_dict
    result = services.application_recommend(
        actor=officer, application=application, recommend=False, note="Scored below the funding line"
    )
    assert result.status == Application.Status.NOT_RECOMMENDED and result.recommended_amount is None


def test_a_recommendation_over_the_round_budget_is_refused(officer, users, grant_round, criteria):
    # Budget £5,000: £2,000 + £2,000 fit, and a further £1,500 would not.
    first, second, third = (moderated(grant_round, officer, users["evaluator"], criteria) for _ in range(3))
    services.application_recommend(actor=officer, application=first, recommend=True, amount="2000")
    services.application_recommend(actor=officer, application=second, recommend=True, amount="2000")
    with pytest.raises(ValidationError) as error:
        services.application_recommend(actor=officer, application=third, recommend=True, amount="1500")
    message = error.value.message_dict["amount"][0]
    assert "over its budget of £5,000.00" in message
    assert "Recommend £1,000.00 or less" in message
    assert services.application_recommend(actor=officer, application=third, recommend=True, amount="1000")
    # Changing an existing recommendation counts it once, not twice.
    assert services.application_recommend(actor=officer, application=first, recommend=True, amount="2000")
    assert services.round_recommended_total(grant_round) == Decimal("5000.00")


def test_recommendation_needs_moderation_first(officer, application):
    with pytest.raises(ValidationError, match="only for a scored application"):
        services.application_recommend(actor=officer, application=application, recommend=True, amount="500")


@pytest.mark.parametrize("role", ["evaluator", "finance_officer", "auditor", "pcc", "applicant"])
def test_others_may_not_recommend(users, officer, grant_round, criteria, role):
    application = moderated(grant_round, officer, UserFactory(role=Role.EVALUATOR), criteria)
    with pytest.raises(PermissionDenied):
        services.application_recommend(actor=users[role], application=application, recommend=True, amount="500")
