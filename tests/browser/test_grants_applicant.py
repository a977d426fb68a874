"""A new applicant registers, completes and submits a Community Grant Scheme application using only the
keyboard (issue 5, "What must be shown"). On the way every bad input is tried: £99.99, £3,000.01, no
priority, budget lines that do not add up, a program renamed .pdf, a file over the limit and, on a second
round, a submission after the close. Each shows its error in the error summary and keeps what was typed.
axe-core checks every page of the journey.

Keyboard only: fields are reached with Tab or focused with locator.focus(), then typed into; buttons and
links are pressed with Enter, radios and checkboxes with Space. Files are chosen with set_input_files (a
browser's file picker is outside the page).
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.grants.models import Application, GrantRound, GrantScheme
from commissioning.grants.selectors.rounds import when_text
from commissioning.grants.tests.factories import (
    PDF_BYTES,
    ApplicationFactory,
    EligibilityQuestionFactory,
    OpenRoundFactory,
    complete_application,
)
from commissioning.profiles.loader import profile_load
from commissioning.strategy.models import Priority

pytestmark = pytest.mark.django_db(transaction=True)

UPLOAD_LIMIT = 50 * 1024
PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def rounds():
    """The Dorset configuration and two open rounds of its Community Grant Scheme."""
    profile_load(path_or_name="dorset")
    scheme = GrantScheme.objects.get(code="community-grant-scheme")
    terms = scheme.terms_versions.get()
    closes = (timezone.localtime() + dt.timedelta(days=30)).replace(hour=17, minute=0, second=0, microsecond=0)
    first = OpenRoundFactory(
        scheme=scheme, fund=scheme.fund, terms=terms, name="Community Grant Scheme 2026/27", closes_at=closes
    )
    EligibilityQuestionFactory(round=first, text="Is your organisation a voluntary or community organisation?")
    EligibilityQuestionFactory(
        round=first,
        text="Will the project take place in Dorset?",
        ineligible_message="The scheme funds projects in Dorset only.",
    )
    second = OpenRoundFactory(scheme=scheme, fund=scheme.fund, terms=terms, name="Community Grant Scheme winter round")
    return first, second


# --- Keyboard helpers ------------------------------------------------------------------------------------------


def fill(page, locator, text):
    """Focus the field, select what is there and type over it."""
    locator.focus()
    page.keyboard.press("Control+A")
    if text:
        page.keyboard.type(text)
    else:
        page.keyboard.press("Delete")


def press(page, locator):
    """Press Enter on a focused button or link and wait for the next page."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def tick(page, locator):
    locator.focus()
    page.keyboard.press("Space")
    assert locator.is_checked()


def error_summary(page) -> str:
    return page.locator(".govuk-error-summary").inner_text()


