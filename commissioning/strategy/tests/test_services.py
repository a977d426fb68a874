import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning.accounts.roles import STRATEGY_SIGNATORIES
from commissioning.core.dates import add_months
from commissioning.strategy import services
from commissioning.strategy.models import DecisionRecord, LegalBasis, SignOffStatus, Variation
from commissioning.strategy.tests.factories import (
    DecisionRecordFactory,
    PillarFactory,
    PoliceCrimePlanFactory,
    PriorityFactory,
    StrategyDocumentFactory,
    StrategyVersionFactory,
)

SIGNATORIES = [r.value for r in STRATEGY_SIGNATORIES]


@pytest.fixture
def document(db):
    return StrategyDocumentFactory(title="Commissioning Strategy 2025 to 2029")


@pytest.fixture
def in_force(document, users):
    return StrategyVersionFactory(
        document=document,
        number=1,
        status=SignOffStatus.SIGNED,
        prepared_by=users["commissioning_manager"],
        in_force_from=timezone.now(),
        review_due_on=timezone.localdate(),
    )


def submitted(users, document, **kwargs):
    version = services.version_create(
        actor=users["commissioning_manager"],
        document=document,
        summary="Annual review",
        body="New text",
        **kwargs,
    )
    return services.version_submit(actor=users["commissioning_manager"], version=version)


def sign(users, record, *roles):
    sign_one = services.version_sign if hasattr(record, "document") else services.variation_sign
    for role in roles:
        record = sign_one(actor=users[role], **{"version" if hasattr(record, "document") else "variation": record})
    return record


def decision_kwargs(users, **overrides):
    kwargs = {
        "subject": "Grant to Dorset Rape Crisis",
        "legal_basis": LegalBasis.PRSRA_2011_S9,
        "decision": "To award a grant of £25,000",
        "reasons": "Meets pillar 1",
        "decided_by": users["pcc"],
        "decided_on": dt.date(2026, 3, 2),
        "amount": Decimal("25000.00"),
    }
    return {**kwargs, **overrides}


# --- Versions and sign-off ---


def test_a_policy_officer_drafts_the_next_version_from_the_version_in_force(users, document, in_force):
    version = services.version_create(
        actor=users["policy_officer"], document=document, summary="Review 2026", start_from_in_force=True
    )
    assert version.number == 2
    assert version.status == SignOffStatus.DRAFT
    assert version.body == in_force.body
    assert version.history.first().history_change_reason == "Version 2 drafted"
    assert version.history.first().history_user == users["policy_officer"]


def test_it_refuses_a_second_version_while_one_is_in_progress(users, document):
    services.version_create(actor=users["policy_officer"], document=document, summary="One", body="Text")
    with pytest.raises(ValidationError, match="Version 1 is already draft"):
        services.version_create(actor=users["policy_officer"], document=document, summary="Two", body="Text")


def test_it_refuses_to_start_from_the_version_in_force_when_there_is_none(users, document):
    with pytest.raises(ValidationError) as error:
        services.version_create(
            actor=users["policy_officer"], document=document, summary="One", start_from_in_force=True
        )
    assert "start_from_in_force" in error.value.error_dict


