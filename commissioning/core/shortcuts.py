"""Helpers every app's views use: the permission check, reading the request, pagination, saving a form through a
service and the page with one form on it."""

import os
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from commissioning.core.forms import add_service_errors

PAGE_SIZE = 25


def nav_section(name: str):
    """A view decorator: the page marks the service navigation's item `name` as the current one."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.nav_section = name
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def require_perm(request, perm: str, obj=None) -> None:
    """403 unless the user has the permission (for the object, when one is given)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def posted(request):
    """The POST data when the form was sent (even if every box was left empty), else None for a fresh form."""
    return request.POST if request.method == "POST" else None


def post_only(request):
    """Actions are buttons that POST; a GET (after the permission check) is refused with 405. None for a POST."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def list_filters(form) -> dict:
    """A list page's filters from its GET form: the values given; anything invalid is ignored (and shown by the
    field)."""
    return {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}


def split_reason(cleaned: dict) -> tuple[dict, str]:
    """An edit form's data without its `reason` box, and the reason, for a service's (data=..., reason=...)."""
    data = dict(cleaned)
    return data, data.pop("reason", "")


def data_and_reason(cleaned: dict) -> dict:
    """An edit form's data as a service's keyword arguments: `service(..., **data_and_reason(cleaned))`."""
    data, reason = split_reason(cleaned)
    return {"data": data, "reason": reason}


def paginate(request, queryset, *, per_page: int | None = None) -> dict:
    """`page`, a page of rows, and `query`, the request's other GET parameters for the links of
    core/_pagination.html. base.html adds "(page 2 of 7)" to the page's title when there is more than one page."""
    page = Paginator(queryset, per_page or PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}


def list_page(request, template: str, rows, **context):
    """A list page: one page of `rows` (see paginate) with the rest of the page's context."""
    return render(request, template, {**context, **paginate(request, rows)})


def save_form(request, form, action, success):
    """Call the service when the form is posted and valid; show its ValidationError on the form.

    `action(cleaned_data)` calls the service; `success` is the message shown after, formatted with the
    service's result (`"{result.name} has been added"`), or a function of the result when the message needs
    a method call. Returns the result, or None when nothing was saved.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success.format(result=result))
    return result


def form_page(
    request,
    *,
    form,
    title: str,
    back_url: str,
    submit_label: str = "Save",
    caption: str = "",
    warning: str = "",
    blocked: str = "",
    blocked_link: str = "",
    button_class: str = "",
):
    """One form on a page of its own (core/form_page.html): caption, h1, the fields and one button.

    `blocked` replaces the form with an explanation when the action cannot be taken now.
    """
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back_url": back_url,
            "submit_label": submit_label,
            "warning": warning,
            "blocked": blocked,
            "blocked_link": blocked_link,
            "button_class": button_class,
        },
    )


def edit_page(request, *, form, save, success, redirect_to, title: str, back_url: str, show=None, **page):
    """The body of a view that adds or changes a record with one form, after its permission check.

    A valid POST calls `save(cleaned_data)` (a service call; see save_form for `success` and for the service's
    errors) and redirects to `redirect_to`: a URL, or a function of what `save` returned giving one. Otherwise the
    form is shown on its own page: form_page, or `show` (a function with form_page's arguments) for a page of the
    app's own; `page` holds the page's other arguments (caption, submit_label, ...).
    """
    result = save_form(request, form, save, success)
    if result:
        return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    return (show or form_page)(request, form=form, title=title, back_url=back_url, **page)


def private_download(stored_file, *, filename: str = "", content_type: str = "") -> FileResponse:
    """A stored upload as a download that is never cached or sniffed. Uploads are never served from a public
    address: the view checks who may see the file first. 404 when the file is missing from storage."""
    try:
        handle = stored_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename or os.path.basename(stored_file.name),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
