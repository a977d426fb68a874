"""python manage.py load_profile dorset   (or a path to a profile YAML file)"""

from django.core.management.base import BaseCommand, CommandError

from commissioning.profiles.loader import profile_load
from commissioning.profiles.validation import ProfileError


class Command(BaseCommand):
    help = (
        "Load or update an OPCC profile (plan, objectives, Panel areas, strategy, partners, funds, "
        "thresholds, tiers, KPIs). Checks the whole file first; a bad profile lists every problem and "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("profile", help="A profile name under profiles/ (e.g. dorset) or a path to a YAML file")

    def handle(self, *args, **options):
        try:
            summary = profile_load(path_or_name=options["profile"])
        except ProfileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(str(summary)))
