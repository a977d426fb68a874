"""Issue 8, point 4: a fund's role comes from the profile, so another OPCC's safety-fund review and innovation
prioritisation work with its own funds (no Dorset fund code in the code)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.agreements.models import SafetyFundReview
from commissioning.agreements.tests.factories import AgreementFactory
from commissioning.funds import services as fund_services
from commissioning.funds.models import Fund
from commissioning.grants.models import Prioritisation
from commissioning.grants.tests.factories import InnovationCandidateFactory
from commissioning.profiles.loader import profile_load, profile_read
from commissioning.profiles.validation import validate


@pytest.fixture
def example(db):
    profile_load(path_or_name="example")
    return {fund.role: fund for fund in Fund.objects.exclude(role="")}


def test_the_example_profile_declares_its_own_safety_and_innovation_funds(example):
    assert example[Fund.Role.SAFETY_FUND].code == "exampleshire-multi-year-services"
    assert example[Fund.Role.INNOVATION_FUND].code == "exampleshire-new-ideas"
    assert not Fund.objects.filter(code__in=["commissioners-safety-fund", "local-innovation-fund"]).exists()


def test_the_example_safety_fund_review_lists_its_multi_year_agreements(example, client_for, users):
    year = fund_services.financial_year_get_or_create(start_year=2026)
    agreement = AgreementFactory(
        starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2028, 3, 31), value=Decimal("300000.00")
    )
    client = client_for("finance_officer")
    page = client.get(reverse("agreements:review_prepare")).content.decode()
    safety = example[Fund.Role.SAFETY_FUND]
    assert f'<option value="{safety.pk}" selected>' in page
    response = client.post(reverse("agreements:review_prepare"), {"fund": safety.pk, "year": year.pk})
    assert response.status_code == 302
    review = SafetyFundReview.objects.get(fund=safety)
    assert [line.agreement for line in review.lines.all()] == [agreement]
    assert review.lines.get().expected_spend == Decimal("99908.76")


def test_the_example_innovation_fund_is_offered_and_ranks_candidates(example, client_for, users):
    year = fund_services.financial_year_get_or_create(start_year=2026)
    innovation = example[Fund.Role.INNOVATION_FUND]
    fund_services.budget_set_total(
        actor=users["finance_officer"], fund=innovation, year=year, amount="25000", reason="Example budget"
    )
    for title, spend, score in (("Bright idea", "15000", 5), ("Steady idea", "10000", 3)):
        InnovationCandidateFactory(
            title=title,
            year=year,
            anticipated_spend=Decimal(spend),
            likelihood_score=score,
            priority_score=score,
            need_score=score,
        )
    client = client_for("commissioning_manager")
    url = reverse("grants:prioritisation_create")
    assert f'<option value="{innovation.pk}" selected>' in client.get(url).content.decode()
    assert client.post(url, {"fund": innovation.pk, "year": year.pk}).status_code == 302
    prioritisation = Prioritisation.objects.get(fund=innovation)
    allowances = [(e.candidate.title, e.allowance) for e in prioritisation.entries.order_by("rank")]
    assert allowances == [("Bright idea", Decimal("15000.00")), ("Steady idea", Decimal("10000.00"))]


def test_a_profile_may_give_a_role_to_one_fund_only(db):
    _, data = profile_read(path_or_name="example")
    for fund in data["funds"][:2]:
        fund["role"] = "safety_fund"
    assert any("duplicate fund role 'safety_fund'" in problem.message for problem in validate(data))
