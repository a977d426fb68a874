"""A return as a spreadsheet: the template the product makes for one service's return, and reading it back
(issue 11, point 2; ARCHITECTURE.md: an import is atomic and reports every problem by row and column).

The template has one row for each figure the return asks for: the period, the measure's code and name, the
category (blank for the total) and an empty Value column for the provider to fill in. Reading it back checks
the headings, then every row (the right period, a known measure and category, a whole number 0 or more, each
figure once), then the figures together through the same rules as the web form (services.check_values: every
figure present, breakdowns that add up). Every problem is reported with its row and column; a file with any
problem saves nothing; a good file becomes a submitted version through services.return_submit.

Row numbers are the spreadsheet's: the headings are row 1. Reading the file (type, size, encoding) is
core.spreadsheets.read_upload.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl import Workbook

from commissioning.core.spreadsheets import header_row, read_upload, safe_cell, text_cell
from commissioning.monitoring import services
from commissioning.monitoring.funder_kpis import category_for
from commissioning.monitoring.models import KpiReturn, ReturnVersion, ServiceKpi
from commissioning.monitoring.services import TOTAL

PERIOD, CODE, MEASURE, CATEGORY, VALUE = "Period", "Measure code", "Measure", "Category", "Value"
HEADINGS = (PERIOD, CODE, MEASURE, CATEGORY, VALUE)
REQUIRED = (PERIOD, CODE, CATEGORY, VALUE)
TOTAL_LABEL = "Total"


def kpi_code(kpi: ServiceKpi) -> str:
    """The measure's code in the file: the minimum dataset's code, or measure-<id> for the service's own."""
    return kpi.definition.code if kpi.definition_id else f"measure-{kpi.pk}"


def template_rows(kpi_return: KpiReturn, kpis: list[ServiceKpi]) -> list[list[str]]:
    rows = []
    for kpi in kpis:
        for category in [TOTAL, *kpi.categories] if kpi.is_breakdown else [TOTAL]:
            rows.append([kpi_return.period_code, kpi_code(kpi), kpi.label, category or TOTAL_LABEL, ""])
    return rows


def template_csv(kpi_return: KpiReturn, kpis: list[ServiceKpi]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    # A KPI's label and categories are configuration someone typed: kept from running as formulas.
    writer.writerows([safe_cell(value) for value in row] for row in template_rows(kpi_return, kpis))
    return out.getvalue().encode("utf-8-sig")  # with the byte-order mark, so Excel opens it as UTF-8


def template_xlsx(kpi_return: KpiReturn, kpis: list[ServiceKpi]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Return")
    sheet.append(header_row(sheet, HEADINGS))
    for row in template_rows(kpi_return, kpis):
        sheet.append([text_cell(sheet, value) for value in row[:4]] + [None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_name(kpi_return: KpiReturn, extension: str) -> str:
    return f"{kpi_return.service.reference}-return-{kpi_return.starts_on:%Y-%m}.{extension}"


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # None for the file as a whole
    column: str
    message: str


class ReturnFileProblems(Exception):
    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems in the file")
        self.problems = problems


def _normalise(text: str) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").lower().split())


def read_return(upload, kpi_return: KpiReturn, kpis: list[ServiceKpi]) -> dict:
    """The figures in an uploaded return file, as services.check_values takes them; ReturnFileProblems with
    every problem by row and column when anything is wrong (ValidationError when the file cannot be read)."""
    rows = read_upload(upload)
    if not rows or not any(cell for cell in rows[0]):
        raise ValidationError("The selected file is empty")
    headings = {_normalise(heading): i for i, heading in enumerate(rows[0]) if heading}
    missing = [heading for heading in REQUIRED if _normalise(heading) not in headings]
    if missing:
        raise ReturnFileProblems(
            [RowProblem(1, heading, f"Add a column headed ‘{heading}’; use the template") for heading in missing]
        )
    column = {heading: headings[_normalise(heading)] for heading in REQUIRED}
    by_code = {kpi_code(kpi).lower(): kpi for kpi in kpis}
    problems: list[RowProblem] = []
    values: dict = {}
    row_of: dict = {}

    def cell(row, heading):
        index = column[heading]
        return row[index].strip() if index < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in row):
            continue
        period, code, category, value = (cell(row, h) for h in (PERIOD, CODE, CATEGORY, VALUE))
        if period != kpi_return.period_code:
            problems.append(
                RowProblem(
                    number,
                    PERIOD,
                    f"‘{period}’ is not this return's period; enter {kpi_return.period_code}"
                    if period
                    else f"Enter the period, {kpi_return.period_code}",
                )
            )
        kpi = by_code.get(code.lower())
        if kpi is None:
            problems.append(
                RowProblem(
                    number,
                    CODE,
                    f"‘{code}’ is not one of this return's measures; use the codes in the template"
                    if code
                    else "Enter the measure code from the template",
                )
            )
            continue
        if category.lower() == TOTAL_LABEL.lower() or category == "":
            key = TOTAL
        else:
            key = category_for(kpi, category)  # the category's name, or a code such as W1 for ethnicity
            if key is None:
                problems.append(
                    RowProblem(number, CATEGORY, f"‘{category}’ is not a category of {kpi.label}; use the template")
                )
                continue
        if (kpi.pk, key) in row_of:
            problems.append(
                RowProblem(
                    number,
                    CATEGORY,
                    f"{kpi.label}: {category or TOTAL_LABEL}{f' ({key})' if key and key != category else ''} "
                    f"is already in row {row_of[(kpi.pk, key)]}",
                )
            )
            continue
        row_of[(kpi.pk, key)] = number
        text = value.replace(",", "")
        if text == "":
            problems.append(RowProblem(number, VALUE, "Enter a whole number, 0 if there were none"))
        elif not re.fullmatch(r"[0-9]+", text):
            problems.append(RowProblem(number, VALUE, f"‘{value}’ must be a whole number, 0 or more, like 12"))
        else:
            values[(kpi.pk, key)] = int(text)
    reported = {(p.row, p.column) for p in problems}
    for problem in services.check_values(kpis, values):
        number = row_of.get((problem.kpi.pk, problem.category))
        if number is not None and (number, VALUE) in reported:
            continue  # already said what is wrong with this figure
        problems.append(RowProblem(number, VALUE if number else CATEGORY, problem.message))
    if problems:
        raise ReturnFileProblems(sorted(problems, key=lambda p: (p.row is None, p.row or 0, HEADINGS.index(p.column))))
    return values


def import_return(*, actor, kpi_return: KpiReturn, upload, note: str = "") -> ReturnVersion:
    """Read, check and submit an uploaded return file as a new version: all of it or, with any problem, none."""
    kpis = services.kpis_for_return(kpi_return)
    values = read_return(upload, kpi_return, kpis)
    return services.return_submit(
        actor=actor, kpi_return=kpi_return, values=values, method=ReturnVersion.Method.UPLOAD, note=note
    )
