"""Assessment pages: the officer's eligibility check, assigning assessors and watching progress; the assessor's
queue, declaration of interests and scoring; moderation; the ranked list and the panel's recommendation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from commissioning.core.forms import add_service_errors
from commissioning.core.history import history_for
from commissioning.core.shortcuts import paginate, posted, private_download, require_perm, save_form
from commissioning.evaluation.views import (
    declaration_blocked,
    declaration_form,
    moderation_form,
    refuse_unopened,
    scores_form,
)
from commissioning.grants.forms import assess as forms
from commissioning.grants.models import Application, AssessorAssignment
from commissioning.grants.selectors import assessment as selectors
from commissioning.grants.services import assessment as services

DECLARE_FIRST = "Declare whether you have a conflict of interest before you open the application"
CONFLICT_DECLARED = (
    "You declared a conflict of interest, so you cannot open this application. "
    "The officer running the assessment has been told"
)


def _round_url(application) -> str:
    return reverse("grants:assessment_round", args=[application.round_id])


# --- Officers: rounds, eligibility and assigning ---------------------------------------------------------


@login_required
def assessment_index(request):
    require_perm(request, "grants.view_assessment_progress")
    return render(request, "grants/assess/index.html", paginate(request, selectors.round_list_for_assessment()))


@login_required
def assessment_round(request, pk):
    """Progress of a round: applications × assessors, declared and scored, never the scores; and assigning the
    same assessors to every eligible application at once."""
    require_perm(request, "grants.view_assessment_progress")
    grant_round = selectors.round_get(pk=pk)
    can_assign = request.user.has_perm("grants.assign_assessors", grant_round)
    if request.method == "POST":
        require_perm(request, "grants.assign_assessors", grant_round)
    form = (
        forms.RoundAssignForm(posted(request), people=selectors.assessor_choices(actor=request.user))
        if can_assign
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            created = services.assessors_assign_round(actor=request.user, round=grant_round, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if created:
                made = f"{len(created)} assignment{'s have' if len(created) != 1 else ' has'} been made"
                messages.success(request, f"{made}. Each assessor has been e-mailed")
            else:
                messages.success(request, "Everyone selected was already assigned to every eligible application")
            return redirect("grants:assessment_round", grant_round.pk)
    context = {
        "round": grant_round,
        "summary": selectors.round_progress_summary(grant_round=grant_round),
        "form": form,
        "can_assign": can_assign,
        "can_check": request.user.has_perm("grants.check_eligibility"),
        "can_moderate": request.user.has_perm("grants.moderate"),
        "can_view_ranking": request.user.has_perm("grants.view_ranking"),
        **paginate(request, selectors.round_progress(grant_round=grant_round)),
    }
    return render(request, "grants/assess/round.html", context)


@login_required
def eligibility_check(request, pk):
    application = selectors.application_get(pk=pk)
    require_perm(request, "grants.check_eligibility", application)
    form = forms.EligibilityForm(posted(request))
    saved = save_form(
        request,
        form,
        lambda data: services.application_eligibility_decide(
            actor=request.user, application=application, **form.service_data()
        ),
        lambda result: f"{result} has been marked {result.get_status_display().lower()}",
    )
    if saved:
        return redirect(_round_url(application))
    blocked = ""
    if application.status != Application.Status.SUBMITTED:
        blocked = f"{application} has already been checked: {application.get_status_display().lower()}."
    return render(
        request,
        "grants/assess/eligibility.html",
        {
            "form": form,
            "title": "Check eligibility",
            "caption": f"{application} · {application.organisation}",
            "back_url": _round_url(application),
            "submit_label": "Save eligibility decision",
            "blocked": blocked,
            "application": selectors.application_content(application=application),
            "answers": selectors.eligibility_answers(application=application),
        },
    )


@login_required
def assessor_assign(request, pk):
    application = selectors.application_get(pk=pk)
    require_perm(request, "grants.assign_assessors", application)
    form = forms.AssignForm(
        posted(request), people=selectors.assessor_choices(actor=request.user, application=application)
    )
    saved = save_form(
        request,
        form,
        lambda data: services.assessor_assign(actor=request.user, application=application, **data),
        "{result.assessor} has been assigned to {result.application}",
    )
    if saved:
        return redirect("grants:assessor_assign", application.pk)
    blocked = ""
    if application.status != Application.Status.ELIGIBLE:
        blocked = (
            f"{application} is {application.get_status_display().lower()}; assessors can be assigned only to an "
            "eligible application."
        )
    return render(
        request,
        "grants/assess/assign.html",
        {
            "form": form,
            "title": "Assign an assessor",
            "caption": f"{application} · {application.project_title}",
            "back_url": _round_url(application),
            "submit_label": "Assign assessor",
            "blocked": blocked,
            "application": application,
            "assignments": selectors.assignments_for_application(application=application),
        },
    )


# --- Assessors -------------------------------------------------------------------------------------------


@login_required
def my_assessments(request):
    require_perm(request, "grants.view_my_assessments")
    return render(
        request,
        "grants/assess/my_assessments.html",
        paginate(request, selectors.assignment_list_for_assessor(user=request.user)),
    )


@login_required
def assessment_declare(request, pk):
    """Before declaring, the assessor sees only the organisation's name and the project title."""
    require_perm(request, "grants.view_my_assessments")
    assignment = selectors.assignment_get_for_assessor(user=request.user, pk=pk)
    application = assignment.application
    form, done = declaration_form(
        request,
        assignment=assignment,
        form_class=forms.DeclarationForm,
        save=lambda **given: services.assessor_declare(actor=request.user, assignment=assignment, **given),
        opened_url=reverse("grants:assessment_score", args=[assignment.pk]),
        list_url=reverse("grants:my_assessments"),
    )
    if done:
        return done
    blocked = declaration_blocked(assignment, conflict_declared=CONFLICT_DECLARED)
    if not blocked and application.status != Application.Status.ELIGIBLE:
        blocked = f"Assessment of this application has finished; it is {application.get_status_display().lower()}."
    return render(
        request,
        "grants/assess/declare.html",
        {
            "form": form,
            "title": "Declare your interests",
            "caption": application.project_title,
            "back_url": reverse("grants:my_assessments"),
            "submit_label": "Save declaration",
            "blocked": blocked,
            "blocked_link": reverse("grants:assessment_score", args=[assignment.pk])
            if assignment.declaration == AssessorAssignment.Declaration.NONE
            else "",
            "assignment": assignment,
            "application": application,
        },
    )


