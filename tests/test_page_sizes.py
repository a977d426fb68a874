"""Form pages that choose an organisation stay the same size however many organisations there are (issue 9,
point 3): they offer a search-as-you-type field with a search page behind it, not a <select> or checkboxes of
every organisation. Each page is rendered with 5 and with 500 organisations; the sizes must match within a few
bytes (CSRF tokens and the like)."""

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.organisations.models import Organisation

TOLERANCE = 64  # bytes: tokens and counters that differ between two renders of the same page

PAGES = [
    ("accounts:user_invite", {}, "admin"),
    ("agreements:service_create", {}, "commissioning_manager"),
    ("agreements:cofunder_add", {"pk": "service"}, "commissioning_manager"),
    ("agreements:agreement_create", {"pk": "service"}, "commissioning_manager"),
    ("organisations:board_create", {}, "commissioning_manager"),
    ("organisations:activity_create", {}, "commissioning_manager"),
    ("grants:approach_log", {}, "commissioning_manager"),
    ("grants:candidate_create", {}, "commissioning_manager"),
]


def add_organisations(count: int, start: int) -> None:
    Organisation.objects.bulk_create(
        Organisation(name=f"Generated organisation {n:04d}", kind=Organisation.Kind.VCSE)
        for n in range(start, start + count)
    )


@pytest.fixture
def service(users):
    from commissioning.agreements.tests.factories import ServiceFactory

    return ServiceFactory()


def page_size(client, name, kwargs, service) -> int:
    kwargs = {key: service.pk if value == "service" else value for key, value in kwargs.items()}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, (name, response.status_code)
    return len(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "role"), PAGES, ids=[page[0] for page in PAGES])
def test_a_form_page_does_not_grow_with_the_organisations(name, kwargs, role, users, service):
    client = Client()
    client.force_login(users[role])
    add_organisations(5, 0)
    small = page_size(client, name, kwargs, service)
    add_organisations(495, 5)
    assert Organisation.objects.count() >= 500
    large = page_size(client, name, kwargs, service)
    assert abs(large - small) <= TOLERANCE, f"{name}: {small:,} bytes with 5 organisations, {large:,} with 500"
