"""python manage.py export_360giving --out FILE: every publishable grant the OPCC made, by every route, as a
360Giving JSON package (.json), or a spreadsheet with the standard's column titles (.csv, .xlsx)."""

from django.core.management.base import BaseCommand, CommandError

from commissioning.transparency import giving


class Command(BaseCommand):
    help = "Export every publishable grant as 360Giving data: .json package, .csv or .xlsx (chosen by --out)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The file to write: grants.json, grants.csv or grants.xlsx")
        parser.add_argument(
            "--source", default="", help="The address the data is published at, written as each grant's dataSource"
        )

    def handle(self, *args, **options):
        try:
            count = giving.export(options["out"], source=options["source"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {count} grants to {options['out']}")
