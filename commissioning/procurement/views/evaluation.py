"""Tender evaluation pages: the officers' evaluation page (assign evaluators, progress, rank, results), the
evaluator's queue, declaration and scoring, moderation of each bid, scrutiny of an abnormally low price, the
recommendation and the evaluation report (tagged PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from commissioning.core.forms import add_service_errors
from commissioning.core.history import history_for
from commissioning.core.shortcuts import paginate, posted, require_perm, save_form
from commissioning.evaluation.views import (
    declaration_blocked,
    declaration_form,
    moderation_form,
    refuse_unopened,
    scores_form,
)
from commissioning.procurement import reports
from commissioning.procurement.forms import evaluation as forms
from commissioning.procurement.models import BidResult, TenderEvaluation
from commissioning.procurement.selectors import evaluation as selectors
from commissioning.procurement.services import evaluation as services

DECLARE_FIRST = "Declare whether you have a conflict of interest before you read the bid"
CONFLICT_DECLARED = "You declared a conflict of interest, so you cannot read this bid"


def _detail(tender) -> str:
    return reverse("procurement_evaluation:evaluation_detail", args=[tender.pk])


@login_required
def tender_list(request):
    require_perm(request, "procurement.view_evaluation")
    return render(request, "procurement/evaluation/index.html", paginate(request, selectors.tenders_for_evaluation()))


@login_required
def evaluation_detail(request, pk):
    """Bids × evaluators (declared, submitted: never scores), assigning evaluators, ranking and the results."""
    require_perm(request, "procurement.view_evaluation")
    tender = selectors.tender_get(pk=pk)
    evaluation = selectors.evaluation_for(tender)
    scoring = evaluation is None or evaluation.status == TenderEvaluation.Status.SCORING
    can_assign = request.user.has_perm("procurement.assign_evaluators", tender) and scoring
    action = request.POST.get("action") if request.method == "POST" else None
    form = forms.AssignEvaluatorsForm(
        posted(request) if action == "assign" else None, people=selectors.evaluator_choices(actor=request.user)
    )
    if action == "assign":
        require_perm(request, "procurement.assign_evaluators", tender)
        if form.is_valid():
            try:
                created = services.evaluators_assign(actor=request.user, tender=tender, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{len(created)} assignment{'s' if len(created) != 1 else ''} made")
                return redirect(_detail(tender))
    elif action == "rank":
        require_perm(request, "procurement.rank_bids", tender)
        try:
            services.bids_rank(actor=request.user, tender=tender)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The bids have been scored for price and ranked")
        return redirect(_detail(tender))
    context = {
        "tender": tender,
        "evaluation": evaluation,
        "form": form if can_assign else None,
        "can_rank": request.user.has_perm("procurement.rank_bids", tender),
        "can_recommend": request.user.has_perm("procurement.recommend_award", tender),
        "can_moderate": request.user.has_perm("procurement.moderate_bid"),
        "results": list(selectors.results(tender=tender)),
        "award": selectors.award_for(tender),
        **paginate(request, selectors.progress(tender=tender)),
    }
    return render(request, "procurement/evaluation/detail.html", context)


@login_required
def evaluation_report(request, pk):
    require_perm(request, "procurement.view_evaluation")
    tender = selectors.tender_get(pk=pk)
    response = HttpResponse(reports.evaluation_report_pdf(tender), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evaluation-report-{tender.reference}.pdf"'
    return response


@login_required
def scrutiny(request, pk):
    result = get_object_or_404(BidResult.objects.select_related("bid__tender", "bid__organisation"), pk=pk)
    tender = result.bid.tender
    require_perm(request, "procurement.rank_bids", tender)
    form = forms.ScrutinyForm(posted(request), initial={"note": result.abnormally_low_note})
    saved = save_form(
        request,
        form,
        lambda data: services.abnormally_low_scrutiny_record(actor=request.user, result=result, **data),
        "The scrutiny has been recorded",
    )
    if saved:
        return redirect(_detail(tender))
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": "Scrutinise an abnormally low price",
            "caption": f"{tender.reference} · {result.bid.organisation.name}",
            "back_url": _detail(tender),
            "submit_label": "Save the scrutiny",
            "blocked": "" if result.abnormally_low else "This bid's price is not abnormally low.",
        },
    )


@login_required
def recommend(request, pk):
    tender = selectors.tender_get(pk=pk)
    require_perm(request, "procurement.recommend_award", tender)
    evaluation = selectors.evaluation_for(tender)
    results = list(selectors.results(tender=tender))
    form = forms.RecommendForm(posted(request), results=results)
    saved = save_form(
        request,
        form,
        lambda data: services.award_recommend(actor=request.user, tender=tender, **data),
        "The award has been recommended to the PCC",
    )
    if saved:
        return redirect(_detail(tender))
    blocked = ""
    if evaluation is not None and evaluation.status == TenderEvaluation.Status.DECIDED:
        blocked = "The award has been decided, so the recommendation can no longer change."
    elif evaluation is None or evaluation.status not in (
        TenderEvaluation.Status.RANKED,
        TenderEvaluation.Status.RECOMMENDED,
    ):
        blocked = "Rank the bids before recommending the award."
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": "Recommend the award",
            "caption": f"{tender.reference}: {tender.title}",
            "back_url": _detail(tender),
            "submit_label": "Recommend",
            "blocked": blocked,
        },
    )


# --- Evaluators ------------------------------------------------------------------------------------------


@login_required
def my_evaluations(request):
    require_perm(request, "procurement.view_my_evaluations")
    return render(
        request,
        "procurement/evaluation/my_evaluations.html",
        paginate(request, selectors.my_assignments(user=request.user)),
    )


@login_required
def declare(request, pk):
    """Before declaring, the evaluator sees only the tender and the bidder's name."""
    require_perm(request, "procurement.view_my_evaluations")
    assignment = selectors.my_assignment(user=request.user, pk=pk)
    form, done = declaration_form(
        request,
        assignment=assignment,
        form_class=forms.DeclarationForm,
        save=lambda **given: services.evaluator_declare(actor=request.user, assignment=assignment, **given),
        opened_url=reverse("procurement_evaluation:score", args=[assignment.pk]),
        list_url=reverse("procurement_evaluation:my_evaluations"),
    )
    if done:
        return done
    return render(
        request,
        "procurement/evaluation/declare.html",
        {
            "form": form,
            "title": "Declare your interests",
            "caption": f"{assignment.bid.tender.reference} · {assignment.bid.organisation.name}",
            "back_url": reverse("procurement_evaluation:my_evaluations"),
            "submit_label": "Save declaration",
            "blocked": declaration_blocked(assignment, conflict_declared=CONFLICT_DECLARED),
            "blocked_link": reverse("procurement_evaluation:score", args=[assignment.pk])
            if assignment.may_open
            else "",
            "assignment": assignment,
        },
    )