def _open_assignment(request, pk):
    """The assessor's own assignment once they have declared no conflict; otherwise a redirect to the
    declaration with the reason."""
    require_perm(request, "grants.view_my_assessments")
    assignment = selectors.assignment_get_for_assessor(user=request.user, pk=pk)
    refused = refuse_unopened(
        request,
        assignment,
        declare_url=reverse("grants:assessment_declare", args=[assignment.pk]),
        declare_first=DECLARE_FIRST,
        conflict_declared=CONFLICT_DECLARED,
    )
    if refused:
        return assignment, refused
    require_perm(request, "grants.assess_application", assignment)
    return assignment, None


@login_required
def assessment_score(request, pk):
    assignment, refused = _open_assignment(request, pk)
    if refused:
        return refused
    application = selectors.application_content(application=assignment.application)
    criteria = selectors.criteria_for_round(grant_round=application.round)
    own = selectors.own_scores(assignment=assignment)
    open_for_scoring = assignment.submitted_at is None and application.status == Application.Status.ELIGIBLE
    form, done = scores_form(
        request,
        open_for_scoring=open_for_scoring,
        criteria=criteria,
        own=own,
        form_class=forms.ScoresForm,
        save=lambda **given: services.assessment_scores_save(actor=request.user, assignment=assignment, **given),
        submitted_url=reverse("grants:my_assessments"),
        draft_url=reverse("grants:assessment_score", args=[assignment.pk]),
    )
    if done:
        return done
    rows = [(criterion, own.get(criterion.pk)) for criterion in criteria]
    return render(
        request,
        "grants/assess/score.html",
        {
            "assignment": assignment,
            "application": application,
            "form": form,
            "own_rows": rows,
            "open_for_scoring": open_for_scoring,
        },
    )


