"""Staff pages for grant rounds: the list, a round's details, its eligibility questions and assessment
criteria, and publishing (issue 5, point 1). Officers (Commissioning Manager, Policy and Commissioning
officers) change rounds; all OPCC staff, auditors, Panel members and evaluators read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.core.forms import add_service_errors
from commissioning.core.shortcuts import edit_page, list_page, post_only, require_perm, save_form
from commissioning.funds import selectors as fund_selectors
from commissioning.funds.models import Fund
from commissioning.grants.forms._common import ConfirmForm
from commissioning.grants.forms.rounds import CriterionForm, QuestionForm, RoundForm
from commissioning.grants.models import GrantRound
from commissioning.grants.selectors import rounds as selectors
from commissioning.grants.services import rounds as services


def _round_url(grant_round, anchor: str = "") -> str:
    return reverse("grants:round_detail", args=[grant_round.pk]) + (f"#{anchor}" if anchor else "")


def _round_form(request, *, published=False, initial=None):
    schemes = selectors.scheme_list_active()
    fund_ids = {pk for scheme in schemes for pk in (scheme.fund_id, scheme.top_up_fund_id) if pk}
    return RoundForm(
        request.POST or None,
        initial=initial,
        schemes=schemes,
        funds=Fund.objects.filter(pk__in=fund_ids).order_by("order", "name"),
        years=fund_selectors.financial_years(),
        terms=selectors.terms_list(),
        published=published,
    )


def _manageable_round(request, pk) -> GrantRound:
    grant_round = selectors.round_get(pk=pk)
    require_perm(request, "grants.manage_rounds", grant_round)
    return grant_round


@login_required
def round_list(request):
    require_perm(request, "grants.view_rounds")
    status = request.GET.get("status", "")
    if status not in GrantRound.Status.values:
        status = ""
    return list_page(
        request,
        "grants/rounds/round_list.html",
        selectors.round_list(status=status),
        can_manage=request.user.has_perm("grants.manage_rounds"),
        can_see_applications=request.user.has_perm("grants.view_applications"),
        statuses=GrantRound.Status.choices,
        status=status,
    )


@login_required
def round_create(request):
    require_perm(request, "grants.manage_rounds")
    form = _round_form(request)
    return edit_page(
        request,
        form=form,
        save=lambda data: services.round_create(actor=request.user, **data),
        success="{result.name} has been drafted. Add its eligibility questions and criteria, then publish it",
        redirect_to=lambda grant_round: reverse("grants:round_detail", args=[grant_round.pk]),
        title="Draft a grant round",
        submit_label="Save draft round",
        back_url=reverse("grants:round_list"),
    )


def _detail_page(request, grant_round, *, publish_form=None):
    user = request.user
    can_manage = user.has_perm("grants.manage_rounds", grant_round)
    is_draft = grant_round.status == GrantRound.Status.DRAFT
    context = {
        "round": grant_round,
        "questions": list(grant_round.eligibility_questions.all()),
        "criteria": list(grant_round.criteria.all()),
        "weight_total": selectors.round_weight_total(grant_round),
        "can_manage": can_manage,
        "can_change_questions": can_manage and is_draft,
        "can_see_applications": user.has_perm("grants.view_applications"),
        "problems": services.round_publish_problems(grant_round) if can_manage and is_draft else [],
        "history": selectors.round_history(grant_round) if user.has_perm("grants.view_application_history") else None,
        "form": publish_form,
    }
    return render(request, "grants/rounds/round_detail.html", context)


@login_required
def round_detail(request, pk):
    require_perm(request, "grants.view_rounds")
    return _detail_page(request, selectors.round_get(pk=pk))


@login_required
def round_edit(request, pk):
    grant_round = _manageable_round(request, pk)
    if grant_round.status not in (GrantRound.Status.DRAFT, GrantRound.Status.PUBLISHED):
        messages.error(request, f"{grant_round.name} is {grant_round.get_status_display().lower()} and cannot change")
        return redirect(_round_url(grant_round))
    published = grant_round.status == GrantRound.Status.PUBLISHED
    form = _round_form(request, published=published, initial=RoundForm.initial_for(grant_round))
    return edit_page(
        request,
        form=form,
        save=lambda data: services.round_update(actor=request.user, grant_round=grant_round, data=data),
        success="{result.name} has been updated",
        redirect_to=_round_url(grant_round),
        title="Change the round",
        caption=grant_round.name,
        back_url=_round_url(grant_round),
        warning="The round is published, so only its name, guidance and closing time can change." if published else "",
    )


@login_required
def round_publish(request, pk):
    grant_round = _manageable_round(request, pk)
    if refused := post_only(request):
        return refused
    form = ConfirmForm(request.POST)
    try:
        services.round_publish(actor=request.user, grant_round=grant_round)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail_page(request, selectors.round_get(pk=pk), publish_form=form)
    messages.success(request, f"{grant_round.name} is published")
    return redirect(_round_url(grant_round))


def _part_page(request, grant_round, *, form, action, success: str, anchor: str, title: str, submit_label="Save"):
    """Add or change one of a draft round's questions or criteria through the service, then back to them."""
    return edit_page(
        request,
        form=form,
        save=action,
        success=success,
        redirect_to=_round_url(grant_round, anchor),
        title=title,
        caption=grant_round.name,
        back_url=_round_url(grant_round, anchor),
        submit_label=submit_label,
    )


