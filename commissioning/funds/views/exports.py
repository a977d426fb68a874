"""The fund dashboard's year as an XLSX workbook, built in the background (funds.tasks.export_dashboard): the
button starts a job, and the job's page offers the file when it is ready (10-20 seconds at national scale, too
long for a request)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.core import jobs
from commissioning.core.shortcuts import require_perm
from commissioning.funds import selectors, tasks
from commissioning.funds.views.dashboard import year_from


@login_required
def dashboard_export(request):
    require_perm(request, "funds.view_funds")
    year = year_from(request.GET.get("year") or request.POST.get("year"), list(selectors.financial_years()))
    if year is None:
        raise Http404("No financial years have been set up yet")
    if request.method != "POST":
        return render(request, "funds/export.html", {"year": year, "back_url": reverse("funds:dashboard")})
    job = jobs.start(
        owner=request.user,
        kind="funds.export_dashboard",
        title=f"Fund dashboard {year.label} as a spreadsheet",
        task=tasks.export_dashboard,
        input={"year": year.pk},
        unit="rows",
    )
    return redirect("core:job_detail", pk=job.pk)
