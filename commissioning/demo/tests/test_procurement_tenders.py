"""The demo's quotes and tenders: an opened tender with three bids, an open one, a quotes route; run twice, the
same."""

import pytest

from commissioning.accounts.roles import Role
from commissioning.demo.procurement_tenders import OPEN_TITLE, OPENED_TITLE, demo_tenders
from commissioning.demo.story import DemoSummary
from commissioning.procurement.models import Bid, BidOpening, CommissioningCase, Quote, Tender
from commissioning.procurement.tests.factories_planning import procurement_config


@pytest.mark.django_db
def test_demo_tenders(users):
    procurement_config()  # the profile's approvers and thresholds, as setup_demo loads them
    people = {Role(role): user for role, user in users.items()}
    summary = DemoSummary(profile=None)
    demo_tenders(users=people, summary=summary)
    demo_tenders(users=people, summary=summary)
    opened = Tender.objects.get(title=OPENED_TITLE)
    assert opened.status == "opened" and opened.bids.filter(status="submitted").count() == 3
    opening = BidOpening.objects.get(tender=opened)
    assert opening.started_by != opening.confirmed_by and opening.bids_received == 3
    still_open = Tender.objects.get(title=OPEN_TITLE)
    assert still_open.status == "published" and Bid.objects.filter(tender=still_open, status="submitted").count() == 1
    assert Quote.objects.filter(chosen=True).count() == 1
    # The cases were made through the planning services, as a user makes them: approved, specified, routed.
    cases = CommissioningCase.objects.all()
    assert cases.count() == 3 and all(
        c.reference.startswith("PC-") and not c.reference.startswith("PC-DEMO") for c in cases
    )
    assert all(c.approved_on and c.route and c.specifications.filter(status="approved").exists() for c in cases)
    assert people[Role.SUPPLIER].email == "supplier@demo.opcc.invalid"
