"""Applying for a grant (issue 5, point 2): the public pages of open rounds, registering an organisation,
and the application itself in the GOV.UK "one thing per page" and task list patterns, saved as the applicant
goes. Every page works without JavaScript. Staff read applications through the list and detail pages here.

A draft is changed only by its organisation's applicants (grants.change_application); an application
anyone else may not see is a 404.
"""

import os
import re

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from commissioning.core.forms import add_service_errors
from commissioning.core.shortcuts import form_page, paginate, require_perm
from commissioning.grants.forms import apply as forms
from commissioning.grants.models import Application, Attachment, GrantRound
from commissioning.grants.selectors import applications as selectors
from commissioning.grants.selectors import rounds as round_selectors
from commissioning.grants.services import applications as services

LATEST_CLOSED_ROUNDS = 10
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _posted(request):
    return request.POST if request.method == "POST" else None


def _tasks_url(application) -> str:
    return reverse("grants:application_tasks", args=[application.pk])


def _section_url(application, slug: str) -> str:
    return reverse("grants:application_section", args=[application.pk, slug])


def _summary_items(form, *, non_field_href: str = "") -> list[dict]:
    """The error summary's items, with errors not tied to one field linking to `non_field_href`."""
    items = []
    for position, field in enumerate(form):
        if position == 1:  # after the first field, where the page shows them
            items += [{"href": non_field_href, "text": error} for error in form.non_field_errors()]
        anchor = field.auto_id
        if field.widget_type in {"govukdate", "radioselect", "checkboxselectmultiple"}:
            anchor = f"{field.auto_id}_0"
        items += [{"href": f"#{anchor}", "text": error} for error in field.errors]
    return items


# --- Public pages --------------------------------------------------------------------------------------------


def open_rounds(request):
    now = timezone.now()
    current = round_selectors.round_list_public().filter(closes_at__gt=now, status=GrantRound.Status.PUBLISHED)
    closed = round_selectors.round_list_public().exclude(pk__in=current.values("pk"))[:LATEST_CLOSED_ROUNDS]
    by_state = round_selectors.rounds_by_state([*current, *closed])
    return render(request, "grants/apply/open_rounds.html", {"rounds": by_state})


def round_public(request, pk):
    grant_round = round_selectors.round_get_public(pk=pk)
    start_url = reverse("grants:application_start", args=[grant_round.pk])
    user = request.user
    existing = None
    if user.is_authenticated and user.has_perm("grants.apply") and user.organisation_id:
        existing = selectors.application_existing(organisation=user.organisation, grant_round=grant_round)
    return render(
        request,
        "grants/apply/round_public.html",
        {
            "round": grant_round,
            "scheme": grant_round.scheme,
            "is_open": round_selectors.round_is_open(grant_round),
            "start_url": start_url,
            "existing": existing,
            "register_url": f"{reverse('grants:applicant_register')}?next={start_url}",
            "sign_in_url": f"{reverse('accounts:login')}?next={start_url}",
        },
    )


def terms(request, pk):
    grant_round = round_selectors.round_get_public(pk=pk)
    return render(request, "grants/apply/terms.html", {"round": grant_round, "terms": grant_round.terms})


# --- Registering ---------------------------------------------------------------------------------------------


def applicant_register(request):
    """A voluntary or community organisation creates its account and is signed in."""
    done = _safe_next(request, reverse("grants:application_list_mine"))
    if request.user.is_authenticated:
        return redirect(done)
    form = forms.RegisterForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.applicant_register(**form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend=SESSION_BACKEND)
            messages.success(request, f"Your account has been created. You are signed in as {user.email}")
            return redirect(done)
    return render(
        request,
        "grants/apply/register.html",
        {
            "form": form,
            "title": "Create an account for your organisation",
            "back_url": reverse("grants:open_rounds"),
            "submit_label": "Create account",
            "next": request.GET.get("next") or request.POST.get("next", ""),
            "sign_in_url": f"{reverse('accounts:login')}?next={done}",
        },
    )


