"""Import budget lines or payments from a CSV or Excel file: upload, check every row, preview, confirm
(commissioning/funds/imports.py has the rules; funds.tasks runs them).

The upload is read here (type, size, headings: quick, and their problems belong on the form), then its rows go
to a background job that checks them all and tries them, rolling back (funds.tasks.check_import). Its page
shows the progress, then every problem by row number, or a button to import. Confirming starts a second job
with exactly the rows checked (funds.tasks.write_import), which checks them again, because the funds may have
changed in between, and writes them all in one transaction, or none.
"""

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.core import jobs
from commissioning.core.forms import GovukForm
from commissioning.core.models import BackgroundJob
from commissioning.core.shortcuts import post_only, require_perm
from commissioning.core.spreadsheets import EMPTY, MAX_ROWS, read_upload
from commissioning.funds import tasks
from commissioning.funds.imports import (
    BUDGET_LINES,
    KINDS_BY_SLUG,
    PAYMENTS,
    ImportKind,
    table_rows,
    template_csv,
)

CHECK = "funds.import_check"
WRITE = "funds.import_write"
EXPIRED = "The file you checked is no longer waiting to be imported (it was imported, or replaced); upload it again"


class ImportFileForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A CSV file (UTF-8) or an Excel workbook (.xlsx), smaller than 5MB, up to {MAX_ROWS:,} rows",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": EMPTY,
            "invalid": "Select a CSV or Excel file",
            "missing": "Select a CSV or Excel file",
        },
    )

    def __init__(self, *args, kind: ImportKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.raw = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.raw = table_rows(self.kind, read_upload(upload))
        return upload


def _page(request, kind: ImportKind, form, *, problem: str = "") -> HttpResponse:
    return render(
        request,
        "funds/import.html",
        {
            "kind": kind,
            "form": form,
            "problem_items": [{"href": "", "text": problem}] if problem else [],
            "template_url": reverse(f"funds:import_{kind.slug}_template"),
            "action": reverse(f"funds:import_{kind.slug}"),
        },
    )


def _import(request, kind: ImportKind) -> HttpResponse:
    require_perm(request, kind.permission)
    if request.method != "POST":
        return _page(request, kind, ImportFileForm(kind=kind))
    form = ImportFileForm(request.POST, request.FILES, kind=kind)
    if not form.is_valid():
        return _page(request, kind, form)
    source = form.cleaned_data["file"].name
    job = jobs.start(
        owner=request.user,
        kind=CHECK,
        title=f"Check {kind.title} from {source}",
        task=tasks.check_import,
        input={"kind": kind.slug, "source": source, "rows": form.raw},
        total=len(form.raw),
    )
    return redirect("core:job_detail", pk=job.pk)


@login_required
def import_confirm(request):
    """Import the rows a finished check found no problem with: once, by the person who checked them."""
    if refused := post_only(request):
        return refused
    try:
        pk = uuid.UUID(request.POST.get("job", ""))
    except ValueError:
        raise Http404("No such check") from None
    with transaction.atomic():
        checked = BackgroundJob.objects.select_for_update().filter(pk=pk).first()
        if checked is None or checked.kind != CHECK:
            raise Http404("No such check")
        if checked.owner_id != request.user.pk:
            raise PermissionDenied
        kind = KINDS_BY_SLUG[checked.input["kind"]]
        require_perm(request, kind.permission)
        if checked.status != BackgroundJob.Status.DONE or checked.errors or "confirm" not in checked.result:
            return _page(request, kind, ImportFileForm(kind=kind), problem=EXPIRED)
        job = jobs.start(
            owner=request.user,
            kind=WRITE,
            title=f"Import {kind.title} from {checked.input['source']}",
            task=tasks.write_import,
            input=checked.input,
            total=len(checked.input["rows"]),
        )
        result = dict(checked.result)
        result.pop("confirm")
        result["summary"] = "These rows have been sent to be imported."
        result["links"] = [{"href": reverse("core:job_detail", args=[job.pk]), "text": "See the import"}]
        checked.result = result
        checked.save(update_fields=["result"])
    return redirect("core:job_detail", pk=job.pk)


def _template(request, kind: ImportKind) -> HttpResponse:
    require_perm(request, kind.permission)
    response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind.slug.replace("_", "-")}-template.csv"'
    return response


@login_required
def import_budget_lines(request):
    return _import(request, BUDGET_LINES)


@login_required
def import_payments(request):
    return _import(request, PAYMENTS)


@login_required
def import_budget_lines_template(request):
    return _template(request, BUDGET_LINES)


@login_required
def import_payments_template(request):
    return _template(request, PAYMENTS)
