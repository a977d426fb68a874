"""manage.py panel_report --year 2025/26 [--quarter Q2] --out FILE (.pdf, .xlsx or .json), suppressed as the
Panel sees it (--unsuppressed for the OPCC's own use)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissioning.reporting import exports
from commissioning.reporting.selectors.panel import Period, panel_report

WRITERS = {".pdf": exports.report_pdf, ".xlsx": exports.report_xlsx, ".json": exports.report_json}


class Command(BaseCommand):
    help = "Write the Police and Crime Panel report for a financial year or a quarter as PDF, XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="The financial year, e.g. 2025/26")
        parser.add_argument("--quarter", default="", help="Q1 to Q4 for a quarter's report")
        parser.add_argument("--out", required=True, help="The file to write: .pdf, .xlsx or .json")
        parser.add_argument("--unsuppressed", action="store_true", help="Do not suppress small numbers")

    def handle(self, *args, year, quarter, out, unsuppressed, **options):
        path = Path(out)
        writer = WRITERS.get(path.suffix.lower())
        if writer is None:
            raise CommandError("--out must end in .pdf, .xlsx or .json")
        try:
            period = Period.parse(year, quarter or None)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        report = panel_report(period=period, suppressed=not unsuppressed)
        path.write_bytes(writer(report))
        self.stdout.write(
            f"Wrote the Panel report for {period.label} to {path}: {len(report.areas)} areas, "
            f"{report.total.services} services, {report.hidden_count} figures suppressed."
        )
