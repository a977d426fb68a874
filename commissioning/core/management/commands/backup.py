"""manage.py backup --out DIR: the database and every uploaded file, together, in a new folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissioning.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder (restore it with manage.py restore DIR)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="A new or empty folder, e.g. /var/backups/opcc/2026-12-04")

    def handle(self, *args, **options):
        out = Path(options["out"])
        try:
            summary = backup(out, using=options.get("database") or "default")
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(summary.text("Backed up", out))