# --- Starting ------------------------------------------------------------------------------------------------


@login_required
def application_start(request, pk):
    """The round's eligibility questions; the answer that rules an organisation out stops here."""
    require_perm(request, "grants.apply")
    grant_round = round_selectors.round_get_public(pk=pk)
    existing = selectors.application_existing(organisation=request.user.organisation, grant_round=grant_round)
    if existing:
        return redirect(_tasks_url(existing))
    form = forms.EligibilityForm(_posted(request), questions=grant_round.eligibility_questions.all())
    back_url = reverse("grants:round_public", args=[grant_round.pk])
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                actor=request.user, grant_round=grant_round, answers=form.answers()
            )
        except services.NotEligible as exc:
            return render(
                request,
                "grants/apply/ineligible.html",
                {"round": grant_round, "reasons": exc.reasons, "back_url": request.path},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your application has been started. It is saved as you go")
            return redirect(_tasks_url(application))
    blocked = (
        ""
        if round_selectors.round_is_open(grant_round)
        else round_selectors.closed_message(grant_round, action="started")
    )
    return form_page(
        request,
        form=form,
        title="Check your organisation can apply",
        caption=grant_round.name,
        back_url=back_url,
        submit_label="Continue",
        blocked=blocked,
    )


# --- The application: task list and sections ----------------------------------------------------------------


def _draft_for(request, pk):
    """The applicant's own draft, or a redirect for a submitted one; 404 for anyone who may not see it, 403
    for staff who may see it but not change it."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if application.status != Application.Status.DRAFT:
        return application, redirect("grants:application_detail", pk=application.pk)
    require_perm(request, "grants.change_application", application)
    return application, None


def _closed(application, action: str = "changed") -> str:
    """Why the draft cannot change now (the round has closed), else ''."""
    if round_selectors.round_is_open(application.round):
        return ""
    return round_selectors.closed_message(application.round, action=action)


@login_required
def application_tasks(request, pk):
    application, elsewhere = _draft_for(request, pk)
    if elsewhere:
        return elsewhere
    grant_round = round_selectors.with_times(application.round)
    tasks = selectors.application_tasks(application)
    return render(
        request,
        "grants/apply/tasks.html",
        {
            "application": application,
            "round": grant_round,
            "tasks": tasks,
            "completed": sum(1 for task in tasks if task.completed),
            "closed": _closed(application),
        },
    )


def _section_page(request, application, *, form, slug, template="grants/apply/section.html", **extra):
    return render(
        request,
        template,
        {
            "form": form,
            "application": application,
            "title": selectors.SECTION_TITLES[slug],
            "caption": application.project_title or application.round.name,
            "back_url": _tasks_url(application),
            "submit_label": "Save and continue",
            "blocked": _closed(application) if request.method != "POST" else "",
            **extra,
        },
    )


def _save_section(request, application, form, action) -> bool:
    """Call the service when the form is posted and valid; its errors go on the form, which keeps what was
    typed. True when saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def _organisation(request, application):
    form = forms.OrganisationForm(
        _posted(request), initial=forms.OrganisationForm.initial_for(application.organisation)
    )
    saved = _save_section(
        request,
        application,
        form,
        lambda f: services.application_organisation_update(
            actor=request.user, application=application, **f.cleaned_data
        ),
    )
    return saved, form, {"organisation": application.organisation, "template": "grants/apply/organisation.html"}


def _project(request, application):
    form = forms.ProjectForm(_posted(request), initial=forms.ProjectForm.initial_for(application))
    saved = _save_section(
        request,
        application,
        form,
        lambda f: services.application_project_update(actor=request.user, application=application, **f.cleaned_data),
    )
    return saved, form, {}


def _priorities(request, application):
    priorities = selectors.plan_priorities()
    form = forms.PrioritiesForm(
        _posted(request),
        priorities=priorities,
        initial={"priorities": [p.pk for p in application.priorities.all()]},
    )
    saved = _save_section(
        request,
        application,
        form,
        lambda f: services.application_priorities_set(
            actor=request.user, application=application, priorities=f.cleaned_data["priorities"]
        ),
    )
    return saved, form, {}


def _budget(request, application):
    form = forms.BudgetForm(
        _posted(request), scheme=application.round.scheme, initial=forms.BudgetForm.initial_for(application)
    )
    saved = _save_section(
        request,
        application,
        form,
        lambda f: services.application_budget_update(
            actor=request.user,
            application=application,
            amount_requested=f.cleaned_data["amount_requested"],
            lines=f.lines(),
        ),
    )
    return (
        saved,
        form,
        {"template": "grants/apply/budget.html", "error_items": _summary_items(form, non_field_href="#budget-lines")},
    )


SECTION_HANDLERS = {
    "organisation": _organisation,
    "project": _project,
    "priorities": _priorities,
    "budget": _budget,
}


@login_required
def application_section(request, pk, section):
    application, elsewhere = _draft_for(request, pk)
    if elsewhere:
        return elsewhere
    if section == "attachments":
        return _attachments(request, application)
    handler = SECTION_HANDLERS.get(section)
    if handler is None:
        raise Http404(f"No section {section}")
    saved, form, extra = handler(request, application)
    if saved:
        messages.success(request, f"{selectors.SECTION_TITLES[section]} saved")
        return redirect(_tasks_url(application))
    template = extra.pop("template", "grants/apply/section.html")
    return _section_page(request, application, form=form, slug=section, template=template, **extra)


def _attachments(request, application):
    form = forms.AttachmentForm(_posted(request), request.FILES or None)
    saved = _save_section(
        request,
        application,
        form,
        lambda f: services.application_attachment_add(
            actor=request.user, application=application, kind=f.cleaned_data["kind"], file=f.cleaned_data["file"]
        ),
    )
    if saved:
        messages.success(request, f"{request.FILES['file'].name} has been uploaded")
        return redirect(_section_url(application, "attachments"))
    return _section_page(
        request,
        application,
        form=form,
        slug="attachments",
        template="grants/apply/attachments.html",
        attachments=list(application.attachments.all()),
        missing=selectors.missing_attachments(application),
        required_kinds=[Attachment.Kind(kind).label for kind in selectors.REQUIRED_ATTACHMENTS],
    )


@login_required
def attachment_remove(request, pk, attachment_pk):
    application, elsewhere = _draft_for(request, pk)
    if elsewhere:
        return elsewhere
    attachment = selectors.attachment_get_for_user(user=request.user, application_pk=application.pk, pk=attachment_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.application_attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{attachment.original_name} has been removed")
    return redirect(_section_url(application, "attachments"))


@login_required
def attachment_download(request, pk, attachment_pk):
    """Files are never served from a public address: each download is checked here."""
    attachment = selectors.attachment_get_for_user(user=request.user, application_pk=pk, pk=attachment_pk)
    require_perm(request, "grants.view_application", attachment.application)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name or os.path.basename(attachment.file.name),
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Check answers, declaration, confirmation ----------------------------------------------------------------


def _incomplete_items(application) -> list[dict]:
    items = []
    for section in selectors.application_incomplete_sections(application):
        if section.slug == "attachments":
            missing = ", ".join(name.lower() for name in selectors.missing_attachments(application))
            text = f"Add your {missing}" if missing else "Complete the attachments"
            text = re.sub(r", ([^,]*)$", r" and \1", text)
        else:
            text = f"Complete {section.title[0].lower()}{section.title[1:]}"
        items.append({"href": f"#section-{section.slug}", "text": f"{text} before you continue"})
    return items


def _application_context(application) -> dict:
    return {
        "application": application,
        "round": application.round,
        "organisation": application.organisation,
        "answers": selectors.eligibility_answers(application),
        "budget_total": selectors.budget_total(application),
        "statuses": {s.slug: selectors.section_status(application, s.slug) for s in selectors.SECTIONS},
    }


@login_required
def application_check(request, pk):
    application, elsewhere = _draft_for(request, pk)
    if elsewhere:
        return elsewhere
    form = forms.ConfirmForm(_posted(request))
    error_items = []
    if request.method == "POST":
        error_items = _incomplete_items(application)
        closed = _closed(application, "submitted")
        if closed:
            error_items.insert(0, {"href": "", "text": closed})
        if not error_items:
            return redirect("grants:application_declaration", pk=application.pk)
        for item in error_items:
            form.add_error(None, item["text"])
    return render(
        request,
        "grants/apply/check.html",
        {
            **_application_context(application),
            "form": form,
            "error_items": error_items,
            "incomplete": selectors.application_incomplete_sections(application),
            "can_change": True,
            "closed": _closed(application),
        },
    )


@login_required
def application_declaration(request, pk):
    application, elsewhere = _draft_for(request, pk)
    if elsewhere:
        return elsewhere
    if request.method != "POST" and selectors.application_incomplete_sections(application):
        messages.error(request, "Finish every section before you make the declaration")
        return redirect("grants:application_check", pk=application.pk)
    form = forms.DeclarationForm(_posted(request), initial={"declaration_name": request.user.display_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("grants:application_confirmation", pk=application.pk)
    closes = round_selectors.when_text(application.round.closes_at)
    return render(
        request,
        "grants/apply/declaration.html",
        {
            "form": form,
            "application": application,
            "round": application.round,
            "organisation": application.organisation,
            "title": "Declaration",
            "caption": application.project_title,
            "back_url": reverse("grants:application_check", args=[application.pk]),
            "submit_label": "Accept and submit application",
            "closes": closes,
            "blocked": _closed(application, "submitted") if request.method != "POST" else "",
        },
    )


@login_required
def application_confirmation(request, pk):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    require_perm(request, "grants.view_application", application)
    if application.status == Application.Status.DRAFT:
        return redirect(_tasks_url(application))
    return render(request, "grants/apply/confirmation.html", {"application": application})


# --- Lists and the read-only application ---------------------------------------------------------------------


@login_required
def application_list_mine(request):
    require_perm(request, "grants.apply")
    now = timezone.now()
    current = round_selectors.round_list_public().filter(closes_at__gt=now, status=GrantRound.Status.PUBLISHED)
    return render(
        request,
        "grants/apply/list_mine.html",
        {
            "organisation": request.user.organisation,
            "open_rounds": round_selectors.rounds_by_state(current).open,
            **paginate(request, selectors.application_list_for_applicant(user=request.user)),
        },
    )


@login_required
def application_list(request):
    require_perm(request, "grants.view_applications")
    filters = forms.ApplicationFilterForm(request.GET or None, rounds=round_selectors.round_choices())
    round_id, status = None, ""
    if filters.is_valid():
        chosen = filters.cleaned_data.get("round")
        round_id = chosen.pk if chosen else None
        status = filters.cleaned_data.get("status") or ""
    return render(
        request,
        "grants/apply/application_list.html",
        {
            "filters": filters,
            **paginate(request, selectors.application_list_for_staff(round_id=round_id, status=status)),
        },
    )


@login_required
def application_detail(request, pk):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    require_perm(request, "grants.view_application", application)
    user = request.user
    context = {
        **_application_context(application),
        "can_change": False,
        "is_staff_view": user.has_perm("grants.view_applications"),
        "can_edit": user.has_perm("grants.change_application", application),
        "history": selectors.application_history(application)
        if user.has_perm("grants.view_application_history")
        else None,
    }
    return render(request, "grants/apply/application_detail.html", context)
