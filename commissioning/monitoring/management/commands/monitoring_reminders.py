"""Create the monitoring returns that have become due and e-mail providers whose return is due in 7 days, due
today or overdue (weekly). Run daily from cron; running it twice in a day sends nothing twice."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from commissioning.monitoring.reminders import send_reminders


class Command(BaseCommand):
    help = "Create the returns now due and send return reminders: 7 days before, on the due date, weekly once overdue."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up a missed day")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date {options['date']!r} is not a date like 2026-11-24") from exc
        self.stdout.write(send_reminders(today=today).summary())
