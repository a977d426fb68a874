"""After the award (issue 5, point 5): the recipient writes and sends the end-of-grant report, an officer signs it
off or returns it with a note, reminders go out before and after it is due, and money is asked back when a
condition of the grant is not met.

The standard conditions of every grant ask for the report within 3 months of the project's end date
(services/awards.py, award_conditions); the report covers what was done, spend against the budget, the people
who benefited (people, not contacts) and the outcomes, with an optional case study.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.authority import acting_with_authority
from commissioning.core.dates import long_date
from commissioning.core.money import format_money, to_money
from commissioning.core.services import require, save_with_history
from commissioning.funds import services as fund_services
from commissioning.grants.models import Award, EndOfGrantReport
from commissioning.grants.selectors import awards as selectors
from commissioning.grants.services.acceptance import lock_award
from commissioning.grants.services.notify import link, organisation_emails, role_emails, send_on_commit

REPORT_FIELDS = ("what_was_done", "spend_summary", "amount_spent", "beneficiaries", "outcomes", "case_study")
# What a report must say before it can be sent, and what to ask for when it does not.
REQUIRED_TO_SUBMIT = {
    "what_was_done": "Enter what the project did",
    "spend_summary": "Enter how the grant was spent against the budget",
    "amount_spent": "Enter how much of the grant was spent",
    "beneficiaries": "Enter how many people benefited",
    "outcomes": "Enter the outcomes of the project",
}
EDITABLE = (EndOfGrantReport.Status.DRAFT, EndOfGrantReport.Status.RETURNED)
REMINDER_DAYS_BEFORE = 30
OVERDUE_REMINDER_EVERY_DAYS = 7


def _check_reporting(award: Award) -> None:
    if award.status not in selectors.REPORTING:
        raise ValidationError(
            f"This award is {award.get_status_display().lower()}; an end-of-grant report is sent once the grant "
            "has been accepted"
        )


def _report_problems(report: EndOfGrantReport, award: Award) -> dict:
    errors = {}
    if report.amount_spent is not None:
        if report.amount_spent < 0:
            errors["amount_spent"] = "Enter an amount of £0 or more"
        elif report.amount_spent > award.amount:
            errors["amount_spent"] = (
                f"Enter no more than the grant of {format_money(award.amount)}; say how you paid for the rest in "
                "the spend against the budget"
            )
    return errors


@transaction.atomic
def report_save(*, actor, award: Award, data: dict) -> EndOfGrantReport:
    """Save the report as it stands, to finish later; nothing is required until it is sent."""
    require(actor, "grants.submit_report", award)
    award = Award.objects.select_for_update().get(pk=award.pk)
    _check_reporting(award)
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Cannot set {sorted(unknown)} on a report")
    report = EndOfGrantReport.objects.select_for_update().filter(award=award).first() or EndOfGrantReport(award=award)
    if report.status not in EDITABLE:
        raise ValidationError(f"The report has been {report.get_status_display().lower()} and can no longer be changed")
    for name, value in data.items():
        if name == "amount_spent" and value not in (None, ""):
            value = to_money(value)
        if isinstance(value, str):
            value = value.strip()
        setattr(report, name, None if value == "" and name in ("amount_spent", "beneficiaries") else value)
    errors = _report_problems(report, award)
    if errors:
        raise ValidationError(errors)
    save_with_history(report, actor=actor, reason="Report saved" if report.pk else "Report started")
    return report


@transaction.atomic
def report_submit(*, actor, report: EndOfGrantReport) -> EndOfGrantReport:
    """Send the report to the OPCC; it must say what was done, the spend, the people and the outcomes."""
    require(actor, "grants.submit_report", report)
    report = (
        EndOfGrantReport.objects.select_for_update(of=("self",))
        .select_related("award__application__organisation")
        .get(pk=report.pk)
    )
    award = report.award
    _check_reporting(award)
    if report.status not in EDITABLE:
        raise ValidationError(f"The report has already been {report.get_status_display().lower()}")
    errors = {name: message for name, message in REQUIRED_TO_SUBMIT.items() if getattr(report, name) in (None, "")}
    errors.update(_report_problems(report, award))
    if errors:
        raise ValidationError(errors)
    report.status = EndOfGrantReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    save_with_history(report, actor=actor, reason="Report sent to the OPCC")
    application = award.application
    send_on_commit(
        subject=f"End-of-grant report for {application.reference} sent by {application.organisation.name}",
        template="grants/awards/email/report_submitted.txt",
        context={
            "award": award,
            "application": application,
            "report": report,
            "link": link("grants:report_review", award.pk),
        },
        recipients=role_emails("commissioning_manager", "policy_officer"),
    )
    return report


def _lock_submitted(report: EndOfGrantReport) -> EndOfGrantReport:
    report = (
        EndOfGrantReport.objects.select_for_update(of=("self",))
        .select_related("award__application__organisation")
        .get(pk=report.pk)
    )
    if report.status != EndOfGrantReport.Status.SUBMITTED:
        raise ValidationError(
            f"The report is {report.get_status_display().lower()}; only a report that has been sent can be reviewed"
        )
    return report


@transaction.atomic
def report_sign_off(*, actor, report: EndOfGrantReport, note: str = "") -> EndOfGrantReport:
    """An officer accepts the report; the grant is then complete (unless money has been asked back)."""
    require(actor, "grants.review_report", report)
    report = _lock_submitted(report)
    report.status = EndOfGrantReport.Status.SIGNED_OFF
    report.signed_off_by = actor
    report.signed_off_at = timezone.now()
    report.officer_note = (note or "").strip()
    save_with_history(report, actor=actor, reason="Report signed off")
    award = Award.objects.select_for_update().get(pk=report.award_id)
    if award.status == Award.Status.ACCEPTED:
        award.status = Award.Status.COMPLETED
        save_with_history(award, actor=actor, reason="Grant complete: report signed off")
    _tell_recipient(report, template="grants/awards/email/report_signed_off.txt", subject="signed off")
    return report


@transaction.atomic
def report_return(*, actor, report: EndOfGrantReport, note: str) -> EndOfGrantReport:
    """An officer sends the report back, saying what more is needed."""
    require(actor, "grants.review_report", report)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Enter what the organisation needs to add or change"})
    report = _lock_submitted(report)
    report.status = EndOfGrantReport.Status.RETURNED
    report.officer_note = note
    save_with_history(report, actor=actor, reason="Report returned for more information")
    _tell_recipient(report, template="grants/awards/email/report_returned.txt", subject="returned for more information")
    return report


def _tell_recipient(report: EndOfGrantReport, *, template: str, subject: str) -> None:
    award = report.award
    application = award.application
    send_on_commit(
        subject=f"Your end-of-grant report for {application.reference} has been {subject}",
        template=template,
        context={
            "award": award,
            "application": application,
            "report": report,
            "link": link("grants:award_detail", award.pk),
        },
        recipients=organisation_emails(application.organisation_id),
    )


# --- Repayment -------------------------------------------------------------------------------------------


REPAYABLE = (Award.Status.ACCEPTED, Award.Status.COMPLETED, Award.Status.REPAYMENT_REQUESTED)


@transaction.atomic
def award_repayment_request(*, actor, award: Award, amount, reason: str):
    """Ask for money back when a condition of the grant is not met (PRSRA 2011 s9(3)). The funds engine records
    the repayment against the award's commitment, never more than was paid and not yet asked for."""
    require(actor, "grants.request_repayment", award)
    award = lock_award(award)
    if award.status not in REPAYABLE or award.agreement_id is None:
        raise ValidationError(
            f"This award is {award.get_status_display().lower()}; money can be asked back only once a grant has "
            "been accepted and paid"
        )
    commitment = selectors.award_commitment(award=award)
    if commitment is None:
        raise ValidationError("No commitment has been made for this award, so nothing has been paid")
    # The funds engine lets finance officers record repayments; grants.request_repayment (commissioning managers
    # too) already authorises asking for one under the grant's repayment conditions.
    funds_actor = acting_with_authority(actor, frozenset({"funds.record_payment"}))
    repayment = fund_services.repayment_request(actor=funds_actor, commitment=commitment, amount=amount, reason=reason)
    award.status = Award.Status.REPAYMENT_REQUESTED
    save_with_history(award, actor=actor, reason=f"Repayment of {format_money(repayment.amount)} asked for")
    application = award.application
    send_on_commit(
        subject=f"Grant {application.reference}: the OPCC asks you to repay {format_money(repayment.amount)}",
        template="grants/awards/email/repayment_requested.txt",
        context={
            "award": award,
            "application": application,
            "repayment": repayment,
            "link": link("grants:award_detail", award.pk),
        },
        recipients=organisation_emails(application.organisation_id),
    )
    return repayment


