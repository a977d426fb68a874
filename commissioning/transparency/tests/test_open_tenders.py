"""Open tenders on the public funding page: published tenders still taking bids, with the deadline in UK time and
the estimated value, never a draft, a closed tender or anything sealed."""

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.procurement.tests.factories_tenders import (
    TenderCaseFactory,
    TenderFactory,
    published_tender,
    sealed_bid,
)


def test_a_signed_out_visitor_sees_an_open_tender_and_not_a_draft(db, django_assert_max_num_queries):
    deadline = dt.datetime(2027, 7, 1, 11, 0, tzinfo=dt.UTC)  # 12 noon in London (summer time)
    tender = published_tender(
        title="Domestic abuse outreach across the county",
        deadline=deadline,
        case=TenderCaseFactory(estimated_value=Decimal("450000.00")),
    )
    sealed_bid(tender, secret="SEALED-BID-TEXT", price="398765.00")
    TenderFactory(title="Draft tender nobody may see", status="draft")
    published_tender(title="Closed tender past its deadline", deadline=timezone.now() - dt.timedelta(days=1))
    client = Client()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("transparency:funding"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Domestic abuse outreach across the county" in body
    assert "1 July 2027, 12:00 (UK time)" in body
    assert "£450,000" in body
    assert reverse("procurement:supplier_register") in body
    assert "register to bid" in body
    assert reverse("procurement:opportunity_detail", args=[tender.pk]) in body
    assert "Draft tender nobody may see" not in body
    assert "Closed tender past its deadline" not in body
    assert "SEALED-BID-TEXT" not in body and "398,765" not in body
    assert "There are no tenders open at the moment" not in body


def test_the_funding_page_takes_the_same_queries_for_many_tenders(db, django_assert_max_num_queries):
    client = Client()
    TenderFactory(status="published")
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("transparency:funding"))
    TenderFactory.create_batch(10, status="published")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("transparency:funding")).status_code == 200
