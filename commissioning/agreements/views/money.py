"""Committing money from a fund to an agreement: planned here, approved and paid on the funds pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.agreements import selectors
from commissioning.agreements.views._common import agreement_url
from commissioning.core.dates import FinancialYear as FY
from commissioning.core.shortcuts import form_page, posted, require_perm, save_form
from commissioning.funds import forms as fund_forms
from commissioning.funds import selectors as fund_selectors
from commissioning.funds import services as fund_services


@login_required
def agreement_commit(request, pk):
    require_perm(request, "funds.plan_commitment")
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    title = f"Commit money to agreement {agreement.reference}"
    back = agreement_url(agreement)
    caption = agreement.service.name
    years = fund_selectors.open_years_between(starts_on=agreement.starts_on, ends_on=agreement.ends_on)
    blocked = ""
    if agreement.status in selectors.ENDED:
        blocked = f"Agreement {agreement.reference} has {agreement.get_status_display().lower()}, so no more money "
        "can be committed to it."
    elif not years:
        blocked = f"Every financial year agreement {agreement.reference} runs in is closed."
    if blocked:
        return form_page(request, form=None, title=title, caption=caption, back_url=back, blocked=blocked)
    now = FY.for_date(timezone.localdate()).start_year
    form = fund_forms.CommitmentPlanForm(
        posted(request), years=years, initial={"year": str(now if now in years else years[0])}
    )
    commitment = save_form(
        request,
        form,
        lambda cleaned: fund_services.commitment_plan_in_year(
            actor=request.user,
            fund=cleaned["fund"],
            start_year=cleaned["year"],
            agreement=agreement,
            amount=cleaned["amount"],
            reason=cleaned["reason"],
        ),
        "Planned {result.amount} from {result.fund.name} in {result.year}",
    )
    if commitment is not None:
        return redirect(reverse("funds:commitment_detail", args=[commitment.pk]))
    return render(
        request,
        "agreements/agreement_commit.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back_url": back,
            "submit_label": "Plan the commitment",
            "agreement": agreement,
            "ring_fences": list(agreement.service.ring_fences.all()),
        },
    )
