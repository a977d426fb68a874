"""What the register's pages share: pages with a form of their own, and links."""

from django.shortcuts import render
from django.urls import reverse

CONFIRM_PAGE = "agreements/confirm_page.html"


def page_with_form(request, template: str, *, form, title: str, back_url: str, submit_label="Save", **extra):
    """A page of this app's own that extends core/form_page.html, for what that page does not show by itself."""
    context = {"form": form, "title": title, "back_url": back_url, "submit_label": submit_label}
    return render(request, template, {**context, **extra})


def service_url(service, anchor: str = "") -> str:
    return reverse("agreements:service_detail", args=[service.pk]) + (f"#{anchor}" if anchor else "")


def agreement_url(agreement, anchor: str = "") -> str:
    return reverse("agreements:agreement_detail", args=[agreement.pk]) + (f"#{anchor}" if anchor else "")
