"""Transfers of budget between funds (virements): asked for by a finance officer or commissioning manager,
decided by the Chief Finance Officer, who may not decide a transfer they asked for themselves."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.core.money import format_money
from commissioning.core.shortcuts import edit_page, paginate, posted, require_perm, save_form
from commissioning.funds import forms, selectors, services
from commissioning.funds.models import Virement
from commissioning.funds.views._common import this_year


@login_required
def virement_list(request):
    require_perm(request, "funds.view_funds")
    context = paginate(request, selectors.virements_for())
    user = request.user
    for virement in context["page"].object_list:
        virement.can_decide = virement.status == Virement.Status.REQUESTED and user.has_perm(
            "funds.approve_virement", virement
        )
    return render(
        request,
        "funds/virement_list.html",
        {**context, "can_request": user.has_perm("funds.request_virement")},
    )


@login_required
def virement_request(request):
    require_perm(request, "funds.request_virement")
    years = forms.open_years_around(this_year())
    form = forms.VirementRequestForm(posted(request), years=years, initial={"year": str(this_year())})

    def ask(cleaned):
        with transaction.atomic():
            year = services.financial_year_get_or_create(start_year=cleaned["year"])
            return services.virement_request(
                actor=request.user,
                year=year,
                from_fund=cleaned["from_fund"],
                to_fund=cleaned["to_fund"],
                amount=cleaned["amount"],
                reason=cleaned["reason"],
            )

    return edit_page(
        request,
        form=form,
        save=ask,
        success="Your request to move money has been sent to the Chief Finance Officer",
        redirect_to=reverse("funds:virement_list"),
        title="Ask to move money between funds",
        back_url=reverse("funds:virement_list"),
        submit_label="Send for approval",
        warning="The money moves only when the Chief Finance Officer approves the transfer. Ring-fenced money can "
        "move only within its ring-fence.",
    )


@login_required
def virement_decide(request, pk):
    virement = selectors.virements_for().filter(pk=pk).first()
    if virement is None:
        raise Http404("No such transfer")
    require_perm(request, "funds.approve_virement", virement)
    back = reverse("funds:virement_list")
    form = forms.VirementDecideForm(posted(request))
    decided = virement.status != Virement.Status.REQUESTED

    def decide(cleaned):
        return services.virement_decide(
            actor=request.user, virement=virement, approve=cleaned["decision"] == forms.APPROVE, note=cleaned["note"]
        )

    if not decided and save_form(request, form, decide, "The transfer has been {result.status}"):
        return redirect(back)
    return render(
        request,
        "funds/virement_decide.html",
        {
            "form": form,
            "title": "Decide a transfer between funds",
            "caption": f"{format_money(virement.amount)} from {virement.from_fund.name} to {virement.to_fund.name}",
            "back_url": back,
            "submit_label": "Record decision",
            "virement": virement,
            "blocked": f"This transfer has been {virement.get_status_display().lower()}." if decided else "",
            "warning": f"Approving moves {format_money(virement.amount)} of {virement.year.label} budget from "
            f"{virement.from_fund.name} to {virement.to_fund.name}.",
        },
    )
