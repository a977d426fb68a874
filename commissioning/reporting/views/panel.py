"""The Police and Crime Panel report's pages: the report on screen with its period chooser, its PDF and XLSX,
and adding a highlight or case study. Thin: the figures come from selectors.panel.panel_report."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from commissioning.core.dates import FinancialYear as FY
from commissioning.core.shortcuts import edit_page, require_perm
from commissioning.core.spreadsheets import XLSX_CONTENT_TYPE
from commissioning.funds.selectors import financial_years
from commissioning.reporting import exports, forms, services
from commissioning.reporting.selectors.panel import Period, panel_report

FORMATS = {"pdf": "application/pdf", "xlsx": XLSX_CONTENT_TYPE}


def _years() -> list[str]:
    current = FY.for_date(timezone.localdate()).label
    labels = [year.label for year in financial_years()]
    return labels if current in labels else [*labels, current]


def _period(request) -> tuple[Period, forms.PeriodForm]:
    """The period asked for, or the current financial year; 404 for a period that is not a year or quarter."""
    years = _years()
    data = request.GET if "year" in request.GET else None
    form = forms.PeriodForm(data, years=years, initial={"year": FY.for_date(timezone.localdate()).label})
    if data is None:
        return Period.parse(FY.for_date(timezone.localdate()).label), form
    if not form.is_valid():
        raise Http404("No such period")
    return Period.parse(form.cleaned_data["year"], form.cleaned_data["quarter"]), form


def _unsuppressed(request) -> bool:
    return request.GET.get("unsuppressed") == "1" and request.user.has_perm("reporting.view_unsuppressed")


def _query(period: Period, **extra) -> str:
    params = {"year": period.fy.label, **({"quarter": period.quarter_code} if period.quarter else {}), **extra}
    return urlencode(params)


@login_required
def panel_report_page(request):
    require_perm(request, "reporting.view_panel_report")
    period, form = _period(request)
    unsuppressed = _unsuppressed(request)
    report = panel_report(period=period, suppressed=not unsuppressed)
    extra = {"unsuppressed": "1"} if unsuppressed else {}
    toggle = {} if unsuppressed else {"unsuppressed": "1"}
    return render(
        request,
        "reporting/panel_report.html",
        {
            **exports.context(report),
            "form": form,
            "pdf_url": f"{reverse('reporting:panel_report_file', args=['pdf'])}?{_query(period, **extra)}",
            "xlsx_url": f"{reverse('reporting:panel_report_file', args=['xlsx'])}?{_query(period, **extra)}",
            "toggle_url": f"{reverse('reporting:panel_report')}?{_query(period, **toggle)}",
            "can_unsuppress": request.user.has_perm("reporting.view_unsuppressed"),
            "can_add_highlight": request.user.has_perm("reporting.add_panelhighlight"),
            "highlight_url": f"{reverse('reporting:highlight_add')}?{_query(period)}",
        },
    )


@login_required
def panel_report_file(request, extension):
    require_perm(request, "reporting.view_panel_report")
    if extension not in FORMATS:
        raise Http404("No such format")
    period, _form = _period(request)
    report = panel_report(period=period, suppressed=not _unsuppressed(request))
    body = exports.report_pdf(report) if extension == "pdf" else exports.report_xlsx(report)
    response = HttpResponse(body, content_type=FORMATS[extension])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, extension)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def highlight_add(request):
    require_perm(request, "reporting.add_panelhighlight")
    period, _form = _period(request)
    form = forms.HighlightForm(request.POST or None)
    back = f"{reverse('reporting:panel_report')}?{_query(period)}"
    return edit_page(
        request,
        form=form,
        save=lambda data: services.highlight_add(
            actor=request.user, start_year=period.start_year, quarter=period.quarter, **data
        ),
        success="Highlight added to the Panel report",
        redirect_to=back + "#highlights",
        title=f"Add a highlight or case study to the Panel report for {period.label}",
        back_url=back,
    )