def test_submitting_sets_awaiting_and_emails_the_four_signatories(users, document, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = submitted(users, document)
    assert version.status == SignOffStatus.AWAITING
    assert version.submitted_at is not None
    assert version.quality_assured_by == users["commissioning_manager"]
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted(f"{role}@example.org" for role in SIGNATORIES)
    assert "Sign-off needed" in mail.outbox[0].subject


def test_no_email_is_sent_when_the_transaction_rolls_back(users, document, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submitted(users, document)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_four_signatures_put_the_version_in_force_and_supersede_the_old_one(users, document, in_force):
    version = submitted(users, document)
    version = sign(users, version, "pcc", "chief_executive", "cfo")
    assert version.status == SignOffStatus.AWAITING
    in_force.refresh_from_db()
    assert in_force.status == SignOffStatus.SIGNED

    version = sign(users, version, "director_operations")
    in_force.refresh_from_db()
    assert version.status == SignOffStatus.SIGNED
    assert in_force.status == SignOffStatus.SUPERSEDED
    assert version.in_force_from is not None
    assert version.review_due_on == add_months(timezone.localdate(), 12)
    assert in_force.history.first().history_change_reason == "Superseded by version 2"


def test_review_due_follows_the_document_interval(users):
    document = StrategyDocumentFactory(review_interval_months=6)
    version = sign(users, submitted(users, document), *SIGNATORIES)
    assert version.review_due_on == add_months(timezone.localdate(), 6)


def test_a_role_cannot_sign_twice(users, document):
    version = sign(users, submitted(users, document), "cfo")
    with pytest.raises(ValidationError, match="Chief Finance Officer has already signed"):
        services.version_sign(actor=users["cfo"], version=version)
    assert version.signatures.count() == 1


def test_a_signatory_cannot_sign_as_another_role(users, document):
    version = submitted(users, document)
    with pytest.raises(PermissionDenied):
        services.version_sign(actor=users["cfo"], version=version, role="pcc")
    assert version.signatures.count() == 0


@pytest.mark.parametrize("role", ["commissioning_manager", "policy_officer", "auditor", "panel_member", "admin"])
def test_only_the_four_signatories_may_sign(users, document, role):
    version = submitted(users, document)
    with pytest.raises(PermissionDenied):
        services.version_sign(actor=users[role], version=version)


def test_signing_is_refused_unless_awaiting_sign_off(users, document):
    draft = services.version_create(actor=users["policy_officer"], document=document, summary="S", body="B")
    with pytest.raises(ValidationError, match="only while it is awaiting sign-off; it is draft"):
        services.version_sign(actor=users["pcc"], version=draft)


def test_a_draft_is_editable_but_a_submitted_version_is_not(users, document):
    version = services.version_create(actor=users["policy_officer"], document=document, summary="S", body="B")
    version = services.version_update(actor=users["commissioning_manager"], version=version, summary="S2", body="B2")
    assert (version.summary, version.body) == ("S2", "B2")
    services.version_submit(actor=users["commissioning_manager"], version=version)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.version_update(actor=users["policy_officer"], version=version, summary="S3", body="B3")


def test_only_the_commissioning_manager_submits(users, document):
    version = services.version_create(actor=users["policy_officer"], document=document, summary="S", body="B")
    with pytest.raises(PermissionDenied):
        services.version_submit(actor=users["policy_officer"], version=version)


@pytest.mark.parametrize("role", ["auditor", "panel_member", "pcc", "finance_officer", "provider"])
def test_others_cannot_draft_a_version(users, document, role):
    with pytest.raises(PermissionDenied):
        services.version_create(actor=users[role], document=document, summary="S", body="B")


# --- Variations ---


@pytest.fixture
def shared_variation(users, in_force):
    variation = services.variation_create(
        actor=users["commissioning_manager"],
        version=in_force,
        title="New victims' code",
        reason="Law changed",
        change="Section 1",
    )
    return services.variation_share(actor=users["commissioning_manager"], variation=variation)


def test_sharing_a_variation_emails_the_signatories(users, in_force, django_capture_on_commit_callbacks):
    variation = services.variation_create(
        actor=users["commissioning_manager"], version=in_force, title="T", reason="R", change="C"
    )
    assert variation.number == 1
    with django_capture_on_commit_callbacks(execute=True):
        variation = services.variation_share(actor=users["commissioning_manager"], variation=variation)
    assert variation.status == Variation.Status.AWAITING
    assert variation.shared_at is not None
    assert len(mail.outbox) == 1 and len(mail.outbox[0].to) == 4


def test_a_variation_takes_effect_with_the_pcc_and_one_other(users, shared_variation):
    variation = sign(users, shared_variation, "pcc")
    assert variation.status == Variation.Status.AWAITING
    assert variation.effective_from is None
    variation = sign(users, variation, "cfo")
    assert variation.status == Variation.Status.IN_EFFECT
    assert variation.effective_from is not None


def test_two_signatures_without_the_pcc_leave_a_variation_awaiting(users, shared_variation):
    variation = sign(users, shared_variation, "cfo", "chief_executive", "director_operations")
    assert variation.status == Variation.Status.AWAITING
    variation = sign(users, variation, "pcc")
    assert variation.status == Variation.Status.IN_EFFECT


def test_a_variation_is_raised_only_against_the_version_in_force(users, document):
    draft = StrategyVersionFactory(document=document, status=SignOffStatus.DRAFT)
    with pytest.raises(ValidationError, match="only against the version in force"):
        services.variation_create(
            actor=users["commissioning_manager"], version=draft, title="T", reason="R", change="C"
        )


def test_a_draft_variation_cannot_be_signed(users, in_force):
    variation = services.variation_create(
        actor=users["commissioning_manager"], version=in_force, title="T", reason="R", change="C"
    )
    with pytest.raises(ValidationError, match="only while it is shared for sign-off"):
        services.variation_sign(actor=users["pcc"], variation=variation)


def test_a_role_cannot_sign_a_variation_twice_or_as_another(users, shared_variation):
    sign(users, shared_variation, "cfo")
    with pytest.raises(ValidationError, match="already signed"):
        services.variation_sign(actor=users["cfo"], variation=shared_variation)
    with pytest.raises(PermissionDenied):
        services.variation_sign(actor=users["cfo"], variation=shared_variation, role="pcc")


def test_a_variation_can_be_withdrawn_before_but_not_after_it_takes_effect(users, in_force, shared_variation):
    with pytest.raises(ValidationError) as error:
        services.variation_withdraw(actor=users["commissioning_manager"], variation=shared_variation, reason=" ")
    assert "reason" in error.value.error_dict
    withdrawn = services.variation_withdraw(
        actor=users["commissioning_manager"],
        variation=shared_variation,
        reason="Overtaken by the annual review",
    )
    assert withdrawn.status == Variation.Status.WITHDRAWN
    assert withdrawn.history.first().history_change_reason == "Withdrawn: Overtaken by the annual review"

    other = services.variation_create(
        actor=users["commissioning_manager"], version=in_force, title="T", reason="R", change="C"
    )
    assert other.number == 2
    other = services.variation_share(actor=users["commissioning_manager"], variation=other)
    other = sign(users, other, "pcc", "director_operations")
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        services.variation_withdraw(actor=users["commissioning_manager"], variation=other, reason="Too late")


def test_only_the_commissioning_manager_raises_and_shares_variations(users, in_force):
    with pytest.raises(PermissionDenied):
        services.variation_create(actor=users["pcc"], version=in_force, title="T", reason="R", change="C")


# --- Decision records ---


def test_decisions_are_numbered_in_sequence_per_calendar_year(users):
    first = services.decision_record_create(actor=users["pcc"], **decision_kwargs(users))
    second = services.decision_record_create(actor=users["commissioning_manager"], **decision_kwargs(users))
    other_year = services.decision_record_create(
        actor=users["chief_executive"], **decision_kwargs(users, decided_on=dt.date(2025, 12, 31))
    )
    assert (first.number, second.number, other_year.number) == ("2026/001", "2026/002", "2025/001")
    assert (second.year, second.sequence) == (2026, 2)
    assert first.history.first().history_change_reason == "Decision 2026/001 recorded"


def test_numbering_continues_after_existing_records(users):
    DecisionRecordFactory(year=2026, sequence=13)
    record = services.decision_record_create(actor=users["pcc"], **decision_kwargs(users))
    assert record.number == "2026/014"


def test_an_unpublished_decision_needs_a_reason(users):
    with pytest.raises(ValidationError) as error:
        services.decision_record_create(actor=users["pcc"], **decision_kwargs(users, publishable=False))
    assert "not_publishable_reason" in error.value.error_dict
    assert DecisionRecord.objects.count() == 0
    record = services.decision_record_create(
        actor=users["pcc"],
        **decision_kwargs(users, publishable=False, not_publishable_reason="Personal data"),
    )
    assert record.not_publishable_reason == "Personal data"


def test_the_decision_maker_must_be_the_pcc(users):
    with pytest.raises(ValidationError) as error:
        services.decision_record_create(actor=users["pcc"], **decision_kwargs(users, decided_by=users["cfo"]))
    assert "decided_by" in error.value.error_dict


def test_money_is_kept_as_pounds_and_pence(users):
    record = services.decision_record_create(actor=users["pcc"], **decision_kwargs(users, amount="£1,250.505"))
    record.refresh_from_db()
    assert record.amount == Decimal("1250.51")
    with pytest.raises(ValidationError):
        services.decision_record_create(actor=users["pcc"], **decision_kwargs(users, amount="-1"))


def test_a_decision_cannot_be_dated_in_the_future(users):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.decision_record_create(actor=users["pcc"], **decision_kwargs(users, decided_on=tomorrow))
    assert "decided_on" in error.value.error_dict


@pytest.mark.parametrize("role", ["cfo", "policy_officer", "auditor", "panel_member", "admin", "provider"])
def test_others_cannot_record_decisions(users, role):
    with pytest.raises(PermissionDenied):
        services.decision_record_create(actor=users[role], **decision_kwargs(users))


# --- The plan ---


def test_the_commissioning_manager_edits_the_plan_with_a_reason(users):
    plan = PoliceCrimePlanFactory()
    plan = services.plan_update(
        actor=users["commissioning_manager"],
        plan=plan,
        title="Plan 2026 to 2030",
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2030, 3, 31),
        reason="New PCC",
    )
    assert plan.history.first().history_change_reason == "New PCC"
    with pytest.raises(PermissionDenied):
        services.plan_update(
            actor=users["auditor"], plan=plan, title="X", starts_on=plan.starts_on, ends_on=plan.ends_on
        )


def test_a_priority_code_is_unique_in_its_pillar(users):
    pillar = PillarFactory()
    PriorityFactory(pillar=pillar, code="1.1")
    with pytest.raises(ValidationError) as error:
        services.priority_create(actor=users["admin"], pillar=pillar, code="1.1", title="Again")
    assert "code" in error.value.error_dict
    priority = services.priority_create(actor=users["admin"], pillar=pillar, code="1.2", title="New")
    assert priority.pk
