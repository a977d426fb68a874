"""Funding streams: where money comes from, each stream's amount per year and the funder's return dates."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from commissioning.core.history import history_entries, history_for, newest_first
from commissioning.core.money import format_money
from commissioning.core.shortcuts import form_page, paginate, posted, require_perm, save_form
from commissioning.funds import forms, selectors, services
from commissioning.funds.models import FinancialYear, FundingStream, StreamAllocation, StreamReturnDate
from commissioning.funds.views._common import (
    plausible_year,
    this_year,
    year_choices,
    year_from_query,
    year_or_unsaved,
)


@login_required
def stream_list(request):
    require_perm(request, "funds.view_funds")
    start = year_from_query(request)
    year = year_or_unsaved(start)
    context = paginate(request, selectors.funding_streams())
    amounts = {}
    if year.pk:
        streams = [stream.pk for stream in context["page"].object_list]
        amounts = {
            allocation.stream_id: allocation
            for allocation in StreamAllocation.objects.filter(year=year, stream_id__in=streams)
        }
    for stream in context["page"].object_list:
        stream.allocation = amounts.get(stream.pk)
    return render(
        request,
        "funds/stream_list.html",
        {
            **context,
            "year": year,
            "filter_form": forms.YearFilterForm({"year": start}, years=year_choices(start - 1, start, start + 1)),
        },
    )


@login_required
def stream_detail(request, pk):
    require_perm(request, "funds.view_funds")
    stream = get_object_or_404(FundingStream.objects.select_related("fund", "funder"), pk=pk)
    allocations = list(stream.allocations.select_related("year").order_by("-year__start_year"))
    start = this_year()
    have = {allocation.year.start_year for allocation in allocations}
    can_manage = request.user.has_perm("funds.manage_budget", stream)
    closed = set(FinancialYear.objects.filter(status=FinancialYear.Status.CLOSED).values_list("start_year", flat=True))
    missing = [y for y in (start, start + 1) if y not in have and y not in closed] if can_manage else []
    history = newest_first(
        history_for(stream),
        history_entries(
            StreamAllocation.history.filter(stream_id=stream.pk),
            what=lambda row: f"Amount for the year set to {format_money(row.amount)}",
        ),
    )
    return render(
        request,
        "funds/stream_detail.html",
        {
            "stream": stream,
            "allocations": allocations,
            "return_dates": StreamReturnDate.objects.filter(stream=stream).select_related("year").order_by("due_on"),
            "can_manage": can_manage,
            "missing_years": [(y, forms.year_label(y)) for y in missing],
            "history": history,
        },
    )


@login_required
def stream_allocation_set(request, pk, year):
    stream = get_object_or_404(FundingStream, pk=pk)
    require_perm(request, "funds.manage_budget", stream)
    start = plausible_year(year)
    year = year_or_unsaved(start)
    back = reverse("funds:stream_detail", args=[stream.pk])
    title = f"{stream.name} in {year.label}"
    if year.status == FinancialYear.Status.CLOSED:
        return form_page(
            request,
            form=None,
            title=title,
            back_url=back,
            blocked=f"{year.label} is closed, so its money cannot change.",
        )
    allocation = StreamAllocation.objects.filter(stream=stream, year=year).first() if year.pk else None
    initial = {"amount": allocation.amount, "confirmed": allocation.confirmed} if allocation else {}
    form = forms.StreamAllocationForm(posted(request), initial=initial)

    def set_amount(cleaned):
        with transaction.atomic():
            opened = services.financial_year_get_or_create(start_year=start)
            return services.stream_allocation_set(actor=request.user, stream=stream, year=opened, **cleaned)

    saved = save_form(request, form, set_amount, "{result.stream.name} for {result.year.label} has been saved")
    if saved:
        return redirect(back)
    return form_page(
        request,
        form=form,
        title=title,
        caption="Funding stream",
        back_url=back,
        submit_label="Save amount",
    )
