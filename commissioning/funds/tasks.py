"""The funds app's background tasks (core.jobs): checking and writing an import, and building the dashboard
workbook. Each takes the id of the BackgroundJob a view started, and leaves its outcome on that job."""

import tempfile

from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.http import urlencode

from commissioning.core import jobs
from commissioning.core.jobs import task
from commissioning.core.spreadsheets import XLSX_CONTENT_TYPE
from commissioning.funds import selectors
from commissioning.funds.exports import dashboard_workbook
from commissioning.funds.imports import KINDS_BY_SLUG, ImportKind, Outcome, import_rows, preview

SHOWN_ROWS = 200  # rows without problems listed on a checked import's page; rows with problems are always listed
SPOOL_BYTES = 8 * 1024 * 1024  # a workbook is kept in memory up to this size while built, then on disk


def _plural(kind: ImportKind, count: int) -> str:
    return f"{intcomma(count)} {kind.title if count != 1 else kind.title[:-1]}"


def _rows_table(kind: ImportKind, outcome: Outcome) -> dict:
    shown, ok_shown = [], 0
    for row in outcome.rows:
        if not row.problems:
            if ok_shown >= SHOWN_ROWS:
                continue
            ok_shown += 1
        problems = "; ".join(f"{h.capitalize()}: {m}" if h else m for h, m in row.problems) or "None"
        shown.append([row.number, *(row.values.get(column.key, "") for column in kind.columns), problems])
    caption = "Rows in the file"
    if len(shown) < len(outcome.rows):
        which = ": every row with a problem" if outcome.problems else ""
        caption += f" ({len(shown):,} of {len(outcome.rows):,} shown{which})"
    return {
        "caption": caption,
        "headings": ["Row", *(column.heading.capitalize() for column in kind.columns), "Problems"],
        "rows": shown,
        "anchor": "row-",
    }


def _again(kind: ImportKind) -> dict:
    return {"href": reverse(f"funds:import_{kind.slug}"), "text": f"Upload a corrected or different {kind.title} file"}


@task()
def check_import(job_id: str) -> None:
    """Check every row of an uploaded file and try it, rolling back: the page then offers to import it, or lists
    every problem by row number."""
    with jobs.running(job_id) as job:
        if job is None:
            return
        kind = KINDS_BY_SLUG[job.input["kind"]]
        source = job.input["source"]
        raw = [(number, values) for number, values in job.input["rows"]]
        outcome = preview(kind, actor=job.owner, raw=raw, source=source, progress=lambda done: jobs.report(job, done))
        total = len(outcome.rows)
        if outcome.problems:
            summary = (
                f"{intcomma(outcome.bad_rows)} of {_plural(kind, total)} in {source} "
                f"ha{'s' if outcome.bad_rows == 1 else 've'} a problem. Nothing has been imported. "
                "Correct the file and upload it again."
            )
            result = {"summary": summary, "table": _rows_table(kind, outcome), "links": [_again(kind)]}
        else:
            result = {
                "summary": f"All {_plural(kind, total)} in {source} can be imported. Nothing has been saved yet.",
                "table": _rows_table(kind, outcome),
                "confirm": {"action": reverse("funds:import_confirm"), "label": f"Import {_plural(kind, total)}"},
                "links": [_again(kind)],
            }
        jobs.finish(job, result=result, errors=outcome.problems)


@task()
def write_import(job_id: str) -> None:
    """Check the rows again (the funds may have changed since) and write them all in one transaction, or none."""
    with jobs.running(job_id) as job:
        if job is None:
            return
        kind = KINDS_BY_SLUG[job.input["kind"]]
        source = job.input["source"]
        if not job.owner.has_perm(kind.permission):
            jobs.finish(job, errors=[f"You may no longer import {kind.title}; nothing has been imported"])
            return
        raw = [(number, values) for number, values in job.input["rows"]]
        outcome = import_rows(
            kind, actor=job.owner, raw=raw, source=source, progress=lambda done: jobs.report(job, done)
        )
        if not outcome.written:
            summary = (
                f"Something changed since the file was checked, and {intcomma(outcome.bad_rows)} "
                f"row{'s' if outcome.bad_rows != 1 else ''} can no longer be saved. Nothing has been imported. "
                "Correct the file and upload it again."
            )
            result = {"summary": summary, "table": _rows_table(kind, outcome), "links": [_again(kind)]}
            jobs.finish(job, result=result, errors=outcome.problems)
            return
        year = kind.year_of(outcome.rows[0].cleaned)
        dashboard = f"{reverse('funds:dashboard')}?{urlencode({'year': year.start_year})}"
        result = {
            "summary": f"{_plural(kind, outcome.written)} imported from {source}.",
            "links": [{"href": dashboard, "text": f"See the fund dashboard for {year.label}"}],
        }
        jobs.finish(job, result=result)


@task()
def export_dashboard(job_id: str) -> None:
    """Build the year's dashboard workbook and keep it through the storage API for its owner to download."""
    with jobs.running(job_id) as job:
        if job is None:
            return
        year = selectors.financial_years().get(pk=job.input["year"])
        jobs.report(job, 0, selectors.export_size(year=year))
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        dashboard_workbook(year=year, out=out, progress=lambda done: jobs.report(job, done))
        out.seek(0)
        name = f"fund-dashboard-{year.start_year}-{(year.start_year + 1) % 100:02d}.xlsx"
        jobs.save_file(job, name=name, content=out)
        jobs.finish(
            job,
            result={"summary": f"The fund dashboard for {year.label} is ready.", "content_type": XLSX_CONTENT_TYPE},
        )
