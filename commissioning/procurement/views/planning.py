"""Commissioning case pages before the tender: the list, the case, its planning, market analysis, specification,
route to market and notices, and the Commissioning Manager's pipeline. Thin: each view checks permission, then
calls a service through core.shortcuts.edit_page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.core.shortcuts import (
    edit_page,
    list_filters,
    list_page,
    paginate,
    post_only,
    posted,
    require_perm,
    save_form,
)
from commissioning.monitoring import selectors as monitoring_selectors
from commissioning.procurement.forms import planning as forms
from commissioning.procurement.forms.tenders import ConfirmForm
from commissioning.procurement.models import ApprovalAction, NoticeKind, SpecificationStatus
from commissioning.procurement.selectors import cases as selectors
from commissioning.procurement.selectors.config import approval_role_for, role_label
from commissioning.procurement.services import market, notices, planning, reviews, routes, specification
from commissioning.procurement.services.route_rules import RouteProblem

VIEW, MANAGE = "procurement.view_cases", "procurement.manage_case"


def _case(request, pk, perm=VIEW):
    require_perm(request, VIEW)
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    if perm != VIEW:
        require_perm(request, perm, case)
    return case


def case_url(case, anchor: str = "") -> str:
    url = reverse("procurement:case_detail", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


# --- List, case, pipeline ---------------------------------------------------------------------------------------


@login_required
def case_list(request):
    require_perm(request, VIEW)
    filter_form = forms.CaseFilterForm(request.GET or None)
    cases = selectors.case_list(user=request.user, **list_filters(filter_form))
    return list_page(
        request,
        "procurement/case_list.html",
        cases,
        filter_form=filter_form,
        can_add=request.user.has_perm(MANAGE),
        awaiting_reviews=_reviews_awaiting_case(request),
    )


def _reviews_awaiting_case(request, limit: int = 10) -> list:
    """Strategic reviews decided as a re-tender or a redesign with no case yet, for those who may open one."""
    if not request.user.has_perm(MANAGE):
        return []
    return list(monitoring_selectors.reviews_awaiting_case()[:limit])


@login_required
def case_detail(request, pk):
    case = _case(request, pk)
    user = request.user
    today = timezone.localdate()
    plan = selectors.route_plan_of(case)
    plan_now, plan_problem = None, ""
    if case.estimated_value is not None:
        try:
            plan_now = routes.plan_for(case)
        except RouteProblem as exc:
            plan_problem = str(exc)
    specs = list(case.specifications.all())
    context = {
        "case": case,
        "next_step": selectors.next_step(case, today=today),
        "plan": plan,
        "plan_now": plan_now,
        "plan_problem": plan_problem,
        "specifications": specs,
        "draft": next((s for s in specs if s.status == SpecificationStatus.DRAFT), None),
        "approved_spec": next((s for s in specs if s.status == SpecificationStatus.APPROVED), None),
        "notices": selectors.notices_of(case),
        "pending_exemption": selectors.pending_exemption(case),
        "recommendation_problems": planning.recommendation_problems(case),
        "proceed_role": role_label(approval_role_for(ApprovalAction.PROCEED, today)),
        "exemption_role": role_label(approval_role_for(ApprovalAction.EXEMPTION, today)),
        "specification_role": role_label(approval_role_for(ApprovalAction.SPECIFICATION, today)),
        "can_manage": user.has_perm(MANAGE, case),
        "can_approve": user.has_perm("procurement.approve_proceed", case),
        "can_approve_exemption": user.has_perm("procurement.approve_exemption", case),
        "can_record_notice": user.has_perm("procurement.record_notice", case),
        "existing_services": selectors.existing_services(case=case, user=user)[:10],
    }
    if user.has_perm("procurement.view_case_history"):
        context["history"] = selectors.case_history(case)
    return render(request, "procurement/case_detail.html", context)


@login_required
def pipeline(request):
    require_perm(request, "procurement.view_pipeline")
    filter_form = forms.CaseFilterForm(request.GET or None)
    filters = list_filters(filter_form)
    filters.pop("search", None)
    context = paginate(request, selectors.pipeline(user=request.user, **filters))
    context["rows"] = selectors.pipeline_rows(context["page"].object_list)
    context["awaiting_reviews"] = _reviews_awaiting_case(request)
    return render(request, "procurement/pipeline.html", {**context, "filter_form": filter_form})


# --- The case's own details and planning ------------------------------------------------------------------------


@login_required
def case_create(request):
    require_perm(request, VIEW)
    require_perm(request, MANAGE)
    form = forms.CaseForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=lambda data: planning.case_create(actor=request.user, **data),
        success="The case has been opened as {result.reference}",
        redirect_to=case_url,
        title="Open a commissioning case",
        back_url=reverse("procurement:case_list"),
    )


@login_required
def case_from_review(request, review_pk):
    """Start the commissioning case a strategic review's re-tender or redesign decision needs: GET shows what the
    review found, POST opens the case pre-filled from it and goes to the case."""
    require_perm(request, VIEW)
    require_perm(request, MANAGE)
    review = get_object_or_404(monitoring_selectors.review_list(), pk=review_pk)
    blocked = ""
    if review.case_reference:
        blocked = f"Commissioning case {review.case_reference} was already started from this review."
    elif not review.needs_case or review.status != review.Status.DECIDED:
        blocked = "Only a review decided as a re-tender or a redesign starts a commissioning case."
    form = ConfirmForm(posted(request))
    result = (
        None
        if blocked
        else save_form(
            request,
            form,
            lambda data: reviews.case_from_review(actor=request.user, review=review),
            "Commissioning case {result.reference} has been opened from the strategic review",
        )
    )
    if result:
        return redirect(case_url(result))
    return render(
        request,
        "procurement/case_from_review.html",
        {
            "form": form,
            "review": review,
            "service": review.agreement.service,
            "proposed_title": reviews.case_title(review),
            "title": "Start a commissioning case",
            "caption": str(review),
            "back_url": reverse("procurement:case_list"),
            "submit_label": "Start the case",
            "blocked": blocked,
        },
    )


@login_required
def case_edit(request, pk):
    case = _case(request, pk, MANAGE)
    initial = {name: getattr(case, name) for name in planning.CASE_FIELDS}
    initial["priorities"] = list(case.priorities.all())
    form = forms.CaseForm(posted(request), initial=initial)
    return edit_page(
        request,
        form=form,
        save=lambda data: planning.case_update(actor=request.user, case=case, data=dict(data)),
        success="The case has been updated",
        redirect_to=case_url(case),
        title="Change the case details",
        caption=str(case),
        back_url=case_url(case),
    )


@login_required
def needs_edit(request, pk):
    case = _case(request, pk, MANAGE)
    initial = {name: getattr(case, name) for name in planning.NEEDS_FIELDS}
    initial["priorities"] = list(case.priorities.all())
    form = forms.NeedsForm(posted(request), initial=initial)
    return edit_page(
        request,
        form=form,
        save=lambda data: planning.needs_update(actor=request.user, case=case, **data),
        success="The needs assessment has been saved",
        redirect_to=case_url(case, "needs"),
        title="Needs assessment",
        caption=str(case),
        back_url=case_url(case, "needs"),
    )


@login_required
def priorities_edit(request, pk):
    case = _case(request, pk, MANAGE)
    form = forms.PrioritiesForm(
        request.POST or None, initial={name: getattr(case, name) for name in planning.PRIORITY_FIELDS}
    )
    return edit_page(
        request,
        form=form,
        save=lambda data: planning.priorities_review_update(actor=request.user, case=case, **data),
        success="The review of priorities has been saved",
        redirect_to=case_url(case, "priorities"),
        title="Review of priorities",
        caption=str(case),
        back_url=case_url(case, "priorities"),
    )


@login_required
def resource_add(request, pk):
    case = _case(request, pk, MANAGE)
    form = forms.ResourceForm(posted(request), services=selectors.service_choices(request.user))
    return edit_page(
        request,
        form=form,
        save=lambda data: planning.resource_add(actor=request.user, case=case, **data),
        success="The resource has been added to the review",
        redirect_to=case_url(case, "resources"),
        title="Add a current resource",
        caption=str(case),
        back_url=case_url(case, "resources"),
    )


@login_required
def engagement_add(request, pk):
    case = _case(request, pk, MANAGE)
    form = forms.EngagementForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=lambda data: planning.engagement_add(actor=request.user, case=case, **data),
        success="The engagement has been recorded",
        redirect_to=case_url(case, "engagement"),
        title="Record engagement or consultation",
        caption=str(case),
        back_url=case_url(case, "engagement"),
    )


@login_required
def recommend(request, pk):
    case = _case(request, pk, MANAGE)
    form = forms.RecommendationForm(posted(request), initial={"recommendation": case.recommendation})
    problems = planning.recommendation_problems(case)
    return edit_page(
        request,
        form=form,
        save=lambda data: planning.recommend(actor=request.user, case=case, **data),
        success="The recommendation has been made",
        redirect_to=case_url(case, "approval"),
        title="Make a recommendation",
        caption=str(case),
        back_url=case_url(case, "approval"),
        submit_label="Make the recommendation",
        blocked=f"{problems[0]} before making a recommendation." if problems else "",
    )


@login_required
def proceed_approve(request, pk):
    case = _case(request, pk, "procurement.approve_proceed")
    form = forms.DecisionForm(posted(request))
    blocked = "" if case.stage == "approval" else "There is no recommendation waiting for approval."
    return edit_page(
        request,
        form=form,
        save=lambda data: planning.approve_to_proceed(
            actor=request.user, case=case, approve=data["approve"] == forms.APPROVE, note=data["note"]
        ),
        success="The decision has been recorded",
        redirect_to=case_url(case, "approval"),
        title="Approval to proceed",
        caption=str(case),
        back_url=case_url(case, "approval"),
        submit_label="Record the decision",
        blocked=blocked,
        warning=case.recommendation,
    )


# --- Market analysis -----------------------------------------------------------------------------------------------


@login_required
def event_add(request, pk):
    case = _case(request, pk, MANAGE)
    form = forms.MarketEventForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=lambda data: market.event_add(actor=request.user, case=case, **data),
        success="The event has been recorded",
        redirect_to=lambda event: reverse("procurement:event_detail", args=[case.pk, event.pk]),
        title="Record a market engagement event",
        caption=str(case),
        back_url=case_url(case, "market"),
    )


@login_required
def event_detail(request, pk, event_pk):
    case = _case(request, pk)
    event = selectors.event_get(case=case, pk=event_pk)
    return render(
        request,
        "procurement/event_detail.html",
        {"case": case, "event": event, "can_manage": request.user.has_perm(MANAGE, case)},
    )


@login_required
def question_add(request, pk, event_pk):
    case = _case(request, pk, MANAGE)
    event = selectors.event_get(case=case, pk=event_pk)
    form = forms.QuestionForm(posted(request))
    back = reverse("procurement:event_detail", args=[case.pk, event.pk])
    return edit_page(
        request,
        form=form,
        save=lambda data: market.question_add(actor=request.user, event=event, **data),
        success="The question has been recorded",
        redirect_to=back,
        title="Record a question",
        caption=event.title,
        back_url=back,
    )


@login_required
def question_answer(request, pk, question_pk):
    case = _case(request, pk, MANAGE)
    question = selectors.question_get(case=case, pk=question_pk)
    form = forms.AnswerForm(posted(request), initial={"answer": question.answer})
    back = reverse("procurement:event_detail", args=[case.pk, question.event_id])
    return edit_page(
        request,
        form=form,
        save=lambda data: market.question_answer(actor=request.user, question=question, **data),
        success="The answer has been saved",
        redirect_to=back,
        title="Answer the question",
        caption=question.event.title,
        back_url=back,
        warning=question.question,
    )


@login_required
def market_note_add(request, pk):
    case = _case(request, pk, MANAGE)
    form = forms.MarketNoteForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=lambda data: market.market_note_add(actor=request.user, case=case, **data),
        success="The note has been added",
        redirect_to=case_url(case, "market"),
        title="Note the market's appetite",
        caption=str(case),
        back_url=case_url(case, "market"),
    )


@login_required
def notice_record(request, pk, kind):
    case = _case(request, pk, "procurement.record_notice")
    if kind not in NoticeKind.values:
        raise Http404("No such kind of notice")
    existing = next((n for n in case.notices.all() if n.kind == kind), None)
    initial = (
        {"published_on": existing.published_on, "reference": existing.reference, "url": existing.url}
        if existing
        else {}
    )
    form = forms.NoticeForm(posted(request), initial=initial)
    return edit_page(
        request,
        form=form,
        save=lambda data: notices.notice_record(actor=request.user, case=case, kind=kind, **data),
        success="The notice has been recorded as published",
        redirect_to=case_url(case, "notices"),
        title=f"Record the {NoticeKind(kind).label.lower()}",
        caption=str(case),
        back_url=case_url(case, "notices"),
        submit_label="Record as published",
        warning=existing.why if existing and existing.why else "",
    )


# --- Specification -----------------------------------------------------------------------------------------------


def _spec_url(case, spec) -> str:
    return reverse("procurement:specification_detail", args=[case.pk, spec.version])


@login_required
def specification_create(request, pk):
    case = _case(request, pk, MANAGE)
    if request.method != "POST":
        return post_only(request)
    try:
        spec = specification.specification_create(actor=request.user, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(case_url(case, "specification"))
    messages.success(request, f"Version {spec.version} has been drafted")
    return redirect(reverse("procurement:specification_edit", args=[case.pk, spec.version]))


@login_required
def specification_detail(request, pk, version):
    case = _case(request, pk)
    spec = selectors.specification_get(case=case, version=version)
    user = request.user
    return render(
        request,
        "procurement/specification_detail.html",
        {
            "case": case,
            "spec": spec,
            "can_manage": user.has_perm(MANAGE, case) and spec.status == SpecificationStatus.DRAFT,
            "can_approve": user.has_perm("procurement.approve_specification", case)
            and spec.status == SpecificationStatus.DRAFT,
            "problems": specification.approval_problems(spec) if spec.status == SpecificationStatus.DRAFT else [],
            "approver": role_label(approval_role_for(ApprovalAction.SPECIFICATION, timezone.localdate())),
        },
    )


def _draft_or_blocked(spec) -> str:
    return "" if spec.status == SpecificationStatus.DRAFT else "Only a draft can change: draft a new version."


@login_required
def specification_edit(request, pk, version):
    case = _case(request, pk, MANAGE)
    spec = selectors.specification_get(case=case, version=version)
    form = forms.SpecificationForm(
        request.POST or None, initial={name: getattr(spec, name) for name in specification.SECTIONS}
    )
    return edit_page(
        request,
        form=form,
        save=lambda data: specification.specification_update(actor=request.user, spec=spec, data=data),
        success="The specification has been saved",
        redirect_to=_spec_url(case, spec),
        title=f"Specification version {spec.version}",
        caption=str(case),
        back_url=_spec_url(case, spec),
        blocked=_draft_or_blocked(spec),
    )


@login_required
def specification_kpi_add(request, pk, version):
    case = _case(request, pk, MANAGE)
    spec = selectors.specification_get(case=case, version=version)
    form = forms.SpecificationKpiForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=lambda data: specification.specification_kpi_add(actor=request.user, spec=spec, **data),
        success="The KPI has been added",
        redirect_to=_spec_url(case, spec) + "#kpis",
        title="Add a KPI",
        caption=f"Specification version {spec.version}, {case.reference}",
        back_url=_spec_url(case, spec),
        blocked=_draft_or_blocked(spec),
    )


@login_required
def specification_approve(request, pk, version):
    case = _case(request, pk, "procurement.approve_specification")
    spec = selectors.specification_get(case=case, version=version)
    if request.method != "POST":
        return post_only(request)
    try:
        specification.specification_approve(actor=request.user, spec=spec)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Version {spec.version} has been approved")
    return redirect(_spec_url(case, spec))


# --- Route to market and exemptions ------------------------------------------------------------------------------


@login_required
def route(request, pk):
    """GET shows the route worked out now and the choice; POST with work_out=1 works it out and keeps it; any other
    POST chooses the route."""
    case = _case(request, pk, MANAGE)
    plan_now, problem = None, ""
    try:
        plan_now = routes.plan_for(case)
    except RouteProblem as exc:
        problem = str(exc)
    if request.method == "POST" and request.POST.get("work_out"):
        try:
            routes.route_work_out(actor=request.user, case=case)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The route to market has been worked out")
        return redirect(reverse("procurement:route", args=[case.pk]))
    form = forms.RouteChoiceForm(posted(request), routes=plan_now.allowed_routes if plan_now else ())
    return edit_page(
        request,
        form=form,
        save=lambda data: routes.route_choose(actor=request.user, case=case, **data),
        success="The route has been chosen",
        redirect_to=case_url(case, "route"),
        title="Route to market",
        caption=str(case),
        back_url=case_url(case, "route"),
        submit_label="Choose this route",
        show=lambda request, **page: render(
            request,
            "procurement/route.html",
            {**page, "case": case, "plan_now": plan_now, "plan": selectors.route_plan_of(case), "problem": problem},
        ),
    )


@login_required
def exemption_request(request, pk):
    case = _case(request, pk, MANAGE)
    form = forms.ExemptionForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=lambda data: routes.exemption_request(actor=request.user, case=case, **data),
        success="The exemption has been sent for approval",
        redirect_to=case_url(case, "route"),
        title="Request an exemption (direct award)",
        caption=str(case),
        back_url=case_url(case, "route"),
        submit_label="Send for approval",
        warning=(
            "A direct award needs a legal justification and the approval of the "
            f"{role_label(approval_role_for(ApprovalAction.EXEMPTION, timezone.localdate()))}."
        ),
    )


@login_required
def exemption_decide(request, pk):
    case = _case(request, pk, "procurement.approve_exemption")
    exemption = selectors.pending_exemption(case)
    form = forms.DecisionForm(posted(request))
    return edit_page(
        request,
        form=form,
        save=lambda data: routes.exemption_decide(
            actor=request.user, exemption=exemption, approve=data["approve"] == forms.APPROVE, note=data["note"]
        ),
        success="The decision on the exemption has been recorded",
        redirect_to=case_url(case, "route"),
        title="Decide the exemption",
        caption=str(case),
        back_url=case_url(case, "route"),
        submit_label="Record the decision",
        blocked="" if exemption else "No exemption is waiting for a decision.",
        warning=(
            f"{exemption.get_ground_display()}: {exemption.justification} Supplier: {exemption.supplier}."
            if exemption
            else ""
        ),
    )
