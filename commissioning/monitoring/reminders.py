"""The daily monitoring job: create the returns that have become due, and e-mail providers whose return is due
in 7 days, due today, or overdue (then every 7 days). Running it twice on one day sends nothing twice: each
return records the day it was last reminded (KpiReturn.reminded_on, kept in its history)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.core import mail
from commissioning.core.dates import long_date
from commissioning.core.services import attribute
from commissioning.monitoring import services
from commissioning.monitoring.models import KpiReturn, ReturnStatus

DAYS_BEFORE = 7
OVERDUE_EVERY_DAYS = 7
WORDS = {"due_soon": f"due in {DAYS_BEFORE} days", "due_today": "due today", "overdue": "overdue"}


def reminder_kind(*, due_on: dt.date, today: dt.date) -> str | None:
    days = (due_on - today).days
    if days == DAYS_BEFORE:
        return "due_soon"
    if days == 0:
        return "due_today"
    if days < 0 and -days % OVERDUE_EVERY_DAYS == 0:
        return "overdue"
    return None


@dataclass
class ReminderRun:
    day: dt.date
    created: int = 0
    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WORDS, 0))
    already_sent: int = 0
    overdue: int = 0

    def summary(self) -> str:
        parts = ", ".join(f"{count} {WORDS[kind]}" for kind, count in self.sent.items())
        return (
            f"Return reminders for {long_date(self.day)}: {self.created} new return{'s' if self.created != 1 else ''} "
            f"due; {sum(self.sent.values())} reminders sent ({parts}); {self.already_sent} already sent today; "
            f"{self.overdue} return{'s' if self.overdue != 1 else ''} overdue."
        )


def _provider_emails(organisation_ids) -> dict[int, list[str]]:
    """{organisation id: e-mail addresses of its active provider users}. One query."""
    found = defaultdict(list)
    rows = (
        get_user_model()
        .objects.filter(organisation_id__in=set(organisation_ids), role=Role.PROVIDER, is_active=True)
        .order_by("email")
        .values_list("organisation_id", "email")
    )
    for organisation_id, email in rows:
        found[organisation_id].append(email)
    return found


def send_reminders(*, today: dt.date | None = None) -> ReminderRun:
    today = today or timezone.localdate()
    run = ReminderRun(day=today)
    for service in services.reporting_services():
        run.created += len(services.returns_ensure(service=service, today=today))
    due = list(
        KpiReturn.objects.filter(status=ReturnStatus.DUE).select_related("service", "service__provider").order_by("pk")
    )
    emails = _provider_emails(kpi_return.service.provider_id for kpi_return in due)
    for kpi_return in due:
        if kpi_return.due_on < today:
            run.overdue += 1
        kind = reminder_kind(due_on=kpi_return.due_on, today=today)
        if kind is None:
            continue
        if kpi_return.reminded_on == today:
            run.already_sent += 1
            continue
        with transaction.atomic():
            locked = KpiReturn.objects.select_for_update().get(pk=kpi_return.pk)
            if locked.reminded_on == today or locked.status != ReturnStatus.DUE:
                run.already_sent += 1
                continue
            locked.reminded_on = today
            attribute(locked, actor=None, reason=f"Reminder sent: {WORDS[kind]}")
            locked.save(update_fields=["reminded_on"])
            recipients = emails.get(kpi_return.service.provider_id, [])
            if recipients:
                body = render_to_string(
                    "monitoring/email/return_reminder.txt",
                    {
                        "kpi_return": kpi_return,
                        "service": kpi_return.service,
                        "kind": kind,
                        "overdue_days": (today - kpi_return.due_on).days,
                        "link": settings.SITE_URL.rstrip("/")
                        + reverse("monitoring:return_detail", args=[kpi_return.pk]),
                        "service_name": settings.SERVICE_NAME,
                    },
                )
                subject = f"Your monitoring return for {kpi_return.service.name} is {WORDS[kind]}"
                transaction.on_commit(lambda s=subject, b=body, r=recipients: mail.send(s, b, r))
            run.sent[kind] += 1
    return run