def test_a_new_applicant_applies_using_only_the_keyboard(page, live_server, rounds, axe_check, settings, mailoutbox):
    settings.APPLICATION_UPLOAD_MAX_BYTES = UPLOAD_LIMIT
    first, second = rounds

    # The public list of open rounds: Tab to the round's link.
    page.goto(f"{live_server.url}/grants/open/")
    axe_check(page)
    closes = when_text(first.closes_at)
    assert closes.startswith("5pm UK time on ") and f"Closes {closes}" in page.locator("main").inner_text()
    link = page.get_by_role("link", name=first.name)
    for _ in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the round's link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)
    assert "£100.00 to £3,000.00" in page.content()
    press(page, page.get_by_role("button", name="Start now"))

    # Create an account.
    axe_check(page)
    fill(page, page.get_by_label("Name of your organisation"), "Wareham Youth Forum")
    tick(page, page.get_by_label("Constituted community group"))
    fill(page, page.get_by_label("Your full name"), "Robin Hart")
    fill(page, page.get_by_label("E-mail address"), "robin@warehamyouth.example")
    fill(page, page.get_by_label("Create a password"), PASSWORD)
    fill(page, page.get_by_label("Confirm your password"), PASSWORD)
    press(page, button(page, "Create account"))
    user = User.objects.get(email="robin@warehamyouth.example")
    assert user.role == "applicant" and user.organisation.name == "Wareham Youth Forum"
    assert mailoutbox[0].to == ["robin@warehamyouth.example"]

    # Check your e-mail, then follow the link in it to confirm the account and be signed in.
    axe_check(page)
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()
    link = re.search(r"https?://[^/\s]+(/grants/apply/confirm/\S+)", mailoutbox[0].body)[1]
    page.goto(f"{live_server.url}{link}")

    # Eligibility questions.
    axe_check(page)
    for question in first.eligibility_questions.all():
        tick(page, page.get_by_role("group", name=question.text).get_by_label("Yes"))
    press(page, button(page, "Continue"))
    application = Application.objects.get(organisation=user.organisation)
    tasks_url = page.url
    assert tasks_url.endswith(f"/grants/my-applications/{application.pk}/")
    axe_check(page)

    # Organisation details.
    press(page, page.get_by_role("link", name="Organisation details"))
    axe_check(page)
    fill(page, page.get_by_label("Address of your organisation"), "The Youth Hut\nNorth Street\nWareham")
    fill(page, page.get_by_label("Postcode"), "BH20 4AB")
    press(page, button(page, "Save and continue"))
    assert page.url == tasks_url
    axe_check(page)

    # The project.
    press(page, page.get_by_role("link", name="Your project"))
    axe_check(page)
    fill(page, page.get_by_label("Project title"), "Safer evenings in Wareham")
    fill(page, page.get_by_label("Summary of the project"), "Friday evening sessions for young people.")
    fill(page, page.get_by_label("How many people do you expect the project to help?"), "45")
    fill(page, page.get_by_label("What will the project achieve?"), "Less anti-social behaviour in the town centre.")
    for field, (day, month, year) in (("starts_on", ("1", "1", "2027")), ("ends_on", ("31", "12", "2027"))):
        fill(page, page.locator(f"#id_{field}_0"), day)
        page.keyboard.press("Tab")
        page.keyboard.type(month)
        page.keyboard.press("Tab")
        page.keyboard.type(year)
    press(page, button(page, "Save and continue"))
    assert page.url == tasks_url

    # Plan priorities: none chosen first.
    press(page, page.get_by_role("link", name="Plan priorities"))
    axe_check(page)
    press(page, button(page, "Save and continue"))
    assert "Select at least one Police and Crime Plan priority the project meets" in error_summary(page)
    axe_check(page)
    priority = Priority.objects.get(code="2.3", pillar__plan__is_current=True)
    tick(page, page.get_by_label(f"{priority.code} {priority.title}"))
    press(page, button(page, "Save and continue"))
    assert page.url == tasks_url
    assert list(Application.objects.get(pk=application.pk).priorities.all()) == [priority]

    # The budget: too little, too much, lines that do not add up.
    press(page, page.get_by_role("link", name="Budget"))
    axe_check(page)
    amount = page.get_by_label("How much are you asking for?")
    item_1, amount_1 = page.get_by_label("Line 1: what it is for"), page.get_by_label("Line 1: amount")
    item_2, amount_2 = page.get_by_label("Line 2: what it is for"), page.get_by_label("Line 2: amount")
    for requested, line, message in (
        ("99.99", "99.99", "Enter an amount of at least £100.00"),
        ("3,000.01", "3000.01", "Enter an amount of no more than £3,000.00"),
    ):
        fill(page, amount, requested)
        fill(page, item_1, "Hall hire")
        fill(page, amount_1, line)
        press(page, button(page, "Save and continue"))
        assert message in error_summary(page)
        assert (amount.input_value(), item_1.input_value(), amount_1.input_value()) == (requested, "Hall hire", line)
        axe_check(page)
    fill(page, amount, "500")
    fill(page, amount_1, "300")
    fill(page, item_2, "Sports equipment")
    fill(page, amount_2, "150")
    press(page, button(page, "Save and continue"))
    assert "The budget lines add up to £450.00; they must add up to the amount requested, £500.00" in error_summary(
        page
    )
    assert (item_2.input_value(), amount_2.input_value()) == ("Sports equipment", "150")
    axe_check(page)
    fill(page, amount_2, "200")
    press(page, button(page, "Save and continue"))
    assert page.url == tasks_url

    # Attachments: a program renamed .pdf, then a file over the limit, then the three documents.
    press(page, page.get_by_role("link", name="Attachments"))
    axe_check(page)
    file_input = page.get_by_label("Choose the file")
    for content, message in (
        (b"MZ\x90\x00\x03\x00\x00\x00 a Windows program", "must be a PDF, Word, Excel, OpenDocument, PNG or JPEG"),
        (PDF_BYTES + b"0" * UPLOAD_LIMIT, "The selected file must be smaller than 50KB"),
    ):
        tick(page, page.get_by_label("Latest accounts"))
        file_input.set_input_files({"name": "accounts.pdf", "mimeType": "application/pdf", "buffer": content})
        press(page, button(page, "Upload file"))
        assert message in error_summary(page)
        assert page.get_by_label("Latest accounts").is_checked()
        axe_check(page)
    for label, name in (
        ("Constitution or governing document", "constitution.pdf"),
        ("Latest accounts", "accounts-2026.pdf"),
        ("Safeguarding policy", "safeguarding.pdf"),
    ):
        tick(page, page.get_by_label(label))
        file_input.set_input_files({"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES})
        press(page, button(page, "Upload file"))
        assert f"{name} has been uploaded" in page.content()
    axe_check(page)
    press(page, page.get_by_role("button", name="Continue"))
    assert page.url == tasks_url
    assert "You have completed 5 of 5 sections" in page.content()
    axe_check(page)

    # Check answers, the declaration and the confirmation.
    press(page, page.get_by_role("link", name="Check answers and submit"))
    axe_check(page)
    assert "Safer evenings in Wareham" in page.content() and "£500.00" in page.content()
    press(page, button(page, "Continue to the declaration"))
    axe_check(page)
    fill(page, page.get_by_label("Your full name"), "Robin Hart")
    fill(page, page.get_by_label("Your role in the organisation"), "Secretary")
    tick(page, page.get_by_label("I confirm the declaration is true"))
    press(page, button(page, "Accept and submit application"))
    axe_check(page)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert re.fullmatch(r"CGS-\d{4}-0001", application.reference)
    assert application.reference in page.locator(".govuk-panel").inner_text()
    assert any(m.subject == f"Application {application.reference} received" for m in mailoutbox)

    # A second round: the declaration page was open when the round closed.
    late = complete_application(
        ApplicationFactory(round=second, organisation=user.organisation, created_by=user, project_title="Winter club"),
        priorities=[priority],
    )
    page.goto(f"{live_server.url}/grants/my-applications/{late.pk}/declaration/")
    axe_check(page)
    fill(page, page.get_by_label("Your full name"), "Robin Hart")
    fill(page, page.get_by_label("Your role in the organisation"), "Secretary")
    tick(page, page.get_by_label("I confirm the declaration is true"))
    closed_at = timezone.now() - dt.timedelta(minutes=1)
    GrantRound.objects.filter(pk=second.pk).update(opens_at=closed_at - dt.timedelta(days=30), closes_at=closed_at)
    press(page, button(page, "Accept and submit application"))
    assert "Applications can no longer be submitted" in error_summary(page)
    assert error_summary(page).count("This round closed at ") == 1
    assert page.get_by_label("Your full name").input_value() == "Robin Hart"
    assert page.get_by_label("Your role in the organisation").input_value() == "Secretary"
    assert page.get_by_label("I confirm the declaration is true").is_checked()
    axe_check(page)
    late.refresh_from_db()
    assert late.status == "draft" and late.reference is None
