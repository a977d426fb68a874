"""The whole commissioning cycle in the browser (issue 10): a need, its consultation, a market event, the
specification with its KPIs approved, the route chosen, the tender created and published, three suppliers bidding
(one through the portal, two through the services), the bids opened by two officers, two evaluators declaring and
scoring, moderation, the recommendation, the PCC's decision, the award letters, the standstill and the contract in
the register with the specification's KPIs and a fund commitment for each financial year it runs. axe-core checks
each distinct page.

Time is moved, never waited for: the tender's deadline is put in the past in the database once the bids are in,
and `timezone.now` is moved past the end of the standstill (in the test and the live server alike: one process).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.agreements.models import Agreement
from commissioning.funds.models import Commitment
from commissioning.funds.tests.factories import BudgetFactory, FinancialYearFactory, FundFactory
from commissioning.monitoring.models import ServiceKpi
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.procurement.models import Bid, CommissioningCase, ContractAward, Specification, Tender
from commissioning.procurement.services import bids as bid_services
from commissioning.procurement.services import evaluation as evaluation_services
from commissioning.procurement.services import planning
from commissioning.procurement.standstill import contract_may_be_signed_from
from commissioning.procurement.tests.factories_planning import procurement_config
from commissioning.procurement.tests.factories_tenders import PDF_BYTES, add_criteria, add_document
from commissioning.strategy.tests.factories import PriorityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def fill(page, data: dict) -> None:
    """Fill the named fields: text and selects by value, radios and checkboxes by value (True: the only box)."""
    for name, value in data.items():
        fields = page.locator(f'[name="{name}"]')
        first = fields.first
        kind = (first.get_attribute("type") or first.evaluate("e => e.tagName")).lower()
        if kind in ("radio", "checkbox"):
            target = first if value is True else page.locator(f'[name="{name}"][value="{value}"]')
            target.check()
        elif kind == "select":
            first.select_option(str(value))
        else:
            first.fill(str(value))


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def submit(page, axe_check, button: str, data: dict | None = None, *, check: bool = True) -> None:
    """axe-check the page, fill the form and press its button; the next page must not show an error summary."""
    if check:
        axe_check(page)
    fill(page, data or {})
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, f"{page.url}: {errors.first.inner_text()}"


def services_bid(tender: Tender, price: str) -> Bid:
    organisation = OrganisationFactory(kind=Organisation.Kind.PROVIDER)
    supplier = UserFactory(role=Role.SUPPLIER, organisation=organisation)
    bid = bid_services.bid_start(actor=supplier, tender=tender)
    answers = {c.pk: f"Our answer on {c.title.lower()}." for c in tender.criteria.exclude(kind="price")}
    answers = {pk: text for pk, text in answers.items() if not tender.criteria.filter(parent_id=pk).exists()}
    bid_services.bid_save(actor=supplier, bid=bid, price=Decimal(price), answers=answers)
    upload = SimpleUploadedFile("method-statement.pdf", PDF_BYTES, content_type="application/pdf")
    bid_services.bid_attachment_add(actor=supplier, bid=bid, file=upload)
    return bid_services.bid_submit(actor=supplier, bid=bid)


def test_a_need_through_to_a_contract_in_the_register(
    page, live_server, axe_check, signed_in, users, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    procurement_config()
    priority = PriorityFactory()
    fund = FundFactory(name="Community Safety Fund")
    for start_year in range(2026, 2031):
        BudgetFactory(fund=fund, year=FinancialYearFactory(start_year=start_year), amount=Decimal("900000.00"))
    officer, manager, pcc = users["policy_officer"], users["commissioning_manager"], users["pcc"]
    today = timezone.localdate()
    url = live_server.url

    def go(path: str) -> None:
        page.goto(f"{url}{path}")
        page.wait_for_load_state()

    # 1. The need: the case, its needs assessment and a consultation, by the policy officer.
    signed_in(officer)
    go("/procurement/cases/new/")
    submit(
        page,
        axe_check,
        "Save",
        {
            "title": "Support for victims of fraud",
            "need_summary": "Older victims of fraud get no specialist help after reporting.",
            "priorities": priority.pk,
            "estimated_value": "300,000",
            "light_touch": True,
            **date_fields("procurement_starts_on", today),
            **date_fields("contract_starts_on", dt.date(2027, 4, 1)),
            "contract_months": 24,
            "fund": fund.pk,
        },
    )
    case = CommissioningCase.objects.get(title="Support for victims of fraud")
    axe_check(page)  # the case page
    go(f"/procurement/cases/{case.pk}/needs/")
    submit(
        page,
        axe_check,
        "Save",
        {
            "problem": "Older victims of fraud are not helped after they report.",
            "evidence": "Reports of fraud against people over 65 doubled in two years.",
            "groups_affected": "People over 65 across the county.",
        },
    )
    go(f"/procurement/cases/{case.pk}/engagement/add/")
    submit(
        page,
        axe_check,
        "Save",
        {
            "who": "Older people's forum",
            "service_users": True,
            "method": "focus_group",
            **date_fields("held_on", today),
            "heard": "People want one person to call, and visits at home.",
        },
    )
    # The review of priorities, the recommendation and the PCC's approval to proceed (pages tested elsewhere).
    case.refresh_from_db()
    planning.priorities_review_update(
        actor=officer, case=case, priority_fit="The plan's priority for victims.", responsibility="opcc"
    )
    planning.recommend(actor=manager, case=case, recommendation="Commission a county-wide service for two years.")
    planning.approve_to_proceed(actor=pcc, case=case, approve=True, note="A clear, evidenced need.")

    # 2. The market event and the specification with a KPI.
    go(f"/procurement/cases/{case.pk}/market/events/add/")
    submit(
        page,
        axe_check,
        "Save",
        {
            "kind": "open_day",
            "title": "Supplier open day",
            **date_fields("held_on", today),
            "attendees": "Wessex Fraud Advice (invented)\nHarbour Victim Care (invented)",
        },
    )
    go(f"/procurement/cases/{case.pk}/")
    submit(page, axe_check, "Draft the specification", check=False)
    submit(
        page,
        axe_check,
        "Save",
        {
            "timeliness": "Contact within two working days.",
            "standards": "A safeguarding policy; the Victims' Code.",
            "delivery": "At home, by phone and online.",
            "recipients": "Victims of fraud aged 65 and over.",
            "outcomes": "Victims feel safer and lose no more money.",
            "social_value": "Volunteering places for local people.",
        },
    )
    spec = Specification.objects.get(case=case)
    go(f"/procurement/cases/{case.pk}/specification/{spec.version}/kpis/add/")
    submit(
        page,
        axe_check,
        "Save",
        {"name": "Victims helped to recover money", "unit": "people", "target": 40, "direction": "higher"},
    )
    axe_check(page)  # the specification page
    signed_in(manager)
    go(f"/procurement/cases/{case.pk}/specification/{spec.version}/")
    submit(page, axe_check, f"Approve version {spec.version}", check=False)

    # 3. The route, worked out and chosen.
    signed_in(officer)
    go(f"/procurement/cases/{case.pk}/route/")
    submit(page, axe_check, "Keep this route")
    submit(page, axe_check, "Choose this route", {"route": "open"})
    case.refresh_from_db()
    assert case.route == "open"

    # 4. The tender, created and published by the commissioning manager.
    signed_in(manager)
    go(f"/procurement/cases/{case.pk}/tender/add/")
    deadline = today + dt.timedelta(days=21)
    submit(
        page,
        axe_check,
        "Save the draft",
        {
            "description": "Specialist help for older victims of fraud, for two years.",
            **date_fields("deadline", deadline),
        },
    )
    tender = Tender.objects.get(case=case)
    add_criteria(tender)
    add_document(tender)
    go(f"/procurement/tenders/{tender.pk}/publish/")
    submit(page, axe_check, "Publish to suppliers")
    tender.refresh_from_db()
    assert tender.status == "published"

    # 5. A supplier bids through the portal; two more through the services.
    portal = UserFactory(
        role=Role.SUPPLIER, organisation=OrganisationFactory(name="Purbeck Fraud Advice", kind="provider")
    )
    signed_in(portal)
    go(f"/procurement/opportunities/{tender.pk}/bid/")
    submit(page, axe_check, "Start your bid")
    page.get_by_label("Your total price").fill("£198,500.00")
    for label in ("How you will reach victims", "Safeguarding", "Social value"):
        page.get_by_label(label).fill(f"Our answer about {label.lower()}.")
    submit(page, axe_check, "Save and continue", check=False)
    go(f"/procurement/opportunities/{tender.pk}/bid/files/")
    axe_check(page)
    document = tmp_path / "method-statement.pdf"
    document.write_bytes(PDF_BYTES)
    page.locator('input[type="file"]').set_input_files(str(document))
    submit(page, axe_check, "Upload file", check=False)
    go(f"/procurement/opportunities/{tender.pk}/bid/check/")
    submit(page, axe_check, "Submit your bid")
    services_bid(tender, "240000.00")
    services_bid(tender, "260000.00")
    assert tender.bids.filter(status="submitted").count() == 3

    # 6. The deadline passes (moved in the database); two officers open the bids.
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    signed_in(manager)
    go(f"/procurement/tenders/{tender.pk}/opening/")
    submit(page, axe_check, "Start the opening")
    signed_in(users["finance_officer"])
    go(f"/procurement/tenders/{tender.pk}/opening/")
    submit(page, axe_check, "Confirm the opening as the second officer", check=False)
    tender.refresh_from_db()
    assert tender.status == "opened"

    # 7. Two evaluators: one through the pages, one through the services; then moderation and the ranking.
    evaluator, second = users["evaluator"], UserFactory(role=Role.EVALUATOR)
    signed_in(manager)
    go(f"/procurement/evaluation/tenders/{tender.pk}/")
    axe_check(page)
    for person in (evaluator, second):
        page.locator(f'[name="evaluators"][value="{person.pk}"]').check()
    submit(page, axe_check, "Assign evaluators", check=False)
    scored = evaluation_services.scored_criteria(tender)
    agreed = {pk: 4 for pk in scored}
    for bid in tender.bids.filter(status="submitted").order_by("pk"):
        assignment = bid.assignments.get(assessor=second)
        evaluation_services.evaluator_declare(actor=second, assignment=assignment, has_conflict=False)
        evaluation_services.bid_scores_save(
            actor=second, assignment=assignment, scores={pk: (4, "Good") for pk in scored}, submit=True
        )
    signed_in(evaluator)
    for number, bid in enumerate(tender.bids.filter(status="submitted").order_by("pk")):
        assignment = bid.assignments.get(assessor=evaluator)
        go(f"/procurement/evaluation/mine/{assignment.pk}/declare/")
        submit(page, axe_check, "Save declaration", {"declaration": "none"}, check=number == 0)
        scores = {}
        for pk in scored:
            scores[f"score_{pk}"] = 4
            scores[f"comment_{pk}"] = "A good answer against the descriptors."
        submit(page, axe_check, "Submit scores", scores, check=number == 0)
    signed_in(manager)
    for number, bid in enumerate(tender.bids.filter(status="submitted").order_by("pk")):
        go(f"/procurement/evaluation/bids/{bid.pk}/moderate/")
        submit(
            page,
            axe_check,
            "Record moderation",
            {**{f"score_{pk}": score for pk, score in agreed.items()}, "rationale": "The panel agreed."},
            check=number == 0,
        )
    go(f"/procurement/evaluation/tenders/{tender.pk}/")
    page.get_by_role("button", name="Score price and rank the bids").click()
    page.wait_for_load_state()
    axe_check(page)

    # 8. The recommendation (equal quality: the lowest price wins), the PCC's decision, the letters.
    winner = Bid.objects.get(tender=tender, envelope__price=Decimal("198500.00"))
    go(f"/procurement/evaluation/tenders/{tender.pk}/recommend/")
    submit(page, axe_check, "Recommend", {"bid": winner.pk, "recommendation": "The most advantageous tender."})
    signed_in(pcc)
    go(f"/procurement/evaluation/tenders/{tender.pk}/decide/")
    submit(
        page,
        axe_check,
        "Record the decision",
        {
            "decided_by": pcc.pk,
            **date_fields("decided_on", today),
            "reasons": "The most advantageous tender on the published criteria.",
            **date_fields("starts_on", dt.date(2027, 4, 1)),
            **date_fields("ends_on", dt.date(2029, 3, 31)),
        },
    )
    signed_in(manager)
    go(f"/procurement/evaluation/tenders/{tender.pk}/award/")
    submit(page, axe_check, "Send the letters", date_fields("notice_on", today))
    award = ContractAward.objects.get(tender=tender)

    # 9. The standstill ends (the clock moved on); the contract is signed and goes into the register.
    signable = contract_may_be_signed_from(regime=award.regime, notice_on=today)
    moved = timezone.now() + (signable - today) + dt.timedelta(days=1)
    real_now, offset = timezone.now, moved - timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)
    signed_on = timezone.localdate()
    signed_in(manager)  # a session started at the new time (the old one would have expired)
    go(f"/procurement/evaluation/tenders/{tender.pk}/award/")
    submit(page, axe_check, "Record the signed contract", date_fields("signed_on", signed_on))
    award.refresh_from_db()
    assert award.status == ContractAward.Status.CONTRACTED

    agreement = Agreement.objects.get(pk=award.agreement_id)
    assert winner.organisation.name == "Purbeck Fraud Advice" and award.agreement_id == agreement.pk
    go(f"/services/agreements/{agreement.pk}/")
    axe_check(page)
    assert set(ServiceKpi.objects.filter(service=agreement.service).values_list("name", flat=True)) >= {
        "Victims helped to recover money"
    }
    years = Commitment.objects.filter(agreement=agreement).values_list("year__start_year", flat=True)
    assert sorted(years) == [2027, 2028]
