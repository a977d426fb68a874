"""python manage.py export_ocds --out FILE: the OCDS 1.1 release package of every procurement, written piece by
piece (the same stream as GET /open-data/ocds.json)."""

from django.core.management.base import BaseCommand

from commissioning.transparency.ocds.build import package_chunks


class Command(BaseCommand):
    help = "Write the OCDS 1.1 release package of the OPCC's procurements to a .json file"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The file to write, e.g. ocds.json")

    def handle(self, *args, out, **options):
        with open(out, "w", encoding="utf-8") as handle:
            for chunk in package_chunks():
                handle.write(chunk)
        self.stdout.write(f"Wrote the OCDS release package to {out}")
