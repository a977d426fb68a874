"""Repayments (claw-back when a grant condition is not met) and the list of payments."""

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render

from commissioning.core.money import format_money
from commissioning.core.shortcuts import form_page, paginate, posted, require_perm, save_form
from commissioning.funds import forms, selectors, services
from commissioning.funds.models import FinancialYear, Fund, Repayment
from commissioning.funds.views._common import ZERO, commitment_url, this_year, year_choices


def _repayment_or_404(pk) -> Repayment:
    repayment = selectors.repayments_for().filter(pk=pk).first()
    if repayment is None:
        raise Http404("No such repayment")
    return repayment


def _repayment_page(request, repayment: Repayment, *, perm, form, service, title, submit, success, warning=""):
    """Receive or waive a requested repayment: `service(actor=..., repayment=..., **the form's data)`."""
    require_perm(request, perm, repayment)
    commitment = repayment.commitment
    back = commitment_url(commitment, "repayments")
    caption = f"{commitment.agreement.reference}: repayment of {format_money(repayment.amount)}"
    if repayment.status != Repayment.Status.REQUESTED:
        return form_page(
            request,
            form=None,
            title=title,
            caption=caption,
            back_url=back,
            blocked=f"This repayment is already {repayment.get_status_display().lower()}.",
        )
    form = form(posted(request))

    def act(cleaned):
        return service(actor=request.user, repayment=repayment, **cleaned)

    if save_form(request, form, act, success) is not None:
        return redirect(back)
    return form_page(
        request, form=form, title=title, caption=caption, back_url=back, submit_label=submit, warning=warning
    )


@login_required
def repayment_receive(request, pk):
    repayment = _repayment_or_404(pk)
    return _repayment_page(
        request,
        repayment,
        perm="funds.record_payment",
        form=forms.RepaymentReceiveForm,
        service=services.repayment_receive,
        title="Record a repayment received",
        submit="Record repayment",
        success="Repayment {result.reference} has been recorded",
        warning=f"{format_money(repayment.amount)} goes back to {repayment.commitment.fund.name}.",
    )


@login_required
def repayment_waive(request, pk):
    repayment = _repayment_or_404(pk)
    return _repayment_page(
        request,
        repayment,
        perm="funds.waive_repayment",
        form=forms.RepaymentWaiveForm,
        service=services.repayment_waive,
        title="Waive a repayment",
        submit="Waive repayment",
        success="The repayment has been waived",
        warning=f"The {format_money(repayment.amount)} asked back will not be collected.",
    )


# --- Payments ------------------------------------------------------------------------------------------------


@login_required
def payment_list(request):
    require_perm(request, "funds.view_funds")
    now = this_year()
    form = forms.PaymentFilterForm(request.GET or None, years=year_choices(now))
    year = fund = None
    unopened = False  # a year chosen that has not been opened has no payments
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("year"):
            year = FinancialYear.objects.filter(start_year=form.cleaned_data["year"]).first()
            unopened = year is None
        if form.cleaned_data.get("fund"):
            fund = Fund.objects.filter(pk=form.cleaned_data["fund"]).first()
    payments = selectors.payments_for(fund=fund, year=year, include_sub_funds=fund is not None)
    if unopened:
        payments = payments.none()
    total = payments.aggregate(total=Sum("amount"))["total"] or ZERO
    context = paginate(request, payments)
    page = context["page"]
    count = page.paginator.count
    caption = f"{count} payment{'s' if count != 1 else ''}"
    if year:
        caption += f" in {year.label}"
    if fund:
        caption += f" from {fund.name}"
    if page.paginator.num_pages > 1:
        caption += f", page {page.number} of {page.paginator.num_pages}"
    return render(
        request,
        "funds/payment_list.html",
        {
            **context,
            "filter_form": form,
            "year": year,
            "fund": fund,
            "total": total,
            "caption": caption,
            "filtered": bool(year or fund or unopened),
        },
    )
