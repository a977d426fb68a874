"""Local Innovation Fund: weighted scores, the ranking, allowances allocated down the ranking (with properties
checked by hypothesis), overrides, recalculation and approval (seed, Section 3, "Local Innovation Fund")."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.core.money import ZERO
from commissioning.funds import services as fund_services
from commissioning.funds.tests.factories import FinancialYearFactory, FundFactory
from commissioning.grants.models import InnovationCandidate, InnovationWeights, Prioritisation, PrioritisationEntry
from commissioning.grants.services import innovation as services
from commissioning.grants.services.innovation import Ranked, allocate, rank, weighted_score
from commissioning.grants.tests.factories import InnovationCandidateFactory, InnovationWeightsFactory
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.strategy.tests.factories import PriorityFactory

pytestmark = pytest.mark.django_db

OFFICERS = ("commissioning_manager", "policy_officer")


def _weights(likelihood, priority, need):
    return InnovationWeights(likelihood_weight=likelihood, priority_weight=priority, need_weight=need)


# Weighted scores ------------------------------------------------------------------------------------------------


def test_the_weighted_score_is_out_of_100():
    weights = _weights(Decimal("40"), Decimal("30"), Decimal("30"))
    # (4/5 × 40 + 3/5 × 30 + 5/5 × 30) / 100 × 100 = 32 + 18 + 30 = 80
    assert weighted_score(likelihood=4, priority=3, need=5, weights=weights) == Decimal("80.00")
    assert weighted_score(likelihood=5, priority=5, need=5, weights=weights) == Decimal("100.00")
    assert weighted_score(likelihood=0, priority=0, need=0, weights=weights) == ZERO


def test_weights_need_not_add_up_to_100_and_round_half_up():
    # (1/5 × 1 + 0 + 0) / 3 × 100 = 6.666... → 6.67
    assert weighted_score(likelihood=1, priority=0, need=0, weights=_weights(1, 1, 1)) == Decimal("6.67")
    # A zero weight ignores its factor.
    assert weighted_score(likelihood=0, priority=5, need=0, weights=_weights(0, 2, 0)) == Decimal("100.00")


@given(
    scores=st.tuples(*(st.integers(0, 5),) * 3),
    weights=st.tuples(*(st.decimals(0, 999, places=2),) * 3).filter(lambda w: sum(w) > 0),
)
def test_the_weighted_score_is_always_between_0_and_100(scores, weights):
    score = weighted_score(likelihood=scores[0], priority=scores[1], need=scores[2], weights=_weights(*weights))
    assert ZERO <= score <= Decimal("100.00")


def test_the_ranking_breaks_ties_by_lower_spend_then_title():
    rows = [
        Ranked(key="b", score=Decimal("70.00"), spend=Decimal("500"), title="Bravo", tie_break=1),
        Ranked(key="a", score=Decimal("70.00"), spend=Decimal("500"), title="alpha", tie_break=2),
        Ranked(key="c", score=Decimal("70.00"), spend=Decimal("400"), title="Charlie", tie_break=3),
        Ranked(key="d", score=Decimal("90.00"), spend=Decimal("9000"), title="Delta", tie_break=4),
    ]
    assert [row.key for row in rank(rows)] == ["d", "c", "a", "b"]


# Allocation down the ranking ----------------------------------------------------------------------------------


def test_allowances_go_down_the_ranking_and_a_smaller_project_may_still_fit():
    spends = [Decimal("30000"), Decimal("25000"), Decimal("15000"), Decimal("6000")]
    allowances = allocate(spends=spends, fixed=[None] * 4, available=Decimal("50000"))
    # 30,000 fits (20,000 left); 25,000 does not; 15,000 fits (5,000 left); 6,000 does not.
    assert allowances == [Decimal("30000.00"), ZERO, Decimal("15000.00"), ZERO]


def test_overrides_are_set_aside_first():
    spends = [Decimal("30000"), Decimal("25000"), Decimal("15000")]
    allowances = allocate(spends=spends, fixed=[None, Decimal("25000"), None], available=Decimal("50000"))
    assert allowances == [ZERO, Decimal("25000.00"), Decimal("15000.00")]


def test_a_negative_available_gives_nothing():
    assert allocate(spends=[Decimal("1")], fixed=[None], available=Decimal("-5")) == [ZERO]


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


@settings(max_examples=300)
@given(spends=st.lists(money, max_size=25), available=st.decimals(min_value=-1000, max_value=500000, places=2))
def test_allocation_properties(spends, available):
    allowances = allocate(spends=spends, fixed=[None] * len(spends), available=available)
    # Never more than the money available.
    assert sum(allowances, ZERO) <= max(available, ZERO)
    for index, (spend, allowance) in enumerate(zip(spends, allowances, strict=True)):
        # All or nothing: no partial allowances.
        assert allowance in (ZERO, spend)
        if allowance == ZERO:
            # A project is passed over only because it did not fit in what the projects above it left.
            left = max(available, ZERO) - sum(allowances[:index], ZERO)
            assert spend > left


@settings(max_examples=300)
@given(
    rows=st.lists(st.tuples(money, st.one_of(st.none(), st.decimals(0, 100000, places=2))), max_size=20),
    available=st.decimals(min_value=0, max_value=500000, places=2),
)
def test_allocation_properties_with_overrides(rows, available):
    spends = [spend for spend, _ in rows]
    fixed = [override for _, override in rows]
    allowances = allocate(spends=spends, fixed=fixed, available=available)
    overridden = sum((f for f in fixed if f is not None), ZERO)
    if overridden <= available:
        assert sum(allowances, ZERO) <= available
    for index, (spend, fix, allowance) in enumerate(zip(spends, fixed, allowances, strict=True)):
        if fix is not None:
            assert allowance == fix
            continue
        assert allowance in (ZERO, spend)
        if allowance == ZERO:
            left = (
                available
                - overridden
                - sum((a for a, f in zip(allowances[:index], fixed[:index], strict=True) if f is None), ZERO)
            )
            assert spend > left


# Candidates and weights ---------------------------------------------------------------------------------------


@pytest.fixture
def year(db):
    return FinancialYearFactory(start_year=2026)


def candidate_data(year, **overrides):
    data = {
        "title": "Safer nights in Bournemouth",
        "organisation": OrganisationFactory(),
        "description": "Street pastors and a safe space on weekend nights.",
        "anticipated_spend": "12000",
        "likelihood_score": 4,
        "priority_score": 3,
        "need_score": 5,
        "priorities": [PriorityFactory()],
        "year": year,
    }
    return {**data, **overrides}


@pytest.mark.parametrize("role", OFFICERS)
def test_officers_put_candidates_forward(users, year, role):
    candidate = services.candidate_create(actor=users[role], **candidate_data(year))
    assert candidate.anticipated_spend == Decimal("12000.00")
    assert candidate.scored_by == users[role]
    assert candidate.priorities.count() == 1


@pytest.mark.parametrize("role", ["pcc", "cfo", "finance_officer", "auditor", "applicant"])
def test_others_cannot_put_candidates_forward(users, year, role):
    with pytest.raises(PermissionDenied):
        services.candidate_create(actor=users[role], **candidate_data(year))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"priorities": []}, "priorities", "at least one"),
        ({"anticipated_spend": "0"}, "anticipated_spend", "more than £0.00"),
        ({"need_score": 6}, "need_score", "0 to 5"),
        ({"likelihood_score": None}, "likelihood_score", "0 to 5"),
        ({"title": ""}, "title", ""),
    ],
)
def test_bad_candidates_are_refused(users, year, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        services.candidate_create(actor=users["policy_officer"], **candidate_data(year, **overrides))
    assert message in " ".join(refused.value.message_dict[field])
    assert not InnovationCandidate.objects.exists()


def test_a_candidate_is_changed_until_its_year_is_approved(users, year):
    candidate = services.candidate_create(actor=users["policy_officer"], **candidate_data(year))
    changed = services.candidate_update(
        actor=users["commissioning_manager"], candidate=candidate, data={"need_score": 2, "title": " New title "}
    )
    assert (changed.need_score, changed.title, changed.scored_by) == (2, "New title", users["commissioning_manager"])
    Prioritisation.objects.create(
        fund=FundFactory(),
        year=year,
        available=0,
        weights=InnovationWeightsFactory(),
        prepared_by=users["policy_officer"],
        status=Prioritisation.Status.APPROVED,
    )
    with pytest.raises(ValidationError, match="approved"):
        services.candidate_update(actor=users["policy_officer"], candidate=candidate, data={"need_score": 5})
    with pytest.raises(ValidationError, match="approved"):
        services.candidate_create(actor=users["policy_officer"], **candidate_data(year))


@pytest.mark.parametrize("role", ["admin", "commissioning_manager"])
def test_weights_are_added_as_new_effective_dated_rows(users, role):
    first = services.innovation_weights_set(
        actor=users[role],
        effective_from=dt.date(2026, 4, 1),
        likelihood_weight="40",
        priority_weight="30",
        need_weight="30",
    )
    second = services.innovation_weights_set(
        actor=users[role],
        effective_from=dt.date(2026, 6, 1),
        likelihood_weight="0",
        priority_weight="1",
        need_weight="1",
    )
    assert InnovationWeights.objects.count() == 2
    assert services.weights_in_effect(dt.date(2026, 5, 1)) == first
    assert services.weights_in_effect(dt.date(2026, 7, 1)) == second
    assert services.weights_in_effect(dt.date(2026, 1, 1)) is None


@pytest.mark.parametrize("role", ["policy_officer", "pcc", "cfo", "auditor"])
def test_others_cannot_set_weights(users, role):
    with pytest.raises(PermissionDenied):
        services.innovation_weights_set(
            actor=users[role], effective_from=dt.date(2026, 4, 1), likelihood_weight=1, priority_weight=1, need_weight=1
        )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ((0, 0, 0), "__all__", "At least one weight"),
        ((-1, 1, 1), "likelihood_weight", "0 or more"),
        (("x", 1, 1), "likelihood_weight", "as a number"),
    ],
)
def test_bad_weights_are_refused(users, values, field, message):
    with pytest.raises(ValidationError) as refused:
        services.innovation_weights_set(
            actor=users["admin"],
            effective_from=dt.date(2026, 4, 1),
            likelihood_weight=values[0],
            priority_weight=values[1],
            need_weight=values[2],
        )
    assert message in " ".join(refused.value.message_dict[field])
    assert not InnovationWeights.objects.exists()


def test_two_rows_from_the_same_date_are_refused(users):
    kwargs = {"effective_from": dt.date(2026, 4, 1), "likelihood_weight": 1, "priority_weight": 1, "need_weight": 1}
    services.innovation_weights_set(actor=users["admin"], **kwargs)
    with pytest.raises(ValidationError) as refused:
        services.innovation_weights_set(actor=users["admin"], **kwargs)
    assert "already exist" in refused.value.message_dict["effective_from"][0]


# Prioritisation --------------------------------------------------------------------------------------------------


@pytest.fixture
def fund(users, year):
    fund = FundFactory(code="local-innovation-fund", name="Local Innovation Fund", role="innovation_fund")
    fund_services.budget_set_total(actor=users["finance_officer"], fund=fund, year=year, amount="50000", reason="Set")
    return fund


@pytest.fixture
def candidates(year):
    InnovationWeightsFactory(effective_from=dt.date(2020, 4, 1), likelihood_weight=1, priority_weight=1, need_weight=1)
    spec = [
        # title, spend, likelihood, priority, need
        ("Alpha", "30000", 5, 5, 5),  # 100
        ("Bravo", "25000", 4, 4, 4),  # 80
        ("Charlie", "15000", 4, 4, 4),  # 80, cheaper than Bravo so ranked above it
        ("Delta", "6000", 3, 3, 3),  # 60
        ("Echo", "4000", 1, 1, 1),  # 20
    ]
    return {
        title: InnovationCandidateFactory(
            title=title,
            year=year,
            anticipated_spend=Decimal(spend),
            likelihood_score=likelihood,
            priority_score=priority,
            need_score=need,
        )
        for title, spend, likelihood, priority, need in spec
    }


def _entries(prioritisation):
    return [
        (entry.rank, entry.candidate.title, entry.weighted_score, entry.allowance)
        for entry in prioritisation.entries.select_related("candidate").order_by("rank")
    ]


@pytest.mark.parametrize("role", OFFICERS)
def test_a_prioritisation_ranks_and_allocates_the_fund_down_the_list(users, year, fund, candidates, role):
    prioritisation = services.prioritisation_create(actor=users[role], fund=fund, year=year)
    assert prioritisation.available == Decimal("50000.00")
    assert _entries(prioritisation) == [
        (1, "Alpha", Decimal("100.00"), Decimal("30000.00")),
        (2, "Charlie", Decimal("80.00"), Decimal("15000.00")),
        (3, "Bravo", Decimal("80.00"), ZERO),  # 25,000 does not fit in the 5,000 left
        (4, "Delta", Decimal("60.00"), ZERO),  # nor does 6,000
        (5, "Echo", Decimal("20.00"), Decimal("4000.00")),  # 4,000 does
    ]


def test_the_available_money_is_the_funds_after_commitments(users, year, fund, candidates):
    fund_services.budget_set_total(actor=users["finance_officer"], fund=fund, year=year, amount="45000", reason="Cut")
    prioritisation = services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    assert prioritisation.available == Decimal("45000.00")
    assert sum(e[3] for e in _entries(prioritisation)) <= Decimal("45000.00")


def test_one_prioritisation_per_fund_and_year(users, year, fund, candidates):
    services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    with pytest.raises(ValidationError) as refused:
        services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    assert "already has a prioritisation" in refused.value.message_dict["year"][0]


def test_a_prioritisation_needs_candidates_and_weights(users, year, fund):
    with pytest.raises(ValidationError) as refused:
        services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    errors = refused.value.message_dict
    assert "No projects have been put forward" in errors["year"][0]
    assert "Set the weights" in errors["__all__"][0]
    assert not Prioritisation.objects.exists()


@pytest.mark.parametrize("role", ["pcc", "cfo", "finance_officer", "auditor"])
def test_only_officers_prepare_a_prioritisation(users, year, fund, candidates, role):
    with pytest.raises(PermissionDenied):
        services.prioritisation_create(actor=users[role], fund=fund, year=year)


def _entry(prioritisation, title):
    return prioritisation.entries.select_related("candidate", "prioritisation").get(candidate__title=title)


def test_an_override_excludes_or_includes_a_project_with_a_reason(users, year, fund, candidates):
    prioritisation = services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    officer = users["commissioning_manager"]
    excluded = services.prioritisation_override(
        actor=officer, entry=_entry(prioritisation, "Alpha"), include=False, reason="Funded by the council instead"
    )
    assert (excluded.allowance, excluded.overridden, excluded.override_reason) == (
        ZERO,
        True,
        "Funded by the council instead",
    )
    # The others do not move when one is overridden.
    assert _entry(prioritisation, "Charlie").allowance == Decimal("15000.00")
    included = services.prioritisation_override(
        actor=officer, entry=_entry(prioritisation, "Bravo"), include=True, reason="Matched funding from the NHS"
    )
    assert included.allowance == Decimal("25000.00")
    partial = services.prioritisation_override(
        actor=officer, entry=_entry(prioritisation, "Delta"), allowance="5000", reason="A smaller first phase"
    )
    assert partial.allowance == Decimal("5000.00")
    assert sum(e[3] for e in _entries(prioritisation)) == Decimal("49000.00")


def test_an_override_past_the_available_money_is_refused(users, year, fund, candidates):
    prioritisation = services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    with pytest.raises(ValidationError) as refused:
        services.prioritisation_override(
            actor=users["policy_officer"], entry=_entry(prioritisation, "Bravo"), include=True, reason="Important"
        )
    message = refused.value.message_dict["action"][0]
    assert "£74,000.00" in message and "£24,000.00 more than the £50,000.00 available" in message
    with pytest.raises(ValidationError) as refused:
        services.prioritisation_override(
            actor=users["policy_officer"], entry=_entry(prioritisation, "Delta"), allowance="1000.01", reason="x"
        )
    assert "more than the £50,000.00 available" in refused.value.message_dict["allowance"][0]
    assert not PrioritisationEntry.objects.filter(overridden=True).exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"include": False, "reason": " "}, "reason", "Enter the reason"),
        ({"allowance": "", "reason": "x"}, "allowance", "Enter the different allowance"),
        ({"allowance": "-1", "reason": "x"}, "allowance", "£0.00 or more"),
        ({"allowance": "lots", "reason": "x"}, "allowance", "pounds and pence"),
    ],
)
def test_bad_overrides_are_refused(users, year, fund, candidates, kwargs, field, message):
    prioritisation = services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    with pytest.raises(ValidationError) as refused:
        services.prioritisation_override(actor=users["policy_officer"], entry=_entry(prioritisation, "Alpha"), **kwargs)
    assert message in " ".join(refused.value.message_dict[field])


def test_recalculation_picks_up_new_candidates_and_keeps_overrides(users, year, fund, candidates):
    prioritisation = services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    services.prioritisation_override(
        actor=users["policy_officer"], entry=_entry(prioritisation, "Alpha"), include=False, reason="Paid elsewhere"
    )
    InnovationCandidateFactory(title="Foxtrot", year=year, anticipated_spend=Decimal("1000"), likelihood_score=5)
    prioritisation = services.prioritisation_recalculate(actor=users["policy_officer"], prioritisation=prioritisation)
    entries = {title: (allowance, rank) for rank, title, _, allowance in _entries(prioritisation)}
    assert entries["Alpha"][0] == ZERO and _entry(prioritisation, "Alpha").override_reason == "Paid elsewhere"
    # With Alpha's 30,000 set aside as 0, Charlie 15,000 + Bravo 25,000 + Delta 6,000 + Foxtrot 1,000 fit; Echo's
    # 4,000 does not (3,000 left).
    assert entries["Bravo"][0] == Decimal("25000.00")
    assert entries["Foxtrot"][0] == Decimal("1000.00")
    assert entries["Echo"][0] == ZERO
    assert len(entries) == 6


def test_the_cfo_or_pcc_approves_and_then_nothing_changes(users, year, fund, candidates):
    prioritisation = services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    with pytest.raises(PermissionDenied):
        services.prioritisation_approve(actor=users["commissioning_manager"], prioritisation=prioritisation)
    approved = services.prioritisation_approve(actor=users["cfo"], prioritisation=prioritisation)
    assert approved.status == Prioritisation.Status.APPROVED and approved.approved_by == users["cfo"]
    assert approved.history.first().history_change_reason == "Approved: £49,000.00 allocated"
    with pytest.raises(ValidationError, match="approved"):
        services.prioritisation_approve(actor=users["pcc"], prioritisation=prioritisation)
    with pytest.raises(ValidationError, match="approved"):
        services.prioritisation_override(
            actor=users["policy_officer"], entry=_entry(prioritisation, "Alpha"), include=False, reason="x"
        )
    with pytest.raises(ValidationError, match="approved"):
        services.prioritisation_recalculate(actor=users["policy_officer"], prioritisation=prioritisation)


def test_approval_is_refused_when_the_money_has_since_gone(users, year, fund, candidates):
    prioritisation = services.prioritisation_create(actor=users["policy_officer"], fund=fund, year=year)
    fund_services.budget_set_total(actor=users["finance_officer"], fund=fund, year=year, amount="40000", reason="Cut")
    with pytest.raises(ValidationError, match="now has £40,000.00 available"):
        services.prioritisation_approve(actor=users["pcc"], prioritisation=prioritisation)
    prioritisation.refresh_from_db()
    assert prioritisation.status == Prioritisation.Status.DRAFT
