"""Separation of duties on money: whoever planned a commitment cannot approve it (issue 9, point 5), unless the
OPCC's profile turns the rule off (settings.separate_commitment_approval)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning.accounts.tests.factories import UserFactory
from commissioning.core.models import OpccSettings
from commissioning.funds import services
from commissioning.funds.models import Commitment
from commissioning.strategy.tests.factories import DecisionRecordFactory

pytestmark = pytest.mark.django_db


def _plan(world, actor=None):
    world.budget(world.safety, "5000")
    return services.commitment_plan(
        actor=actor or world.finance, fund=world.safety, year=world.year, agreement=world.agreement, amount="1000"
    )


def _settings(separate: bool):
    return OpccSettings.objects.create(
        profile="test",
        opcc_name="Test OPCC",
        short_name="Test",
        area_name="Test",
        grants_prefix="360G-test",
        ocds_prefix="ocds-test",
        separate_commitment_approval=separate,
    )


def test_whoever_planned_a_commitment_cannot_approve_it(world):
    commitment = _plan(world)
    with pytest.raises(ValidationError, match="You planned this commitment, so someone else must approve it"):
        services.commitment_approve(actor=world.finance, commitment=commitment)
    assert Commitment.objects.get(pk=commitment.pk).status == Commitment.Status.PLANNED
    services.commitment_approve(actor=world.cfo, commitment=commitment)
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.APPROVED and commitment.approved_by == world.cfo


def test_another_finance_officer_may_approve(world):
    colleague = UserFactory(role="finance_officer", email="colleague@example.org")
    commitment = _plan(world)
    services.commitment_approve(actor=colleague, commitment=commitment)
    assert Commitment.objects.get(pk=commitment.pk).approved_by == colleague


def test_a_profile_may_turn_the_rule_off(world):
    _settings(separate=False)
    commitment = _plan(world)
    services.commitment_approve(actor=world.finance, commitment=commitment)
    assert Commitment.objects.get(pk=commitment.pk).status == Commitment.Status.APPROVED


def test_a_profile_that_keeps_the_rule_on(world):
    _settings(separate=True)
    with pytest.raises(ValidationError):
        services.commitment_approve(actor=world.finance, commitment=_plan(world))


def test_an_approval_under_a_recorded_decision_has_the_decision_as_its_authority(world):
    """A grant accepted or a one-off grant decided plans and approves under the PCC's numbered decision."""
    commitment = _plan(world)
    decision = DecisionRecordFactory()
    services.commitment_approve(actor=world.finance, commitment=commitment, decision=decision)
    assert Commitment.objects.get(pk=commitment.pk).status == Commitment.Status.APPROVED


def test_the_planner_sees_why_and_no_approve_button(world, client_for):
    commitment = _plan(world)
    client = client_for("finance_officer")
    detail = client.get(reverse("funds:commitment_detail", args=[commitment.pk])).content.decode()
    assert "Approve commitment" not in detail
    page = client.get(reverse("funds:commitment_approve", args=[commitment.pk])).content.decode()
    assert "You planned this commitment, so someone else must approve it" in page
    response = client.post(reverse("funds:commitment_approve", args=[commitment.pk]), {"confirm": "on"})
    assert Commitment.objects.get(pk=commitment.pk).status == Commitment.Status.PLANNED
    assert "someone else must approve it" in response.content.decode()
    cfo_page = client_for("cfo").get(reverse("funds:commitment_detail", args=[commitment.pk])).content.decode()
    assert "Approve commitment" in cfo_page
