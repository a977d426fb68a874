"""The applicant's own application while it is a draft (issue 5, point 2): the task list, each section in the
GOV.UK "one thing per page" pattern saved as the applicant goes, attachments, checking the answers, the declaration
that submits it, and the confirmation. Every page works without JavaScript.

A draft is changed only by its organisation's applicants (grants.change_application); an application
anyone else may not see is a 404.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.core.forms import add_service_errors
from commissioning.core.shortcuts import post_only, posted, require_perm
from commissioning.grants.forms import apply as forms
from commissioning.grants.models import Application, Attachment
from commissioning.grants.selectors import applications as selectors
from commissioning.grants.selectors import rounds as round_selectors
from commissioning.grants.services import applications as services


def tasks_url(application) -> str:
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
            "back_url": tasks_url(application),
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
    form = forms.OrganisationForm(posted(request), initial=forms.OrganisationForm.initial_for(application.organisation))
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
    form = forms.ProjectForm(posted(request), initial=forms.ProjectForm.initial_for(application))
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
        posted(request),
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
        posted(request), scheme=application.round.scheme, initial=forms.BudgetForm.initial_for(application)
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
        return redirect(tasks_url(application))
    template = extra.pop("template", "grants/apply/section.html")
    return _section_page(request, application, form=form, slug=section, template=template, **extra)


def _attachments(request, application):
    form = forms.AttachmentForm(posted(request), request.FILES or None)
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
    if refused := post_only(request):
        return refused
    try:
        services.application_attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{attachment.original_name} has been removed")
    return redirect(_section_url(application, "attachments"))


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


def application_context(application) -> dict:
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
    form = forms.ConfirmForm(posted(request))
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
            **application_context(application),
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
    form = forms.DeclarationForm(posted(request), initial={"declaration_name": request.user.display_name})
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
        return redirect(tasks_url(application))
    return render(request, "grants/apply/confirmation.html", {"application": application})
