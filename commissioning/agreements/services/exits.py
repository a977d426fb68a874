"""Ending an agreement: at its end date or early, with notice (issue 11, point 5).

Recording the exit gives the notice, moves an early end date forward, releases the money the agreement will no
longer need back to its funds through the funds engine (every open year after the end wholly; in the year of
the end, everything unpaid above what is still to pay for work up to the end), and records what happens to the
people the service supports. Completing it, on or after the end date, marks the agreement ended (or terminated)
and its service ended when it has no other live agreement. Monitoring calls these and schedules the final
return (monitoring.exits); nothing here imports an app above agreements.

Whoever may end agreements (agreements.end_agreement) carries out the money and service steps those apps check
with their own permissions: the same delegated authority as a PCC decision (docs/decisions/0003). The funds
engine's rules (open years, locks in budget order, nothing below what was paid) still apply in full.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.agreements.models import Agreement, AgreementExit, Service
from commissioning.agreements.services._common import money, save
from commissioning.agreements.services.register import service_status_change
from commissioning.core.authority import acting_with_authority
from commissioning.core.dates import FinancialYear, long_date
from commissioning.core.money import ZERO, format_money
from commissioning.core.services import require
from commissioning.funds import selectors as fund_selectors
from commissioning.funds import services as fund_services

# What ending an agreement carries out in other apps' services (ADR 0003).
EXIT_CARRIES_OUT = ("funds.plan_commitment", "funds.approve_commitment", "agreements.change_service")
RELEASABLE = ("planned", "approved", "committed")


def exit_end_date(*, agreement: Agreement, kind: str, notice_given_on: dt.date, notice_period_days: int) -> dt.date:
    """The agreement's last day: its end date for an expiry; the day the notice runs out for a termination."""
    if kind == AgreementExit.Kind.TERMINATION:
        return notice_given_on + dt.timedelta(days=notice_period_days)
    return agreement.ends_on


def _errors(*, agreement, kind, notice_given_on, notice_period_days, reason, service_users, transition_plan, today):
    errors = {}
    if kind not in AgreementExit.Kind.values:
        errors["kind"] = "Select whether the agreement ends at its end date or is terminated early"
    if notice_given_on is None:
        errors["notice_given_on"] = "Enter the date notice was given"
    elif notice_given_on > today:
        errors["notice_given_on"] = "The date notice was given must be today or in the past"
    elif notice_given_on < agreement.starts_on:
        errors["notice_given_on"] = (
            f"Notice cannot be given before the agreement starts, {long_date(agreement.starts_on)}"
        )
    elif kind == AgreementExit.Kind.EXPIRY and notice_given_on > agreement.ends_on:
        errors["notice_given_on"] = f"Notice must be given by the agreement's end date, {long_date(agreement.ends_on)}"
    if notice_period_days is None or notice_period_days < 0:
        errors["notice_period_days"] = "Enter the notice period in days, 0 or more"
    if not (reason or "").strip():
        errors["reason"] = "Enter why the agreement is ending"
    if service_users not in AgreementExit.ServiceUsers.values:
        errors["service_users"] = "Select what happens to the people the service supports"
    if not (transition_plan or "").strip():
        errors["transition_plan"] = "Describe the transition plan: who supports the people still using the service"
    if errors or kind != AgreementExit.Kind.TERMINATION:
        return errors
    ends_on = exit_end_date(
        agreement=agreement, kind=kind, notice_given_on=notice_given_on, notice_period_days=notice_period_days
    )
    if ends_on >= agreement.ends_on:
        errors["notice_period_days"] = (
            f"The notice runs to {long_date(ends_on)}, on or after the agreement's end date, "
            f"{long_date(agreement.ends_on)}. Select that it ends at its end date instead"
        )
    return errors


def _release_money(*, actor, agreement: Agreement, ends_on: dt.date, still_to_pay: Decimal, reason: str) -> Decimal:
    """Release what the agreement no longer needs from each open year's commitment; the total released."""
    end_year = FinancialYear.for_date(ends_on).start_year
    commitments = fund_selectors.commitments_by_agreement(agreement_ids=[agreement.pk])[agreement.pk]
    # Budget order (ADR 0002): each release locks its own budget; years in order keep the order the same.
    commitments = sorted(
        (
            c
            for c in commitments
            if c.status in RELEASABLE and c.year.status == "open" and c.year.start_year >= end_year
        ),
        key=lambda c: (c.year.start_year, c.fund_id, c.pk),
    )
    in_end_year = [c for c in commitments if c.year.start_year == end_year]
    if still_to_pay > 0 and not in_end_year:
        raise ValidationError(
            {
                "still_to_pay": f"The agreement has no open commitment in {FinancialYear(end_year).label} to keep "
                "money in. Enter £0.00, or plan the money first"
            }
        )
    if len(in_end_year) > 1 and still_to_pay > 0:
        raise ValidationError(
            {
                "still_to_pay": f"The agreement is paid from {len(in_end_year)} funds in "
                f"{FinancialYear(end_year).label}; release each commitment from its fund's page instead, and "
                "enter £0.00 here"
            }
        )
    released = ZERO
    for commitment in commitments:
        keep = still_to_pay if commitment.year.start_year == end_year else ZERO
        _, amount = fund_services.commitment_release_above(actor=actor, commitment=commitment, keep=keep, reason=reason)
        released += max(amount, ZERO)
    return released


