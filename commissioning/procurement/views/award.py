"""Award pages: the PCC's decision on the recommended bid, then the award page (letters and the contract award
notice, the standstill, the contract, the contract details notice) and each bidder's letter."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from commissioning.accounts.roles import Role
from commissioning.core.history import history_for
from commissioning.core.shortcuts import posted, require_perm, save_form
from commissioning.procurement.forms import evaluation as forms
from commissioning.procurement.models import AwardLetter, ContractAward, TenderEvaluation
from commissioning.procurement.selectors import evaluation as selectors
from commissioning.procurement.services import award as services


def _award_url(tender) -> str:
    return reverse("procurement_evaluation:award_detail", args=[tender.pk])


@login_required
def award_decide(request, pk):
    tender = selectors.tender_get(pk=pk)
    require_perm(request, "procurement.decide_award", tender)
    evaluation = selectors.evaluation_for(tender)
    case = tender.case
    initial = {"decided_by": request.user if request.user.role == Role.PCC else None}
    if case.contract_starts_on:
        initial["starts_on"] = case.contract_starts_on
    pccs = get_user_model().objects.filter(role=Role.PCC, is_active=True).order_by("display_name")
    form = forms.DecisionForm(posted(request), pccs=pccs, initial=initial)
    saved = save_form(
        request,
        form,
        lambda data: services.award_decide(actor=request.user, tender=tender, **data),
        "The award decision has been recorded as decision {result.decision.number}",
    )
    if saved:
        return redirect(_award_url(tender))
    blocked = ""
    if evaluation is None or evaluation.status != TenderEvaluation.Status.RECOMMENDED:
        blocked = (
            "The award has already been decided."
            if evaluation is not None and evaluation.status == TenderEvaluation.Status.DECIDED
            else "The evaluation has not recommended an award yet."
        )
    return render(
        request,
        "procurement/award/decide.html",
        {
            "form": form,
            "title": "Decide the award",
            "caption": f"{tender.reference}: {tender.title}",
            "back_url": reverse("procurement_evaluation:evaluation_detail", args=[tender.pk]),
            "submit_label": "Record the decision",
            "blocked": blocked,
            "evaluation": evaluation,
            "results": list(selectors.results(tender=tender)),
        },
    )


@login_required
def award_detail(request, pk):
    require_perm(request, "procurement.view_evaluation")
    tender = selectors.tender_get(pk=pk)
    award = get_object_or_404(
        ContractAward.objects.select_related("bid__organisation", "decision", "agreement"), tender=tender
    )
    action = request.POST.get("action") if request.method == "POST" else None
    if action:
        require_perm(request, "procurement.manage_award", tender)
    letters_form = forms.LettersForm(posted(request) if action == "letters" else None)
    contract_form = forms.ContractForm(posted(request) if action == "contract" else None, funds=selectors.funds())
    details_form = forms.DetailsNoticeForm(posted(request) if action == "details" else None)
    saved = None
    if action == "letters":
        saved = save_form(
            request,
            letters_form,
            lambda data: services.award_letters_send(actor=request.user, award=award, **data),
            "The letters have been sent; the standstill ends on {result.standstill_ends_on:%d %B %Y}",
        )
    elif action == "contract":
        saved = save_form(
            request,
            contract_form,
            lambda data: services.contract_sign(actor=request.user, award=award, **data),
            "The contract is in the register as agreement {result.agreement.reference}",
        )
    elif action == "details":
        saved = save_form(
            request,
            details_form,
            lambda data: services.contract_details_publish(actor=request.user, award=award, **data),
            "The contract details notice has been recorded",
        )
    if saved:
        return redirect(_award_url(tender))
    can_manage = request.user.has_perm("procurement.manage_award", tender)
    return render(
        request,
        "procurement/award/detail.html",
        {
            "tender": tender,
            "award": award,
            "letters": selectors.letters(award=award),
            "letters_form": letters_form if can_manage and award.status == ContractAward.Status.DECIDED else None,
            "contract_form": contract_form if can_manage and award.status == ContractAward.Status.STANDSTILL else None,
            "details_form": details_form
            if can_manage and award.status == ContractAward.Status.CONTRACTED and not award.details_notice_published_on
            else None,
            "today": dt.date.today(),
            "history": history_for(award),
        },
    )


@login_required
def award_letter(request, pk):
    """One bidder's letter: for the officers, and for the bidder's own people."""
    letter = get_object_or_404(AwardLetter.objects.select_related("bid__organisation", "award__tender"), pk=pk)
    own = request.user.organisation_id and request.user.organisation_id == letter.bid.organisation_id
    if not own and not request.user.has_perm("procurement.view_evaluation"):
        raise Http404  # another bidder's letter: as if it did not exist
    return render(request, "procurement/award/letter.html", {"letter": letter, "tender": letter.award.tender})
