"""Role × URL matrix for the strategy app (contract in commissioning/testing/matrix.py).

Actions (submit, sign, share) take POST only: a GET from someone allowed gets 405, from anyone else 403.
"""

from django.utils import timezone

from commissioning.accounts.roles import OPCC_STAFF, STRATEGY_SIGNATORIES, Role
from commissioning.strategy.models import PoliceCrimePlan, SignOffStatus, Variation
from commissioning.strategy.tests.factories import (
    DecisionRecordFactory,
    PillarFactory,
    PoliceCrimePlanFactory,
    PriorityFactory,
    StrategyDocumentFactory,
    StrategyVersionFactory,
    VariationFactory,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = [r.value for r in OPCC_STAFF]
READERS = [*STAFF, Role.AUDITOR.value, Role.PANEL_MEMBER.value]
SIGNATORIES = [r.value for r in STRATEGY_SIGNATORIES]

EVERYONE = expect(200)
PLAN_EDITORS = expect(403, **roles("admin", "commissioning_manager", status=200))
STRATEGY_READERS = expect(403, **roles(*READERS, status=200))
DRAFTERS = expect(403, **roles("commissioning_manager", "policy_officer", status=200))
MANAGER_FORM = expect(403, commissioning_manager=200)
MANAGER_ACTION = expect(403, commissioning_manager=405)
SIGNATORY_ACTION = expect(403, **roles(*SIGNATORIES, status=405))
DECISION_RECORDERS = expect(403, **roles("pcc", "commissioning_manager", "chief_executive", status=200))
# A decision not to be published: Panel members are told it does not exist.
PRIVATE_DECISION = expect(403, **roles(*STAFF, "auditor", status=200), panel_member=404)


def setup(world):
    users = world.users
    plan = PoliceCrimePlan.objects.filter(is_current=True).first() or PoliceCrimePlanFactory(is_current=True)
    world.strategy_pillar = PillarFactory(plan=plan, number=99)
    world.strategy_priority = PriorityFactory(pillar=world.strategy_pillar, code="99.1")
    world.strategy_document = StrategyDocumentFactory(title="URL matrix strategy")
    world.strategy_in_force = StrategyVersionFactory(
        document=world.strategy_document,
        number=1,
        status=SignOffStatus.SIGNED,
        in_force_from=timezone.now(),
        review_due_on=timezone.localdate(),
        prepared_by=users["commissioning_manager"],
    )
    world.strategy_draft = StrategyVersionFactory(
        document=world.strategy_document,
        number=2,
        status=SignOffStatus.DRAFT,
        prepared_by=users["policy_officer"],
    )
    world.strategy_variation = VariationFactory(
        version=world.strategy_in_force,
        number=1,
        status=Variation.Status.AWAITING,
        shared_at=timezone.now(),
        raised_by=users["commissioning_manager"],
    )
    world.strategy_plan = plan
    world.decision = DecisionRecordFactory(year=2026, sequence=901, decided_by=users["pcc"], recorded_by=users["pcc"])
    world.private_decision = DecisionRecordFactory(
        year=2026,
        sequence=902,
        publishable=False,
        not_publishable_reason="Personal information",
        decided_by=users["pcc"],
        recorded_by=users["pcc"],
    )


CASES = [
    UrlCase("strategy:index", EVERYONE),
    UrlCase("strategy:plan_edit", PLAN_EDITORS, kwargs=lambda w: {"pk": w.strategy_plan.pk}),
    UrlCase("strategy:pillar_edit", PLAN_EDITORS, kwargs=lambda w: {"pk": w.strategy_pillar.pk}),
    UrlCase("strategy:priority_create", PLAN_EDITORS, kwargs=lambda w: {"pk": w.strategy_pillar.pk}),
    UrlCase("strategy:priority_edit", PLAN_EDITORS, kwargs=lambda w: {"pk": w.strategy_priority.pk}),
    UrlCase("strategy:document_create", PLAN_EDITORS),
    UrlCase("strategy:document_detail", STRATEGY_READERS, kwargs=lambda w: {"pk": w.strategy_document.pk}),
    UrlCase("strategy:version_create", DRAFTERS, kwargs=lambda w: {"pk": w.strategy_document.pk}),
    UrlCase("strategy:version_detail", STRATEGY_READERS, kwargs=lambda w: {"pk": w.strategy_in_force.pk}),
    UrlCase("strategy:version_detail", STRATEGY_READERS, kwargs=lambda w: {"pk": w.strategy_draft.pk}),
    UrlCase("strategy:version_edit", DRAFTERS, kwargs=lambda w: {"pk": w.strategy_draft.pk}),
    # A version no longer in draft cannot be edited by anyone.
    UrlCase("strategy:version_edit", expect(403), kwargs=lambda w: {"pk": w.strategy_in_force.pk}),
    UrlCase("strategy:version_submit", MANAGER_ACTION, kwargs=lambda w: {"pk": w.strategy_draft.pk}),
    UrlCase("strategy:version_sign", SIGNATORY_ACTION, kwargs=lambda w: {"pk": w.strategy_draft.pk}),
    UrlCase("strategy:variation_create", MANAGER_FORM, kwargs=lambda w: {"pk": w.strategy_in_force.pk}),
    # Variations are raised only against the version in force.
    UrlCase("strategy:variation_create", expect(403), kwargs=lambda w: {"pk": w.strategy_draft.pk}),
    UrlCase("strategy:variation_detail", STRATEGY_READERS, kwargs=lambda w: {"pk": w.strategy_variation.pk}),
    UrlCase("strategy:variation_share", MANAGER_ACTION, kwargs=lambda w: {"pk": w.strategy_variation.pk}),
    UrlCase("strategy:variation_sign", SIGNATORY_ACTION, kwargs=lambda w: {"pk": w.strategy_variation.pk}),
    UrlCase("strategy:variation_withdraw", MANAGER_FORM, kwargs=lambda w: {"pk": w.strategy_variation.pk}),
    UrlCase("strategy:decision_list", STRATEGY_READERS),
    UrlCase("strategy:decision_list", STRATEGY_READERS, query="page=2"),
    # The search behind the decision fields (search as you type): whoever may read decisions.
    UrlCase("strategy:decision_search", STRATEGY_READERS, query="q=2026"),
    UrlCase("strategy:decision_search", STRATEGY_READERS, query="q=2026&format=json"),
    UrlCase("strategy:decision_create", DECISION_RECORDERS),
    UrlCase("strategy:decision_detail", STRATEGY_READERS, kwargs=lambda w: {"pk": w.decision.pk}),
    UrlCase("strategy:decision_detail", PRIVATE_DECISION, kwargs=lambda w: {"pk": w.private_decision.pk}),
]
