"""Pages for strategic reviews, exits and large contracts (issue 11, points 4 to 6). Thin: selectors read,
services write."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement
from commissioning.core.forms import GovukForm
from commissioning.core.shortcuts import edit_page, form_page, list_page, posted, require_perm, save_form
from commissioning.monitoring import review_forms as forms
from commissioning.monitoring import review_selectors as selectors
from commissioning.monitoring import review_services as services
from commissioning.monitoring.review_models import ReviewStatus

DUE_SHOWN = 10  # agreements due without a review, listed soonest ending first; the daily job opens the rest


def _review_url(review) -> str:
    return reverse("monitoring:strategic_review_detail", args=[review.pk])


def _caption(agreement) -> str:
    return f"{agreement.reference}: {agreement.service.name}"


@login_required
def strategic_review_list(request):
    require_perm(request, "monitoring.view_reviews")
    today = timezone.localdate()
    status = request.GET.get("status", "")
    status = status if status in ReviewStatus.values else ""
    due = services.agreements_due_for_review(today=today)
    return list_page(
        request,
        "monitoring/reviews/review_list.html",
        selectors.review_list(status=status),
        due=due[:DUE_SHOWN],
        due_count=len(due),
        window=services.review_rule(today).window_months,
        statuses=ReviewStatus.choices,
        status=status,
        status_label=ReviewStatus(status).label if status else "",
        can_start=request.user.has_perm("monitoring.carry_out_review"),
    )


@login_required
def strategic_review_start(request, pk):
    agreement = selectors.agreement_get(pk=pk)
    require_perm(request, "monitoring.view_reviews")
    require_perm(request, "monitoring.carry_out_review")
    return edit_page(
        request,
        form=GovukForm(posted(request)),
        save=lambda data: services.strategic_review_open(actor=request.user, agreement=agreement),
        success="The strategic review has started",
        redirect_to=_review_url,
        title="Start the strategic review",
        caption=_caption(agreement),
        back_url=reverse("monitoring:strategic_review_list"),
        submit_label="Start the review",
        warning=f"The service will show as in strategic review. The agreement ends on {agreement.ends_on:%-d %B %Y}.",
    )


@login_required
def strategic_review_detail(request, pk):
    require_perm(request, "monitoring.view_reviews")
    review = selectors.review_get(pk=pk)
    user = request.user
    return render(
        request,
        "monitoring/reviews/review_detail.html",
        {
            "review": review,
            "agreement": review.agreement,
            "can_edit": user.has_perm("monitoring.carry_out_review", review)
            and review.status in services.OPEN_STATUSES,
            "can_decide": review.status == ReviewStatus.AWAITING_DECISION
            and user.has_perm("monitoring.decide_review", review),
            "can_exit": review.decision == "end"
            and not hasattr(review.agreement, "exit")
            and user.has_perm("agreements.end_agreement", review.agreement),
        },
    )


@login_required
def strategic_review_edit(request, pk):
    require_perm(request, "monitoring.view_reviews")
    review = selectors.review_get(pk=pk)
    require_perm(request, "monitoring.carry_out_review", review)
    return edit_page(
        request,
        form=forms.FindingsForm(posted(request), initial={f: getattr(review, f) for f in services.FINDINGS}),
        save=lambda data: services.strategic_review_record(actor=request.user, review=review, data=data),
        success="The findings have been saved",
        redirect_to=_review_url(review),
        title="Record the review's findings",
        caption=_caption(review.agreement),
        back_url=_review_url(review),
        blocked="" if review.status in services.OPEN_STATUSES else "The review has been sent for decision.",
    )


@login_required
def strategic_review_submit(request, pk):
    require_perm(request, "monitoring.view_reviews")
    review = selectors.review_get(pk=pk)
    require_perm(request, "monitoring.carry_out_review", review)
    return edit_page(
        request,
        form=GovukForm(posted(request)),
        save=lambda data: services.strategic_review_submit(actor=request.user, review=review),
        success="The review has been sent for decision",
        redirect_to=_review_url(review),
        title="Send the review for decision",
        caption=_caption(review.agreement),
        back_url=_review_url(review),
        submit_label="Send for decision",
        warning="The findings cannot be changed once the review is sent for decision.",
        blocked="" if review.status in services.OPEN_STATUSES else "The review has already been sent for decision.",
    )


@login_required
def strategic_review_decide(request, pk):
    require_perm(request, "monitoring.view_reviews")
    review = selectors.review_get(pk=pk)
    require_perm(request, "monitoring.decide_review", review)
    return edit_page(
        request,
        form=forms.ReviewDecisionForm(posted(request), initial={"decision": review.recommendation}),
        save=lambda data: services.strategic_review_decide(
            actor=request.user,
            review=review,
            decision=data["decision"],
            reasons=data["reasons"],
            new_ends_on=data.get("new_ends_on"),
        ),
        success="The decision has been recorded",
        redirect_to=_review_url(review),
        title="Decide the strategic review",
        caption=_caption(review.agreement),
        back_url=_review_url(review),
        submit_label="Record the decision",
        blocked="" if review.status == ReviewStatus.AWAITING_DECISION else "The review is not waiting for a decision.",
    )


# Exit ---------------------------------------------------------------------------------------------------------


@login_required
def agreement_exit_start(request, pk):
    agreement = selectors.agreement_get(pk=pk)
    require_perm(request, "monitoring.view_reviews")
    require_perm(request, "agreements.end_agreement", agreement)
    form = forms.ExitForm(posted(request), initial={"kind": "expiry", "notice_period_days": 0})
    exit_ = save_form(
        request,
        form,
        lambda data: services.exit_record(actor=request.user, agreement=agreement, **data),
        "The exit has been recorded",
    )
    if exit_:
        return redirect(reverse("monitoring:agreement_exit_detail", args=[exit_.pk]))
    blocked = ""
    if agreement.status != Agreement.Status.ACTIVE or hasattr(agreement, "exit"):
        blocked = f"{agreement.reference} is {agreement.get_status_display().lower()} or its exit is already recorded."
    return form_page(
        request,
        form=form,
        title="End or terminate the agreement",
        caption=_caption(agreement),
        back_url=reverse("agreements:agreement_detail", args=[agreement.pk]),
        submit_label="Record the exit",
        blocked=blocked,
        warning="Money the agreement no longer needs is released back to its funds when you record the exit.",
    )


@login_required
def agreement_exit_detail(request, pk):
    require_perm(request, "monitoring.view_reviews")
    exit_ = selectors.exit_get(pk=pk)
    service = exit_.agreement.service
    final_return = service.kpi_returns.filter(ends_on=exit_.ends_on).first()
    if final_return is not None:
        final_return.overdue = final_return.is_overdue(timezone.localdate())
    return render(
        request,
        "monitoring/reviews/exit_detail.html",
        {
            "exit": exit_,
            "agreement": exit_.agreement,
            "final_return": final_return,
            "can_complete": exit_.status == "notice_given"
            and exit_.ends_on <= timezone.localdate()
            and request.user.has_perm("agreements.end_agreement", exit_.agreement),
        },
    )


@login_required
def agreement_exit_complete(request, pk):
    require_perm(request, "monitoring.view_reviews")
    exit_ = selectors.exit_get(pk=pk)
    require_perm(request, "agreements.end_agreement", exit_.agreement)
    url = reverse("monitoring:agreement_exit_detail", args=[exit_.pk])
    blocked = ""
    if exit_.status != "notice_given":
        blocked = "The agreement has already ended."
    elif exit_.ends_on > timezone.localdate():
        blocked = f"The agreement runs to {exit_.ends_on:%-d %B %Y}; mark it ended on or after that day."
    return edit_page(
        request,
        form=GovukForm(posted(request)),
        save=lambda data: agreement_services.agreement_exit_complete(actor=request.user, agreement_exit=exit_),
        success="The agreement has ended",
        redirect_to=url,
        title="Mark the agreement ended",
        caption=_caption(exit_.agreement),
        back_url=url,
        submit_label="Mark as ended",
        blocked=blocked,
    )


# Large contracts under the Procurement Act 2023 -----------------------------------------------------------------


@login_required
def contract_list(request):
    require_perm(request, "monitoring.view_reviews")
    return render(
        request,
        "monitoring/reviews/contract_list.html",
        {
            "contracts": selectors.large_contracts(today=timezone.localdate()),
            "can_assess": request.user.has_perm("monitoring.assess_contract"),
            "can_publish": request.user.has_perm("monitoring.publish_assessment"),
            "assessments": selectors.assessment_list()[:50],
        },
    )


@login_required
def contract_assess(request, pk):
    agreement = selectors.agreement_get(pk=pk)
    require_perm(request, "monitoring.view_reviews")
    require_perm(request, "monitoring.assess_contract", agreement)
    return edit_page(
        request,
        form=forms.AssessmentForm(posted(request)),
        save=lambda data: services.assessment_record(actor=request.user, agreement=agreement, **data),
        success="The assessment has been recorded",
        redirect_to=reverse("monitoring:contract_list"),
        title="Assess the contract's performance",
        caption=_caption(agreement),
        back_url=reverse("monitoring:contract_list"),
        submit_label="Record the assessment",
        blocked=""
        if services.contract_rule_for(agreement)
        else "This agreement is not a large Procurement Act contract.",
    )


@login_required
def assessment_publish(request, pk):
    require_perm(request, "monitoring.view_reviews")
    assessment = selectors.assessment_get(pk=pk)
    require_perm(request, "monitoring.publish_assessment", assessment)
    return edit_page(
        request,
        form=GovukForm(posted(request)),
        save=lambda data: services.assessment_publish(actor=request.user, assessment=assessment),
        success="The assessment is ready to publish",
        redirect_to=reverse("monitoring:contract_list"),
        title="Publish the assessment",
        caption=_caption(assessment.agreement),
        back_url=reverse("monitoring:contract_list"),
        submit_label="Publish",
        blocked="This assessment is already published." if assessment.published else "",
    )
