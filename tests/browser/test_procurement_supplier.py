"""A new supplier registers, finds an opportunity, asks a question and submits a bid with a file before the
deadline (issue 10, point 5); axe-core checks every page of the journey. The bid stays sealed: the officers'
tender page shows only that one bid was submitted."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.procurement.models import Bid, ClarificationQuestion
from commissioning.procurement.tests.factories_tenders import PDF_BYTES, published_tender

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-and-unusual-passphrase"


def test_a_new_supplier_bids_for_an_opportunity(page, live_server, axe_check, mailoutbox, tmp_path, users):
    tender = published_tender(title="Support for victims of fraud")

    page.goto(f"{live_server.url}/procurement/opportunities/")
    axe_check(page)
    page.get_by_role("link", name="Support for victims of fraud").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name="create a supplier account").click()
    page.wait_for_load_state()

    # Create an account.
    axe_check(page)
    page.get_by_label("Name of your organisation").fill("Purbeck Fraud Advice Ltd")
    page.get_by_label("Your full name").fill("Sam Bidder")
    page.get_by_label("E-mail address").fill("sam@purbeckfraud.example")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()
    user = User.objects.get(email="sam@purbeckfraud.example")
    assert user.role == "supplier" and not user.is_active
    link = re.search(r"https?://[^/\s]+(/procurement/suppliers/confirm/\S+)", mailoutbox[0].body)[1]
    page.goto(f"{live_server.url}{link}")
    page.wait_for_load_state()

    # Back on the opportunity, signed in: documents, a question.
    assert page.url.endswith(reverse("procurement:opportunity_detail", args=[tender.pk]))
    axe_check(page)
    assert page.get_by_role("link", name="Specification").is_visible()
    page.get_by_role("link", name="Ask a clarification question").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("button", name="Send the question").click()
    page.wait_for_load_state()
    axe_check(page)  # the error summary
    assert "Enter your question" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Your question").fill("Is there a minimum number of staff?")
    page.get_by_role("button", name="Send the question").click()
    page.wait_for_load_state()
    assert ClarificationQuestion.objects.get(tender=tender).organisation == user.organisation

    # The bid: start, price and answers, a file, check and submit.
    page.get_by_role("link", name="Start your bid").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("button", name="Start your bid").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Your total price").fill("£198,500.00")
    for label in ("How you will reach victims", "Safeguarding", "Social value"):
        page.get_by_label(label).fill(f"Our answer about {label.lower()}.")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name="2. Files").click()
    page.wait_for_load_state()
    axe_check(page)
    document = tmp_path / "method-statement.pdf"
    document.write_bytes(PDF_BYTES)
    page.get_by_label("Choose the file").set_input_files(str(document))
    page.get_by_role("button", name="Upload file").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="method-statement.pdf").is_visible()
    page.get_by_role("link", name="Continue").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("button", name="Submit your bid").click()
    page.wait_for_load_state()
    axe_check(page)
    assert "Your bid has been submitted" in page.locator("main").inner_text()
    bid = Bid.objects.get(tender=tender, organisation=user.organisation)
    assert bid.status == "submitted"

    # Sealed: the officers see that a bid arrived, not what it says (they do see who asked the question).
    officer = Client()
    officer.force_login(users["commissioning_manager"])
    body = officer.get(reverse("procurement:tender_detail", args=[tender.pk])).content
    assert b"198,500" not in body and b"198500" not in body and b"Our answer about" not in body