@login_required
def assessment_attachment(request, pk, attachment_pk):
    """An application's document for its assessor, after they have declared no conflict."""
    assignment, refused = _open_assignment(request, pk)
    if refused:
        return refused
    attachment = get_object_or_404(assignment.application.attachments, pk=attachment_pk)
    return private_download(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


# --- Moderation, ranking and recommendation -------------------------------------------------------------


@login_required
def moderation(request, pk):
    application = selectors.application_get(pk=pk)
    require_perm(request, "grants.moderate", application)
    criteria = selectors.criteria_for_round(grant_round=application.round)
    sheet = selectors.moderation_sheet(user=request.user, application=application)
    open_for_moderation = application.status == Application.Status.ELIGIBLE
    form, done = moderation_form(
        request,
        open_for_moderation=open_for_moderation and sheet.enough,
        form_class=forms.ModerationForm,
        criteria=criteria,
        save=lambda **given: services.moderation_record(actor=request.user, application=application, **given),
        success="Moderation recorded: {result.weighted_score} out of 100",
        done_url=reverse("grants:round_ranking", args=[application.round_id]),
    )
    if done:
        return done
    context = {
        "application": application,
        "sheet": sheet,
        "form": form,
        "open_for_moderation": open_for_moderation,
        "help": forms.moderation_help(),
        "back_url": _round_url(application),
        "history": history_for(application),
    }
    if hasattr(application, "moderation"):
        context["agreed"] = selectors.moderated_scores(application=application)
    return render(request, "grants/assess/moderation.html", context)


@login_required
def round_ranking(request, pk):
    require_perm(request, "grants.view_ranking")
    grant_round = selectors.round_get(pk=pk)
    context = paginate(request, selectors.ranking_for_round(grant_round=grant_round))
    selectors.mark_budget_line(context["page"].object_list, budget=grant_round.budget)
    context.update(
        {
            "round": grant_round,
            "money": selectors.round_money(grant_round=grant_round),
            "can_recommend": request.user.has_perm("grants.recommend"),
            "can_view_progress": request.user.has_perm("grants.view_assessment_progress"),
        }
    )
    return render(request, "grants/assess/ranking.html", context)


@login_required
def application_recommend(request, pk):
    application = selectors.application_get(pk=pk)
    require_perm(request, "grants.recommend", application)
    grant_round = application.round
    back = reverse("grants:round_ranking", args=[grant_round.pk])
    initial = {}
    if application.status == Application.Status.RECOMMENDED:
        initial = {
            "recommend": "yes",
            "amount": application.recommended_amount,
            "note": application.recommendation_note,
        }
    elif application.status == Application.Status.NOT_RECOMMENDED:
        initial = {"recommend": "no", "note": application.recommendation_note}
    form = forms.RecommendationForm(posted(request), initial=initial)
    saved = save_form(
        request,
        form,
        lambda data: services.application_recommend(actor=request.user, application=application, **form.service_data()),
        "The recommendation for {result} has been recorded",
    )
    if saved:
        return redirect(back)
    allowed = (Application.Status.MODERATED, Application.Status.RECOMMENDED, Application.Status.NOT_RECOMMENDED)
    blocked = ""
    if application.status not in allowed or application.decision_id:
        blocked = (
            f"{application} is {application.get_status_display().lower()}; a recommendation can be recorded only "
            "for a scored application before the PCC decides."
        )
    return render(
        request,
        "grants/assess/recommend.html",
        {
            "form": form,
            "title": "Record the panel's recommendation",
            "caption": f"{application} · {application.organisation}",
            "back_url": back,
            "submit_label": "Save recommendation",
            "blocked": blocked,
            "application": application,
            "moderation": getattr(application, "moderation", None),
            "money": selectors.round_money(grant_round=grant_round),
        },
    )
