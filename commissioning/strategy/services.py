"""Every write to the plan, the commissioning strategy and decision records.

Each function checks permission, runs in one transaction, validates with full_clean, records who and why in
the history (django-simple-history) and sends e-mail only after the transaction commits.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.roles import STRATEGY_SIGNATORIES, Role
from commissioning.core import mail
from commissioning.core.dates import add_months
from commissioning.core.money import to_money
from commissioning.core.services import require, save_with_history
from commissioning.strategy.models import (
    DecisionRecord,
    Pillar,
    PoliceCrimePlan,
    Priority,
    SignOffStatus,
    StrategyDocument,
    StrategyVersion,
    Variation,
    VariationSignature,
    VersionSignature,
)

SIGNATORY_ROLES = frozenset(r.value for r in STRATEGY_SIGNATORIES)
DECISION_NUMBER_ATTEMPTS = 5
DECISION_LOCK_NAMESPACE = 7301  # first key of pg_advisory_xact_lock(namespace, year) for decision numbers


def _notify_signatories(*, subject: str, template: str, context: dict) -> None:
    """E-mail the four signatories (seed, Section 6 "Sign Off") once the transaction has committed."""
    recipients = list(
        get_user_model()
        .objects.filter(role__in=SIGNATORY_ROLES, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    context = {**context, "service_name": settings.SERVICE_NAME}

    def send():
        mail.send(subject, render_to_string(template, context), recipients)

    transaction.on_commit(send)


def _signing_role(actor, role: str | None) -> str:
    """A signatory signs once, as their own role only: a CFO cannot sign for the PCC."""
    role = role or actor.role
    if role != actor.role or role not in SIGNATORY_ROLES:
        raise PermissionDenied(f"You can sign only as {actor.role_label}")
    return role


# --- The Police and Crime Plan ---------------------------------------------------------------------------


@transaction.atomic
def plan_update(
    *, actor, plan: PoliceCrimePlan, title: str, starts_on: dt.date, ends_on: dt.date, reason: str = ""
) -> PoliceCrimePlan:
    require(actor, "strategy.change_plan", plan)
    plan.title, plan.starts_on, plan.ends_on = title.strip(), starts_on, ends_on
    if ends_on and starts_on and ends_on <= starts_on:
        raise ValidationError({"ends_on": "The end date must be after the start date"})
    save_with_history(plan, actor=actor, reason=reason or "Plan details changed")
    return plan


@transaction.atomic
def pillar_update(*, actor, pillar: Pillar, title: str, description: str = "", reason: str = "") -> Pillar:
    require(actor, "strategy.change_plan", pillar)
    pillar.title, pillar.description = title.strip(), description.strip()
    save_with_history(pillar, actor=actor, reason=reason or "Pillar changed")
    return pillar


def _check_priority_code(*, pillar: Pillar, code: str, exclude_pk=None) -> None:
    if Priority.objects.filter(pillar=pillar, code=code.strip()).exclude(pk=exclude_pk).exists():
        raise ValidationError(
            {"code": f"Pillar {pillar.number} already has a priority {code.strip()}; enter a different code"}
        )


@transaction.atomic
def priority_create(*, actor, pillar: Pillar, code: str, title: str, description: str = "") -> Priority:
    require(actor, "strategy.change_plan", pillar)
    _check_priority_code(pillar=pillar, code=code)
    priority = Priority(pillar=pillar, code=code.strip(), title=title.strip(), description=description.strip())
    save_with_history(priority, actor=actor, reason="Priority added")
    return priority


@transaction.atomic
def priority_update(
    *, actor, priority: Priority, code: str, title: str, description: str = "", reason: str = ""
) -> Priority:
    require(actor, "strategy.change_plan", priority)
    _check_priority_code(pillar=priority.pillar, code=code, exclude_pk=priority.pk)
    priority.code, priority.title, priority.description = code.strip(), title.strip(), description.strip()
    save_with_history(priority, actor=actor, reason=reason or "Priority changed")
    return priority


# --- Strategy documents and versions ---------------------------------------------------------------------


@transaction.atomic
def document_create(
    *,
    actor,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    review_interval_months: int = 12,
    plan: PoliceCrimePlan | None = None,
) -> StrategyDocument:
    """A new commissioning strategy. The seed asks for an annual review, so 12 months is the default."""
    require(actor, "strategy.add_document")
    if period_start and period_end and period_end <= period_start:
        raise ValidationError({"period_end": "The end of the period must be after its start"})
    document = StrategyDocument(
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        review_interval_months=review_interval_months,
        plan=plan,
    )
    save_with_history(document, actor=actor, reason="Strategy document created")
    return document


@transaction.atomic
def version_create(
    *, actor, document: StrategyDocument, summary: str, body: str = "", start_from_in_force: bool = False
) -> StrategyVersion:
    """Draft the next version. Only one version is in draft or out for sign-off at a time, so versions come
    into force in number order; the draft may start from the text of the version in force."""
    require(actor, "strategy.draft_version", document)
    # Lock the document so two people drafting at once cannot take the same number.
    document = StrategyDocument.objects.select_for_update().get(pk=document.pk)
    versions = StrategyVersion.objects.filter(document=document)
    in_progress = versions.filter(status__in=[SignOffStatus.DRAFT, SignOffStatus.AWAITING]).first()
    if in_progress:
        raise ValidationError(
            f"Version {in_progress.number} is already {in_progress.get_status_display().lower()}. "
            "Finish it before drafting another version"
        )
    body = body.strip()
    if start_from_in_force:
        in_force = versions.filter(status=SignOffStatus.SIGNED).first()
        if in_force is None:
            raise ValidationError({"start_from_in_force": "There is no version in force to start from"})
        if body:
            raise ValidationError(
                {
                    "body": "Leave the strategy text empty to start from the version in "
                    "force; you can change it once the draft is created"
                }
            )
        body = in_force.body
    elif not body:
        raise ValidationError({"body": "Enter the strategy text"})
    number = (versions.aggregate(n=models.Max("number"))["n"] or 0) + 1
    version = StrategyVersion(
        document=document,
        number=number,
        summary=summary.strip(),
        body=body,
        status=SignOffStatus.DRAFT,
        prepared_by=actor,
    )
    save_with_history(version, actor=actor, reason=f"Version {number} drafted")
    return version


@transaction.atomic
def version_update(*, actor, version: StrategyVersion, summary: str, body: str) -> StrategyVersion:
    """A version can be changed only while it is a draft; once submitted, the text signed is the text kept."""
    version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
    require(actor, "strategy.draft_version", version)
    if version.status != SignOffStatus.DRAFT:
        raise ValidationError(
            f"Version {version.number} is {version.get_status_display().lower()} and can no longer be changed"
        )
    version.summary, version.body = summary.strip(), body.strip()
    save_with_history(version, actor=actor, reason="Draft changed")
    return version


@transaction.atomic
def version_submit(*, actor, version: StrategyVersion) -> StrategyVersion:
    """The Commissioning Manager quality assures a draft and sends it to the four signatories
    (seed, Section 6 "Sign Off" and "Authorisation")."""
    require(actor, "strategy.submit_version", version)
    version = StrategyVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.status != SignOffStatus.DRAFT:
        raise ValidationError(
            f"Only a draft can be submitted for sign-off; version {version.number} is "
            f"{version.get_status_display().lower()}"
        )
    version.status = SignOffStatus.AWAITING
    version.submitted_at = timezone.now()
    # The seed's authorisation table records who prepared and who quality assured each version.
    version.quality_assured_by = actor
    save_with_history(version, actor=actor, reason="Submitted for sign-off")
    _notify_signatories(
        subject=f"Sign-off needed: {version.document} version {version.number}",
        template="strategy/email/version_sign_off.txt",
        context={
            "version": version,
            "actor": actor,
            "link": settings.SITE_URL + reverse("strategy:version_detail", args=[version.pk]),
        },
    )
    return version


@transaction.atomic
def version_sign(*, actor, version: StrategyVersion, role: str | None = None, comment: str = "") -> StrategyVersion:
    """Sign a version as one of the four signatories. With the fourth signature the version comes into force,
    the version it replaces is superseded, and the next review falls due after the document's review interval
    (seed, Section 6: "reviewed on an annual basis")."""
    require(actor, "strategy.sign", version)
    role = _signing_role(actor, role)
    version = StrategyVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.status != SignOffStatus.AWAITING:
        raise ValidationError(
            f"Version {version.number} can be signed only while it is awaiting sign-off; "
            f"it is {version.get_status_display().lower()}"
        )
    if version.signatures.filter(role=role).exists():
        raise ValidationError(f"The {Role(role).label} has already signed version {version.number}")
    signature = VersionSignature(version=version, role=role, signed_by=actor, comment=comment.strip())
    save_with_history(signature, actor=actor, reason=f"Signed as {Role(role).label}")

    signed_roles = set(version.signatures.values_list("role", flat=True))
    if signed_roles >= SIGNATORY_ROLES:
        now = timezone.now()
        previous = (
            StrategyVersion.objects.select_for_update()
            .filter(document=version.document, status=SignOffStatus.SIGNED)
            .exclude(pk=version.pk)
        )
        for old in previous:
            old.status = SignOffStatus.SUPERSEDED
            save_with_history(old, actor=actor, reason=f"Superseded by version {version.number}")
        version.status = SignOffStatus.SIGNED
        version.in_force_from = now
        version.review_due_on = add_months(timezone.localdate(now), version.document.review_interval_months)
        save_with_history(version, actor=actor, reason="Signed by all four signatories and in force")
    return version


# --- Variations ------------------------------------------------------------------------------------------


@transaction.atomic
def variation_create(*, actor, version: StrategyVersion, title: str, reason: str, change: str) -> Variation:
    """Raise a variation to the version in force (seed, Section 6)."""
    require(actor, "strategy.raise_variation")
    version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != SignOffStatus.SIGNED:
        raise ValidationError("A variation can be raised only against the version in force")
    number = (version.variations.aggregate(n=models.Max("number"))["n"] or 0) + 1
    variation = Variation(
        version=version,
        number=number,
        title=title.strip(),
        reason=reason.strip(),
        change=change.strip(),
        status=Variation.Status.DRAFT,
        raised_by=actor,
    )
    save_with_history(variation, actor=actor, reason=f"Variation {number} raised")
    return variation


@transaction.atomic
def variation_share(*, actor, variation: Variation) -> Variation:
    """Share a variation with the four signatories (seed, Section 6: "must be shared with the parties")."""
    variation = Variation.objects.select_for_update().select_related("version__document").get(pk=variation.pk)
    require(actor, "strategy.raise_variation")
    if variation.status != Variation.Status.DRAFT:
        raise ValidationError(f"Variation {variation.number} has already been {variation.get_status_display().lower()}")
    if variation.version.status != SignOffStatus.SIGNED:
        raise ValidationError("The version this variation changes is no longer in force")
    variation.status = Variation.Status.AWAITING
    variation.shared_at = timezone.now()
    save_with_history(variation, actor=actor, reason="Shared for sign-off")
    _notify_signatories(
        subject=f"Sign-off needed: variation {variation.number} to {variation.version.document}",
        template="strategy/email/variation_sign_off.txt",
        context={
            "variation": variation,
            "actor": actor,
            "link": settings.SITE_URL + reverse("strategy:variation_detail", args=[variation.pk]),
        },
    )
    return variation


def variation_takes_effect(roles: set[str]) -> bool:
    """Seed, Section 6: "signed off by the PCC and one other party to take effect"."""
    return Role.PCC.value in roles and len(roles & SIGNATORY_ROLES) >= 2


@transaction.atomic
def variation_sign(*, actor, variation: Variation, role: str | None = None, comment: str = "") -> Variation:
    """Sign a shared variation. It takes effect the moment it has the PCC's signature and one other's."""
    require(actor, "strategy.sign", variation)
    role = _signing_role(actor, role)
    variation = Variation.objects.select_for_update().select_related("version").get(pk=variation.pk)
    if variation.status != Variation.Status.AWAITING:
        raise ValidationError(
            f"Variation {variation.number} can be signed only while it is shared for "
            f"sign-off; it is {variation.get_status_display().lower()}"
        )
    if variation.version.status != SignOffStatus.SIGNED:
        raise ValidationError("The version this variation changes is no longer in force")
    if variation.signatures.filter(role=role).exists():
        raise ValidationError(f"The {Role(role).label} has already signed variation {variation.number}")
    signature = VariationSignature(variation=variation, role=role, signed_by=actor, comment=comment.strip())
    save_with_history(signature, actor=actor, reason=f"Signed as {Role(role).label}")

    if variation_takes_effect(set(variation.signatures.values_list("role", flat=True))):
        variation.status = Variation.Status.IN_EFFECT
        variation.effective_from = timezone.now()
        save_with_history(variation, actor=actor, reason="Signed by the PCC and one other signatory; in effect")
    return variation


@transaction.atomic
def variation_withdraw(*, actor, variation: Variation, reason: str) -> Variation:
    """A variation can be withdrawn until it takes effect; after that a new variation is needed."""
    variation = Variation.objects.select_for_update().get(pk=variation.pk)
    require(actor, "strategy.withdraw_variation", None)
    if variation.status not in (Variation.Status.DRAFT, Variation.Status.AWAITING):
        raise ValidationError(
            f"Variation {variation.number} is {variation.get_status_display().lower()} and can no longer be withdrawn"
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the variation is being withdrawn"})
    variation.status = Variation.Status.WITHDRAWN
    variation.withdrawal_reason = reason
    save_with_history(variation, actor=actor, reason=f"Withdrawn: {reason}")
    return variation


# --- Decision records ------------------------------------------------------------------------------------


def _next_decision_sequence(year: int) -> int:
    """The next number in the year. On PostgreSQL a transaction-scoped advisory lock per year queues
    concurrent decisions (even the year's first, when there is no row for select_for_update to lock);
    elsewhere the unique constraint and the retry in decision_record_create keep numbers distinct."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [DECISION_LOCK_NAMESPACE, year])
    last = DecisionRecord.objects.select_for_update().filter(year=year).order_by("-sequence").first()
    return (last.sequence if last else 0) + 1


@transaction.atomic
def decision_record_create(
    *,
    actor,
    subject: str,
    legal_basis: str,
    decision: str,
    reasons: str,
    decided_by,
    decided_on: dt.date,
    amount: Decimal | str | None = None,
    publishable: bool = True,
    not_publishable_reason: str = "",
) -> DecisionRecord:
    """Record a PCC decision, numbered YYYY/NNN in the calendar year it was made (DOMAIN.md, "Governance").

    Other apps call this to record the decision behind an award. Decisions are published unless a reason
    is given (Elected Local Policing Bodies (Specified Information) Order 2011).
    """
    require(actor, "strategy.add_decisionrecord")
    errors = {}
    if decided_by is None or decided_by.role != Role.PCC or not decided_by.is_active:
        errors["decided_by"] = "Choose the Police and Crime Commissioner who made the decision"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    elif decided_on > timezone.localdate():
        errors["decided_on"] = "The date of the decision must be today or in the past"
    if amount is not None and amount != "":
        try:
            amount = to_money(amount)
        except ValueError:
            errors["amount"] = "Enter an amount in pounds and pence, like 1250.50"
        else:
            if amount < 0:
                errors["amount"] = "Enter an amount of £0 or more"
    else:
        amount = None
    if errors:
        raise ValidationError(errors)
    record = DecisionRecord(
        subject=subject.strip(),
        legal_basis=legal_basis,
        decision=decision.strip(),
        reasons=reasons.strip(),
        amount=amount,
        decided_by=decided_by,
        decided_on=decided_on,
        publishable=publishable,
        not_publishable_reason="" if publishable else not_publishable_reason.strip(),
        recorded_by=actor,
    )
    year = decided_on.year
    for attempt in range(DECISION_NUMBER_ATTEMPTS):
        record.sequence = _next_decision_sequence(year)
        record.year = year
        record.number = f"{year}/{record.sequence:03d}"
        try:
            # A savepoint, so a clash with a decision recorded at the same moment can be retried.
            with transaction.atomic():
                save_with_history(
                    record,
                    actor=actor,
                    reason=f"Decision {record.number} recorded",
                    exclude=["number", "year", "sequence"],
                )
        except IntegrityError:
            record.pk = None
            if attempt == DECISION_NUMBER_ATTEMPTS - 1:
                raise
        else:
            break
    return record
