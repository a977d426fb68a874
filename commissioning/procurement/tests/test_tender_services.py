"""Tender, bid and quote services (issue 10, point 5 and the opening of point 6)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.procurement.models import AwardCriterion, BidOpening, BidStatus
from commissioning.procurement.selectors import tenders as selectors
from commissioning.procurement.services import bids as bid_services
from commissioning.procurement.services import quotes as quote_services
from commissioning.procurement.services import tenders as services
from commissioning.procurement.tests.factories_tenders import (
    PDF_BYTES,
    QuoteFactory,
    QuotesCaseFactory,
    SupplierFactory,
    TenderCaseFactory,
    TenderFactory,
    add_criteria,
    add_document,
    published_tender,
    sealed_bid,
)

pytestmark = pytest.mark.django_db


def _pdf(name="bid.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


# --- Criteria weights ------------------------------------------------------------------------------------------


def test_weights_must_add_up_to_100_before_publishing(users):
    manager = users["commissioning_manager"]
    tender = TenderFactory(created_by=manager)
    add_document(tender)
    services.criterion_add(actor=manager, tender=tender, kind="quality", title="Quality", weight=Decimal("60"))
    services.criterion_add(actor=manager, tender=tender, kind="price", title="Price", weight=Decimal("30"))
    with pytest.raises(ValidationError) as error:
        services.tender_publish(actor=manager, tender=tender)
    assert "The weights of the criteria must add up to 100%. They add up to 90%" in error.value.messages
    services.criterion_add(
        actor=manager, tender=tender, kind="social_value", title="Social value", weight=Decimal("10")
    )
    assert services.tender_publish(actor=manager, tender=tender).status == "published"
    assert tender.case.__class__.objects.get(pk=tender.case_id).stage == "tender"


def test_sub_criteria_must_add_up_to_their_criterion(users):
    manager = users["commissioning_manager"]
    tender = TenderFactory(created_by=manager)
    add_criteria(tender)
    sub = AwardCriterion.objects.get(tender=tender, title="Safeguarding")
    services.criterion_update(actor=manager, criterion=sub, title=sub.title, weight=Decimal("20"))
    problems = selectors.criteria_problems(tender)
    assert any("must add up to its weight, 60%" in p and "55%" in p for p in problems)


def test_one_price_criterion_only_and_price_has_no_sub_criteria(users):
    manager = users["commissioning_manager"]
    tender = TenderFactory(created_by=manager)
    add_criteria(tender)
    with pytest.raises(ValidationError):
        services.criterion_add(actor=manager, tender=tender, kind="price", title="Price again", weight=Decimal("5"))
    price = AwardCriterion.objects.get(tender=tender, kind="price")
    with pytest.raises(ValidationError):
        services.criterion_add(
            actor=manager, tender=tender, kind="quality", title="Part", weight=Decimal("5"), parent=price
        )


def test_only_commissioning_officers_manage_tenders(users):
    case = TenderCaseFactory()
    for role in ("finance_officer", "auditor", "supplier", "admin"):
        with pytest.raises(Exception) as error:
            services.tender_create(
                actor=users[role],
                case=case,
                title="T",
                description="D",
                deadline=timezone.now() + dt.timedelta(days=3),
            )
        assert error.type.__name__ == "PermissionDenied"


# --- Clarification questions ---------------------------------------------------------------------------------


def test_an_answer_is_published_to_every_supplier_without_the_asker(
    users, mailoutbox, django_capture_on_commit_callbacks
):
    tender = published_tender()
    supplier = users["supplier"]
    bid_services.interest_express(actor=supplier, tender=tender)
    another = SupplierFactory()
    bid_services.interest_express(actor=another, tender=tender)
    question = bid_services.clarification_ask(actor=supplier, tender=tender, question="Is TUPE likely to apply?")
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_answer(actor=users["commissioning_manager"], question=question, answer="No.")
    published = selectors.published_clarifications(tender)
    assert published == [
        {
            "pk": question.pk,
            "question": "Is TUPE likely to apply?",
            "answer": "No.",
            "answered_at": published[0]["answered_at"],
        }
    ]
    assert len(mailoutbox) == 1
    assert supplier.organisation.name not in mailoutbox[0].body
    assert sorted(mailoutbox[0].to) == sorted([supplier.email, another.email])


# --- Bids and the deadline -----------------------------------------------------------------------------------


def test_a_supplier_prepares_and_submits_a_bid(users):
    tender = published_tender()
    supplier = users["supplier"]
    bid = bid_services.bid_start(actor=supplier, tender=tender)
    with pytest.raises(ValidationError):
        bid_services.bid_submit(actor=supplier, bid=bid)
    criteria = {c.pk: f"Answer to {c.title}" for c in selectors_bids_answerable(tender)}
    bid_services.bid_save(actor=supplier, bid=bid, price=Decimal("350000.00"), answers=criteria)
    bid_services.bid_attachment_add(actor=supplier, bid=bid, file=_pdf())
    bid = bid_services.bid_submit(actor=supplier, bid=bid)
    assert bid.status == BidStatus.SUBMITTED and bid.submitted_at is not None
    # Withdraw, then change and submit again before the deadline.
    assert bid_services.bid_withdraw(actor=supplier, bid=bid).status == BidStatus.WITHDRAWN
    bid_services.bid_save(actor=supplier, bid=bid, price=Decimal("340000.00"), answers=criteria)
    assert bid_services.bid_submit(actor=supplier, bid=bid).status == BidStatus.SUBMITTED


def selectors_bids_answerable(tender):
    from commissioning.procurement.selectors.bids import answerable_criteria

    return answerable_criteria(tender)


def test_a_late_bid_is_refused_on_submit(users):
    tender = published_tender()
    supplier = users["supplier"]
    bid = bid_services.bid_start(actor=supplier, tender=tender)
    answers = {c.pk: "An answer" for c in selectors_bids_answerable(tender)}
    bid_services.bid_save(actor=supplier, bid=bid, price=Decimal("300000.00"), answers=answers)
    tender.deadline = timezone.now() - dt.timedelta(seconds=1)
    tender.save()
    with pytest.raises(ValidationError) as error:
        bid_services.bid_submit(actor=supplier, bid=bid)
    assert "Late bids cannot be accepted" in error.value.messages[0]
    bid.refresh_from_db()
    assert bid.status == BidStatus.DRAFT
    for write in (
        lambda: bid_services.bid_save(actor=supplier, bid=bid, price=Decimal("1.00"), answers={}),
        lambda: bid_services.bid_attachment_add(actor=supplier, bid=bid, file=_pdf()),
        lambda: bid_services.bid_start(actor=users["supplier"], tender=tender),
    ):
        with pytest.raises(ValidationError):
            write()


def test_a_supplier_cannot_touch_another_organisations_bid(users):
    tender = published_tender()
    other = sealed_bid(tender, status="draft")
    with pytest.raises(Exception) as error:
        bid_services.bid_save(actor=users["supplier"], bid=other, price=Decimal("1.00"), answers={})
    assert error.type.__name__ == "PermissionDenied"


# --- The opening ---------------------------------------------------------------------------------------------


def test_opening_needs_two_different_officers_after_the_deadline(users):
    tender = published_tender()
    sealed_bid(tender)
    manager, finance = users["commissioning_manager"], users["finance_officer"]
    with pytest.raises(ValidationError, match="before the deadline"):
        services.opening_start(actor=manager, tender=tender)
    tender.deadline = timezone.now() - dt.timedelta(minutes=1)
    tender.save()
    services.opening_start(actor=manager, tender=tender)
    with pytest.raises(ValidationError, match="different officer"):
        services.opening_confirm(actor=manager, tender=tender)
    tender.refresh_from_db()
    assert tender.status == "published"
    with pytest.raises(Exception) as error:
        services.opening_confirm(actor=users["admin"], tender=tender)
    assert error.type.__name__ == "PermissionDenied"
    opening = services.opening_confirm(actor=finance, tender=tender)
    tender.refresh_from_db()
    assert tender.status == "opened" and opening.bids_received == 1
    assert tender.case.__class__.objects.get(pk=tender.case_id).stage == "evaluation"
    log = [entry.what for entry in selectors.tender_activity(tender)]
    assert "Bid opening confirmed" in log and "Bid opening started" in log


def test_the_database_refuses_one_officer_opening_alone(users):
    tender = published_tender(deadline=timezone.now() - dt.timedelta(minutes=1))
    officer = users["commissioning_manager"]
    with pytest.raises(IntegrityError), transaction.atomic():
        BidOpening.objects.create(
            tender=tender,
            started_by=officer,
            started_at=timezone.now(),
            confirmed_by=officer,
            confirmed_at=timezone.now(),
        )


# --- Quotes --------------------------------------------------------------------------------------------------


def test_quotes_are_invited_recorded_and_one_chosen_with_a_reason(users):
    manager = users["commissioning_manager"]
    case = QuotesCaseFactory()
    today = timezone.localdate()
    first = quote_services.quote_invite(actor=manager, case=case, supplier_name="A Ltd", invited_on=today)
    second = quote_services.quote_invite(actor=manager, case=case, supplier_name="B Ltd", invited_on=today)
    quote_services.quote_record(actor=manager, quote=first, amount=Decimal("7000"), received_on=today, document=_pdf())
    quote_services.quote_record(actor=manager, quote=second, amount=Decimal("6500"), received_on=today)
    with pytest.raises(ValidationError):
        quote_services.quote_choose(actor=manager, quote=second, reason=" ")
    chosen = quote_services.quote_choose(actor=manager, quote=second, reason="The lowest price")
    assert chosen.chosen and chosen.chosen_by == manager
    with pytest.raises(ValidationError):
        quote_services.quote_choose(actor=manager, quote=first, reason="Changed our mind")


def test_quotes_only_on_the_quotes_route(users):
    with pytest.raises(ValidationError):
        quote_services.quote_invite(
            actor=users["commissioning_manager"],
            case=TenderCaseFactory(),
            supplier_name="A Ltd",
            invited_on=timezone.localdate(),
        )
    assert QuoteFactory().case.route == "quotes"
