"""The register's writes: references, the rules each service applies and the messages people see."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning.agreements import services
from commissioning.agreements.models import Agreement, AgreementDocument, AgreementVariation, CoFunder, Service
from commissioning.agreements.tests.factories import (
    PDF_BYTES,
    AgreementFactory,
    CoFunderFactory,
    FinancialYearFactory,
    FundFactory,
    RingFencedFundFactory,
    SafetyFundReviewFactory,
    SafetyFundReviewLineFactory,
    ServiceFactory,
    VariationFactory,
)
from commissioning.core.tests.files import docx_bytes, odt_bytes, xlsx_bytes
from commissioning.funds import services as fund_services
from commissioning.funds.models import Budget
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.strategy.tests.factories import PanelAreaFactory, PriorityFactory

pytestmark = pytest.mark.django_db

APRIL_2025 = dt.date(2025, 4, 1)


def messages_of(caught) -> dict:
    return caught.value.message_dict


def new_service(actor, **overrides):
    data = {
        "name": "Dorset Sexual Assault Referral Centre",
        "purpose": "Forensic and emotional support after sexual assault",
        "provider": OrganisationFactory(kind=Organisation.Kind.PROVIDER),
        "approach": Service.Approach.CO_COMMISSIONED,
        "priorities": [PriorityFactory()],
        "starts_on": APRIL_2025,
    }
    data.update(overrides)
    return services.service_create(actor=actor, **data)


def new_agreement(actor, service, **overrides):
    data = {
        "kind": Agreement.Kind.GRANT,
        "regime": Agreement.Regime.GRANT,
        "value": "150000.00",
        "starts_on": APRIL_2025,
        "ends_on": dt.date(2028, 3, 31),
    }
    data.update(overrides)
    return services.agreement_create(actor=actor, service=service, **data)


# Services -----------------------------------------------------------------------------------------------


def test_services_are_numbered_from_svc_0001(users):
    officer = users["policy_officer"]
    first = new_service(officer)
    second = new_service(officer, name="Restorative Dorset")
    assert (first.reference, second.reference) == ("SVC-0001", "SVC-0002")
    assert first.history.first().history_user == officer


def test_a_service_keeps_its_priorities_panel_areas_and_ring_fences(users):
    priority, area, fence = PriorityFactory(), PanelAreaFactory(), RingFencedFundFactory()
    service = new_service(
        users["commissioning_manager"], priorities=[priority], panel_areas=[area], ring_fences=[fence]
    )
    assert list(service.priorities.all()) == [priority]
    assert list(service.panel_areas.all()) == [area]
    assert list(service.ring_fences.all()) == [fence]


def test_a_service_needs_a_plan_priority_and_a_provider(users):
    with pytest.raises(ValidationError) as caught:
        new_service(users["policy_officer"], priorities=[], provider=None)
    assert messages_of(caught)["priorities"] == ["Select at least one Police and Crime Plan priority"]
    assert messages_of(caught)["provider"] == ["Select the organisation that provides the service"]
    assert not Service.objects.exists()


def test_a_service_serves_only_ring_fenced_funds(users):
    plain = FundFactory(name="Local Innovation Fund")
    with pytest.raises(ValidationError) as caught:
        new_service(users["policy_officer"], ring_fences=[plain])
    assert messages_of(caught)["ring_fences"] == [
        "Local Innovation Fund is not ring-fenced. Select only ring-fenced funds"
    ]


def test_a_service_cannot_end_before_it_starts(users):
    with pytest.raises(ValidationError) as caught:
        new_service(users["policy_officer"], ends_on=dt.date(2025, 3, 31))
    assert messages_of(caught)["ends_on"] == ["The end date must be the same as or after the start date"]


def test_only_commissioning_officers_add_services(users):
    for role in ("finance_officer", "pcc", "auditor", "partner", "provider"):
        with pytest.raises(PermissionDenied):
            new_service(users[role])


def test_updating_a_service_records_the_reason(users):
    service = ServiceFactory()
    services.service_update(
        actor=users["policy_officer"], service=service, data={"delivery_area": "Pan-Dorset"}, reason="Now county-wide"
    )
    service.refresh_from_db()
    assert service.delivery_area == "Pan-Dorset"
    assert service.history.first().history_change_reason == "Now county-wide"


def test_a_service_moves_through_its_statuses_and_not_back_from_ended(users):
    officer = users["commissioning_manager"]
    service = ServiceFactory(status=Service.Status.ACTIVE)
    services.service_status_change(actor=officer, service=service, status="in_review", reason="Final 18 months")
    services.service_status_change(actor=officer, service=service, status="ended", reason="Not renewed")
    service.refresh_from_db()
    assert service.status == "ended" and service.ends_on is not None
    with pytest.raises(ValidationError) as caught:
        services.service_status_change(actor=officer, service=service, status="active", reason="Changed our mind")
    assert messages_of(caught)["status"] == ["A service that is ended cannot become active"]


def test_a_status_change_needs_a_reason(users):
    with pytest.raises(ValidationError) as caught:
        services.service_status_change(
            actor=users["policy_officer"], service=ServiceFactory(), status="ended", reason=""
        )
    assert messages_of(caught)["reason"] == ["Enter why the status is changing"]


# Co-funders ---------------------------------------------------------------------------------------------


def test_a_co_funder_pays_more_than_nothing_and_appears_once(users):
    officer, service = users["policy_officer"], ServiceFactory()
    AgreementFactory(service=service, value=Decimal("100000.00"))
    council = OrganisationFactory(name="BCP Council", kind=Organisation.Kind.STATUTORY)
    with pytest.raises(ValidationError) as caught:
        services.cofunder_add(actor=officer, service=service, organisation=council, amount="0")
    assert messages_of(caught)["amount"] == ["Enter an amount more than £0"]
    services.cofunder_add(actor=officer, service=service, organisation=council, amount="40000")
    with pytest.raises(ValidationError) as caught:
        services.cofunder_add(actor=officer, service=service, organisation=council, amount="5000")
    assert messages_of(caught)["organisation"] == [
        "BCP Council already co-funds this service. Change its share instead"
    ]
    assert CoFunder.objects.get().amount == Decimal("40000.00")


def test_the_opcc_is_not_a_co_funder_of_its_own_service(users):
    opcc = OrganisationFactory(kind=Organisation.Kind.OPCC)
    with pytest.raises(ValidationError) as caught:
        services.cofunder_add(actor=users["policy_officer"], service=ServiceFactory(), organisation=opcc, amount="1")
    assert "Select a partner organisation" in messages_of(caught)["organisation"][0]


def test_a_co_funders_share_changes_and_is_removed_with_history(users):
    officer, share = users["commissioning_manager"], CoFunderFactory()
    AgreementFactory(service=share.service, value=Decimal("100000.00"))
    services.cofunder_update(actor=officer, cofunder=share, amount="30000", reason="Council budget cut")
    assert CoFunder.objects.get().amount == Decimal("30000.00")
    services.cofunder_remove(actor=officer, cofunder=share, reason="Council withdrew")
    assert not CoFunder.objects.exists()
    deleted = CoFunder.history.filter(history_type="-").get()
    assert (deleted.history_user, deleted.history_change_reason) == (officer, "Council withdrew")


# Agreements ---------------------------------------------------------------------------------------------


def test_agreements_are_numbered_in_the_year_they_are_recorded(users):
    manager, service = users["commissioning_manager"], ServiceFactory()
    year = timezone.localdate().year
    first, second = new_agreement(manager, service), new_agreement(manager, service)
    assert (first.reference, second.reference) == (f"AGR-{year}-0001", f"AGR-{year}-0002")
    assert first.status == Agreement.Status.DRAFT


def test_an_agreement_ends_after_it_starts(users):
    with pytest.raises(ValidationError) as caught:
        new_agreement(users["finance_officer"], ServiceFactory(), ends_on=APRIL_2025)
    assert messages_of(caught)["ends_on"] == ["The end date must be after the start date"]


@pytest.mark.parametrize(
    ("kind", "regime", "message"),
    [
        ("grant", "pcr_2015", "A grant agreement is not a procurement. Select 'Grant (not a procurement)'"),
        ("grant", "pa_2023", "A grant agreement is not a procurement. Select 'Grant (not a procurement)'"),
        (
            "contract",
            "grant",
            "A contract must name its procurement regime: the Public Contracts Regulations 2015 or the Procurement "
            "Act 2023",
        ),
        (
            "contract",
            "none",
            "A contract must name its procurement regime: the Public Contracts Regulations 2015 or the Procurement "
            "Act 2023",
        ),
    ],
)
def test_the_regime_must_fit_the_kind_of_agreement(users, kind, regime, message):
    with pytest.raises(ValidationError) as caught:
        new_agreement(users["commissioning_manager"], ServiceFactory(), kind=kind, regime=regime)
    assert messages_of(caught)["regime"] == [message]


def test_a_contract_names_either_procurement_regime(users):
    manager, service = users["commissioning_manager"], ServiceFactory()
    assert new_agreement(manager, service, kind="contract", regime="pa_2023").regime == "pa_2023"
    assert new_agreement(manager, service, kind="contract", regime="pcr_2015").regime == "pcr_2015"
    assert new_agreement(manager, service, kind="sla", regime="none").regime == "none"


def test_an_agreement_value_is_money_and_not_negative(users):
    with pytest.raises(ValidationError) as caught:
        new_agreement(users["commissioning_manager"], ServiceFactory(), value="-1")
    assert messages_of(caught)["value"] == ["Enter a value of £0 or more"]
    with pytest.raises(ValidationError) as caught:
        new_agreement(users["commissioning_manager"], ServiceFactory(), value="lots")
    assert messages_of(caught)["value"] == ["Enter an amount in pounds and pence, like 1250.50"]


def test_signing_activates_the_agreement_and_a_planned_service(users):
    manager = users["finance_officer"]
    service = ServiceFactory(status=Service.Status.PLANNED)
    agreement = new_agreement(manager, service)
    with pytest.raises(ValidationError) as caught:
        services.agreement_activate(
            actor=manager, agreement=agreement, signed_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert messages_of(caught)["signed_on"] == ["The date signed must be today or in the past"]
    services.agreement_activate(actor=manager, agreement=agreement, signed_on=dt.date(2025, 3, 20))
    agreement.refresh_from_db()
    service.refresh_from_db()
    assert (agreement.status, agreement.signed_on, service.status) == ("active", dt.date(2025, 3, 20), "active")
    with pytest.raises(ValidationError):
        services.agreement_activate(actor=manager, agreement=agreement, signed_on=dt.date(2025, 3, 20))


def test_a_signed_agreements_value_changes_only_by_variation(users):
    agreement = AgreementFactory()
    with pytest.raises(ValidationError) as caught:
        services.agreement_update(actor=users["finance_officer"], agreement=agreement, data={"value": "1"})
    assert "change through a variation" in caught.value.messages[0]
    services.agreement_update(
        actor=users["finance_officer"], agreement=agreement, data={"payment_terms": "Quarterly in arrears"}
    )
    agreement.refresh_from_db()
    assert agreement.payment_terms == "Quarterly in arrears"


# Documents ----------------------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("agreement.pdf", PDF_BYTES, "application/pdf"),
        (
            "schedule.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("letter.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("scan.png", b"\x89PNG\r\n\x1a\nrest", "image/png"),
        ("scan.JPG", b"\xff\xd8\xff\xe0rest", "image/jpeg"),
    ],
)
def test_allowed_documents_are_kept_with_their_type(users, name, content, content_type):
    document = services.agreement_document_add(
        actor=users["commissioning_manager"], agreement=AgreementFactory(), title="Signed", file=upload(name, content)
    )
    assert (document.content_type, document.size) == (content_type, len(content))
    assert document.file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("agreement.pdf", b"MZ\x90\x00\x03\x00\x00\x00 a Windows program"),  # an .exe renamed .pdf
        ("agreement.exe", b"MZ\x90\x00\x03\x00"),
        ("notes.txt", b"plain text"),
        ("agreement.docx", PDF_BYTES),  # a PDF renamed .docx
        ("agreement", PDF_BYTES),  # no extension
        ("photo.png", b"\xff\xd8\xff\xe0 a JPEG called PNG"),
    ],
)
def test_other_files_are_refused_by_name_or_content(users, name, content):
    with pytest.raises(ValidationError) as caught:
        services.agreement_document_add(
            actor=users["finance_officer"], agreement=AgreementFactory(), title="Signed", file=upload(name, content)
        )
    assert messages_of(caught)["file"] == [
        "The selected file must be a PDF, Word, Excel, OpenDocument, PNG or JPEG file"
    ]
    assert not AgreementDocument.objects.exists()


def test_a_file_over_10mb_is_refused(users):
    big = upload("agreement.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        services.agreement_document_add(
            actor=users["finance_officer"], agreement=AgreementFactory(), title="Signed", file=big
        )
    assert messages_of(caught)["file"] == ["The selected file must be smaller than 10MB"]


def test_the_size_limit_is_a_setting(users, settings):
    settings.AGREEMENT_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        services.agreement_document_add(
            actor=users["finance_officer"],
            agreement=AgreementFactory(),
            title="Signed",
            file=upload("agreement.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024)),
        )
    assert messages_of(caught)["file"] == ["The selected file must be smaller than 2MB"]


def test_an_empty_file_and_title_are_refused(users):
    with pytest.raises(ValidationError) as caught:
        services.agreement_document_add(
            actor=users["finance_officer"], agreement=AgreementFactory(), title=" ", file=upload("a.pdf", b"")
        )
    assert messages_of(caught) == {"title": ["Enter a title for the document"], "file": ["The selected file is empty"]}


# Variations ---------------------------------------------------------------------------------------------


def test_variations_are_numbered_on_each_agreement(users):
    manager, agreement = users["commissioning_manager"], AgreementFactory()
    first = services.variation_request(
        actor=manager, agreement=agreement, kind="scope", description="Add a helpline in the evenings"
    )
    second = services.variation_request(
        actor=manager, agreement=agreement, kind="value", description="More hours", value_change="12000"
    )
    assert (first.number, second.number) == (1, 2)
    assert first.status == AgreementVariation.Status.REQUESTED


def test_an_extension_needs_a_later_end_date(users):
    agreement = AgreementFactory(ends_on=dt.date(2028, 3, 31))
    with pytest.raises(ValidationError) as caught:
        services.variation_request(
            actor=users["commissioning_manager"],
            agreement=agreement,
            kind="extension",
            description="Extend",
            new_ends_on=dt.date(2028, 3, 31),
        )
    assert messages_of(caught)["new_ends_on"] == ["The new end date must be after the current end date, 31 March 2028"]
    with pytest.raises(ValidationError) as caught:
        services.variation_request(
            actor=users["commissioning_manager"], agreement=agreement, kind="extension", description="Extend"
        )
    assert messages_of(caught)["new_ends_on"] == ["Enter the new end date"]


def test_a_value_change_needs_an_amount_that_keeps_the_value_above_zero(users):
    manager, agreement = users["finance_officer"], AgreementFactory(value=Decimal("10000.00"))
    with pytest.raises(ValidationError) as caught:
        services.variation_request(actor=manager, agreement=agreement, kind="value", description="Cut")
    assert messages_of(caught)["value_change"] == ["Enter the change in value"]
    with pytest.raises(ValidationError) as caught:
        services.variation_request(
            actor=manager, agreement=agreement, kind="value", description="Cut", value_change="-10000.01"
        )
    assert messages_of(caught)["value_change"] == [
        "The agreement is worth £10,000.00. It cannot be reduced by more than that"
    ]


def test_a_draft_agreement_is_not_varied(users):
    with pytest.raises(ValidationError):
        services.variation_request(
            actor=users["finance_officer"],
            agreement=AgreementFactory(status=Agreement.Status.DRAFT),
            kind="scope",
            description="Change",
        )


def test_the_person_who_asked_for_a_variation_cannot_approve_it(users):
    cfo = users["cfo"]
    variation = services.variation_request(
        actor=cfo, agreement=AgreementFactory(), kind="scope", description="Add an outreach worker"
    )
    with pytest.raises(PermissionDenied):
        services.variation_decide(actor=cfo, variation=variation, approve=True)
    variation.refresh_from_db()
    assert variation.status == AgreementVariation.Status.REQUESTED
    services.variation_decide(actor=users["pcc"], variation=variation, approve=True)
    variation.refresh_from_db()
    assert (variation.status, variation.decided_by) == ("approved", users["pcc"])


def test_only_the_pcc_or_cfo_decide_variations(users):
    variation = VariationFactory()
    for role in ("commissioning_manager", "finance_officer", "chief_executive", "auditor"):
        with pytest.raises(PermissionDenied):
            services.variation_decide(actor=users[role], variation=variation, approve=True)


def test_an_approved_extension_moves_the_agreement_and_a_service_ending_earlier(users):
    service = ServiceFactory(ends_on=dt.date(2028, 3, 31))
    agreement = AgreementFactory(service=service, ends_on=dt.date(2028, 3, 31))
    variation = VariationFactory(agreement=agreement, new_ends_on=dt.date(2029, 3, 31))
    services.variation_decide(actor=users["cfo"], variation=variation, approve=True, note="Retender delayed")
    agreement.refresh_from_db()
    service.refresh_from_db()
    assert agreement.ends_on == service.ends_on == dt.date(2029, 3, 31)
    assert agreement.history.first().history_change_reason == f"Variation {variation.number} approved"


def test_an_approved_extension_leaves_an_ongoing_service_ongoing(users):
    service = ServiceFactory(ends_on=None)
    variation = VariationFactory(agreement=AgreementFactory(service=service), new_ends_on=dt.date(2029, 3, 31))
    services.variation_decide(actor=users["pcc"], variation=variation, approve=True)
    service.refresh_from_db()
    assert service.ends_on is None


def test_an_approved_value_change_is_added_and_never_below_zero(users):
    agreement = AgreementFactory(value=Decimal("10000.00"))
    first = VariationFactory(agreement=agreement, kind="value", new_ends_on=None, value_change=Decimal("-6000.00"))
    second = VariationFactory(agreement=agreement, kind="value", new_ends_on=None, value_change=Decimal("-6000.00"))
    services.variation_decide(actor=users["pcc"], variation=first, approve=True)
    agreement.refresh_from_db()
    assert agreement.value == Decimal("4000.00")
    with pytest.raises(ValidationError) as caught:
        services.variation_decide(actor=users["pcc"], variation=second, approve=True)
    assert caught.value.messages == ["Approving this would take the agreement's value below £0: it is worth £4,000.00"]
    second.refresh_from_db()
    assert second.status == AgreementVariation.Status.REQUESTED


def test_a_rejection_needs_a_note_and_changes_nothing(users):
    agreement = AgreementFactory()
    variation = VariationFactory(agreement=agreement)
    with pytest.raises(ValidationError) as caught:
        services.variation_decide(actor=users["pcc"], variation=variation, approve=False)
    assert messages_of(caught)["decision_note"] == ["Enter why the variation is rejected"]
    services.variation_decide(actor=users["pcc"], variation=variation, approve=False, note="Retender instead")
    agreement.refresh_from_db()
    assert agreement.ends_on == dt.date(2028, 3, 31)
    with pytest.raises(ValidationError):
        services.variation_decide(actor=users["cfo"], variation=variation, approve=True)


# Pre-year review of the Commissioner's Safety Fund ------------------------------------------------------


@pytest.fixture
def safety_fund(db):
    return FundFactory(code="commissioners-safety-fund", name="Commissioner's Safety Fund", role="safety_fund")


def test_a_review_lists_ongoing_agreements_of_two_years_or_more_with_expected_spend(users, safety_fund):
    year = FinancialYearFactory(start_year=2026)
    three_years = AgreementFactory(value=Decimal("300000.00"))  # 1 April 2025 to 31 March 2028
    exactly_two = AgreementFactory(starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2027, 9, 30), value=Decimal("730"))
    AgreementFactory(starts_on=APRIL_2025, ends_on=dt.date(2026, 9, 30))  # under two years
    AgreementFactory(status=Agreement.Status.DRAFT)  # not signed
    AgreementFactory(starts_on=dt.date(2022, 4, 1), ends_on=dt.date(2026, 3, 31))  # ends before the year
    review = services.safety_fund_review_prepare(actor=users["finance_officer"], fund=safety_fund, year=year)
    spend = {line.agreement: line.expected_spend for line in review.lines.all()}
    # 365 of the agreement's 1,096 days fall in 2026/27: £300,000 × 365 ÷ 1,096 = £99,908.759... → £99,908.76.
    assert spend == {three_years: Decimal("99908.76"), exactly_two: Decimal("365.00")}


def test_a_review_leaves_out_agreements_paid_wholly_from_another_fund(users, safety_fund):
    from commissioning.funds.models import Commitment

    year = FinancialYearFactory(start_year=2026)
    from_victims_fund = AgreementFactory()
    from_safety_fund = AgreementFactory()
    for agreement, fund in ((from_victims_fund, FundFactory(name="Victims Fund")), (from_safety_fund, safety_fund)):
        Commitment.objects.create(
            fund=fund, year=year, agreement=agreement, amount=Decimal("1000"), created_by=users["finance_officer"]
        )
    review = services.safety_fund_review_prepare(actor=users["finance_officer"], fund=safety_fund, year=year)
    assert [line.agreement for line in review.lines.all()] == [from_safety_fund]


def test_a_fund_has_one_review_a_year(users, safety_fund):
    year = FinancialYearFactory(start_year=2026)
    services.safety_fund_review_prepare(actor=users["finance_officer"], fund=safety_fund, year=year)
    with pytest.raises(ValidationError) as caught:
        services.safety_fund_review_prepare(actor=users["commissioning_manager"], fund=safety_fund, year=year)
    assert messages_of(caught)["year"] == ["Commissioner's Safety Fund already has a pre-year review for 2026/27"]


def test_an_adjusted_line_needs_a_reason_and_counts_instead_of_the_worked_out_figure(users, safety_fund):
    review = SafetyFundReviewFactory(fund=safety_fund)
    line = SafetyFundReviewLineFactory(review=review, expected_spend=Decimal("100000.00"))
    SafetyFundReviewLineFactory(review=review, expected_spend=Decimal("50000.00"))
    with pytest.raises(ValidationError) as caught:
        services.safety_fund_review_adjust_line(actor=users["finance_officer"], line=line, adjusted_spend="80000")
    assert messages_of(caught)["adjustment_reason"] == ["Enter why the expected spend is being changed"]
    services.safety_fund_review_adjust_line(
        actor=users["finance_officer"], line=line, adjusted_spend="80000", reason="Starts three months late"
    )
    from commissioning.agreements.selectors import review_total

    assert review_total(review) == Decimal("130000.00")
    services.safety_fund_review_adjust_line(actor=users["finance_officer"], line=line, adjusted_spend=None)
    assert review_total(review) == Decimal("150000.00")


def submitted_review(users, fund, *amounts):
    review = SafetyFundReviewFactory(fund=fund, year=FinancialYearFactory(start_year=2026))
    for amount in amounts:
        SafetyFundReviewLineFactory(review=review, expected_spend=Decimal(amount))
    return services.safety_fund_review_submit(actor=users["finance_officer"], review=review)


def test_a_submitted_review_cannot_be_changed(users, safety_fund):
    review = submitted_review(users, safety_fund, "1000")
    with pytest.raises(ValidationError):
        services.safety_fund_review_adjust_line(
            actor=users["finance_officer"], line=review.lines.get(), adjusted_spend="1", reason="Late"
        )
    with pytest.raises(ValidationError):
        services.safety_fund_review_submit(actor=users["finance_officer"], review=review)


def test_approval_by_the_cfo_sets_the_funds_budget_to_the_total(users, safety_fund, monkeypatch):
    calls = []
    real = fund_services.budget_set_total

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(fund_services, "budget_set_total", spy)
    review = submitted_review(users, safety_fund, "99908.76", "50000.00")
    services.safety_fund_review_decide(actor=users["cfo"], review=review, approve=True, note="Agreed at SMT")
    review.refresh_from_db()
    assert (review.status, review.decided_by) == ("approved", users["cfo"])
    [call] = calls
    assert (call["actor"], call["fund"], call["year"], call["amount"]) == (
        users["cfo"],
        safety_fund,
        review.year,
        Decimal("149908.76"),
    )
    assert call["reason"]
    assert Budget.objects.get(fund=safety_fund, year=review.year).amount == Decimal("149908.76")


def test_returning_a_review_needs_a_note_and_sets_no_budget(users, safety_fund):
    review = submitted_review(users, safety_fund, "1000")
    with pytest.raises(ValidationError) as caught:
        services.safety_fund_review_decide(actor=users["chief_executive"], review=review, approve=False)
    assert messages_of(caught)["decision_note"] == ["Enter what needs to change before the review can be approved"]
    services.safety_fund_review_decide(
        actor=users["director_operations"], review=review, approve=False, note="Check the SARC figure"
    )
    review.refresh_from_db()
    assert review.status == "returned"
    assert not Budget.objects.filter(fund=safety_fund).exists()
    # Returned, it can be changed and sent again.
    services.safety_fund_review_submit(actor=users["commissioning_manager"], review=review)


def test_only_smt_decide_a_review_and_only_once_submitted(users, safety_fund):
    draft = SafetyFundReviewFactory(fund=safety_fund)
    with pytest.raises(ValidationError):
        services.safety_fund_review_decide(actor=users["cfo"], review=draft, approve=True)
    review = submitted_review(users, FundFactory(), "1000")
    for role in ("finance_officer", "pcc", "commissioning_manager", "auditor"):
        with pytest.raises(PermissionDenied):
            services.safety_fund_review_decide(actor=users[role], review=review, approve=True)


def test_any_smt_member_may_approve_and_so_set_the_budget(users, safety_fund):
    """The Senior Management Team approves the pre-year review (seed, Section 3), so each member may."""
    review = submitted_review(users, safety_fund, "1000", "250.50")
    services.safety_fund_review_decide(actor=users["chief_executive"], review=review, approve=True)
    review.refresh_from_db()
    assert (review.status, review.decided_by) == ("approved", users["chief_executive"])
    assert Budget.objects.get(fund=safety_fund, year=review.year).amount == Decimal("1250.50")


def test_a_service_counts_under_one_main_panel_area(users):
    """The Panel report counts each service once (issue 12): the main area given, else the first of its areas,
    else its first priority's; one is required."""
    actor = users["commissioning_manager"]
    first, second = PanelAreaFactory(code="first-area", order=1), PanelAreaFactory(code="second-area", order=2)
    given = new_service(actor, main_panel_area=second, panel_areas=[first])
    assert given.main_panel_area == second and set(given.panel_areas.all()) == {first, second}
    assert new_service(actor, panel_areas=[first, second]).main_panel_area == first
    priority = PriorityFactory(panel_area=second)
    assert new_service(actor, priorities=[priority]).main_panel_area == second
    with pytest.raises(ValidationError) as raised:
        new_service(actor, priorities=[PriorityFactory(panel_area=None)])
    assert "main_panel_area" in raised.value.message_dict
