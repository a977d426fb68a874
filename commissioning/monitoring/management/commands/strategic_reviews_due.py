"""Open a strategic review for every agreement that has entered its final months (the profile's window, 18 by
default) and e-mail the Commissioning Manager the ones opened. Run daily from cron; running it twice in a day opens
nothing twice."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.core.dates import long_date
from commissioning.monitoring.review_services import strategic_reviews_flag


class Command(BaseCommand):
    help = "Open strategic reviews for agreements in their final months, and tell the Commissioning Manager."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up a missed day")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date {options['date']!r} is not a date like 2026-11-24") from exc
        opened = strategic_reviews_flag(today=today)
        if opened:
            recipients = list(
                User.objects.filter(role=Role.COMMISSIONING_MANAGER, is_active=True).values_list("email", flat=True)
            )
            lines = [
                f"- {r.agreement.reference}: {r.agreement.service.name}, ends {long_date(r.agreement_ends_on)}"
                for r in opened
            ]
            base = settings.SITE_URL.rstrip("/")
            send_mail(
                subject=f"{len(opened)} agreement{'s' if len(opened) != 1 else ''} due for strategic review",
                message="These agreements have entered their final months and are due for strategic review:\n\n"
                + "\n".join(lines)
                + f"\n\nStart each review from {base}{reverse('monitoring:strategic_review_list')}\n",
                from_email=None,
                recipient_list=recipients,
            )
        self.stdout.write(
            f"{len(opened)} strategic review{'s' if len(opened) != 1 else ''} opened on {long_date(today)}"
        )
