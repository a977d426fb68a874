"""The daily job: returns created when their period ends, reminders 7 days before, on the day and weekly once
overdue, each sent once a day however often the command runs."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.monitoring.models import KpiReturn, ReturnStatus
from commissioning.monitoring.reminders import reminder_kind, send_reminders
from commissioning.monitoring.tests.factories import ServiceFactory


@pytest.mark.parametrize(
    "days_to_due, kind",
    [(8, None), (7, "due_soon"), (1, None), (0, "due_today"), (-1, None), (-7, "overdue"), (-14, "overdue")],
)
def test_reminder_days(days_to_due, kind):
    today = dt.date(2026, 7, 1)
    assert reminder_kind(due_on=today + dt.timedelta(days=days_to_due), today=today) == kind


@pytest.fixture
def service(users):
    UserFactory(role=Role.PROVIDER, organisation=users["provider"].organisation, email="second@example.org")
    return ServiceFactory(name="Safe Steps", provider=users["provider"].organisation, starts_on=dt.date(2026, 4, 1))


def test_the_command_creates_due_returns_and_reminds_once_a_day(service, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("monitoring_reminders", "--date", "2026-07-21")  # 7 days before 28 July
    assert KpiReturn.objects.filter(service=service, status=ReturnStatus.DUE).count() == 1
    [message] = mail.outbox
    assert message.subject == "Your monitoring return for Safe Steps is due in 7 days"
    assert sorted(message.to) == ["provider@example.org", "second@example.org"]
    assert "1 new return due; 1 reminders sent" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        run = send_reminders(today=dt.date(2026, 7, 21))
    assert len(mail.outbox) == 1 and run.already_sent == 1 and run.created == 0
    with django_capture_on_commit_callbacks(execute=True):
        run = send_reminders(today=dt.date(2026, 8, 4))
    assert run.sent["overdue"] == 1 and run.overdue == 1
    assert "overdue: it was due on 28 July 2026, 7 days ago" in mail.outbox[1].body


def test_a_submitted_return_is_not_reminded(service, django_capture_on_commit_callbacks):
    send_reminders(today=dt.date(2026, 7, 2))
    KpiReturn.objects.update(status=ReturnStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=dt.date(2026, 7, 21))
    assert mail.outbox == []


def test_a_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("monitoring_reminders", "--date", "21/07/2026")
