"""Monitoring's background tasks (core.jobs): checking, counting and submitting a case-level return file
(imports_large.py). The task takes the id of the BackgroundJob the upload page started and leaves the outcome on
it: the version submitted, or every problem by row and column with nothing saved."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.core import jobs
from commissioning.core.jobs import task
from commissioning.monitoring import imports_large
from commissioning.monitoring.models import KpiReturn

IMPORT_CASES = "monitoring.import_cases"


def _where(problem) -> str:
    return f"Row {problem.row}, {problem.column}" if problem.row else problem.column


@task()
def import_case_file(job_id: str) -> None:
    with jobs.running(job_id) as job:
        if job is None:
            return
        kpi_return = KpiReturn.objects.select_related("service").get(pk=job.input["return"])
        source = job.input["source"]
        # The cases are not kept on the job once it has run: they are in the version, or were refused.
        rows = job.input.pop("rows")
        job.input["cases"] = max(len(rows) - 1, 0)
        return_url = reverse("monitoring:return_detail", args=[kpi_return.pk])
        again = {
            "href": reverse("monitoring:case_upload", args=[kpi_return.pk]),
            "text": "Upload a corrected case-level file",
        }
        try:
            version = imports_large.import_cases(
                actor=job.owner, kpi_return=kpi_return, rows=rows, progress=lambda done: jobs.report(job, done)
            )
        except imports_large.CaseFileProblems as exc:
            count = len(exc.problems)
            summary = (
                f"{source} has {intcomma(count)} problem{'s' if count != 1 else ''}"
                f"{' (the first thousand are listed)' if count >= imports_large.MAX_PROBLEMS else ''}. Nothing has "
                "been submitted. Correct the file and upload it again."
            )
            jobs.finish(
                job,
                result={"summary": summary, "links": [again, {"href": return_url, "text": "Go back to the return"}]},
                errors=[f"{_where(p)}: {p.message}" for p in exc.problems],
            )
            return
        except (ValidationError, PermissionDenied) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else "You may not submit this return"
            jobs.finish(
                job,
                result={"summary": f"Nothing has been submitted. {message}.", "links": [again]},
                errors=[message],
            )
            return
        cases = intcomma(version.cases.count())
        jobs.finish(
            job,
            result={
                "summary": f"{cases} cases from {source} have been counted and submitted to the OPCC as version "
                f"{version.number} of the return.",
                "links": [{"href": return_url, "text": "See the return"}],
            },
        )
