"""Every strategy page, with and without form errors, passes axe-core in a real browser (chromium)."""

import datetime as dt

import pytest
from django.utils import timezone

from commissioning.strategy.models import SignOffStatus, Variation
from commissioning.strategy.tests.factories import (
    CommissioningObjectiveFactory,
    DecisionRecordFactory,
    PanelAreaFactory,
    PillarFactory,
    PoliceCrimePlanFactory,
    PriorityFactory,
    StrategyDocumentFactory,
    StrategyVersionFactory,
    VariationFactory,
)
from commissioning.testing.browser import BROWSER

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def records(users):
    plan = PoliceCrimePlanFactory(is_current=True)
    pillar = PillarFactory(plan=plan, number=1)
    PriorityFactory(pillar=pillar, code="1.1")
    CommissioningObjectiveFactory(number=1)
    PanelAreaFactory(code="mental-health", name="Mental Health")
    document = StrategyDocumentFactory()
    in_force = StrategyVersionFactory(
        document=document,
        number=1,
        status=SignOffStatus.SIGNED,
        in_force_from=timezone.now(),
        review_due_on=dt.date(2026, 1, 1),
    )
    awaiting = StrategyVersionFactory(document=document, number=2, status=SignOffStatus.AWAITING)
    variation = VariationFactory(version=in_force, status=Variation.Status.AWAITING)
    draft = StrategyVersionFactory(status=SignOffStatus.DRAFT)
    decisions = DecisionRecordFactory.create_batch(
        27, decided_by=users["pcc"], recorded_by=users["pcc"], amount="100.00"
    )
    return {
        "plan": plan,
        "pillar": pillar,
        "document": document,
        "in_force": in_force,
        "awaiting": awaiting,
        "variation": variation,
        "draft": draft,
        "decision": decisions[0],
    }


def test_strategy_pages_pass_axe(page, live_server, users, records, signed_in, axe_check):
    signed_in(users["commissioning_manager"])
    base = f"{live_server.url}/strategy"
    for path in [
        "/",
        f"/plans/{records['plan'].pk}/edit/",
        f"/pillars/{records['pillar'].pk}/priorities/add/",
        "/documents/add/",
        f"/documents/{records['document'].pk}/",
        f"/documents/{records['document'].pk}/versions/add/",
        f"/versions/{records['in_force'].pk}/",
        f"/versions/{records['in_force'].pk}/variations/add/",
        f"/variations/{records['variation'].pk}/",
        f"/variations/{records['variation'].pk}/withdraw/",
        "/decisions/",
        "/decisions/?page=2",
        "/decisions/add/",
        f"/decisions/{records['decision'].pk}/",
        f"/versions/{records['draft'].pk}/",
        f"/versions/{records['draft'].pk}/edit/",
    ]:
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        axe_check(page)


def test_forms_with_errors_pass_axe(page, live_server, users, records, signed_in, axe_check):
    signed_in(users["commissioning_manager"])
    page.goto(f"{live_server.url}/strategy/decisions/add/")
    page.get_by_label("Subject").fill("")
    page.get_by_label("Amount").fill("12.345")
    page.get_by_role("button", name="Record decision").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    axe_check(page)

    page.goto(f"{live_server.url}/strategy/versions/{records['in_force'].pk}/variations/add/")
    page.get_by_role("button", name="Raise a variation").click()
    assert "Enter a title for the variation" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)


def test_a_signatory_signs_from_the_version_page(page, live_server, users, records, signed_in, axe_check):
    signed_in(users["pcc"])
    page.goto(f"{live_server.url}/strategy/versions/{records['awaiting'].pk}/")
    axe_check(page)
    page.get_by_label("Comment").fill("x" * 301)
    page.get_by_role("button", name="Sign as Police and Crime Commissioner").click()
    assert "Comment must be 300 characters or fewer" in page.locator(".govuk-error-summary").inner_text()
    axe_check(page)
    page.get_by_label("Comment").fill("Agreed")
    page.get_by_role("button", name="Sign as Police and Crime Commissioner").click()
    assert "You have signed version 2" in page.content()
    assert page.get_by_role("button", name="Sign as Police and Crime Commissioner").count() == 0
    axe_check(page)
