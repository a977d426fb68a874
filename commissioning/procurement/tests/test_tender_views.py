"""Officers' tender and quote pages, posted through: drafting a tender in UK time, criteria with a bad weight,
publishing refused until the weights add up, the two-officer opening, and the quotes route."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from commissioning.procurement.models import Quote, Tender
from commissioning.procurement.tests.factories_tenders import (
    PDF_BYTES,
    QuotesCaseFactory,
    TenderCaseFactory,
    published_tender,
    sealed_bid,
)

pytestmark = pytest.mark.django_db


def test_an_officer_drafts_a_tender_and_publishing_waits_for_the_weights(client_for):
    client = client_for("commissioning_manager")
    case = TenderCaseFactory()
    day = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        reverse("procurement:tender_create", args=[case.pk]),
        {
            "title": "Domestic abuse outreach",
            "description": "Outreach across the county.",
            "deadline_day": day.day,
            "deadline_month": day.month,
            "deadline_year": day.year,
            "deadline_time": "12pm",
        },
    )
    tender = Tender.objects.get(title="Domestic abuse outreach")
    assert response.status_code == 302
    assert timezone.localtime(tender.deadline).hour == 12
    bad = client.post(
        reverse("procurement:criterion_add", args=[tender.pk]),
        {"kind": "quality", "title": "Quality", "weight": "0", **{f"descriptor_{i}": "x" for i in range(6)}},
    )
    assert b"The weight must be more than 0" in bad.content
    client.post(
        reverse("procurement:criterion_add", args=[tender.pk]),
        {"kind": "quality", "title": "Quality", "weight": "70", **{f"descriptor_{i}": "x" for i in range(6)}},
    )
    client.post(
        reverse("procurement:document_add", args=[tender.pk]),
        {"title": "Specification", "file": SimpleUploadedFile("spec.pdf", PDF_BYTES)},
    )
    refused = client.post(reverse("procurement:tender_publish", args=[tender.pk]))
    assert b"must add up to 100%. They add up to 70%" in refused.content
    assert b"Add exactly one price criterion" in refused.content
    tender.refresh_from_db()
    assert tender.status == "draft" and tender.documents.count() == 1


def test_two_officers_open_the_bids_through_the_page(client_for):
    tender = published_tender(deadline=timezone.now() - dt.timedelta(minutes=1))
    sealed_bid(tender)
    url = reverse("procurement:opening", args=[tender.pk])
    manager = client_for("commissioning_manager")
    manager.post(url, {"notes": "In the meeting room"})
    again = manager.post(url, {})
    assert b"A different officer must confirm the opening" in again.content
    tender.refresh_from_db()
    assert tender.status == "published"
    client_for("finance_officer").post(url, {})
    tender.refresh_from_db()
    assert tender.status == "opened"
    page = manager.get(reverse("procurement:tender_detail", args=[tender.pk]))
    assert b"Bid opening confirmed" in page.content and b"1 bid received" in page.content


def test_quotes_through_the_pages(client_for):
    client = client_for("policy_officer")
    case = QuotesCaseFactory()
    today = timezone.localdate()
    for name in ("A Ltd", "B Ltd"):
        client.post(
            reverse("procurement:quote_invite", args=[case.pk]),
            {
                "supplier_name": name,
                "invited_on_day": today.day,
                "invited_on_month": today.month,
                "invited_on_year": today.year,
            },
        )
    first, second = Quote.objects.filter(case=case).order_by("pk")
    for quote, amount in ((first, "£7,200.00"), (second, "6900")):
        client.post(
            reverse("procurement:quote_record", args=[case.pk, quote.pk]),
            {
                "amount": amount,
                "received_on_day": today.day,
                "received_on_month": today.month,
                "received_on_year": today.year,
                "document": SimpleUploadedFile("quote.pdf", PDF_BYTES),
            },
        )
    no_reason = client.post(reverse("procurement:quote_choose", args=[case.pk]), {"quote": str(second.pk)})
    assert b"Enter why this quote is chosen" in no_reason.content
    client.post(reverse("procurement:quote_choose", args=[case.pk]), {"quote": str(second.pk), "reason": "Lowest"})
    second.refresh_from_db()
    assert second.chosen and str(second.amount) == "6900.00"
    page = client.get(reverse("procurement:quote_list", args=[case.pk]))
    assert b"Chosen: B Ltd" in page.content
    document = client.get(reverse("procurement:quote_document", args=[case.pk, first.pk]))
    assert document.status_code == 200 and document["Cache-Control"] == "private, no-store"