# --- Reminders -------------------------------------------------------------------------------------------


def reminder_kind(*, due_on: dt.date, today: dt.date) -> str | None:
    """Which reminder, if any, is due today: 30 days before, on the day, and every 7 days once overdue."""
    days = (due_on - today).days
    if days == REMINDER_DAYS_BEFORE:
        return "due_soon"
    if days == 0:
        return "due_today"
    if days < 0 and -days % OVERDUE_REMINDER_EVERY_DAYS == 0:
        return "overdue"
    return None


REMINDER_WORDS = {"due_soon": "due in 30 days", "due_today": "due today", "overdue": "overdue"}


@dataclass
class ReminderRun:
    day: dt.date
    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REMINDER_WORDS, 0))
    already_sent: int = 0
    overdue: int = 0

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())

    def summary(self) -> str:
        parts = ", ".join(f"{count} {REMINDER_WORDS[kind]}" for kind, count in self.sent.items())
        return (
            f"Report reminders for {long_date(self.day)}: {self.total_sent} sent ({parts}); "
            f"{self.already_sent} already sent today; {self.overdue} report{'s' if self.overdue != 1 else ''} overdue."
        )


def report_reminders_send(*, today: dt.date | None = None) -> ReminderRun:
    """E-mail each recipient whose report is outstanding on the reminder days (30 days before it is due, the day
    it is due, and every 7 days after). Each reminder is kept in the award's history, so a second run on the same
    day sends nothing again."""
    today = today or timezone.localdate()
    run = ReminderRun(day=today)
    reminded = selectors.award_ids_reminded_on(day=today)
    awards = list(selectors.awards_owing_reports())
    emails = {}
    for award in awards:
        if award.report_due_on < today:
            run.overdue += 1
        kind = reminder_kind(due_on=award.report_due_on, today=today)
        if kind is None:
            continue
        if award.pk in reminded:
            run.already_sent += 1
            continue
        organisation_id = award.application.organisation_id
        if organisation_id not in emails:
            emails[organisation_id] = organisation_emails(organisation_id)
        with transaction.atomic():
            award = (
                Award.objects.select_for_update(of=("self",))
                .select_related("application__organisation")
                .get(pk=award.pk)
            )
            award._history_user = None
            award._change_reason = selectors.reminder_reason(day=today, words=REMINDER_WORDS[kind])
            award.save(update_fields=["report_due_on"])  # unchanged: the save writes the history row
            application = award.application
            overdue_days = (today - award.report_due_on).days
            send_on_commit(
                subject=f"Your end-of-grant report for {application.reference} is {REMINDER_WORDS[kind]}",
                template="grants/awards/email/report_reminder.txt",
                context={
                    "award": award,
                    "application": application,
                    "kind": kind,
                    "overdue_days": overdue_days,
                    "link": link("grants:report_edit", award.pk),
                },
                recipients=emails[organisation_id],
            )
        run.sent[kind] += 1
    return run
