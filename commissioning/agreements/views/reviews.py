"""The pre-year review of the Commissioner's Safety Fund."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.agreements import forms, selectors, services
from commissioning.agreements.models import SafetyFundReview
from commissioning.agreements.views._common import CONFIRM_PAGE, page_with_form
from commissioning.core.history import history_for
from commissioning.core.money import format_money
from commissioning.core.shortcuts import edit_page, list_page, require_perm, save_form


@login_required
def review_list(request):
    require_perm(request, "agreements.view_review")
    reviews = selectors.review_list_for_user(user=request.user)
    can_prepare = request.user.has_perm("agreements.prepare_review")
    return list_page(request, "agreements/review_list.html", reviews, can_prepare=can_prepare)


@login_required
def review_prepare(request):
    require_perm(request, "agreements.prepare_review")
    fund = selectors.default_review_fund()
    form = forms.ReviewPrepareForm(request.POST or None, initial={"fund": fund} if fund else {})
    review = save_form(
        request,
        form,
        lambda data: services.safety_fund_review_prepare(actor=request.user, **data),
        "The review of {result.fund.name} for {result.year.label} has been prepared",
    )
    if review:
        return redirect("agreements:review_detail", pk=review.pk)
    return page_with_form(
        request,
        "agreements/review_prepare.html",
        form=form,
        title="Prepare a pre-year review",
        back_url=reverse("agreements:review_list"),
        submit_label="Prepare review",
    )


@login_required
def review_detail(request, pk):
    user = request.user
    require_perm(request, "agreements.view_review")
    review = selectors.review_get_for_user(user=user, pk=pk)
    editable = review.status in (SafetyFundReview.Status.DRAFT, SafetyFundReview.Status.RETURNED)
    context = {
        "review": review,
        "lines": review.lines.all(),
        "can_edit": editable and user.has_perm("agreements.prepare_review", review),
        "can_decide": review.status == SafetyFundReview.Status.SUBMITTED
        and user.has_perm("agreements.decide_review", review),
    }
    if user.has_perm("agreements.view_history"):
        context["history"] = history_for(review)
    return render(request, "agreements/review_detail.html", context)


def _editable_review_or_redirect(request, review):
    if review.status in (SafetyFundReview.Status.DRAFT, SafetyFundReview.Status.RETURNED):
        return None
    messages.error(request, f"The review is {review.get_status_display().lower()}. It can no longer be changed")
    return redirect("agreements:review_detail", pk=review.pk)


@login_required
def review_line_edit(request, pk, line_pk):
    require_perm(request, "agreements.prepare_review")
    line = selectors.review_line_get_for_user(user=request.user, review_pk=pk, pk=line_pk)
    if blocked := _editable_review_or_redirect(request, line.review):
        return blocked
    form = forms.ReviewLineForm(
        request.POST or None,
        initial={"adjusted_spend": line.adjusted_spend, "adjustment_reason": line.adjustment_reason},
    )
    back = reverse("agreements:review_detail", args=[pk])
    return edit_page(
        request,
        form=form,
        save=lambda data: services.safety_fund_review_adjust_line(
            actor=request.user, line=line, adjusted_spend=data["adjusted_spend"], reason=data["adjustment_reason"]
        ),
        success="The expected spend for {result.agreement.reference} has been updated",
        redirect_to=back,
        title=f"Change the expected spend for {line.agreement.reference}",
        caption=f"{line.agreement.service.name}: worked out as {format_money(line.expected_spend)}",
        back_url=back,
    )


@login_required
def review_submit(request, pk):
    """GET shows the total to confirm; POST sends it for approval."""
    require_perm(request, "agreements.prepare_review")
    review = selectors.review_get_for_user(user=request.user, pk=pk)
    if blocked := _editable_review_or_redirect(request, review):
        return blocked
    back = reverse("agreements:review_detail", args=[pk])
    if request.method == "POST":
        services.safety_fund_review_submit(actor=request.user, review=review)
        messages.success(request, "The review has been sent for approval")
        return redirect(back)
    return page_with_form(
        request,
        CONFIRM_PAGE,
        form=django_forms.Form(),
        title="Send the review for approval",
        caption=f"{review.fund.name}, {review.year.label}",
        back_url=back,
        submit_label="Send for approval",
        body=(
            f"The expected spend of the {len(review.lines.all())} ongoing agreements in the review comes to "
            f"{format_money(review.total)}. Once approved, this becomes the fund's budget for the year."
        ),
    )


@login_required
def review_decide(request, pk):
    require_perm(request, "agreements.decide_review")
    review = selectors.review_get_for_user(user=request.user, pk=pk)
    back = reverse("agreements:review_detail", args=[pk])
    if review.status != SafetyFundReview.Status.SUBMITTED:
        messages.error(request, f"The review is {review.get_status_display().lower()}, not waiting for a decision")
        return redirect(back)
    form = forms.DecideForm(
        request.POST or None, reject_label="Return it for changes", note_hint="Needed when you return it"
    )
    saved = save_form(
        request,
        form,
        lambda data: services.safety_fund_review_decide(
            actor=request.user, review=review, approve=form.approve, note=data["decision_note"]
        ),
        "The review has been {result.status}",
    )
    if saved:
        return redirect(back)
    return page_with_form(
        request,
        "agreements/review_decide.html",
        form=form,
        title="Decide the pre-year review",
        caption=f"{review.fund.name}, {review.year.label}",
        back_url=back,
        submit_label="Record decision",
        review=review,
    )
