import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from commissioning.accounts.models import User

pytestmark = pytest.mark.django_db


def test_provider_must_belong_to_an_organisation_in_full_clean():
    user = User(email="p@example.org", display_name="P", role="provider")
    with pytest.raises(ValidationError):
        user.full_clean(exclude=["password"])


def test_provider_must_belong_to_an_organisation_in_database():
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="p@example.org", display_name="P", role="provider")])


def test_unknown_role_refused():
    with pytest.raises(ValidationError):
        User.objects.create_user("x@example.org", role="wizard", display_name="X")


def test_email_is_stored_lower_case():
    user = User.objects.create_user("Mixed.Case@Example.ORG", role="pcc", display_name="X")
    assert user.email == "mixed.case@example.org"
