"""Role × URL expectations for the public transparency pages and open data (contract in
commissioning/testing/matrix.py): everyone, signed in or not, gets 200.

The world has a published community award, a published contract over £10,000 with a published redacted
document, a published decision record and an open round (the grants matrix's), so every page shows something.
"""

from django.core.files.base import ContentFile

from commissioning.agreements.models import Agreement
from commissioning.agreements.tests.factories import PDF_BYTES, AgreementDocumentFactory, AgreementFactory
from commissioning.strategy.tests.factories import DecisionRecordFactory
from commissioning.testing.matrix import UrlCase, expect
from commissioning.transparency.tests import url_matrix_ocds

PUBLIC = expect(200, anonymous=200)


def setup(world):
    url_matrix_ocds.setup(world)  # OCDS, one module per publication
    world.public_decision = DecisionRecordFactory(subject="Matrix published contract decision", amount=50000)
    world.public_contract = AgreementFactory(
        kind=Agreement.Kind.CONTRACT,
        regime=Agreement.Regime.PA_2023,
        value=50000,
        decision=world.public_decision,
        service__name="Matrix published contract service",
    )
    manager = world.users["commissioning_manager"]
    world.public_document = AgreementDocumentFactory(
        agreement=world.public_contract,
        title="Matrix contract, redacted",
        uploaded_by=manager,
        is_published=True,
        published_by=manager,
        published_at="2026-11-02T10:00:00Z",
        published_file=ContentFile(PDF_BYTES, name="matrix-redacted.pdf"),
        published_content_type="application/pdf",
        published_size=len(PDF_BYTES),
        redactions="Bank details",
        redaction_reason="Personal data",
        redacted_by=manager,
    )


CASES = [
    UrlCase("transparency:index", PUBLIC),
    UrlCase("transparency:grants", PUBLIC),
    UrlCase("transparency:contracts", PUBLIC),
    UrlCase(
        "transparency:contract_document",
        PUBLIC,
        kwargs=lambda world: {"pk": world.public_contract.pk, "document_pk": world.public_document.pk},
    ),
    UrlCase("transparency:funding", PUBLIC),
    UrlCase("transparency:decisions", PUBLIC),
    UrlCase("transparency:decision", PUBLIC, kwargs=lambda world: {"pk": world.public_decision.pk}),
    UrlCase("transparency:giving_json", PUBLIC),
]
CASES += url_matrix_ocds.CASES
