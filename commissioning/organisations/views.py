"""Pages for the organisation directory, partnership boards and non-financial commissioning activities.

Thin views: check permission, call one selector or service, render. A record the user may not see is a
404 (the selector decides); a change the user may not make is a 403.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from commissioning.core.forms import add_service_errors, search_labels
from commissioning.core.history import history_for
from commissioning.core.shortcuts import (
    data_and_reason,
    edit_page,
    list_filters,
    list_page,
    nav_section,
    posted,
    require_perm,
)
from commissioning.core.throttle import throttled, wait_text
from commissioning.organisations import forms, selectors, services

# Boards and activities sit under the Partnerships item of the service menu.
partnerships_section = nav_section("partnerships")

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


# Organisations ------------------------------------------------------------------------------------------


@login_required
def organisation_list(request):
    require_perm(request, "organisations.view_directory")
    filter_form = forms.OrganisationFilterForm(request.GET or None)
    organisations = selectors.organisation_list(user=request.user, **list_filters(filter_form))
    return list_page(
        request,
        "organisations/organisation_list.html",
        organisations,
        filter_form=filter_form,
        can_add=request.user.has_perm("organisations.change_organisation"),
    )


@login_required
def organisation_detail(request, pk):
    user = request.user
    organisation = selectors.organisation_get_for_user(user=user, pk=pk)
    context = {
        "organisation": organisation,
        "can_edit": user.has_perm("organisations.change_organisation", organisation),
        "can_see_directory": user.has_perm("organisations.view_directory"),
    }
    if user.has_perm("organisations.view_board"):
        context["boards"] = selectors.board_list_for_organisation(user=user, organisation=organisation)
    if user.has_perm("organisations.view_activity"):
        context["activities"], context["more_activities"] = selectors.activity_list_latest(
            user=user, organisation_id=organisation.pk
        )
    if user.has_perm("organisations.view_history"):
        context["history"] = selectors.organisation_history(organisation=organisation)
    return render(request, "organisations/organisation_detail.html", context)


@login_required
def organisation_create(request):
    require_perm(request, "organisations.change_organisation")
    return edit_page(
        request,
        form=forms.OrganisationForm(request.POST or None),
        save=lambda data: services.organisation_create(actor=request.user, **data),
        success="{result.name} has been added to the directory",
        redirect_to=lambda organisation: reverse("organisations:detail", args=[organisation.pk]),
        title="Add an organisation",
        back_url=reverse("organisations:list"),
    )


@login_required
def organisation_edit(request, pk):
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    require_perm(request, "organisations.change_organisation", organisation)
    initial = {name: getattr(organisation, name) for name in forms.OrganisationForm.base_fields}
    initial.update(areas_of_interest=list(organisation.areas_of_interest.all()), is_active=organisation.is_active)
    form = forms.OrganisationForm(
        request.POST or None,
        initial=initial,
        editing=True,
        is_opcc=organisation.kind == organisation.Kind.OPCC,
    )
    back = reverse("organisations:detail", args=[organisation.pk])
    return edit_page(
        request,
        form=form,
        save=lambda cleaned: services.organisation_update(
            actor=request.user, organisation=organisation, **data_and_reason(cleaned)
        ),
        success="{result.name} has been updated",
        redirect_to=back,
        title="Change organisation details",
        caption=organisation.name,
        back_url=back,
    )


@login_required
def contact_add(request, pk):
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    require_perm(request, "organisations.change_organisation", organisation)
    back = reverse("organisations:detail", args=[organisation.pk])
    return edit_page(
        request,
        form=forms.ContactForm(request.POST or None),
        save=lambda data: services.contact_add(actor=request.user, organisation=organisation, **data),
        success="{result.name} has been added as a contact",
        redirect_to=f"{back}#contacts",
        title="Add a contact",
        caption=organisation.name,
        back_url=back,
    )


@login_required
def contact_edit(request, pk, contact_pk):
    contact = selectors.contact_get_for_user(user=request.user, organisation_pk=pk, pk=contact_pk)
    require_perm(request, "organisations.change_organisation", contact.organisation)
    initial = {name: getattr(contact, name) for name in forms.ContactForm.base_fields}
    back = reverse("organisations:detail", args=[pk])
    return edit_page(
        request,
        form=forms.ContactForm(request.POST or None, initial=initial),
        save=lambda data: services.contact_update(actor=request.user, contact=contact, data=data),
        success="The contact has been updated",
        redirect_to=f"{back}#contacts",
        title="Change contact",
        caption=contact.organisation.name,
        back_url=back,
    )


@login_required
def contact_delete(request, pk, contact_pk):
    """GET asks to confirm; POST removes the contact."""
    contact = selectors.contact_get_for_user(user=request.user, organisation_pk=pk, pk=contact_pk)
    require_perm(request, "organisations.change_organisation", contact.organisation)
    back = reverse("organisations:detail", args=[pk])
    if request.method == "POST":
        services.contact_remove(actor=request.user, contact=contact)
        messages.success(request, f"{contact.name} has been removed as a contact")
        return redirect(f"{back}#contacts")
    return render(request, "organisations/contact_confirm_delete.html", {"contact": contact, "back_url": back})


# Partnership boards -------------------------------------------------------------------------------------


@login_required
@partnerships_section
def board_list(request):
    require_perm(request, "organisations.view_board")
    filter_form = forms.BoardFilterForm(request.GET or None)
    boards = selectors.board_list(user=request.user, **list_filters(filter_form))
    return list_page(
        request,
        "organisations/board_list.html",
        boards,
        filter_form=filter_form,
        can_add=request.user.has_perm("organisations.change_board"),
        can_see_activities=request.user.has_perm("organisations.view_activity"),
    )


@login_required
@partnerships_section
def board_detail(request, pk):
    user = request.user
    board = selectors.board_get_for_user(user=user, pk=pk)
    context = {
        "board": board,
        "can_edit": user.has_perm("organisations.change_board", board),
        "can_see_directory": user.has_perm("organisations.view_directory"),
    }
    if user.has_perm("organisations.view_activity"):
        context["activities"], context["more_activities"] = selectors.activity_list_latest(user=user, board_id=board.pk)
    if user.has_perm("organisations.view_history"):
        context["history"] = history_for(board)
    return render(request, "organisations/board_detail.html", context)


def _board_initial(board) -> dict:
    initial = {name: getattr(board, name) for name in forms.BoardForm.base_fields}
    initial.update(
        members=list(board.members.all()), priorities=list(board.priorities.all()), is_active=board.is_active
    )
    return initial


@login_required
@partnerships_section
def board_create(request):
    require_perm(request, "organisations.change_board")
    return edit_page(
        request,
        form=forms.BoardForm(request.POST or None),
        save=lambda data: services.board_create(actor=request.user, **data),
        success="{result.name} has been added",
        redirect_to=lambda board: reverse("organisations:board_detail", args=[board.pk]),
        title="Add a partnership board",
        back_url=reverse("organisations:board_list"),
    )


@login_required
@partnerships_section
def board_edit(request, pk):
    board = selectors.board_get_for_user(user=request.user, pk=pk)
    require_perm(request, "organisations.change_board", board)
    back = reverse("organisations:board_detail", args=[board.pk])
    return edit_page(
        request,
        form=forms.BoardForm(request.POST or None, initial=_board_initial(board), editing=True),
        save=lambda cleaned: services.board_update(actor=request.user, board=board, **data_and_reason(cleaned)),
        success="{result.name} has been updated",
        redirect_to=back,
        title="Change board details",
        caption=board.name,
        back_url=back,
    )


@login_required
@partnerships_section
def meeting_add(request, pk):
    board = selectors.board_get_for_user(user=request.user, pk=pk)
    require_perm(request, "organisations.change_board", board)
    back = reverse("organisations:board_detail", args=[board.pk])
    return edit_page(
        request,
        form=forms.MeetingForm(request.POST or None),
        save=lambda data: services.board_meeting_record(actor=request.user, board=board, **data),
        success="The meeting has been recorded",
        redirect_to=f"{back}#meetings",
        title="Record a meeting",
        caption=board.name,
        back_url=back,
        submit_label="Record meeting",
    )


# Non-financial activities -------------------------------------------------------------------------------


def _int_or_none(value):
    return int(value) if value and value.isdigit() else None


@login_required
@partnerships_section
def activity_list(request):
    require_perm(request, "organisations.view_activity")
    filter_form = forms.ActivityFilterForm(request.GET or None)
    activities = selectors.activity_list(
        user=request.user,
        organisation_id=_int_or_none(request.GET.get("organisation")),
        board_id=_int_or_none(request.GET.get("board")),
        **list_filters(filter_form),
    )
    return list_page(
        request,
        "organisations/activity_list.html",
        activities,
        filter_form=filter_form,
        can_add=request.user.has_perm("organisations.change_activity"),
    )


@login_required
@partnerships_section
def activity_detail(request, pk):
    user = request.user
    activity = selectors.activity_get_for_user(user=user, pk=pk)
    context = {
        "activity": activity,
        "can_edit": user.has_perm("organisations.change_activity", activity),
        "can_see_directory": user.has_perm("organisations.view_directory"),
        "can_see_board": bool(activity.board) and user.has_perm("organisations.view_board", activity.board),
    }
    if user.has_perm("organisations.view_history"):
        context["history"] = history_for(activity)
    return render(request, "organisations/activity_detail.html", context)


@login_required
@partnerships_section
def activity_create(request):
    require_perm(request, "organisations.change_activity")
    initial = {}
    board_id = _int_or_none(request.GET.get("board"))
    if board_id:
        initial["board"] = board_id
    return edit_page(
        request,
        form=forms.ActivityForm(request.POST or None, initial=initial),
        save=lambda data: services.non_financial_activity_record(actor=request.user, **data),
        success="The activity has been recorded",
        redirect_to=lambda activity: reverse("organisations:activity_detail", args=[activity.pk]),
        title="Record a non-financial activity",
        back_url=reverse("organisations:activity_list"),
        submit_label="Record activity",
    )


@login_required
@partnerships_section
def activity_edit(request, pk):
    activity = selectors.activity_get_for_user(user=request.user, pk=pk)
    require_perm(request, "organisations.change_activity", activity)
    initial = {name: getattr(activity, name) for name in forms.ActivityForm.base_fields}
    initial.update(
        partners=list(activity.partners.all()),
        priorities=list(activity.priorities.all()),
        objectives=list(activity.objectives.all()),
    )
    back = reverse("organisations:activity_detail", args=[activity.pk])
    return edit_page(
        request,
        form=forms.ActivityForm(request.POST or None, initial=initial, editing=True),
        save=lambda cleaned: services.non_financial_activity_update(
            actor=request.user, activity=activity, **data_and_reason(cleaned)
        ),
        success="The activity has been updated",
        redirect_to=back,
        title="Change activity",
        caption=activity.title,
        back_url=back,
    )


@login_required
def organisation_search(request):
    """Find organisations by name for the search-as-you-type fields: JSON for the script (?format=json), and a
    page for people without JavaScript. At most a page of matches, so the answer is small at any scale."""
    require_perm(request, "organisations.view_directory")
    query = request.GET.get("q", "")[:100]
    scope = request.GET.get("scope", "active")
    if scope not in selectors.SEARCH_SCOPES:
        scope = "active"
    found = selectors.organisation_search(user=request.user, query=query, scope=scope)
    labels = search_labels(selectors.organisations_for_choosing(scope), found) if found else []
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "results": [
                    {"label": label, "kind": o.get_kind_display()} for o, label in zip(found, labels, strict=True)
                ]
            }
        )
    return render(
        request,
        "organisations/organisation_search.html",
        {
            "query": query,
            "scope": scope,
            "results": list(zip(found, labels, strict=True)),
            "limit": selectors.SEARCH_LIMIT,
        },
    )


# Registering: the public pages of an organisation registering itself with its first account -------------
# (a grant applicant, a supplier). The routes' views give their form, service, addresses and templates.


def safe_next(request, default: str) -> str:
    """The `next` address posted or in the query, when it is on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def register_page(request, *, form_class, register, default_next: str, sent_url: str, template: str, **context):
    """Registering: the answer is the same whether or not the address already has an account, and it is throttled
    per network address and per e-mail address. A valid form calls `register(**form.service_data(),
    next_url=...)` (the route's service) and redirects to `sent_url`, remembering the address for that page.
    Someone signed in goes straight to `next` (or `default_next`). `context` holds the page's other values."""
    done = safe_next(request, default_next)
    if request.user.is_authenticated:
        return redirect(done)
    form = form_class(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        if throttled(request, "register", email=form.cleaned_data["email"]):
            form.add_error(
                None, f"There have been too many attempts to create an account. Wait {wait_text()} and try again"
            )
            status = 429
        else:
            try:
                register(**form.service_data(), next_url=done)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session["registered_email"] = form.cleaned_data["email"].strip().lower()
                return redirect(sent_url)
    return render(
        request,
        template,
        {
            "form": form,
            **context,
            "next": request.GET.get("next") or request.POST.get("next", ""),
            "sign_in_url": f"{reverse('accounts:login')}?next={done}",
        },
        status=status,
    )


def register_sent_page(request, *, template: str, title: str):
    """Check your e-mail: shown after registering, whether or not the address already had an account."""
    return render(request, template, {"email": request.session.get("registered_email", ""), "title": title})


def register_confirm_page(request, *, confirm, default_next: str, failed_template: str):
    """The link e-mailed on registering: `confirm()` (the route's service) opens the account and the person is
    signed in; a wrong, expired or used link is a 400 page. Someone already signed in goes straight on."""
    done = safe_next(request, default_next)
    if request.user.is_authenticated:
        return redirect(done)
    user = confirm()
    if user is None:
        return render(request, failed_template, {"title": "This link has expired"}, status=400)
    login(request, user, backend=SESSION_BACKEND)
    messages.success(request, f"Your account has been created. You are signed in as {user.email}")
    return redirect(done)
