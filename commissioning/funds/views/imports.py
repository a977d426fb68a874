"""Import budget lines or payments from a CSV or Excel file: upload, check every row, preview, confirm
(commissioning/funds/imports.py has the rules).

Between the preview and the confirmation the file's rows (text only, at most 5MB) wait in the user's session
under a one-time token, so the confirmation imports exactly what was previewed and nothing is re-uploaded. The
rows are checked again on confirming, because the funds may have changed in between.
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from commissioning.core.forms import GovukForm
from commissioning.core.shortcuts import require_perm
from commissioning.core.spreadsheets import EMPTY, MAX_ROWS, read_upload
from commissioning.funds.imports import (
    BUDGET_LINES,
    PAYMENTS,
    ImportKind,
    Outcome,
    import_rows,
    preview,
    table_rows,
    template_csv,
)

SHOWN_ROWS = 200  # rows without problems listed on the preview; rows with problems are always listed
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


def _session_key(kind: ImportKind) -> str:
    return f"funds_import_{kind.slug}"


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


def _preview_page(request, kind: ImportKind, outcome: Outcome, *, source: str, token: str = "", failed=False):
    shown, ok_shown = [], 0
    for row in outcome.rows:
        if not row.problems:
            if ok_shown >= SHOWN_ROWS:
                continue
            ok_shown += 1
        shown.append({"row": row, "cells": [row.values.get(column.key, "") for column in kind.columns]})
    return render(
        request,
        "funds/import_preview.html",
        {
            "kind": kind,
            "outcome": outcome,
            "shown": shown,
            "source": source,
            "token": token,
            "failed": failed,
            "upload_form": ImportFileForm(kind=kind),
            "template_url": reverse(f"funds:import_{kind.slug}_template"),
            "action": reverse(f"funds:import_{kind.slug}"),
            "error_items": [
                {"href": f"#row-{row.number}", "text": message} for row in outcome.rows for message in row.messages()
            ],
        },
    )


def _confirm(request, kind: ImportKind):
    key = _session_key(kind)
    pending = request.session.get(key)
    token = request.POST.get("token", "")
    if not pending or not token or not secrets.compare_digest(pending.get("token", ""), token):
        return _page(request, kind, ImportFileForm(kind=kind), problem=EXPIRED)
    del request.session[key]
    raw = [(number, values) for number, values in pending["rows"]]
    outcome = import_rows(kind, actor=request.user, raw=raw, source=pending["source"])
    if not outcome.written:
        return _preview_page(request, kind, outcome, source=pending["source"], failed=True)
    count = outcome.written
    messages.success(
        request, f"{count} {kind.title if count != 1 else kind.title[:-1]} imported from {pending['source']}"
    )
    year = kind.year_of(outcome.rows[0].cleaned)
    return redirect(f"{reverse('funds:dashboard')}?{urlencode({'year': year.start_year})}")


def _import(request, kind: ImportKind) -> HttpResponse:
    require_perm(request, kind.permission)
    key = _session_key(kind)
    if request.method != "POST":
        request.session.pop(key, None)
        return _page(request, kind, ImportFileForm(kind=kind))
    if "confirm" in request.POST:
        return _confirm(request, kind)
    form = ImportFileForm(request.POST, request.FILES, kind=kind)
    if not form.is_valid():
        request.session.pop(key, None)
        return _page(request, kind, form)
    source = form.cleaned_data["file"].name
    outcome = preview(kind, actor=request.user, raw=form.raw, source=source)
    token = ""
    if outcome.problems:
        request.session.pop(key, None)
    else:
        token = secrets.token_urlsafe(24)
        request.session[key] = {"token": token, "source": source, "rows": form.raw}
    return _preview_page(request, kind, outcome, source=source, token=token)


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
