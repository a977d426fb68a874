"""Small helpers the strategy views share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import render

PAGE_SIZE = 25


def require_perm(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def post_only(request):
    """Actions are buttons that POST; a GET (after the permission check) is refused with 405."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def posted(request):
    """The POST data when the form was sent (even if every box was left empty), else None for a fresh form."""
    return request.POST if request.method == "POST" else None


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: against its field if the form has it, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def form_page(
    request,
    *,
    form,
    title,
    submit_label,
    back_url,
    caption="",
    warning="",
    blocked="",
    blocked_link="",
    button_class="",
    status=200,
):
    """One form on a page of its own: caption, h1, the fields and one button (strategy/form.html).

    `blocked` replaces the form with an explanation when the action cannot be taken now.
    """
    return render(
        request,
        "strategy/form.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "submit_label": submit_label,
            "back_url": back_url,
            "warning": warning,
            "blocked": blocked,
            "blocked_link": blocked_link,
            "button_class": button_class,
        },
        status=status,
    )
