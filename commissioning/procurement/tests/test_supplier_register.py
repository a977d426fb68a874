"""A supplier registers through the registration grants applicants use too (organisations.views.register_page,
organisations.services.self_register): its own form, role, organisation kind, e-mails and pages."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.grants.forms.apply import RegisterForm as ApplicantRegisterForm
from commissioning.organisations.models import Organisation

pytestmark = pytest.mark.django_db

REGISTER_FORM = {
    "organisation_name": "Harbourside Support Services Ltd",
    "company_number": "01234567",
    "name": "Bid Manager",
    "email": "bids@harbourside.example",
    "password": "a-long-and-unusual-passphrase",
    "password_again": "a-long-and-unusual-passphrase",
}


def test_a_supplier_registers_confirms_its_address_and_is_signed_in(mailoutbox, django_capture_on_commit_callbacks):
    client = Client()
    page = client.get(reverse("procurement:supplier_register")).content.decode()
    assert "Create a supplier account" in page and 'maxlength="200"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("procurement:supplier_register"), REGISTER_FORM)
    assert response.status_code == 302 and response["Location"] == reverse("procurement:supplier_register_sent")
    assert "bids@harbourside.example" in client.get(response["Location"]).content.decode()
    user = User.objects.get(email="bids@harbourside.example")
    assert user.role == Role.SUPPLIER and not user.is_active
    assert user.organisation.kind == Organisation.Kind.PROVIDER
    assert user.organisation.description == "Supplier registered to bid for contracts"
    [message] = mailoutbox
    assert message.subject.startswith("Confirm your supplier account with ")
    link = re.search(r"https?://[^/\s]+(/\S*suppliers/confirm/\S+)", message.body)[1]
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("procurement:opportunity_list")
    assert client.get(link).status_code == 302  # signed in now: sent on, not confirmed twice
    assert Client().get(link).status_code == 400  # used


def test_a_supplier_registering_an_address_with_an_account_is_told_by_e_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="bids@harbourside.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("procurement:supplier_register"), REGISTER_FORM)
    assert response["Location"] == reverse("procurement:supplier_register_sent")
    [message] = mailoutbox
    assert message.subject.startswith("You already have an account with ")
    assert not Organisation.objects.filter(name=REGISTER_FORM["organisation_name"]).exists()


def test_the_grant_applicants_form_keeps_its_own_fields_and_order():
    form = ApplicantRegisterForm()
    assert list(form.fields)[:5] == [
        "organisation_name",
        "organisation_type",
        "charity_number",
        "company_number",
        "name",
    ]
    assert form.fields["email"].help_text == "We will send you a copy of your application and our decision"
