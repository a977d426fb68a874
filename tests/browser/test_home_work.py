"""Each role signs in through the real form and finds its own work on its home page, follows the link to where that
work is done, and every home page passes axe-core (issue 8, point 7). One browser goes through every role in turn.

Set HOME_SCREENSHOTS=<folder> to keep a full-page screenshot of each role's home page.
"""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from commissioning.agreements.models import SafetyFundReview
from commissioning.agreements.tests.factories import CoFunderFactory, SafetyFundReviewFactory
from commissioning.agreements.tests.factories import ServiceFactory as RegisterServiceFactory
from commissioning.grants.tests.factories import AcceptedAwardFactory, ApplicationFactory, AwardFactory
from commissioning.home.tests.work import assessor_work, finance_work, officer_work, pcc_work
from commissioning.procurement.tests.factories_tenders import published_tender
from commissioning.strategy.models import SignOffStatus
from commissioning.strategy.tests.factories import (
    DecisionRecordFactory,
    StrategyVersionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _work(users) -> dict[str, tuple[str, str, str]]:
    """Build every role's work; give, for each role, (area heading, the item's link text, words in the title of the
    page the link leads to)."""
    pcc = pcc_work(users)
    grant_round, _, _, _ = officer_work(users)
    _, _, assignments = assessor_work(users["evaluator"], count=2)
    planned, payable = finance_work()
    review = SafetyFundReviewFactory(status=SafetyFundReview.Status.SUBMITTED)
    signed = StrategyVersionFactory(
        status=SignOffStatus.SIGNED,
        in_force_from=timezone.now(),
        review_due_on=timezone.localdate() + dt.timedelta(days=20),
        document__title="Victims Needs Strategy",
    )
    applicant_organisation = users["applicant"].organisation
    ApplicationFactory(organisation=applicant_organisation, project_title="Safer streets walk")
    offer = AwardFactory(
        application__organisation=applicant_organisation,
        application__project_title="Youth boxing club",
        amount=Decimal("2000.00"),
    )
    AcceptedAwardFactory(application__organisation=applicant_organisation, application__project_title="Food bank")
    service = RegisterServiceFactory(
        provider=users["provider"].organisation, name="Independent domestic violence advisers"
    )
    share = CoFunderFactory(organisation=users["partner"].organisation, service__name="Sexual assault referral centre")
    DecisionRecordFactory(subject="Funding for the youth diversion scheme")
    tender = published_tender(title="Independent sexual violence advisers")
    payment = payable[0]
    return {
        "pcc": ("Grant rounds to decide", pcc["round"].name, f"Decide {pcc['round'].name}"),
        "chief_executive": ("Pre-year reviews to approve", review_label(review), "Pre-year review of"),
        "director_operations": ("Waiting for your signature", version_label(pcc["version"]), "version 2"),
        "cfo": ("Commitments to approve", commitment_label(planned[0]), "Approve commitment"),
        "commissioning_manager": ("Grant rounds to progress", grant_round.name, f"Assessment of {grant_round.name}"),
        "policy_officer": ("Strategy reviews due", signed.document.title, signed.document.title),
        "finance_officer": (
            "Payments due in the next 30 days",
            f"£1,000.00 to {payment.agreement.service.name}",
            "Record a payment",
        ),
        "evaluator": ("Applications to score", assignment_label(assignments[0]), "Assess"),
        "applicant": ("Grant offers to accept", f"£2,000.00 for {offer.application.project_title}", "Accept"),
        "provider": ("Your services", service.name, service.name),
        "partner": ("Services you co-fund", share.service.name, share.service.name),
        "supplier": ("Contract opportunities open for bids", tender.title, tender.title),
        "panel_member": ("What you can read", "Services", "Commissioned services"),
        "auditor": ("What you can read", "Decisions", "Decisions"),
        "admin": ("What you can do", "People", "People"),
    }


def version_label(version):
    return f"{version.document.title}, version {version.number}"


def review_label(review):
    return f"Pre-year review of the {review.fund.name} for {review.year.label}"


def commitment_label(commitment):
    return f"{commitment.agreement.reference}: £1,200.00 from {commitment.fund.name}"


def assignment_label(assignment):
    application = assignment.application
    return f"{application.organisation.name}: {application.project_title}"


def test_each_role_finds_its_own_work_on_its_home_page(page, live_server, users, sign_in, axe_check):
    expected = _work(users)
    shots = os.environ.get("HOME_SCREENSHOTS")
    page.set_viewport_size({"width": 1200, "height": 900})
    for role, user in users.items():
        heading, link_text, destination = expected[role]
        sign_in(page, user)
        assert page.locator("h1").inner_text() == f"Welcome, {user.display_name}", role
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), role
        if role not in ("panel_member", "auditor", "admin", "provider", "partner"):
            # The summary at the top counts it and links to it.
            assert page.locator(".govuk-task-list").first.get_by_role("link", name=heading).is_visible(), role
        axe_check(page)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"home-{role}.png"), full_page=True)
        # The item leads to the page where the work is done, and that page lets this person in.
        page.get_by_role("link", name=link_text, exact=True).first.click()
        page.wait_for_load_state()
        assert destination in page.title(), (role, page.url, page.title())
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state()
