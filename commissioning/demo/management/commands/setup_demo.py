"""python manage.py setup_demo: the OPCC profile (settings.OPCC_PROFILE) plus invented demo data and users."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from commissioning.demo.generate import generated_data_present
from commissioning.demo.story import demo_setup
from commissioning.profiles.validation import ProfileError


class Command(BaseCommand):
    help = (
        "Load the OPCC profile (settings.OPCC_PROFILE, default dorset) and invented demo data, with one demo "
        "user per role. Safe to run again. Refused unless DEBUG is on, as the demo password is published."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", help="Profile name or YAML path (default: settings.OPCC_PROFILE)")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "setup_demo refused: DEBUG is off. It creates sign-ins with a published password, so it runs "
                "only on a development or demonstration copy (set DEBUG=true). To load configuration on a "
                "live service, use: python manage.py load_profile <name>"
            )
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Applying database migrations first...")
            call_command("migrate", interactive=False, verbosity=0)
        try:
            summary = demo_setup(profile_name=options["profile"] or settings.OPCC_PROFILE)
        except ProfileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(summary.profile))
        self.stdout.write(str(summary))
        # A decade of funds, services, commitments and payments so that every page has something to show.
        if not generated_data_present():
            call_command("generate_data", scale="county", seed=1, stdout=self.stdout)
        self.stdout.write("\nDemo sign-ins (invented people; for demonstration only):")
        rows = [("Role", "E-mail", "Password")]
        rows += [(login.role_label, login.email, login.password) for login in summary.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for index, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
