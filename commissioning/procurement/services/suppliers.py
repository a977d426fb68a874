"""Suppliers registering themselves (issue 10, point 5), as applicants do for grants: an organisation and its first
supplier account, closed until the e-mailed link is followed. The answer never says whether an address already has
an account: its owner is e-mailed instead."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from commissioning.accounts import selectors as account_selectors
from commissioning.accounts import services as account_services
from commissioning.accounts.roles import Role
from commissioning.core import mail
from commissioning.organisations import services as organisation_services
from commissioning.organisations.models import Organisation

REASON = "Registered as a supplier"


def _confirm_link(user, next_url: str = "") -> str:
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return account_services.registration_confirm_link(user, "procurement:supplier_confirm", query)


def _send_confirmation(user, *, next_url: str = "") -> None:
    def send():
        body = render_to_string(
            "procurement/suppliers/email/welcome.txt",
            {
                "user": user,
                "organisation": user.organisation,
                "service_name": settings.SERVICE_NAME,
                "link": _confirm_link(user, next_url),
            },
        )
        mail.send(f"Confirm your supplier account with {settings.SERVICE_NAME}", body, [user.email])

    transaction.on_commit(send)


def _send_already_registered(user, *, next_url: str = "") -> None:
    if user.role == Role.SUPPLIER and account_services.registration_unconfirmed(user):
        _send_confirmation(user, next_url=next_url)
        return

    def send():
        body = render_to_string(
            "procurement/suppliers/email/already_registered.txt",
            {
                "user": user,
                "service_name": settings.SERVICE_NAME,
                "sign_in_link": settings.SITE_URL + reverse("accounts:login"),
                "reset_link": settings.SITE_URL + reverse("accounts:password_reset"),
            },
        )
        mail.send(f"You already have an account with {settings.SERVICE_NAME}", body, [user.email])

    transaction.on_commit(send)


@transaction.atomic
def supplier_register(
    *,
    organisation_name: str,
    name: str,
    email: str,
    password: str,
    company_number: str = "",
    charity_number: str = "",
    next_url: str = "",
):
    """A business, charity or social enterprise creates its supplier account. Open to anyone. Returns the new
    person, or None when the address already had an account (its owner is e-mailed)."""
    organisation_fields = {
        "name": organisation_name,
        "kind": Organisation.Kind.PROVIDER,
        "description": "Supplier registered to bid for contracts",
        "charity_number": charity_number,
        "company_number": company_number,
    }
    errors = {}
    for field, messages in organisation_services.registration_problems(**organisation_fields).items():
        errors.setdefault("organisation_name" if field == "name" else field, messages)
    errors.update(account_services.registration_problems(email=email, display_name=name, password=password))
    if errors:
        raise ValidationError(errors)
    existing = account_selectors.user_with_email(email)
    if existing is not None:
        _send_already_registered(existing, next_url=next_url)
        return None
    try:
        with transaction.atomic():
            organisation = organisation_services.organisation_register(**organisation_fields, reason=REASON)
            user = account_services.registration_create(
                email=email,
                display_name=name,
                password=password,
                role=Role.SUPPLIER,
                organisation=organisation,
                reason=f"{REASON}; waiting for the e-mail address to be confirmed",
            )
            if user is None:
                raise IntegrityError("the address was registered a moment ago")
    except IntegrityError:
        return None
    _send_confirmation(user, next_url=next_url)
    return user


def supplier_confirm(*, uidb64: str, token: str):
    """Follow the link e-mailed on registering: the account opens. None when the link is wrong or used."""
    return account_services.registration_confirm(uidb64=uidb64, token=token, role=Role.SUPPLIER)