def _remove_page(request, grant_round, *, action, success: str, anchor: str, title: str, body: str, submit_label):
    """Confirm, then remove one of a draft round's questions or criteria."""
    form = ConfirmForm(request.POST or None)
    if save_form(request, form, action, success):
        return redirect(_round_url(grant_round, anchor))
    return render(
        request,
        "grants/rounds/confirm.html",
        {
            "form": form,
            "title": title,
            "caption": grant_round.name,
            "body": body,
            "back_url": _round_url(grant_round, anchor),
            "submit_label": submit_label,
            "button_class": "govuk-button--warning",
        },
    )


# --- Eligibility questions -----------------------------------------------------------------------------------


@login_required
def question_add(request, pk):
    grant_round = _manageable_round(request, pk)
    form = QuestionForm(request.POST or None, initial={"required_answer": "yes"})
    return _part_page(
        request,
        grant_round,
        form=form,
        action=lambda data: services.eligibility_question_add(
            actor=request.user, grant_round=grant_round, **form.service_data()
        ),
        success="The question has been added",
        anchor="questions",
        title="Add an eligibility question",
        submit_label="Add question",
    )


@login_required
def question_edit(request, pk, question_pk):
    grant_round = _manageable_round(request, pk)
    question = selectors.question_get(grant_round=grant_round, pk=question_pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    return _part_page(
        request,
        grant_round,
        form=form,
        action=lambda data: services.eligibility_question_update(
            actor=request.user, question=question, data=form.service_data()
        ),
        success="The question has been changed",
        anchor="questions",
        title="Change the eligibility question",
    )


@login_required
def question_remove(request, pk, question_pk):
    grant_round = _manageable_round(request, pk)
    question = selectors.question_get(grant_round=grant_round, pk=question_pk)
    return _remove_page(
        request,
        grant_round,
        action=lambda data: services.eligibility_question_remove(actor=request.user, question=question) or question,
        success="The question has been removed",
        anchor="questions",
        title="Remove the eligibility question?",
        body=question.text,
        submit_label="Remove question",
    )


# --- Assessment criteria -------------------------------------------------------------------------------------


@login_required
def criterion_add(request, pk):
    grant_round = _manageable_round(request, pk)
    form = CriterionForm(request.POST or None)
    return _part_page(
        request,
        grant_round,
        form=form,
        action=lambda data: services.criterion_add(actor=request.user, grant_round=grant_round, **form.service_data()),
        success="The criterion has been added",
        anchor="criteria",
        title="Add an assessment criterion",
        submit_label="Add criterion",
    )


@login_required
def criterion_edit(request, pk, criterion_pk):
    grant_round = _manageable_round(request, pk)
    criterion = selectors.criterion_get(grant_round=grant_round, pk=criterion_pk)
    form = CriterionForm(request.POST or None, initial=CriterionForm.initial_for(criterion))
    return _part_page(
        request,
        grant_round,
        form=form,
        action=lambda data: services.criterion_update(
            actor=request.user, criterion=criterion, data=form.service_data()
        ),
        success="The criterion has been changed",
        anchor="criteria",
        title="Change the assessment criterion",
    )


@login_required
def criterion_remove(request, pk, criterion_pk):
    grant_round = _manageable_round(request, pk)
    criterion = selectors.criterion_get(grant_round=grant_round, pk=criterion_pk)
    return _remove_page(
        request,
        grant_round,
        action=lambda data: services.criterion_remove(actor=request.user, criterion=criterion) or criterion,
        success="The criterion has been removed",
        anchor="criteria",
        title="Remove the assessment criterion?",
        body=f"{criterion.name} ({criterion.weight.normalize():f}%)",
        submit_label="Remove criterion",
    )
