"""Pages of the register: what they show, what bad input does, downloads, and bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commissioning.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementVariation,
    CoFunder,
    SafetyFundReview,
    Service,
)
from commissioning.agreements.tests.factories import (
    PDF_BYTES,
    AgreementDocumentFactory,
    AgreementFactory,
    CoFunderFactory,
    FinancialYearFactory,
    FundFactory,
    ServiceFactory,
    VariationFactory,
)
from commissioning.core.models import ProcurementRegimeStart
from commissioning.core.tests.helpers import assert_well_formed, date_fields, text
from commissioning.funds.models import Budget
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.strategy.tests.factories import PanelAreaFactory, PriorityFactory

pytestmark = pytest.mark.django_db

# Session, user, the count, the page of services, its priorities and Panel areas, the filter form's choices
# and the menu's permission checks: a constant whatever the number of services.
LIST_PAGE_QUERIES = 10


@pytest.fixture
def world(users):
    service = ServiceFactory(name="Dorset SARC", provider=users["provider"].organisation, ends_on=dt.date(2028, 3, 31))
    CoFunderFactory(service=service, organisation=users["partner"].organisation, amount=Decimal("120000.00"))
    agreement = AgreementFactory(service=service, value=Decimal("300000.00"))
    variation = VariationFactory(agreement=agreement, requested_by=users["commissioning_manager"])
    document = AgreementDocumentFactory(agreement=agreement)
    return {"service": service, "agreement": agreement, "variation": variation, "document": document}


# Lists and detail pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_the_register_page_keeps_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, count):
    area = PanelAreaFactory()
    for _ in range(count):
        service = ServiceFactory(panel_areas=[area])
        AgreementFactory(service=service)
        CoFunderFactory(service=service)
    client = client_for("auditor")
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = client.get(reverse("agreements:service_list"))
    assert_well_formed(response)
    assert f"{count} service" in text(response)


def test_the_register_paginates_25_a_page_keeping_the_filters(client_for):
    for index in range(27):
        ServiceFactory(name=f"Outreach {index:02d}")
    response = client_for("pcc").get(reverse("agreements:service_list"), {"search": "Outreach", "page": 2})
    assert_well_formed(response)
    assert "27 services, page 2 of 2" in text(response)
    assert "search=Outreach&amp;page=1" in text(response)


def test_the_service_page_shows_shares_agreements_variations_documents_and_the_log(client_for, world):
    response = client_for("commissioning_manager").get(reverse("agreements:service_detail", args=[world["service"].pk]))
    assert_well_formed(response)
    page = text(response)
    for expected in (
        "Dorset SARC",
        "£300,000.00",  # the agreements' value
        "£120,000.00",  # the partner's share
        "£180,000.00",  # the OPCC's share
        world["agreement"].reference,
        f"Variation {world['variation'].number} to {world['agreement'].reference}",
        "Signed grant agreement",
        "Activity log",
        "31 March 2028",
    ):
        assert expected in page, expected


def test_partners_and_providers_see_their_service_without_the_activity_log(client_for, world):
    for role in ("partner", "provider"):
        response = client_for(role).get(reverse("agreements:service_detail", args=[world["service"].pk]))
        assert_well_formed(response)
        assert "Activity log" not in text(response)
        assert "Signed grant agreement" in text(response)
    panel = client_for("panel_member").get(reverse("agreements:service_detail", args=[world["service"].pk]))
    assert "Signed grant agreement" not in text(panel)


def test_the_agreement_page_warns_of_pcr_2015_after_the_procurement_act(client_for):
    # The Act's start date is the profile's (dated configuration), not a constant.
    ProcurementRegimeStart.objects.create(regime="pa_2023", name="PA 2023", applies_from=dt.date(2025, 2, 24))
    agreement = AgreementFactory(kind="contract", regime="pcr_2015", starts_on=dt.date(2025, 4, 1))
    response = client_for("finance_officer").get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    assert_well_formed(response)
    assert "procurements started on or after that date fall under the Procurement Act 2023" in text(response)


def test_the_menu_shows_services_to_those_who_may_see_the_register(client_for):
    assert 'href="/services/"' in client_for("panel_member").get(reverse("home:index")).content.decode()
    assert 'href="/services/"' not in client_for("applicant").get(reverse("home:index")).content.decode()


# Bad input keeps what was typed and saves nothing ------------------------------------------------------


def test_a_service_without_a_priority_keeps_what_was_typed(client_for):
    provider = OrganisationFactory(kind=Organisation.Kind.PROVIDER)
    response = client_for("policy_officer").post(
        reverse("agreements:service_create"),
        {
            "name": "Youth diversion scheme",
            "purpose": "Keeps young people out of court",
            "provider": provider.pk,
            "approach": "one_off_grant",
            **date_fields("starts_on", dt.date(2026, 4, 1)),
            **date_fields("ends_on", None),
        },
    )
    assert_well_formed(response)
    page = text(response)
    assert "There is a problem" in page
    assert "Select at least one Police and Crime Plan priority" in page
    assert 'value="Youth diversion scheme"' in page
    assert "Keeps young people out of court" in page
    assert not Service.objects.exists()


def test_a_service_is_added_through_the_form(client_for):
    provider, priority = OrganisationFactory(kind=Organisation.Kind.PROVIDER), PriorityFactory()
    response = client_for("policy_officer").post(
        reverse("agreements:service_create"),
        {
            "name": "Youth diversion scheme",
            "purpose": "Keeps young people out of court",
            "provider": provider.pk,
            "approach": "one_off_grant",
            "priorities": [priority.pk],
            "main_panel_area": priority.panel_area.pk,
            **date_fields("starts_on", dt.date(2026, 4, 1)),
            **date_fields("ends_on", None),
        },
    )
    service = Service.objects.get()
    assert response.status_code == 302 and response.url == reverse("agreements:service_detail", args=[service.pk])
    assert service.reference == "SVC-0001"
    assert service.main_panel_area == priority.panel_area


def test_a_half_typed_end_date_is_refused(client_for):
    response = client_for("policy_officer").post(
        reverse("agreements:service_create"),
        {
            "name": "X",
            **date_fields("starts_on", dt.date(2026, 4, 1)),
            "ends_on_day": "31",
            "ends_on_month": "",
            "ends_on_year": "",
        },
    )
    assert "End date must include a day, month and year" in text(response)


def test_a_contract_under_the_grant_regime_keeps_what_was_typed(client_for, world):
    response = client_for("commissioning_manager").post(
        reverse("agreements:agreement_create", args=[world["service"].pk]),
        {
            "kind": "contract",
            "regime": "grant",
            "value": "£45,000.50",
            **date_fields("starts_on", dt.date(2026, 4, 1)),
            **date_fields("ends_on", dt.date(2029, 3, 31)),
            "payment_terms": "Quarterly in arrears",
        },
    )
    assert_well_formed(response)
    page = text(response)
    assert "A contract must name its procurement regime" in page
    assert 'value="£45,000.50"' in page
    assert 'value="Quarterly in arrears"' in page
    assert Agreement.objects.count() == 1


def test_a_co_funder_paying_nothing_is_refused(client_for, world):
    council = OrganisationFactory(kind=Organisation.Kind.STATUTORY)
    response = client_for("policy_officer").post(
        reverse("agreements:cofunder_add", args=[world["service"].pk]),
        {"organisation": council.pk, "amount": "0", "notes": "Paid yearly"},
    )
    assert "Enter an amount more than £0" in text(response)
    assert 'value="Paid yearly"' in text(response)
    assert not CoFunder.objects.filter(organisation=council).exists()


def test_removing_a_co_funder_asks_first(client_for, world):
    share = world["service"].co_funders.get()
    url = reverse("agreements:cofunder_remove", args=[world["service"].pk, share.pk])
    client = client_for("commissioning_manager")
    assert_well_formed(client.get(url))
    assert CoFunder.objects.filter(pk=share.pk).exists()
    client.post(url)
    assert not CoFunder.objects.filter(pk=share.pk).exists()


# Documents ----------------------------------------------------------------------------------------------


def test_a_program_renamed_pdf_is_refused_on_the_page(client_for, world):
    fake = SimpleUploadedFile("contract.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    response = client_for("finance_officer").post(
        reverse("agreements:document_add", args=[world["agreement"].pk]), {"title": "Contract", "file": fake}
    )
    assert_well_formed(response)
    assert "The selected file must be a PDF, Word, Excel, OpenDocument, PNG or JPEG file" in text(response)
    assert 'value="Contract"' in text(response)
    assert AgreementDocument.objects.count() == 1


def test_a_document_is_uploaded_and_downloaded_as_an_attachment(client_for, world):
    pdf = SimpleUploadedFile("Grant letter.pdf", PDF_BYTES, content_type="application/pdf")
    client = client_for("finance_officer")
    response = client.post(
        reverse("agreements:document_add", args=[world["agreement"].pk]), {"title": "Grant letter", "file": pdf}
    )
    assert response.status_code == 302
    document = AgreementDocument.objects.get(title="Grant letter")
    download = client_for("provider").get(
        reverse("agreements:document_download", args=[world["agreement"].pk, document.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_documents_are_not_served_to_those_who_may_not_see_them(client_for, world):
    url = reverse("agreements:document_download", args=[world["agreement"].pk, world["document"].pk])
    assert client_for("panel_member").get(url).status_code == 403
    assert client_for("applicant").get(url).status_code == 404
    stranger = ServiceFactory()
    other = AgreementFactory(service=stranger)
    assert (
        client_for("provider")
        .get(reverse("agreements:document_download", args=[other.pk, world["document"].pk]))
        .status_code
        == 404
    )


# Variations ---------------------------------------------------------------------------------------------


def test_a_variation_is_asked_for_and_approved_on_the_pages(client_for, world):
    agreement = world["agreement"]
    response = client_for("finance_officer").post(
        reverse("agreements:variation_request", args=[agreement.pk]),
        {
            "kind": "value",
            "description": "Extra ISVA hours",
            "value_change": "25000",
            **date_fields("new_ends_on", None),
        },
    )
    variation = AgreementVariation.objects.get(description="Extra ISVA hours")
    assert response.url == reverse("agreements:variation_detail", args=[agreement.pk, variation.number])
    decide = reverse("agreements:variation_decide", args=[agreement.pk, variation.number])
    assert_well_formed(client_for("pcc").get(decide))
    client_for("pcc").post(decide, {"outcome": "approve", "decision_note": ""})
    agreement.refresh_from_db()
    assert agreement.value == Decimal("325000.00")


def test_the_cfo_cannot_decide_a_variation_they_asked_for(client_for, world):
    agreement = world["agreement"]
    client_for("cfo").post(
        reverse("agreements:variation_request", args=[agreement.pk]),
        {"kind": "scope", "description": "Evening clinics", **date_fields("new_ends_on", None)},
    )
    variation = AgreementVariation.objects.get(description="Evening clinics")
    decide = reverse("agreements:variation_decide", args=[agreement.pk, variation.number])
    assert client_for("cfo").get(decide).status_code == 403
    assert client_for("cfo").post(decide, {"outcome": "approve"}).status_code == 403
    variation.refresh_from_db()
    assert variation.status == "requested"


def test_a_rejection_without_a_note_is_refused_on_the_page(client_for, world):
    variation = world["variation"]
    response = client_for("pcc").post(
        reverse("agreements:variation_decide", args=[world["agreement"].pk, variation.number]),
        {"outcome": "reject", "decision_note": ""},
    )
    assert "Enter why the variation is rejected" in text(response)
    variation.refresh_from_db()
    assert variation.status == "requested"


# The pre-year review ------------------------------------------------------------------------------------


def test_a_review_is_prepared_adjusted_submitted_and_approved_on_the_pages(client_for, world):
    fund = FundFactory(code="commissioners-safety-fund", name="Commissioner's Safety Fund", role="safety_fund")
    year = FinancialYearFactory(start_year=2026)
    officer = client_for("finance_officer")
    prepare = reverse("agreements:review_prepare")
    assert f'<option value="{fund.pk}" selected>' in officer.get(prepare).content.decode()
    response = officer.post(prepare, {"fund": fund.pk, "year": year.pk})
    review = SafetyFundReview.objects.get()
    assert response.url == reverse("agreements:review_detail", args=[review.pk])
    line = review.lines.get()
    assert line.agreement == world["agreement"]

    edit = reverse("agreements:review_line_edit", args=[review.pk, line.pk])
    response = officer.post(edit, {"adjusted_spend": "90000", "adjustment_reason": ""})
    assert "Enter why the expected spend is being changed" in text(response)
    assert 'value="90000"' in text(response)
    officer.post(edit, {"adjusted_spend": "90000", "adjustment_reason": "Provider starts late"})
    detail = officer.get(reverse("agreements:review_detail", args=[review.pk]))
    assert_well_formed(detail)
    assert "£90,000.00" in text(detail) and "Provider starts late" in text(detail)

    officer.post(reverse("agreements:review_submit", args=[review.pk]))
    client_for("cfo").post(
        reverse("agreements:review_decide", args=[review.pk]), {"outcome": "approve", "decision_note": ""}
    )
    review.refresh_from_db()
    assert review.status == "approved"
    assert Budget.objects.get(fund=fund, year=year).amount == Decimal("90000.00")


def test_a_returned_review_shows_why(client_for):
    fund = FundFactory()
    year = FinancialYearFactory(start_year=2027)
    officer = client_for("commissioning_manager")
    officer.post(reverse("agreements:review_prepare"), {"fund": fund.pk, "year": year.pk})
    review = SafetyFundReview.objects.get()
    officer.post(reverse("agreements:review_submit", args=[review.pk]))
    client_for("director_operations").post(
        reverse("agreements:review_decide", args=[review.pk]),
        {"outcome": "reject", "decision_note": "Include the SARC uplift"},
    )
    response = officer.get(reverse("agreements:review_detail", args=[review.pk]))
    assert "Returned for changes: Include the SARC uplift" in text(response)


# The money panel ----------------------------------------------------------------------------------------


def test_the_money_panel_shows_each_agreements_commitments(client_for, world, users):
    from commissioning.funds.tests.factories import CommitmentFactory

    commitment = CommitmentFactory(agreement=world["agreement"])
    reference = world["agreement"].reference
    client = client_for("finance_officer")
    service_page = text(client.get(reverse("agreements:service_detail", args=[world["service"].pk])))
    assert f"Money committed to {reference}, by fund and year" in service_page
    assert commitment.fund.name in service_page
    agreement_page = text(client.get(reverse("agreements:agreement_detail", args=[world["agreement"].pk])))
    assert f"Money committed to {reference}, by fund and year" in agreement_page
    assert "Commit money from a fund" in agreement_page
    # A provider sees its service but not the money behind it.
    provider_page = text(
        client_for("provider").get(reverse("agreements:agreement_detail", args=[world["agreement"].pk]))
    )
    assert "Money committed to" not in provider_page


def test_the_service_page_reads_a_fixed_number_of_queries(client_for, world, django_assert_max_num_queries):
    # The money panel included: one query for every agreement's commitments.
    from commissioning.funds.tests.factories import CommitmentFactory

    client = client_for("auditor")
    url = reverse("agreements:service_detail", args=[world["service"].pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(5):
        agreement = AgreementFactory(service=world["service"])
        VariationFactory(agreement=agreement)
        AgreementDocumentFactory(agreement=agreement)
        CoFunderFactory(service=world["service"])
        CommitmentFactory(agreement=agreement)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
