import datetime as dt

import factory

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.strategy.models import (
    CommissioningObjective,
    DecisionRecord,
    LegalBasis,
    PanelArea,
    Pillar,
    PoliceCrimePlan,
    Priority,
    SignOffStatus,
    StrategyDocument,
    StrategyVersion,
    Variation,
)


class PoliceCrimePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceCrimePlan

    title = factory.Sequence(lambda n: f"Police and Crime Plan {2017 + n} to {2021 + n}")
    starts_on = dt.date(2021, 4, 1)
    ends_on = dt.date(2025, 3, 31)
    is_current = False


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar

    plan = factory.SubFactory(PoliceCrimePlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Pillar {n + 1}")
    description = "Protecting people at risk of harm"


def default_panel_area():
    """One Panel area shared by every factory-made priority and service unless a test names another."""
    return PanelAreaFactory(code="prevention-activities", name="Prevention Activities", order=4)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    pillar = factory.SubFactory(PillarFactory)
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Priority {n + 1}")
    panel_area = factory.LazyFunction(lambda: default_panel_area())


class CommissioningObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissioningObjective
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objective {n + 1}")
    description = "Commission services in line with the Police and Crime Plan"


class PanelAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelArea
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    order = factory.Sequence(lambda n: n)


class StrategyDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyDocument

    title = factory.Sequence(lambda n: f"Commissioning Strategy {n}")
    period_start = dt.date(2025, 4, 1)
    period_end = dt.date(2029, 3, 31)
    review_interval_months = 12


class StrategyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyVersion

    document = factory.SubFactory(StrategyDocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    summary = "Annual review"
    body = "The Police and Crime Commissioner's approach to commissioning."
    status = SignOffStatus.DRAFT
    prepared_by = factory.SubFactory(UserFactory, role=Role.COMMISSIONING_MANAGER)


class VariationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variation

    version = factory.SubFactory(StrategyVersionFactory, status=SignOffStatus.SIGNED)
    number = factory.Sequence(lambda n: n + 1)
    title = "Add the new victims' code"
    reason = "Legislation changed"
    change = "Section 1 now names the Victims and Prisoners Act 2024"
    status = Variation.Status.DRAFT
    raised_by = factory.SubFactory(UserFactory, role=Role.COMMISSIONING_MANAGER)


class DecisionRecordFactory(factory.django.DjangoModelFactory):
    """Builds a record directly with its own number; services.decision_record_create numbers them."""

    class Meta:
        model = DecisionRecord

    year = 2026
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.year}/{o.sequence:03d}")
    subject = factory.Sequence(lambda n: f"Grant to Victim Support {n}")
    legal_basis = LegalBasis.PRSRA_2011_S9
    decision = "To award a grant"
    reasons = "Meets the priorities of the plan"
    amount = factory.LazyFunction(lambda: None)
    decided_by = factory.SubFactory(UserFactory, role=Role.PCC)
    decided_on = factory.LazyAttribute(lambda o: dt.date(o.year, 6, 1))
    publishable = True
    not_publishable_reason = ""
    recorded_by = factory.SubFactory(UserFactory, role=Role.COMMISSIONING_MANAGER)
