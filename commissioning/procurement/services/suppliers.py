"""Suppliers registering themselves (issue 10, point 5), as applicants do for grants: an organisation and its first
supplier account, closed until the e-mailed link is followed. The answer never says whether an address already has
an account: its owner is e-mailed instead."""

from django.db import transaction

from commissioning.accounts import services as account_services
from commissioning.accounts.roles import Role
from commissioning.organisations import services as organisation_services
from commissioning.organisations.models import Organisation

REGISTRATION = organisation_services.SelfRegistration(
    role=Role.SUPPLIER,
    kind=Organisation.Kind.PROVIDER,
    reason="Registered as a supplier",
    confirm_url_name="procurement:supplier_confirm",
    welcome_template="procurement/suppliers/email/welcome.txt",
    welcome_subject="Confirm your supplier account with {service_name}",
    already_registered_template="procurement/suppliers/email/already_registered.txt",
)


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
    return organisation_services.self_register(
        REGISTRATION,
        organisation_name=organisation_name,
        description="Supplier registered to bid for contracts",
        charity_number=charity_number,
        company_number=company_number,
        name=name,
        email=email,
        password=password,
        next_url=next_url,
    )


def supplier_confirm(*, uidb64: str, token: str):
    """Follow the link e-mailed on registering: the account opens. None when the link is wrong or used."""
    return account_services.registration_confirm(uidb64=uidb64, token=token, role=Role.SUPPLIER)
