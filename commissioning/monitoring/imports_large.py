"""Case-level return files (issue 11, point 2): large providers send one row for each case, with its breakdown
fields, instead of the figures; the product counts the cases into the return's figures. Files of 10,000 cases
and more are checked and imported in the background (monitoring.tasks.import_case_file) with progress.

The file has a row of headings, then one row for each case:

  Period          the return's period, as the template writes it (2026-04-01 to 2026-06-30), on every row
  Case reference  the provider's own reference for the case (never a name), once in the file
  <measure code>  one column for each measure the return asks for, headed with its code (or its name):
                  - a count: a whole number for the case, 0 or more (blank is 0); the figure is their sum;
                  - a breakdown: the case's category (blank counts under the measure's "not known"
                    category); where a person may be in several categories (the categories need not add up),
                    several separated by ";" (blank: none). The breakdown's total is the number of cases.

Other columns are ignored, so an export from a case management system can be sent as it is. Every problem is
reported with its row (the headings are row 1) and column; a file with any problem saves nothing. A good file
becomes one version of the return through services.return_submit, the same service as the web form, the
summary upload and the API (the counts are checked again there), with its cases kept beside it (ReturnCase).
"""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.core.services import bulk_insert
from commissioning.core.spreadsheets import read_upload, safe_cell
from commissioning.monitoring import services
from commissioning.monitoring.api_models import ReturnCase
from commissioning.monitoring.imports import PERIOD, RowProblem, kpi_code
from commissioning.monitoring.models import KpiReturn, ReturnVersion, ServiceKpi
from commissioning.monitoring.services import TOTAL

REFERENCE = "Case reference"
MAX_CASES = 50_000
MAX_BYTES = 20 * 1024 * 1024
SEPARATOR = ";"
PROGRESS_EVERY = 2000  # rows between progress reports
MAX_PROBLEMS = 1000  # a file with more stops being checked: its first thousand problems are enough to act on


@dataclass(frozen=True)
class Column:
    """How one measure is read from the file."""

    kpi: ServiceKpi
    code: str
    heading: str  # as the template writes it: the measure's code
    several: bool  # a breakdown whose categories need not add up: a case may be in several


def case_columns(kpis: list[ServiceKpi]) -> list[Column]:
    return [
        Column(kpi=kpi, code=kpi_code(kpi), heading=kpi_code(kpi), several=kpi.is_breakdown and not kpi.must_add_up)
        for kpi in kpis
    ]


def case_template_csv(kpi_return: KpiReturn, kpis: list[ServiceKpi]) -> bytes:
    """The headings of a case-level file for this return, and one example row."""
    columns = case_columns(kpis)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(text) for text in (PERIOD, REFERENCE, *(c.heading for c in columns))])
    example = []
    for column in columns:
        if column.kpi.is_breakdown:
            example.append(column.kpi.not_known_category)
        else:
            example.append("1")
    writer.writerow([safe_cell(text) for text in (kpi_return.period_code, "EXAMPLE-1", *example)])
    return out.getvalue().encode("utf-8-sig")


def read_case_file(upload) -> list[list[str]]:
    """The file's rows as text (headings first); ValidationError when it cannot be read, is too big or has more
    cases than one file may."""
    rows = read_upload(upload, max_bytes=MAX_BYTES, max_rows=MAX_CASES)
    if not rows or not any(cell for cell in rows[0]):
        raise ValidationError("The selected file is empty")
    if len(rows) - 1 > MAX_CASES:
        raise ValidationError(f"The selected file must have no more than {MAX_CASES:,} cases; split it into two")
    return rows


def _normalise(text: str) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").lower().split())


class CaseFileProblems(Exception):
    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems in the file")
        self.problems = problems


@dataclass
class Counted:
    values: dict  # (kpi pk, category) -> figure, as services.check_values takes them
    cases: list[ReturnCase]  # unsaved, without their version


