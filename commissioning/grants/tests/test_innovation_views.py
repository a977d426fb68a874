"""Local Innovation Fund pages: candidates, weights, the ranked list, overrides and approval; bad input keeps
what was typed; lists keep a fixed number of queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.funds import services as fund_services
from commissioning.funds.tests.factories import FinancialYearFactory, FundFactory
from commissioning.grants.models import InnovationCandidate, InnovationWeights, Prioritisation, PrioritisationEntry
from commissioning.grants.tests.factories import (
    InnovationCandidateFactory,
    InnovationWeightsFactory,
    PrioritisationEntryFactory,
    PrioritisationFactory,
)
from commissioning.grants.tests.test_proposals_views import assert_well_formed, date_fields, text
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.strategy.tests.factories import PriorityFactory

pytestmark = pytest.mark.django_db

# Session, user, the menu's permission checks, the count and the page of rows with what they show; the candidate
# list also reads the years for its filter and the chosen year. A constant whatever the number of rows.
LIST_PAGE_QUERIES = 8
CANDIDATE_LIST_QUERIES = 10


@pytest.fixture
def year(db):
    return FinancialYearFactory(start_year=2026)


@pytest.fixture
def fund(users, year):
    fund = FundFactory(code="local-innovation-fund", name="Local Innovation Fund", role="innovation_fund")
    fund_services.budget_set_total(actor=users["finance_officer"], fund=fund, year=year, amount="20000", reason="Set")
    return fund


def candidate_post(year, **overrides):
    data = {
        "title": "Safer nights",
        "organisation": OrganisationFactory().pk,
        "description": "Street pastors on weekend nights.",
        "anticipated_spend": "8,000",
        "likelihood_score": "4",
        "priority_score": "3",
        "need_score": "5",
        "priorities": [PriorityFactory().pk],
        "year": year.pk,
    }
    return {**data, **overrides}


def test_a_candidate_is_put_forward_on_the_page(client_for, year):
    response = client_for("policy_officer").post(reverse("grants:candidate_create"), candidate_post(year), follow=True)
    assert_well_formed(response)
    candidate = InnovationCandidate.objects.get()
    assert candidate.anticipated_spend == Decimal("8000.00")
    assert "Safer nights has been put forward" in text(response)


def test_a_bad_candidate_keeps_what_was_typed_and_saves_nothing(client_for, year):
    response = client_for("commissioning_manager").post(
        reverse("grants:candidate_create"), candidate_post(year, need_score="", priorities=[], anticipated_spend="0")
    )
    assert_well_formed(response)
    page = text(response)
    assert "Choose a score for assessment of need" in page
    assert "Select at least one Police and Crime Plan priority" in page
    assert 'value="Safer nights"' in page and "Street pastors on weekend nights." in page
    assert re.search(r'name="likelihood_score" type="radio" value="4" checked', page)
    assert not InnovationCandidate.objects.exists()


def test_a_candidate_is_changed_on_the_page(client_for, year):
    candidate = InnovationCandidateFactory(year=year, title="Old title")
    response = client_for("policy_officer").post(
        reverse("grants:candidate_edit", args=[candidate.pk]), candidate_post(year, title="New title"), follow=True
    )
    assert_well_formed(response)
    candidate.refresh_from_db()
    assert candidate.title == "New title"


def test_the_commissioning_manager_sets_weights_and_others_only_read_them(client_for):
    response = client_for("commissioning_manager").post(
        reverse("grants:innovation_weights"),
        {
            **date_fields("effective_from", dt.date(2026, 4, 1)),
            "likelihood_weight": "50",
            "priority_weight": "25",
            "need_weight": "25",
        },
        follow=True,
    )
    assert_well_formed(response)
    assert InnovationWeights.objects.get().likelihood_weight == Decimal("50.00")
    officer = client_for("policy_officer")
    page = officer.get(reverse("grants:innovation_weights"))
    assert_well_formed(page)
    assert "Set new weights" not in text(page) and "1 April 2026" in text(page)
    assert officer.post(reverse("grants:innovation_weights"), {}).status_code == 403


def test_weights_that_are_all_zero_keep_what_was_typed(client_for):
    response = client_for("admin").post(
        reverse("grants:innovation_weights"),
        {
            **date_fields("effective_from", dt.date(2026, 4, 1)),
            "likelihood_weight": "0",
            "priority_weight": "0",
            "need_weight": "0.00",
        },
    )
    assert_well_formed(response)
    page = text(response)
    assert "At least one weight must be more than 0" in page
    assert 'value="0.00"' in page
    assert not InnovationWeights.objects.exists()


def test_a_year_is_prioritised_overridden_and_approved_on_the_pages(client_for, year, fund):
    InnovationWeightsFactory(effective_from=dt.date(2020, 4, 1))
    first = InnovationCandidateFactory(year=year, title="Alpha", anticipated_spend=Decimal("15000"), likelihood_score=5)
    second = InnovationCandidateFactory(year=year, title="Bravo", anticipated_spend=Decimal("8000"))
    officer = client_for("policy_officer")
    response = officer.post(reverse("grants:prioritisation_create"), {"fund": fund.pk, "year": year.pk}, follow=True)
    assert_well_formed(response)
    prioritisation = Prioritisation.objects.get()
    page = text(response)
    assert "Prioritised projects for 2026/27" in page
    assert "£15,000.00" in page and "not funded" in page  # Bravo's 8,000 does not fit in the 5,000 left

    entry = PrioritisationEntry.objects.get(candidate=second)
    override_url = reverse("grants:prioritisation_override", args=[prioritisation.pk, entry.pk])
    refused = officer.post(override_url, {"action": "amount", "allowance": "5000", "reason": ""})
    assert_well_formed(refused)
    assert "Enter reason for the override" in text(refused) or "Enter the reason" in text(refused)
    assert 'value="5000"' in text(refused)
    too_much = officer.post(override_url, {"action": "include", "reason": "Matched funding"})
    assert "more than the £20,000.00 available" in text(too_much)
    response = officer.post(
        override_url, {"action": "amount", "allowance": "5000", "reason": "A first phase"}, follow=True
    )
    page = text(response)
    assert "Overridden" in page and "A first phase" in page
    entry.refresh_from_db()
    assert entry.allowance == Decimal("5000.00") and entry.overridden
    assert PrioritisationEntry.objects.get(candidate=first).allowance == Decimal("15000.00")

    assert (
        client_for("commissioning_manager")
        .get(reverse("grants:prioritisation_approve", args=[prioritisation.pk]))
        .status_code
        == 403
    )
    cfo = client_for("cfo")
    confirm = cfo.get(reverse("grants:prioritisation_approve", args=[prioritisation.pk]))
    assert_well_formed(confirm)
    assert "2 of 2 projects get an allowance: £20,000.00 of the £20,000.00 available" in text(confirm)
    cfo.post(reverse("grants:prioritisation_approve", args=[prioritisation.pk]), {})
    prioritisation.refresh_from_db()
    assert prioritisation.status == Prioritisation.Status.APPROVED
    blocked = text(officer.get(override_url))
    assert "has been approved, so it can no longer change" in blocked


def test_creating_without_weights_says_to_set_them(client_for, year, fund):
    InnovationCandidateFactory(year=year)
    page = client_for("commissioning_manager").get(reverse("grants:prioritisation_create"))
    assert_well_formed(page)
    assert "have not been set yet" in text(page)
    response = client_for("commissioning_manager").post(
        reverse("grants:prioritisation_create"), {"fund": fund.pk, "year": year.pk}
    )
    assert "Set the weights of the three factors first" in text(response)
    assert not Prioritisation.objects.exists()


@pytest.mark.parametrize("count", [1, 30])
def test_the_candidate_list_keeps_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, year, count):
    for _ in range(count):
        InnovationCandidateFactory(year=year)
    client = client_for("auditor")
    with django_assert_max_num_queries(CANDIDATE_LIST_QUERIES):
        response = client.get(reverse("grants:candidate_list"), {"year": year.pk})
    assert_well_formed(response)
    assert f"{count} project" in text(response)


@pytest.mark.parametrize("count", [1, 30])
def test_the_prioritisation_list_keeps_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, count):
    for index in range(count):
        PrioritisationEntryFactory(prioritisation=PrioritisationFactory(year__start_year=2000 + index))
    client = client_for("cfo")
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = client.get(reverse("grants:prioritisation_list"))
    assert_well_formed(response)


@pytest.mark.parametrize("count", [1, 30])
def test_the_ranked_list_keeps_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, year, count):
    prioritisation = PrioritisationFactory(year=year)
    for rank in range(1, count + 1):
        entry = PrioritisationEntryFactory(prioritisation=prioritisation, rank=rank)
        entry.overridden, entry.override_reason, entry._change_reason = True, "Moved", "Override: moved"
        entry.save()
    client = client_for("policy_officer")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("grants:prioritisation_detail", args=[prioritisation.pk]))
    assert_well_formed(response)
    assert text(response).count("Overridden") == count
