"""Applying for a grant (issue 5, point 2): the public pages of open rounds, registering an organisation,
and the application itself in the GOV.UK "one thing per page" and task list patterns, saved as the applicant
goes (the draft's own pages are in draft.py). Every page works without JavaScript. Staff read applications
through the list and detail pages here.

A draft is changed only by its organisation's applicants (grants.change_application); an application
anyone else may not see is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.core.forms import add_service_errors
from commissioning.core.shortcuts import form_page, list_page, posted, private_download, require_perm
from commissioning.grants.forms import apply as forms
from commissioning.grants.models import GrantRound
from commissioning.grants.selectors import applications as selectors
from commissioning.grants.selectors import rounds as round_selectors
from commissioning.grants.services import applications as services

# draft.py holds the draft's own pages (still importable from here: the `x as x` imports) and the task-list link
# and application context these pages share.
from commissioning.grants.views.draft import application_check as application_check
from commissioning.grants.views.draft import application_confirmation as application_confirmation
from commissioning.grants.views.draft import application_context, tasks_url
from commissioning.grants.views.draft import application_declaration as application_declaration
from commissioning.grants.views.draft import application_section as application_section
from commissioning.grants.views.draft import application_tasks as application_tasks
from commissioning.grants.views.draft import attachment_remove as attachment_remove
from commissioning.organisations.views import register_confirm_page, register_page, register_sent_page

LATEST_CLOSED_ROUNDS = 10


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
    """A voluntary or community organisation creates its account, then confirms its e-mail address from the link
    sent to it (organisations.views.register_page: the same answer whether or not the address already has an
    account, throttled)."""
    return register_page(
        request,
        form_class=forms.RegisterForm,
        register=services.applicant_register,
        default_next=reverse("grants:application_list_mine"),
        sent_url=reverse("grants:applicant_register_sent"),
        template="grants/apply/register.html",
        title="Create an account for your organisation",
        back_url=reverse("grants:open_rounds"),
        submit_label="Create account",
    )


def applicant_register_sent(request):
    """Check your e-mail: shown after registering, whether or not the address already had an account."""
    return register_sent_page(
        request, template="grants/apply/register_sent.html", title="Check your e-mail to confirm your account"
    )


def applicant_confirm(request, uidb64, token):
    """The link e-mailed on registering: the account opens and the person is signed in."""
    return register_confirm_page(
        request,
        confirm=lambda: services.applicant_confirm(uidb64=uidb64, token=token),
        default_next=reverse("grants:application_list_mine"),
        failed_template="grants/apply/confirm_failed.html",
    )


# --- Starting ------------------------------------------------------------------------------------------------


@login_required
def application_start(request, pk):
    """The round's eligibility questions; the answer that rules an organisation out stops here."""
    require_perm(request, "grants.apply")
    grant_round = round_selectors.round_get_public(pk=pk)
    existing = selectors.application_existing(organisation=request.user.organisation, grant_round=grant_round)
    if existing:
        return redirect(tasks_url(existing))
    form = forms.EligibilityForm(posted(request), questions=grant_round.eligibility_questions.all())
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
            # Started at the same moment from another tab or a double-submitted form: show the one that exists.
            existing = selectors.application_existing(organisation=request.user.organisation, grant_round=grant_round)
            if existing:
                messages.info(request, "Your organisation's application to this round had already been started")
                return redirect(tasks_url(existing))
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your application has been started. It is saved as you go")
            return redirect(tasks_url(application))
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


# --- Attachments, for anyone who may see the application ----------------------------------------------------


@login_required
def attachment_download(request, pk, attachment_pk):
    """Files are never served from a public address: each download is checked here."""
    attachment = selectors.attachment_get_for_user(user=request.user, application_pk=pk, pk=attachment_pk)
    require_perm(request, "grants.view_application", attachment.application)
    return private_download(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


# --- Lists and the read-only application ---------------------------------------------------------------------


@login_required
def application_list_mine(request):
    require_perm(request, "grants.apply")
    now = timezone.now()
    current = round_selectors.round_list_public().filter(closes_at__gt=now, status=GrantRound.Status.PUBLISHED)
    return list_page(
        request,
        "grants/apply/list_mine.html",
        selectors.application_list_for_applicant(user=request.user),
        organisation=request.user.organisation,
        open_rounds=round_selectors.rounds_by_state(current).open,
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
    return list_page(
        request,
        "grants/apply/application_list.html",
        selectors.application_list_for_staff(round_id=round_id, status=status),
        filters=filters,
    )


@login_required
def application_detail(request, pk):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    require_perm(request, "grants.view_application", application)
    user = request.user
    context = {
        **application_context(application),
        "can_change": False,
        "is_staff_view": user.has_perm("grants.view_applications"),
        "can_edit": user.has_perm("grants.change_application", application),
        "history": selectors.application_history(application)
        if user.has_perm("grants.view_application_history")
        else None,
    }
    return render(request, "grants/apply/application_detail.html", context)
