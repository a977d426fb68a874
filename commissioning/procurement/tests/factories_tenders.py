"""Factories for quotes, tenders and bids (issue 10, points 5 and 6). They build rows directly, in the states the
tests and the URL matrix need: a draft tender, a published one open for bids, one past its deadline, one opened.

`published_tender()` gives a tender with complete criteria (quality 60 with two sub-criteria, price 30, social value
10) and a document; `sealed_bid(tender, organisation, ...)` a submitted bid with its price, answers and a file."""

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.accounts.tests.factories import UserFactory
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.procurement.models import (
    AwardCriterion,
    Bid,
    BidAnswer,
    BidAttachment,
    BidEnvelope,
    BidOpening,
    CommissioningCase,
    Quote,
    Tender,
    TenderDocument,
)
from commissioning.procurement.models.tenders import DEFAULT_DESCRIPTORS
from commissioning.procurement.selectors.bids import answerable_criteria

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class TenderCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissioningCase

    reference = factory.Sequence(lambda n: f"TCASE-{n:04d}")
    title = factory.Sequence(lambda n: f"Victim support service {n}")
    need_summary = "Victims need support to cope and recover."
    stage = "route"
    estimated_value = Decimal("450000.00")
    route = "open"
    regime = "pa_2023"


class QuotesCaseFactory(TenderCaseFactory):
    title = factory.Sequence(lambda n: f"Training for volunteers {n}")
    estimated_value = Decimal("8000.00")
    route = "quotes"


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    case = factory.SubFactory(QuotesCaseFactory)
    supplier_name = factory.Sequence(lambda n: f"Quoting supplier {n}")
    invited_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))


class TenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tender

    case = factory.SubFactory(TenderCaseFactory)
    reference = factory.Sequence(lambda n: f"TND-T-{n:04d}")
    title = factory.Sequence(lambda n: f"Tender {n}")
    description = "A service for victims of crime across the county."
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    created_by = factory.SubFactory(UserFactory, role="commissioning_manager")


class SupplierFactory(UserFactory):
    role = "supplier"
    organisation = factory.SubFactory(OrganisationFactory, kind="provider")


def add_criteria(tender: Tender) -> list[AwardCriterion]:
    def make(kind, title, weight, order, parent=None):
        return AwardCriterion.objects.create(
            tender=tender,
            parent=parent,
            kind=kind,
            title=title,
            guidance=f"Tell us about {title.lower()}",
            weight=Decimal(weight),
            order=order,
            descriptors=list(DEFAULT_DESCRIPTORS),
        )

    quality = make("quality", "Quality of the service", "60", 1)
    make("quality", "How you will reach victims", "35", 2, parent=quality)
    make("quality", "Safeguarding", "25", 3, parent=quality)
    make("price", "Price", "30", 4)
    make("social_value", "Social value", "10", 5)
    return list(AwardCriterion.objects.filter(tender=tender))


def add_document(tender: Tender, *, title: str = "Specification") -> TenderDocument:
    document = TenderDocument(
        tender=tender,
        title=title,
        filename="specification.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=tender.created_by,
    )
    document.file.save("document", ContentFile(PDF_BYTES), save=False)
    document.save()
    return document


def published_tender(*, deadline=None, **kwargs) -> Tender:
    """A published tender with complete criteria and a document. A deadline in the past gives a closed one."""
    tender = TenderFactory(
        status="published",
        published_at=timezone.now() - dt.timedelta(days=20),
        deadline=deadline or timezone.now() + dt.timedelta(days=14),
        **kwargs,
    )
    add_criteria(tender)
    add_document(tender)
    return tender


def sealed_bid(tender: Tender, organisation=None, *, price="400000.00", secret="SECRET-ANSWER", status="submitted"):
    """A bid with its envelope: a price, an answer to every question (containing `secret`) and a PDF file."""
    organisation = organisation or OrganisationFactory(kind="provider")
    author = UserFactory(role="supplier", organisation=organisation)
    bid = Bid.objects.create(
        tender=tender,
        organisation=organisation,
        status=status,
        created_by=author,
        submitted_by=author if status == "submitted" else None,
        submitted_at=timezone.now() - dt.timedelta(days=1) if status == "submitted" else None,
    )
    BidEnvelope.objects.create(bid=bid, price=Decimal(price) if price else None)
    for criterion in answerable_criteria(tender):
        BidAnswer.objects.create(bid=bid, criterion=criterion, text=f"{secret} for {criterion.title}")
    attachment = BidAttachment(bid=bid, filename="method-statement.pdf", content_type="application/pdf", size=10)
    attachment.file.save("bid", ContentFile(PDF_BYTES + secret.encode()), save=False)
    attachment.save()
    return bid


def open_tender(tender: Tender, *, first=None, second=None) -> BidOpening:
    """Record a confirmed opening directly (the services' own path is tested in test_tender_services)."""
    first = first or UserFactory(role="commissioning_manager")
    second = second or UserFactory(role="finance_officer")
    now = timezone.now()
    opening = BidOpening.objects.create(
        tender=tender,
        started_by=first,
        started_at=now,
        confirmed_by=second,
        confirmed_at=now,
        bids_received=tender.bids.filter(status="submitted").count(),
    )
    tender.status = "opened"
    tender.save()
    return opening
