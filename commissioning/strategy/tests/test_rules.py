import pytest
from django.contrib.auth.models import AnonymousUser

from commissioning.accounts.roles import OPCC_STAFF, STRATEGY_SIGNATORIES, Role
from commissioning.strategy.models import SignOffStatus, Variation
from commissioning.strategy.tests.factories import (
    DecisionRecordFactory,
    StrategyVersionFactory,
    VariationFactory,
)
from commissioning.testing.matrix import ALL_ROLES

STAFF = {r.value for r in OPCC_STAFF}
READERS = STAFF | {"auditor", "panel_member"}
SIGNATORIES = {r.value for r in STRATEGY_SIGNATORIES}

# Who holds each permission when asked without an object.
EXPECTED = {
    "strategy.view_plan": set(ALL_ROLES),
    "strategy.change_plan": {"admin", "commissioning_manager"},
    "strategy.add_document": {"admin", "commissioning_manager"},
    "strategy.view_strategy": READERS,
    "strategy.draft_version": {"commissioning_manager", "policy_officer"},
    "strategy.change_version": {"commissioning_manager", "policy_officer"},
    "strategy.submit_version": {"commissioning_manager"},
    "strategy.sign": SIGNATORIES,
    "strategy.raise_variation": {"commissioning_manager"},
    "strategy.withdraw_variation": {"commissioning_manager"},
    "strategy.view_decisionrecord": READERS,
    "strategy.add_decisionrecord": {"pcc", "commissioning_manager", "chief_executive"},
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_each_role_holds_exactly_the_expected_permissions(users, perm):
    holders = {role for role in ALL_ROLES if users[role].has_perm(perm)}
    assert holders == EXPECTED[perm]


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_signed_out_visitors_hold_nothing(perm):
    assert not AnonymousUser().has_perm(perm)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_an_inactive_person_holds_nothing(users, perm):
    user = users["commissioning_manager"]
    user.is_active = False
    assert not user.has_perm(perm)


@pytest.mark.parametrize("role", ["auditor", "panel_member"])
def test_auditors_and_panel_members_change_nothing(users, role):
    granted = {perm for perm in EXPECTED if users[role].has_perm(perm)}
    assert granted == {"strategy.view_plan", "strategy.view_strategy", "strategy.view_decisionrecord"}


def test_only_a_draft_can_be_changed(users):
    draft = StrategyVersionFactory(status=SignOffStatus.DRAFT)
    awaiting = StrategyVersionFactory(status=SignOffStatus.AWAITING)
    assert users["policy_officer"].has_perm("strategy.change_version", draft)
    assert not users["policy_officer"].has_perm("strategy.change_version", awaiting)


def test_variations_are_raised_against_the_version_in_force_only(users):
    signed = StrategyVersionFactory(status=SignOffStatus.SIGNED)
    superseded = StrategyVersionFactory(status=SignOffStatus.SUPERSEDED)
    assert users["commissioning_manager"].has_perm("strategy.raise_variation", signed)
    assert not users["commissioning_manager"].has_perm("strategy.raise_variation", superseded)


@pytest.mark.parametrize(
    "status, allowed",
    [
        (Variation.Status.DRAFT, True),
        (Variation.Status.AWAITING, True),
        (Variation.Status.IN_EFFECT, False),
        (Variation.Status.WITHDRAWN, False),
    ],
)
def test_a_variation_is_withdrawn_only_before_it_takes_effect(users, status, allowed):
    variation = VariationFactory(status=status)
    assert users["commissioning_manager"].has_perm("strategy.withdraw_variation", variation) is allowed


def test_panel_members_see_only_publishable_decisions(users):
    public = DecisionRecordFactory(publishable=True)
    private = DecisionRecordFactory(publishable=False, not_publishable_reason="Personal data")
    assert users["panel_member"].has_perm("strategy.view_decisionrecord", public)
    assert not users["panel_member"].has_perm("strategy.view_decisionrecord", private)
    assert users["auditor"].has_perm("strategy.view_decisionrecord", private)
    assert users[Role.FINANCE_OFFICER].has_perm("strategy.view_decisionrecord", private)
