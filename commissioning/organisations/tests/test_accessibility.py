"""Every page of the app, with data and with form errors, passes axe-core in headless chromium."""

import os
import shutil

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import (
    ActivityFactory,
    AreaOfInterestFactory,
    BoardFactory,
    BoardMeetingFactory,
    ContactFactory,
    OrganisationFactory,
    PriorityFactory,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls here are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no chromium at {CHROMIUM}"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    }


def sign_in_as(page, live_server, user):
    """Reuse a Django session (force_login) rather than the sign-in form, which other tests cover."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_every_organisations_page_passes_axe(page, live_server, users):
    from axe_playwright_python.sync_playwright import Axe

    organisation = OrganisationFactory(name="Dorset Refuge", charity_number="1234567", website="https://example.org")
    organisation.areas_of_interest.set([AreaOfInterestFactory(name="Domestic Abuse")])
    contact = ContactFactory(organisation=organisation, is_primary=True)
    ContactFactory(organisation=organisation)
    OrganisationFactory(name="Dorset Police", kind=Organisation.Kind.STATUTORY)
    board = BoardFactory(chair=organisation, members=[organisation])
    board.priorities.set([PriorityFactory()])
    BoardMeetingFactory(board=board, recorded_by=users["policy_officer"])
    activity = ActivityFactory(partners=[organisation], board=board, recorded_by=users["policy_officer"])
    sign_in_as(page, live_server, users["commissioning_manager"])
    axe = Axe()
    # The phase banner in core's base.html sits outside every landmark (axe "region"); that is core's to
    # fix, for every page. Everything this app renders is checked.
    context = {"exclude": [[".govuk-phase-banner"]]}

    urls = [
        reverse("organisations:list"),
        reverse("organisations:list") + "?search=zzz",
        reverse("organisations:create"),
        reverse("organisations:detail", args=[organisation.pk]),
        reverse("organisations:edit", args=[organisation.pk]),
        reverse("organisations:contact_add", args=[organisation.pk]),
        reverse("organisations:contact_edit", args=[organisation.pk, contact.pk]),
        reverse("organisations:contact_delete", args=[organisation.pk, contact.pk]),
        reverse("organisations:board_list"),
        reverse("organisations:board_create"),
        reverse("organisations:board_detail", args=[board.pk]),
        reverse("organisations:board_edit", args=[board.pk]),
        reverse("organisations:meeting_add", args=[board.pk]),
        reverse("organisations:activity_list"),
        reverse("organisations:activity_create"),
        reverse("organisations:activity_detail", args=[activity.pk]),
        reverse("organisations:activity_edit", args=[activity.pk]),
    ]
    failures = []
    for url in urls:
        page.goto(live_server.url + url)
        results = axe.run(page, context=context)
        if results.violations_count:
            failures.append(f"{url}\n{results.generate_report()}")
    # A form sent empty shows the error summary and the fields' error messages.
    for url in (
        reverse("organisations:create"),
        reverse("organisations:activity_create"),
        reverse("organisations:meeting_add", args=[board.pk]),
    ):
        page.goto(live_server.url + url)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".govuk-error-summary").count() == 1, url
        results = axe.run(page, context=context)
        if results.violations_count:
            failures.append(f"{url} (with errors)\n{results.generate_report()}")
    assert not failures, "\n\n".join(failures)
