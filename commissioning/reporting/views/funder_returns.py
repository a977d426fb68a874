"""The funder returns page: each MoJ victims and Home Office reporting date with its return as XLSX or CSV, and
a button to mark it submitted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from commissioning.core.shortcuts import paginate, require_perm
from commissioning.core.spreadsheets import XLSX_CONTENT_TYPE
from commissioning.funds.models import StreamReturnDate
from commissioning.reporting import funder_files, services
from commissioning.reporting.selectors import funder_returns as selectors

FORMATS = {"xlsx": XLSX_CONTENT_TYPE, "csv": "text/csv; charset=utf-8"}


def _get(pk) -> StreamReturnDate:
    try:
        return selectors.return_date_get(pk)
    except StreamReturnDate.DoesNotExist as exc:
        raise Http404("No such funder return") from exc


@login_required
def funder_return_list(request):
    require_perm(request, "reporting.view_funder_returns")
    paged = paginate(request, selectors.return_dates().order_by("-due_on", "-pk"))
    dates = list(paged["page"].object_list)
    submitted = selectors.submissions_by_date(dates)
    rows = [(d, submitted.get(d.pk), selectors.period_of(d)) for d in dates]
    return render(
        request,
        "reporting/funder_returns.html",
        {**paged, "rows": rows, "can_submit": request.user.has_perm("reporting.submit_funder_return")},
    )


@login_required
def funder_return_file(request, pk, extension):
    require_perm(request, "reporting.view_funder_returns")
    if extension not in FORMATS:
        raise Http404("No such format")
    data = selectors.funder_return(_get(pk))
    body = funder_files.as_xlsx(data) if extension == "xlsx" else funder_files.as_csv(data)
    response = HttpResponse(body, content_type=FORMATS[extension])
    response["Content-Disposition"] = f'attachment; filename="{funder_files.filename(data, extension)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def funder_return_submit(request, pk):
    return_date = _get(pk)
    require_perm(request, "reporting.submit_funder_return")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.funder_return_submit(actor=request.user, return_date=return_date, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Marked submitted: {return_date}")
    return redirect("reporting:funder_return_list")