@transaction.atomic
def agreement_exit_start(
    *,
    actor,
    agreement: Agreement,
    kind: str,
    notice_given_on: dt.date | None,
    notice_period_days: int | None,
    reason: str,
    service_users: str,
    transition_plan: str,
    still_to_pay=ZERO,
    today: dt.date | None = None,
) -> AgreementExit:
    """Record that an active agreement is ending, release the money it no longer needs, and complete the exit
    at once when its end date has already come."""
    require(actor, "agreements.end_agreement", agreement)
    today = today or timezone.localdate()
    agreement = Agreement.objects.select_for_update().select_related("service").get(pk=agreement.pk)
    if agreement.status != Agreement.Status.ACTIVE:
        raise ValidationError(
            f"{agreement.reference} is {agreement.get_status_display().lower()}; only an active agreement can be ended"
        )
    if AgreementExit.objects.filter(agreement=agreement).exists():
        raise ValidationError(f"The exit of {agreement.reference} has already been recorded")
    errors = _errors(
        agreement=agreement,
        kind=kind,
        notice_given_on=notice_given_on,
        notice_period_days=notice_period_days,
        reason=reason,
        service_users=service_users,
        transition_plan=transition_plan,
        today=today,
    )
    still_to_pay = money(
        still_to_pay if still_to_pay not in (None, "") else ZERO,
        errors,
        "still_to_pay",
        required_message="Enter the amount still to pay, or 0",
    )
    if still_to_pay is not None and still_to_pay < 0:
        errors["still_to_pay"] = "Enter £0.00 or more"
    if errors:
        raise ValidationError(errors)
    ends_on = exit_end_date(
        agreement=agreement, kind=kind, notice_given_on=notice_given_on, notice_period_days=notice_period_days
    )
    authorised = acting_with_authority(actor, EXIT_CARRIES_OUT)
    verb = "terminated" if kind == AgreementExit.Kind.TERMINATION else "ends"
    why = f"{agreement.reference} {verb} on {long_date(ends_on)}"
    released = _release_money(
        actor=authorised, agreement=agreement, ends_on=ends_on, still_to_pay=still_to_pay, reason=why
    )
    exit_ = AgreementExit(
        agreement=agreement,
        kind=kind,
        notice_given_on=notice_given_on,
        notice_period_days=notice_period_days,
        ends_on=ends_on,
        reason=reason.strip(),
        service_users=service_users,
        transition_plan=transition_plan.strip(),
        still_to_pay=still_to_pay,
        released=released,
        recorded_by=actor,
    )
    save(exit_, actor=actor, reason=f"Notice given: {why}; {format_money(released)} released")
    if ends_on < agreement.ends_on:
        agreement.ends_on = ends_on
        save(agreement, actor=actor, reason=f"Terminated early: ends on {long_date(ends_on)}")
        service = agreement.service
        others_later = service.agreements.filter(status=Agreement.Status.ACTIVE, ends_on__gt=ends_on).exclude(
            pk=agreement.pk
        )
        if (service.ends_on is None or service.ends_on > ends_on) and not others_later.exists():
            service.ends_on = max(ends_on, service.starts_on)
            save(service, actor=actor, reason=f"{agreement.reference} terminated early")
    exit_.agreement = agreement
    if ends_on < today:
        return agreement_exit_complete(actor=actor, agreement_exit=exit_, today=today)
    return exit_


@transaction.atomic
def agreement_exit_complete(*, actor, agreement_exit: AgreementExit, today: dt.date | None = None) -> AgreementExit:
    """On or after the end date: the agreement ends (or is terminated), and its service ends when it has no
    other live agreement."""
    require(actor, "agreements.end_agreement", agreement_exit.agreement)
    today = today or timezone.localdate()
    agreement_exit = (
        AgreementExit.objects.select_for_update().select_related("agreement__service").get(pk=agreement_exit.pk)
    )
    if agreement_exit.status == AgreementExit.Status.COMPLETED:
        raise ValidationError(f"{agreement_exit.agreement.reference} has already ended")
    if agreement_exit.ends_on > today:
        raise ValidationError(
            f"The agreement runs to {long_date(agreement_exit.ends_on)}; mark it ended on or after that day"
        )
    agreement = Agreement.objects.select_for_update().get(pk=agreement_exit.agreement_id)
    terminated = agreement_exit.kind == AgreementExit.Kind.TERMINATION
    agreement.status = Agreement.Status.TERMINATED if terminated else Agreement.Status.ENDED
    save(
        agreement,
        actor=actor,
        reason=f"{'Terminated' if terminated else 'Ended'} on {long_date(agreement_exit.ends_on)}",
    )
    agreement_exit.status = AgreementExit.Status.COMPLETED
    agreement_exit.completed_by = actor
    agreement_exit.completed_on = today
    save(agreement_exit, actor=actor, reason="Agreement ended")
    service = agreement.service
    live = service.agreements.filter(status__in=[Agreement.Status.ACTIVE, Agreement.Status.DRAFT]).exclude(
        pk=agreement.pk
    )
    if service.status != Service.Status.ENDED and not live.exists():
        service_status_change(
            actor=acting_with_authority(actor, EXIT_CARRIES_OUT),
            service=service,
            status=Service.Status.ENDED,
            reason=f"{agreement.reference} ended; service users: {agreement_exit.get_service_users_display().lower()}",
        )
    agreement_exit.agreement = agreement
    return agreement_exit
