"""E-mail the grant services send (assessment, decisions, acceptance, end-of-grant reports, one-off proposals): who
to tell, links back to the service, and sending (queued for the task worker by core.mail) once the transaction
has committed, so nobody hears of a change that was rolled back."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from commissioning.core import mail


def organisation_emails_by_id(organisation_ids) -> dict[int, list[str]]:
    """{organisation id: e-mail addresses of its active people}. One query."""
    by_organisation = defaultdict(list)
    rows = (
        get_user_model()
        .objects.filter(organisation_id__in=set(organisation_ids), is_active=True)
        .order_by("email")
        .values_list("organisation_id", "email")
    )
    for organisation_id, email in rows:
        by_organisation[organisation_id].append(email)
    return by_organisation


def organisation_emails(organisation_id) -> list[str]:
    return organisation_emails_by_id([organisation_id]).get(organisation_id, [])


def role_emails(*roles) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(role__in=[str(r) for r in roles], is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


def send_on_commit(*, subject: str, template: str, context: dict, recipients) -> None:
    """Render now, send once the transaction has committed (nothing is sent if it rolls back)."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    body = render_to_string(template, {**context, "service_name": settings.SERVICE_NAME})
    transaction.on_commit(lambda: mail.send(subject, body, recipients))


def link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)
