"""The Panel report as files: a tagged PDF (WeasyPrint, like the award letters), an XLSX workbook (text cells
written as strings, through core.spreadsheets) and JSON. Each carries the same figures as the page, suppressed
unless the report was built unsuppressed for staff."""

import io
import json
import re
from decimal import Decimal

from django.template.loader import render_to_string
from openpyxl import Workbook

from commissioning.core.models import opcc_settings
from commissioning.core.spreadsheets import header_row, money_cell, text_cell
from commissioning.reporting import charts

PDF_TEMPLATE = "reporting/panel_report_pdf.html"


def filename(report, extension: str) -> str:
    suffix = "" if report.suppressed else "-unsuppressed"
    return f"panel-report-{report.period.slug}{suffix}.{extension}"


def context(report) -> dict:
    settings_row = opcc_settings()
    return {
        "report": report,
        "spend_chart": charts.spend_chart(report),
        "people_chart": charts.people_chart(report),
        "opcc_name": settings_row.opcc_name if settings_row else "Office of the Police and Crime Commissioner",
    }


def report_html(report) -> str:
    return render_to_string(PDF_TEMPLATE, context(report))


def report_pdf(report) -> bytes:
    import weasyprint  # imported here: it loads Pango and fonts, which only the files need

    # Tagged PDF, so screen readers can follow the report's headings and tables.
    return weasyprint.HTML(string=report_html(report)).write_pdf(pdf_tags=True)


def _count(sheet, cell):
    """A count as a number, or the mark as text."""
    return text_cell(sheet, cell.shown) if cell.hidden else cell.value


def report_xlsx(report) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Panel areas")
    sheet.append([text_cell(sheet, f"Police and Crime Panel report, {report.period.long_label}", bold=True)])
    if report.suppressed:
        sheet.append([text_cell(sheet, report.mark_key)])
    sheet.append([])
    sheet.append(
        header_row(
            sheet,
            [
                "Panel area",
                "Services",
                "Budget",
                "Committed",
                "Paid",
                f"Paid in {report.previous.label}",
                "People supported",
                f"People supported in {report.previous.label}",
                "Change in people supported",
                "KPI figures with a target",
                "Meeting their target",
            ],
        )
    )
    for row in report.areas_with_total:
        sheet.append(
            [
                text_cell(sheet, row.name, bold=row.code == "total"),
                row.services,
                money_cell(sheet, row.budget),
                money_cell(sheet, row.committed),
                money_cell(sheet, row.paid),
                money_cell(sheet, row.previous_paid),
                _count(sheet, row.people),
                _count(sheet, row.previous_people),
                _count(sheet, row.change),
                row.with_target,
                row.met_target,
            ]
        )
    for breakdown in report.breakdowns:
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", breakdown.definition.name)[:31])
        sheet.append([text_cell(sheet, f"{breakdown.definition.name}, {report.period.label}", bold=True)])
        sheet.append(header_row(sheet, ["Category", *(a.name for a in breakdown.areas), "All areas"]))
        for category, cells, total in breakdown.rows():
            sheet.append([text_cell(sheet, category), *(_count(sheet, c) for c in cells), _count(sheet, total)])
        if breakdown.grand_total is not None:
            sheet.append(
                [
                    text_cell(sheet, "Total", bold=True),
                    *(_count(sheet, breakdown.column_totals[a.code]) for a in breakdown.areas),
                    _count(sheet, breakdown.grand_total),
                ]
            )
    sheet = book.create_sheet("Services")
    sheet.append(header_row(sheet, ["Panel area", "Service", "Provider"]))
    for row in report.areas:
        for line in row.service_lines:
            sheet.append([text_cell(sheet, row.name), text_cell(sheet, line.name), text_cell(sheet, line.provider)])
    sheet = book.create_sheet("Highlights")
    sheet.append(header_row(sheet, ["Panel area", "Type", "Title", "Text"]))
    for item in report.highlights:
        sheet.append(
            [
                text_cell(sheet, item.panel_area.name),
                text_cell(sheet, item.get_kind_display()),
                text_cell(sheet, item.title),
                text_cell(sheet, item.body),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _json_count(cell):
    return cell.shown


def report_data(report) -> dict:
    money = str
    return {
        "period": report.period.label,
        "starts_on": report.period.starts_on.isoformat(),
        "ends_on": report.period.ends_on.isoformat(),
        "previous_period": report.previous.label,
        "suppression": {"threshold": report.threshold, "applied": report.suppressed, "mark": "[c]"},
        "areas": [
            {
                "code": row.code,
                "name": row.name,
                "services": row.services,
                "service_list": [{"name": line.name, "provider": line.provider} for line in row.service_lines],
                "budget": money(row.budget),
                "committed": money(row.committed),
                "paid": money(row.paid),
                "previous_paid": money(row.previous_paid),
                "people": _json_count(row.people),
                "previous_people": _json_count(row.previous_people),
                "change": _json_count(row.change),
                "kpi_figures_with_target": row.with_target,
                "meeting_target": row.met_target,
            }
            for row in report.areas_with_total
        ],
        "breakdowns": [
            {
                "code": b.definition.code,
                "name": b.definition.name,
                "rows": [
                    {
                        "category": category,
                        "areas": {a.code: _json_count(c) for a, c in zip(b.areas, cells, strict=True)},
                        "total": _json_count(total),
                    }
                    for category, cells, total in b.rows()
                ],
                "area_totals": {code: _json_count(c) for code, c in b.column_totals.items()},
                "total": _json_count(b.grand_total) if b.grand_total is not None else None,
            }
            for b in report.breakdowns
        ],
        "highlights": [
            {"area": h.panel_area.name, "kind": h.kind, "title": h.title, "text": h.body} for h in report.highlights
        ],
    }


def report_json(report) -> bytes:
    def default(value):
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value))

    return json.dumps(report_data(report), indent=2, default=default).encode()
