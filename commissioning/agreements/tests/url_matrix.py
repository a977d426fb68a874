"""Role × URL expectations for the register of services and the pre-year review (contract in
commissioning/testing/matrix.py).

world.service is provided by the provider's organisation and co-funded by the partner's; world.other_service
by neither. A record a person may not see is a 404; a page they may see but not use is a 403.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from commissioning.accounts.roles import OPCC_STAFF, SMT
from commissioning.agreements.models import Agreement, AgreementDocument, SafetyFundReview
from commissioning.agreements.tests.factories import (
    PDF_BYTES,
    AgreementFactory,
    CoFunderFactory,
    FinancialYearFactory,
    FundFactory,
    SafetyFundReviewFactory,
    SafetyFundReviewLineFactory,
    ServiceFactory,
    VariationFactory,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
WHOLE_REGISTER = [*STAFF, "auditor", "panel_member"]
OWN_SERVICE_READERS = [*WHOLE_REGISTER, "partner", "provider"]
SERVICE_EDITORS = ("commissioning_manager", "policy_officer")
AGREEMENT_MANAGERS = ("commissioning_manager", "finance_officer")


def _change(readers, doers):
    """404 for those who cannot see the record, 403 for those who see it but may not do this, 200 for doers."""
    return expect(404, **{**roles(*readers, status=403), **roles(*doers, status=200)})


REGISTER = expect(403, **roles(*OWN_SERVICE_READERS, status=200))
ADD_SERVICE = expect(403, **roles(*SERVICE_EDITORS, status=200))
OWN_SERVICE = expect(404, **roles(*OWN_SERVICE_READERS, status=200))
OTHER_SERVICE = expect(404, **roles(*WHOLE_REGISTER, status=200))
CHANGE_SERVICE = _change(OWN_SERVICE_READERS, SERVICE_EDITORS)
MANAGE_AGREEMENT = _change(OWN_SERVICE_READERS, AGREEMENT_MANAGERS)
# Panel members read the register but not the signed documents.
DOCUMENT = expect(404, **{**roles(*OWN_SERVICE_READERS, status=200), "panel_member": 403})
REQUEST_VARIATION = _change(OWN_SERVICE_READERS, (*AGREEMENT_MANAGERS, "cfo"))
# The world's variation was asked for by a commissioning manager; the PCC or the CFO decides it.
DECIDE_VARIATION = _change(OWN_SERVICE_READERS, ("pcc", "cfo"))
REVIEW_READERS = expect(403, **roles(*STAFF, "auditor", status=200))
REVIEW_PREPARERS = expect(403, **roles("finance_officer", "commissioning_manager", status=200))
REVIEW_DECIDERS = expect(403, **roles(*sorted(r.value for r in SMT), status=200))


def setup(world):
    users = world.users
    world.service = ServiceFactory(name="Matrix Refuge Service", provider=users["provider"].organisation)
    world.cofunder = CoFunderFactory(service=world.service, organisation=users["partner"].organisation)
    world.other_service = ServiceFactory(name="Matrix Service Nobody Outside Sees")
    world.active_agreement = AgreementFactory(service=world.service)
    world.draft_agreement = AgreementFactory(service=world.service, status=Agreement.Status.DRAFT, signed_on=None)
    name = "agreements/matrix/matrix-agreement.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(PDF_BYTES))
    world.document = AgreementDocument.objects.create(
        agreement=world.active_agreement,
        title="Matrix signed agreement",
        file=name,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=users["commissioning_manager"],
    )
    world.variation = VariationFactory(
        agreement=world.active_agreement, number=1, requested_by=users["commissioning_manager"]
    )
    fund = FundFactory(code="agreements-matrix-fund", name="Matrix Safety Fund")
    world.draft_review = SafetyFundReviewFactory(
        fund=fund, year=FinancialYearFactory(start_year=2031), prepared_by=users["finance_officer"]
    )
    world.review_line = SafetyFundReviewLineFactory(review=world.draft_review, agreement=world.active_agreement)
    world.submitted_review = SafetyFundReviewFactory(
        fund=fund,
        year=FinancialYearFactory(start_year=2032),
        prepared_by=users["finance_officer"],
        status=SafetyFundReview.Status.SUBMITTED,
    )


def _service(world):
    return {"pk": world.service.pk}


def _cofunder(world):
    return {"pk": world.service.pk, "cofunder_pk": world.cofunder.pk}


def _active(world):
    return {"pk": world.active_agreement.pk}


def _draft(world):
    return {"pk": world.draft_agreement.pk}


def _variation(world):
    return {"pk": world.active_agreement.pk, "number": world.variation.number}


CASES = [
    UrlCase("agreements:service_list", REGISTER),
    UrlCase("agreements:service_list", REGISTER, query="search=Matrix&status=active&approach=priority_commissioning"),
    UrlCase("agreements:service_create", ADD_SERVICE),
    UrlCase("agreements:service_detail", OWN_SERVICE, kwargs=_service),
    UrlCase("agreements:service_detail", OTHER_SERVICE, kwargs=lambda world: {"pk": world.other_service.pk}),
    UrlCase("agreements:service_edit", CHANGE_SERVICE, kwargs=_service),
    UrlCase("agreements:service_status", CHANGE_SERVICE, kwargs=_service),
    UrlCase("agreements:cofunder_add", CHANGE_SERVICE, kwargs=_service),
    UrlCase("agreements:cofunder_edit", CHANGE_SERVICE, kwargs=_cofunder),
    UrlCase("agreements:cofunder_remove", CHANGE_SERVICE, kwargs=_cofunder),
    UrlCase("agreements:agreement_create", MANAGE_AGREEMENT, kwargs=_service),
    UrlCase("agreements:agreement_detail", OWN_SERVICE, kwargs=_active),
    UrlCase("agreements:agreement_detail", OWN_SERVICE, kwargs=_draft),
    UrlCase(
        "agreements:agreement_commit",
        expect(403, **roles("finance_officer", "commissioning_manager", status=200)),
        kwargs=_active,
    ),
    UrlCase("agreements:agreement_edit", MANAGE_AGREEMENT, kwargs=_draft),
    UrlCase("agreements:agreement_edit", MANAGE_AGREEMENT, kwargs=_active),
    UrlCase("agreements:agreement_activate", MANAGE_AGREEMENT, kwargs=_draft),
    UrlCase("agreements:document_add", MANAGE_AGREEMENT, kwargs=_active),
    UrlCase(
        "agreements:document_download",
        DOCUMENT,
        kwargs=lambda world: {"pk": world.active_agreement.pk, "document_pk": world.document.pk},
    ),
    UrlCase(
        "agreements:document_publish",
        MANAGE_AGREEMENT,
        kwargs=lambda world: {"pk": world.active_agreement.pk, "document_pk": world.document.pk},
    ),
    UrlCase("agreements:variation_request", REQUEST_VARIATION, kwargs=_active),
    UrlCase("agreements:variation_detail", OWN_SERVICE, kwargs=_variation),
    UrlCase("agreements:variation_decide", DECIDE_VARIATION, kwargs=_variation),
    UrlCase("agreements:review_list", REVIEW_READERS),
    UrlCase("agreements:review_prepare", REVIEW_PREPARERS),
    UrlCase("agreements:review_detail", REVIEW_READERS, kwargs=lambda world: {"pk": world.draft_review.pk}),
    UrlCase("agreements:review_detail", REVIEW_READERS, kwargs=lambda world: {"pk": world.submitted_review.pk}),
    UrlCase(
        "agreements:review_line_edit",
        REVIEW_PREPARERS,
        kwargs=lambda world: {"pk": world.draft_review.pk, "line_pk": world.review_line.pk},
    ),
    UrlCase("agreements:review_submit", REVIEW_PREPARERS, kwargs=lambda world: {"pk": world.draft_review.pk}),
    UrlCase("agreements:review_decide", REVIEW_DECIDERS, kwargs=lambda world: {"pk": world.submitted_review.pk}),
]