def count_cases(rows: list[list[str]], kpi_return: KpiReturn, kpis: list[ServiceKpi], progress=None) -> Counted:
    """Check every case and count them into the return's figures; CaseFileProblems with every problem by row and
    column (up to MAX_PROBLEMS) when anything is wrong."""
    columns = case_columns(kpis)
    headings = {}
    for index, heading in enumerate(rows[0] if rows else []):
        if heading and _normalise(heading) not in headings:
            headings[_normalise(heading)] = index
    problems: list[RowProblem] = []
    where = {}
    for name in (PERIOD, REFERENCE):
        if _normalise(name) in headings:
            where[name] = headings[_normalise(name)]
        else:
            problems.append(RowProblem(1, name, f"Add a column headed ‘{name}’; use the template"))
    for column in columns:
        index = headings.get(_normalise(column.code), headings.get(_normalise(column.kpi.label)))
        if index is None:
            problems.append(
                RowProblem(1, column.heading, f"Add a column headed ‘{column.heading}’ for {column.kpi.label}")
            )
        where[column.code] = index
    if problems:
        raise CaseFileProblems(problems)

    period_code = kpi_return.period_code
    period_at, reference_at = where[PERIOD], where[REFERENCE]
    # For each measure: its position, how a cell's text (lower case) maps to its category, and its counters.
    plans = []
    for column in columns:
        kpi = column.kpi
        lookup = {c.lower(): c for c in kpi.categories} if kpi.is_breakdown else None
        counts = dict.fromkeys(kpi.categories, 0) if kpi.is_breakdown else None
        plans.append((column, where[column.code], lookup, counts, kpi.not_known_category))
    totals = {column.code: 0 for column in columns}
    seen: dict[str, int] = {}
    cases = []
    cases_counted = 0
    width = max(where.values()) + 1

    for number, row in enumerate(rows[1:], start=2):
        if progress and number % PROGRESS_EVERY == 0:
            progress(number - 1)
        if len(row) < width:
            if not any(row):
                continue
            row = row + [""] * (width - len(row))
        elif not any(row):
            continue
        row_problems = len(problems)
        period = row[period_at].strip()
        if period != period_code:
            problems.append(
                RowProblem(
                    number,
                    PERIOD,
                    f"‘{period}’ is not this return's period; enter {period_code}"
                    if period
                    else f"Enter the period, {period_code}",
                )
            )
        reference = row[reference_at].strip()
        if not reference:
            problems.append(RowProblem(number, REFERENCE, "Enter the case reference"))
        elif len(reference) > 100:
            problems.append(RowProblem(number, REFERENCE, "The case reference must be 100 characters or fewer"))
        elif reference in seen:
            problems.append(RowProblem(number, REFERENCE, f"Case ‘{reference}’ is already in row {seen[reference]}"))
        else:
            seen[reference] = number
        data = {}
        for column, index, lookup, counts, not_known in plans:
            text = row[index].strip()
            if lookup is None:  # a count
                if text == "":
                    value = 0
                elif text.isdigit() and text.isascii():
                    value = int(text)
                else:
                    problems.append(
                        RowProblem(number, column.heading, f"‘{text}’ must be a whole number, 0 or more, like 1")
                    )
                    continue
                data[column.code] = value
                totals[column.code] += value
                continue
            if column.several:
                parts = [p.strip() for p in text.split(SEPARATOR)] if text else []
                found = []
                for part in parts:
                    if not part:
                        continue
                    category = lookup.get(part.lower())
                    if category is None:
                        problems.append(_unknown(number, column, part))
                        found = None
                        break
                    if category not in found:
                        found.append(category)
                if found is None:
                    continue
                for category in found:
                    counts[category] += 1
                data[column.code] = found
            else:
                if text == "":
                    category = not_known
                else:
                    category = lookup.get(text.lower())
                    if category is None:
                        problems.append(_unknown(number, column, text))
                        continue
                counts[category] += 1
                data[column.code] = category
        if len(problems) >= MAX_PROBLEMS:
            break
        if len(problems) == row_problems:
            cases_counted += 1
            cases.append(ReturnCase(row=number, reference=reference, data=data))
    if progress:
        progress(len(rows) - 1)
    if problems:
        raise CaseFileProblems(problems[:MAX_PROBLEMS])
    if not cases:
        raise CaseFileProblems([RowProblem(2, REFERENCE, "The file has no cases; add one row for each case")])

    values = {}
    for column, _index, _lookup, counts, _not_known in plans:
        kpi = column.kpi
        if counts is None:
            values[(kpi.pk, TOTAL)] = totals[column.code]
        else:
            values[(kpi.pk, TOTAL)] = cases_counted
            for category, count in counts.items():
                values[(kpi.pk, category)] = count
    # The figures are counted, so they add up; the checks every return gets still apply (a figure too large).
    figure_problems = services.check_values(kpis, values)
    if figure_problems:
        raise CaseFileProblems([RowProblem(None, kpi_code(p.kpi), p.message) for p in figure_problems])
    return Counted(values=values, cases=cases)


def _unknown(number: int, column: Column, text: str) -> RowProblem:
    categories = column.kpi.categories
    shown = ", ".join(f"‘{c}’" for c in categories)
    hint = f"; separate several with ‘{SEPARATOR}’" if column.several else ""
    return RowProblem(
        number, column.heading, f"‘{text}’ is not a category of {column.kpi.label}; use one of {shown}{hint}"
    )


@transaction.atomic
def submit_cases(*, actor, kpi_return: KpiReturn, counted: Counted, note: str = "") -> ReturnVersion:
    """Submit the counted figures as a new version (services.return_submit: permission, state, the checks) and
    keep its cases beside it, all in one transaction."""
    version = services.return_submit(
        actor=actor, kpi_return=kpi_return, values=counted.values, method=ReturnVersion.Method.CASES, note=note
    )
    for case in counted.cases:
        case.version_id = version.pk
    bulk_insert(counted.cases, batch_size=2000)
    return version


def import_cases(*, actor, kpi_return: KpiReturn, rows: list[list[str]], note: str = "", progress=None):
    """Check, count and submit a case-level file's rows: all of it or, with any problem, nothing
    (CaseFileProblems)."""
    kpis = services.kpis_for_return(kpi_return)
    counted = count_cases(rows, kpi_return, kpis, progress=progress)
    return submit_cases(actor=actor, kpi_return=kpi_return, counted=counted, note=note)
