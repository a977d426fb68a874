"""manage.py restore DIR: a backup made by manage.py backup, into a new, migrated, empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissioning.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup (database and uploaded files) into an empty database migrated to the backup's "
        "migrations: create the database, run manage.py migrate, then this."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The folder manage.py backup wrote")

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        try:
            summary = restore(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(summary.text("Restored", folder))
