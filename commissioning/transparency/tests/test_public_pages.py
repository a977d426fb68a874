"""The public pages: signed out, only published things, few queries whatever the number of records, cacheable;
publishing a contract's document with its redaction recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement
from commissioning.agreements.tests.factories import PDF_BYTES, AgreementDocumentFactory, AgreementFactory
from commissioning.grants.tests.factories import AcceptedAwardFactory, AwardFactory
from commissioning.strategy.tests.factories import DecisionRecordFactory

pytestmark = pytest.mark.django_db


def _secret_decision():
    return DecisionRecordFactory(
        subject="Refuge in a secret place", publishable=False, not_publishable_reason="A refuge's address"
    )


@pytest.fixture
def published(users):
    manager = users["commissioning_manager"]
    contract = AgreementFactory(kind=Agreement.Kind.CONTRACT, value=25000, service__name="Published contract")
    document = AgreementDocumentFactory(agreement=contract, title="Signed contract", uploaded_by=manager)
    hidden_document = AgreementDocumentFactory(agreement=contract, title="Unpublished schedule", uploaded_by=manager)
    small = AgreementFactory(kind=Agreement.Kind.CONTRACT, value=9999, service__name="Small contract")
    secret = AgreementFactory(kind=Agreement.Kind.CONTRACT, value=90000, service__name="Secret contract")
    secret.decision = _secret_decision()
    secret.save()
    AcceptedAwardFactory(application__project_title="Published project")
    AwardFactory(application__project_title="Secret project", decision=_secret_decision())
    DecisionRecordFactory(subject="A published decision")
    return {"contract": contract, "document": document, "hidden": hidden_document, "small": small, "manager": manager}


def test_a_signed_out_visitor_sees_only_published_things(published):
    client = Client()
    grants = client.get(reverse("transparency:grants")).content.decode()
    assert "Published project" in grants and "Secret project" not in grants
    contracts = client.get(reverse("transparency:contracts")).content.decode()
    assert "Published contract" in contracts
    assert "Small contract" not in contracts and "Secret contract" not in contracts
    assert "Signed contract" not in contracts  # not published yet
    decisions = client.get(reverse("transparency:decisions")).content.decode()
    assert "A published decision" in decisions and "Refuge in a secret place" not in decisions
    for page in ("index", "grants", "contracts", "funding", "decisions"):
        response = client.get(reverse(f"transparency:{page}"))
        assert "Open Government Licence v3.0" in response.content.decode()
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    # An unpublished decision's page is not found.
    assert client.get(reverse("transparency:decision", args=[_secret_decision().pk])).status_code == 404


def test_a_document_is_public_only_once_published_and_then_redacted(published, users):
    client = Client()
    contract, document = published["contract"], published["document"]
    url = reverse("transparency:contract_document", args=[contract.pk, document.pk])
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        agreement_services.agreement_document_publish(actor=users["policy_officer"], document=document, publish=True)
    with pytest.raises(ValidationError) as caught:
        agreement_services.agreement_document_publish(
            actor=published["manager"],
            document=document,
            publish=True,
            redacted_file=ContentFile(PDF_BYTES, name="redacted.pdf"),
        )
    assert set(caught.value.message_dict) == {"redactions", "redaction_reason"}
    agreement_services.agreement_document_publish(
        actor=published["manager"],
        document=document,
        publish=True,
        redacted_file=ContentFile(PDF_BYTES, name="redacted.pdf"),
        redactions="Bank details",
        redaction_reason="Personal data (FOIA s40)",
    )
    document.refresh_from_db()
    assert document.is_published and document.redacted_by == published["manager"]
    assert document.published_file.name != document.file.name
    latest = document.history.first()
    assert latest.history_user == published["manager"] and latest.history_change_reason.startswith("Published")
    response = client.get(url)
    assert response.status_code == 200 and "redacted" in response["Content-Disposition"]
    page = client.get(reverse("transparency:contracts")).content.decode()
    assert "Signed contract" in page and "Bank details" in page and "Unpublished schedule" not in page
    hidden = reverse("transparency:contract_document", args=[contract.pk, published["hidden"].pk])
    assert client.get(hidden).status_code == 404
    agreement_services.agreement_document_publish(actor=published["manager"], document=document, publish=False)
    assert client.get(url).status_code == 404


def test_the_staff_page_publishes_a_document(published):
    client = Client()
    client.force_login(published["manager"])
    document = published["document"]
    url = reverse("agreements:document_publish", args=[published["contract"].pk, document.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"publish": "yes"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_published and not document.is_redacted
    response = client.post(url, {"publish": "yes", "redactions": "Names"})
    assert "Upload the redacted copy" in response.content.decode()


@pytest.mark.parametrize("name", ["grants", "contracts", "decisions", "funding", "index"])
def test_public_pages_take_the_same_queries_for_few_or_many_records(name, published, django_assert_max_num_queries):
    url = reverse(f"transparency:{name}")
    client = Client()
    with django_assert_max_num_queries(6):
        client.get(url)
    for n in range(12):
        AcceptedAwardFactory()
        contract = AgreementFactory(kind=Agreement.Kind.CONTRACT, value=20000 + n)
        AgreementDocumentFactory(
            agreement=contract,
            uploaded_by=published["manager"],
            is_published=True,
            published_by=published["manager"],
            published_at="2026-11-01T10:00:00Z",
        )
        DecisionRecordFactory()
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_the_contracts_threshold_is_dated_configuration(users):
    """Each contract is published under the threshold in force on the day it starts: the Order's £10,000 until the
    profile sets another from a date; the page names the one in force today."""
    import datetime as dt

    from commissioning.core.models import PublicationThreshold

    today = dt.date.today()
    AgreementFactory(kind=Agreement.Kind.CONTRACT, value=12000, starts_on=dt.date(2024, 5, 1), service__name="Old 12k")
    AgreementFactory(kind=Agreement.Kind.CONTRACT, value=12000, starts_on=today, service__name="New 12k")
    AgreementFactory(kind=Agreement.Kind.CONTRACT, value=10000, starts_on=today, service__name="Exactly 10k")
    AgreementFactory(kind=Agreement.Kind.CONTRACT, value="10000.01", starts_on=today, service__name="Penny over")
    client = Client()
    page = client.get(reverse("transparency:contracts")).content.decode()
    assert "Contracts over £10,000" in page  # none configured: the Order's figure
    assert "Old 12k" in page and "New 12k" in page and "Penny over" in page and "Exactly 10k" not in page
    PublicationThreshold.objects.create(applies_from=dt.date(2025, 1, 1), contracts_over=15000)
    page = client.get(reverse("transparency:contracts")).content.decode()
    assert "Contracts over £15,000" in page
    assert "Old 12k" in page  # started under £10,000
    assert "New 12k" not in page and "Penny over" not in page  # started under £15,000
