"""Small helpers the strategy views share (the rest are in commissioning.core.shortcuts)."""

from django.http import HttpResponseNotAllowed


def post_only(request):
    """Actions are buttons that POST; a GET (after the permission check) is refused with 405."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def posted(request):
    """The POST data when the form was sent (even if every box was left empty), else None for a fresh form."""
    return request.POST if request.method == "POST" else None
