"""Every page of the app, with data and with form errors, passes axe-core in headless chromium."""

import pytest
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
from commissioning.testing.browser import BROWSER

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def test_every_organisations_page_passes_axe(page, live_server, users, signed_in, axe_check):
    organisation = OrganisationFactory(name="Dorset Refuge", charity_number="1234567", website="https://example.org")
    organisation.areas_of_interest.set([AreaOfInterestFactory(name="Domestic Abuse")])
    contact = ContactFactory(organisation=organisation, is_primary=True)
    ContactFactory(organisation=organisation)
    OrganisationFactory(name="Dorset Police", kind=Organisation.Kind.STATUTORY)
    board = BoardFactory(chair=organisation, members=[organisation])
    board.priorities.set([PriorityFactory()])
    BoardMeetingFactory(board=board, recorded_by=users["policy_officer"])
    activity = ActivityFactory(partners=[organisation], board=board, recorded_by=users["policy_officer"])
    signed_in(users["commissioning_manager"])

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
    for url in urls:
        page.goto(live_server.url + url)
        axe_check(page)
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
        axe_check(page)
