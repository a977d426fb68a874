"""The fund dashboard's year as an XLSX download (exports.dashboard_workbook)."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from commissioning.core.shortcuts import require_perm
from commissioning.core.spreadsheets import XLSX_CONTENT_TYPE
from commissioning.funds import selectors
from commissioning.funds.exports import dashboard_workbook
from commissioning.funds.views.dashboard import year_from

SPOOL_BYTES = 8 * 1024 * 1024  # kept in memory up to this size, then on disk


@login_required
def dashboard_export(request):
    require_perm(request, "funds.view_funds")
    year = year_from(request.GET.get("year"), list(selectors.financial_years()))
    if year is None:
        raise Http404("No financial years have been set up yet")
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    dashboard_workbook(year=year, out=out)
    out.seek(0)
    filename = f"fund-dashboard-{year.start_year}-{(year.start_year + 1) % 100:02d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
