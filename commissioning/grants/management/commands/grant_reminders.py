"""E-mail recipients whose end-of-grant report is due in 30 days, due today or overdue (weekly). Run daily from
cron or a systemd timer; running it twice in a day sends nothing twice (each reminder is kept in the award's
history). It stays a command, not a queued task: it only decides who is due and records it, which is quick; the
e-mails themselves are queued for the task worker (core.mail), so a slow mail server holds nothing up."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from commissioning.grants.services.reports import report_reminders_send


class Command(BaseCommand):
    help = "Send end-of-grant report reminders: 30 days before, on the due date and weekly once overdue."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up a missed day")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date {options['date']!r} is not a date like 2026-11-24") from exc
        run = report_reminders_send(today=today)
        self.stdout.write(run.summary())
