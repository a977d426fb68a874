"""Role x URL expectations for quotes, tenders, the supplier portal and sealed bids (contract in
commissioning/testing/matrix.py).

world.tender_draft is a draft tender with criteria and a document; world.tender_open a published tender taking
bids, with a question from the supplier and the supplier's own bid (with a file); world.tender_closed one past its
deadline, not opened; world.tender_opened one whose bids were opened, with a bid from another supplier;
world.quotes_case a case on the quotes route with a quote received.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.procurement.models import ClarificationQuestion
from commissioning.procurement.tests.factories_tenders import (
    PDF_BYTES,
    QuoteFactory,
    QuotesCaseFactory,
    TenderCaseFactory,
    TenderFactory,
    add_criteria,
    add_document,
    open_tender,
    published_tender,
    sealed_bid,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
VIEWERS = [*STAFF, "auditor"]
MANAGERS = ("commissioning_manager", "policy_officer")
OPENERS = (
    "commissioning_manager",
    "policy_officer",
    "finance_officer",
    "cfo",
    "chief_executive",
    "director_operations",
)
READERS = (*OPENERS, "auditor")

EVERYONE = expect(200, anonymous=200)
VIEW = expect(403, **roles(*VIEWERS, status=200))
MANAGE = expect(403, **roles(*MANAGERS, status=200))
MANAGE_ACTION = expect(403, **roles(*MANAGERS, status=405))
OPEN = expect(403, **roles(*OPENERS, status=200))
READ_OPENED = expect(403, **roles(*READERS, status=200))
SUPPLIER = expect(403, supplier=200)
SUPPLIER_ACTION = expect(403, supplier=405)


def setup(world):
    supplier = world.users["supplier"]
    world.tender_case = TenderCaseFactory(title="Matrix tender case")
    world.tender_draft = TenderFactory(title="Matrix draft tender")
    add_criteria(world.tender_draft)
    world.tender_draft_document = add_document(world.tender_draft)
    world.tender_draft_criterion = world.tender_draft.criteria.get(kind="price")

    world.tender_open = published_tender(title="Matrix open tender")
    world.tender_open_document = world.tender_open.documents.get()
    world.tender_open_question = ClarificationQuestion.objects.create(
        tender=world.tender_open, organisation=supplier.organisation, asked_by=supplier, question="When does it start?"
    )
    world.own_bid = sealed_bid(world.tender_open, supplier.organisation, status="draft")
    world.own_bid_file = world.own_bid.attachments.get()

    world.tender_closed = published_tender(
        title="Matrix closed tender", deadline=timezone.now() - dt.timedelta(hours=1)
    )
    sealed_bid(world.tender_closed)

    world.tender_opened = published_tender(title="Matrix opened tender", deadline=timezone.now() - dt.timedelta(days=1))
    world.opened_bid = sealed_bid(world.tender_opened)
    world.opened_bid_file = world.opened_bid.attachments.get()
    open_tender(world.tender_opened)

    world.quotes_case = QuotesCaseFactory(title="Matrix quotes case")
    world.quote = QuoteFactory(
        case=world.quotes_case,
        amount="7200.00",
        received_on=timezone.localdate() - dt.timedelta(days=2),
        document_name="quote.pdf",
        document_type="application/pdf",
    )
    world.quote.document.save("quote", ContentFile(PDF_BYTES))


def _tender(name):
    return lambda w: {"pk": getattr(w, name).pk}


CASES = [
    # Quotes.
    UrlCase("procurement:quote_list", VIEW, lambda w: {"case_pk": w.quotes_case.pk}),
    UrlCase("procurement:quote_invite", MANAGE, lambda w: {"case_pk": w.quotes_case.pk}),
    UrlCase("procurement:quote_record", MANAGE, lambda w: {"case_pk": w.quotes_case.pk, "pk": w.quote.pk}),
    UrlCase("procurement:quote_document", VIEW, lambda w: {"case_pk": w.quotes_case.pk, "pk": w.quote.pk}),
    UrlCase("procurement:quote_choose", MANAGE, lambda w: {"case_pk": w.quotes_case.pk}),
    # Tenders, for officers.
    UrlCase("procurement:tender_create", MANAGE, lambda w: {"case_pk": w.tender_case.pk}),
    UrlCase("procurement:tender_list", VIEW),
    UrlCase("procurement:tender_detail", VIEW, _tender("tender_opened")),
    UrlCase("procurement:tender_edit", MANAGE, _tender("tender_open")),
    UrlCase("procurement:tender_publish", MANAGE, _tender("tender_draft")),
    UrlCase("procurement:document_add", MANAGE, _tender("tender_draft")),
    UrlCase(
        "procurement:document_download",
        VIEW,
        lambda w: {"pk": w.tender_draft.pk, "document_pk": w.tender_draft_document.pk},
    ),
    UrlCase(
        "procurement:document_remove",
        MANAGE_ACTION,
        lambda w: {"pk": w.tender_draft.pk, "document_pk": w.tender_draft_document.pk},
    ),
    UrlCase("procurement:criterion_add", MANAGE, _tender("tender_draft")),
    UrlCase(
        "procurement:criterion_edit",
        MANAGE,
        lambda w: {"pk": w.tender_draft.pk, "criterion_pk": w.tender_draft_criterion.pk},
    ),
    UrlCase(
        "procurement:criterion_remove",
        MANAGE_ACTION,
        lambda w: {"pk": w.tender_draft.pk, "criterion_pk": w.tender_draft_criterion.pk},
    ),
    UrlCase(
        "procurement:clarification_answer",
        MANAGE,
        lambda w: {"pk": w.tender_open.pk, "question_pk": w.tender_open_question.pk},
    ),
    UrlCase("procurement:opening", OPEN, _tender("tender_closed")),
    UrlCase("procurement:bids_export", READ_OPENED, _tender("tender_opened")),
    UrlCase("procurement:bid_detail", READ_OPENED, lambda w: {"pk": w.tender_opened.pk, "bid_pk": w.opened_bid.pk}),
    UrlCase(
        "procurement:bid_attachment_download",
        READ_OPENED,
        lambda w: {"pk": w.tender_opened.pk, "bid_pk": w.opened_bid.pk, "attachment_pk": w.opened_bid_file.pk},
    ),
    # The supplier portal.
    UrlCase("procurement:supplier_register", expect(302, anonymous=200)),
    UrlCase("procurement:supplier_register_sent", EVERYONE),
    UrlCase(
        "procurement:supplier_confirm", expect(302, anonymous=400), lambda w: {"uidb64": "MA", "token": "bad-token"}
    ),
    UrlCase("procurement:opportunity_list", EVERYONE),
    UrlCase("procurement:opportunity_detail", EVERYONE, _tender("tender_open")),
    UrlCase("procurement:interest_express", SUPPLIER_ACTION, _tender("tender_open")),
    UrlCase(
        "procurement:opportunity_document",
        SUPPLIER,
        lambda w: {"pk": w.tender_open.pk, "document_pk": w.tender_open_document.pk},
    ),
    UrlCase("procurement:question_ask", SUPPLIER, _tender("tender_open")),
    UrlCase("procurement:bid_edit", SUPPLIER, _tender("tender_open")),
    UrlCase("procurement:bid_attachments", SUPPLIER, _tender("tender_open")),
    UrlCase(
        "procurement:own_bid_attachment_download",
        SUPPLIER,
        lambda w: {"pk": w.tender_open.pk, "attachment_pk": w.own_bid_file.pk},
    ),
    UrlCase(
        "procurement:bid_attachment_remove",
        SUPPLIER_ACTION,
        lambda w: {"pk": w.tender_open.pk, "attachment_pk": w.own_bid_file.pk},
    ),
    UrlCase("procurement:bid_check", SUPPLIER, _tender("tender_open")),
    UrlCase("procurement:bid_withdraw", SUPPLIER_ACTION, _tender("tender_open")),
    UrlCase("procurement:bid_list_mine", SUPPLIER),
]
