"""Helpers every app's views use: the permission check, pagination, saving a form through a service and
the page with one form on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render

from commissioning.core.forms import add_service_errors

PAGE_SIZE = 25


def require_perm(request, perm: str, obj=None) -> None:
    """403 unless the user has the permission (for the object, when one is given)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def paginate(request, queryset, *, per_page: int = PAGE_SIZE) -> dict:
    """`page`, a page of rows, and `query`, the request's other GET parameters for the links of
    core/_pagination.html."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}


def save_form(request, form, action, success: str):
    """Call the service when the form is posted and valid; show its ValidationError on the form.

    `action(cleaned_data)` calls the service; `success` is the message shown after, formatted with the
    service's result (`"{result.name} has been added"`). Returns the result, or None when nothing was saved.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success.format(result=result))
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