@login_required
def score(request, pk):
    require_perm(request, "procurement.view_my_evaluations")
    assignment = selectors.my_assignment(user=request.user, pk=pk)
    refused = refuse_unopened(
        request,
        assignment,
        declare_url=reverse("procurement_evaluation:declare", args=[assignment.pk]),
        declare_first=DECLARE_FIRST,
        conflict_declared=CONFLICT_DECLARED,
    )
    if refused:
        return refused
    require_perm(request, "procurement.evaluate_bid", assignment)
    tender = assignment.bid.tender
    criteria = selectors.criteria(tender=tender)
    own = selectors.own_scores(assignment=assignment)
    evaluation = selectors.evaluation_for(tender)
    open_for_scoring = (
        assignment.submitted_at is None
        and (evaluation is None or evaluation.status == TenderEvaluation.Status.SCORING)
        and not hasattr(assignment.bid, "moderation")
    )
    form, done = scores_form(
        request,
        open_for_scoring=open_for_scoring,
        criteria=criteria,
        own=own,
        form_class=forms.ScoresForm,
        save=lambda **given: services.bid_scores_save(actor=request.user, assignment=assignment, **given),
        submitted_url=reverse("procurement_evaluation:my_evaluations"),
        draft_url=reverse("procurement_evaluation:score", args=[assignment.pk]),
    )
    if done:
        return done
    return render(
        request,
        "procurement/evaluation/score.html",
        {
            "assignment": assignment,
            "tender": tender,
            "answers": selectors.bid_answers_for_evaluator(assignment=assignment),
            "form": form,
            "own_rows": [(c, own.get(c.pk)) for c in criteria],
            "open_for_scoring": open_for_scoring,
        },
    )


# --- Moderation ------------------------------------------------------------------------------------------


@login_required
def moderate(request, pk):
    bid = selectors.bid_get(pk=pk)
    require_perm(request, "procurement.moderate_bid", bid)
    tender = bid.tender
    criteria = selectors.criteria(tender=tender)
    sheet = selectors.moderation_sheet(user=request.user, bid=bid)
    evaluation = selectors.evaluation_for(tender)
    moderated = hasattr(bid, "moderation")
    open_for_moderation = not moderated and (evaluation is None or evaluation.status == TenderEvaluation.Status.SCORING)
    form, done = moderation_form(
        request,
        open_for_moderation=open_for_moderation and sheet.enough,
        form_class=forms.ModerationForm,
        criteria=criteria,
        save=lambda **given: services.bid_moderate(actor=request.user, bid=bid, **given),
        success="Moderation recorded: {result.weighted_score} points",
        done_url=_detail(tender),
    )
    if done:
        return done
    return render(
        request,
        "procurement/evaluation/moderate.html",
        {
            "bid": bid,
            "tender": tender,
            "sheet": sheet,
            "form": form,
            "open_for_moderation": open_for_moderation,
            "agreed": selectors.moderated_scores(bid=bid) if moderated else None,
            "history": history_for(bid),
        },
    )
