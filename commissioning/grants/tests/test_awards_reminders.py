"""End-of-grant report reminders (issue 5, point 5): `python manage.py grant_reminders`, run daily."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from commissioning.grants.models import EndOfGrantReport
from commissioning.grants.selectors.awards import award_list
from commissioning.grants.services.reports import reminder_kind, report_reminders_send
from commissioning.grants.tests.factories import AcceptedAwardFactory, AwardFactory, EndOfGrantReportFactory

pytestmark = pytest.mark.django_db

DUE = dt.date(2027, 6, 30)


@pytest.fixture
def award(users):
    return AcceptedAwardFactory(application__organisation=users["applicant"].organisation, report_due_on=DUE)


def _run(day: dt.date) -> str:
    out = StringIO()
    call_command("grant_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("days_from_due", "kind"),
    [
        (-30, "due_soon"),
        (-29, None),
        (-1, None),
        (0, "due_today"),
        (1, None),
        (7, "overdue"),
        (8, None),
        (14, "overdue"),
    ],
)
def test_reminders_go_30_days_before_on_the_day_and_weekly_after(days_from_due, kind):
    assert reminder_kind(due_on=DUE, today=DUE + dt.timedelta(days=days_from_due)) == kind


def test_the_command_emails_the_recipient_and_prints_one_line(award, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = _run(DUE - dt.timedelta(days=30))
    assert output.count("\n") == 1
    assert output.startswith("Report reminders for 31 May 2027: 1 sent (1 due in 30 days, 0 due today, 0 overdue)")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert users["applicant"].email in message.to
    assert "due in 30 days" in message.subject and "30 June 2027" in message.body
    assert f"/grants/awards/{award.pk}/report/" in message.body


def test_running_twice_in_a_day_sends_nothing_twice(award, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _run(DUE)
        second = _run(DUE)
    assert len(mail.outbox) == 1
    assert "0 sent" in second and "1 already sent today" in second
    # The reminder is kept in the award's history, which the activity log shows.
    assert award.history.filter(history_change_reason__startswith="Report reminder sent").count() == 1


def test_overdue_reports_are_reminded_weekly_and_counted(award, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        week_late = report_reminders_send(today=DUE + dt.timedelta(days=7))
        day_after = report_reminders_send(today=DUE + dt.timedelta(days=8))
    assert week_late.sent["overdue"] == 1 and week_late.overdue == 1
    assert day_after.total_sent == 0 and day_after.overdue == 1
    assert "is overdue" in mail.outbox[0].subject and "7 days ago" in mail.outbox[0].body


def test_no_reminder_once_the_report_is_sent_or_before_the_grant_is_accepted(users):
    EndOfGrantReportFactory(award__report_due_on=DUE)
    AwardFactory(report_due_on=DUE)  # offered, not accepted
    run = report_reminders_send(today=DUE)
    assert run.total_sent == 0 and mail.outbox == []


def test_a_returned_report_is_still_owed(users, django_capture_on_commit_callbacks):
    EndOfGrantReportFactory(award__report_due_on=DUE, status=EndOfGrantReport.Status.RETURNED)
    with django_capture_on_commit_callbacks(execute=True):
        run = report_reminders_send(today=DUE)
    assert run.sent["due_today"] == 1


def test_lists_flag_overdue_reports(award):
    AcceptedAwardFactory(report_due_on=DUE + dt.timedelta(days=60))
    EndOfGrantReportFactory(award__report_due_on=DUE - dt.timedelta(days=60))  # sent: not overdue
    later = DUE + dt.timedelta(days=1)
    flagged = {a.pk: a.is_overdue for a in award_list(today=later)}
    assert flagged[award.pk] is True
    assert sum(flagged.values()) == 1
    assert [a.pk for a in award_list(today=later, overdue=True)] == [award.pk]


def test_a_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a date"):
        call_command("grant_reminders", "--date", "31/05/2027")
