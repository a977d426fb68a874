"""Search as you type (issue 9, point 3): in a real browser the organisation field becomes GOV.UK's
accessible-autocomplete, fed by organisations:search, and the chosen name is saved; without JavaScript the same
field is a text box that takes the name typed. Every page passes axe-core."""

from decimal import Decimal

import pytest

from commissioning.agreements.models import CoFunder
from commissioning.agreements.tests.factories import AgreementFactory, ServiceFactory
from commissioning.organisations.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def service(users):
    Organisation.objects.bulk_create(
        Organisation(name=f"Generated organisation {n:03d}", kind=Organisation.Kind.VCSE) for n in range(300)
    )
    Organisation.objects.create(name="Dorset Council", kind=Organisation.Kind.STATUTORY)
    service = ServiceFactory(name="Youth diversion")
    AgreementFactory(service=service, value=Decimal("10000.00"))  # co-funding is capped at what it pays for
    return service


def test_choosing_a_co_funder_by_searching(page, live_server, signed_in, users, service, axe_check):
    signed_in(users["commissioning_manager"])
    page.set_default_timeout(30_000)  # the first page load also fetches the scripts
    page.goto(f"{live_server.url}/services/{service.pk}/co-funders/add/")
    field = page.get_by_label("Partner organisation", exact=True)
    field.fill("dorset co")
    page.get_by_role("option", name="Dorset Council").click()
    assert field.input_value() == "Dorset Council"
    axe_check(page)
    page.get_by_label("Their contribution in pounds").fill("1500")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert CoFunder.objects.get(service=service).organisation.name == "Dorset Council"


def test_without_javascript_the_name_typed_is_checked(browser, live_server, users, service):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(users["commissioning_manager"])
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/services/{service.pk}/co-funders/add/")
    page.get_by_label("Partner organisation", exact=True).fill("Dorset Counci")
    page.get_by_label("Their contribution in pounds").fill("1500")
    page.get_by_role("button", name="Save").click()
    assert "There is no organisation called ‘Dorset Counci’" in page.content()
    page.get_by_label("Partner organisation", exact=True).fill("dorset council")
    page.get_by_role("button", name="Save").click()
    assert CoFunder.objects.get(service=service).organisation.name == "Dorset Council"
    search = page.context.new_page()
    search.goto(f"{live_server.url}/organisations/search/?scope=providers&q=dorset")
    assert "Dorset Council" in search.content()
    context.close()
