"""Factories for funds tests: years, funds, streams, budgets, services, agreements and commitments.

Budgets built here keep the rule that a budget's amount is the sum of its lines (one ADJUSTMENT line).
"""

import datetime as dt
from decimal import Decimal

import factory

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.agreements.models import Agreement, Service
from commissioning.funds.models import (
    Budget,
    BudgetLine,
    Commitment,
    FinancialYear,
    Fund,
    FundingStream,
    StreamAllocation,
)
from commissioning.organisations.tests.factories import OrganisationFactory


class FinancialYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialYear
        django_get_or_create = ("start_year",)

    start_year = 2026


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    code = factory.Sequence(lambda n: f"test-fund-{n}")
    name = factory.Sequence(lambda n: f"Test Fund {n}")
    order = factory.Sequence(lambda n: n)


class RingFencedFundFactory(FundFactory):
    is_ring_fenced = True
    ring_fence_purpose = "Victims of child sexual abuse only"
    allows_carry_forward = False


class FundingStreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingStream

    code = factory.Sequence(lambda n: f"test-stream-{n}")
    name = factory.Sequence(lambda n: f"Test stream {n}")
    source = FundingStream.Source.INTERNAL
    fund = factory.SubFactory(FundFactory)


class StreamAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StreamAllocation

    stream = factory.SubFactory(FundingStreamFactory)
    year = factory.SubFactory(FinancialYearFactory)
    amount = Decimal("10000.00")


class BudgetFactory(factory.django.DjangoModelFactory):
    """A budget of `amount`, held as one adjustment line so amount == sum of lines."""

    class Meta:
        model = Budget
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    year = factory.SubFactory(FinancialYearFactory)
    amount = Decimal("10000.00")

    @factory.post_generation
    def line(obj, create, extracted, **kwargs):  # noqa: N805
        if create and obj.amount:
            BudgetLine.objects.create(
                budget=obj, kind=BudgetLine.Kind.ADJUSTMENT, amount=obj.amount, description="Opening budget"
            )


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"SVC-{n:05d}")
    name = factory.Sequence(lambda n: f"Test service {n}")
    purpose = "Support for victims of crime"
    provider = factory.SubFactory(OrganisationFactory)
    approach = Service.Approach.PRIORITY
    starts_on = dt.date(2020, 4, 1)
    status = Service.Status.ACTIVE

    @factory.post_generation
    def ring_fences(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.ring_fences.set(extracted)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    service = factory.SubFactory(ServiceFactory)
    reference = factory.Sequence(lambda n: f"AGR-{n:05d}")
    kind = Agreement.Kind.GRANT
    regime = Agreement.Regime.GRANT
    value = Decimal("100000.00")
    starts_on = dt.date(2020, 4, 1)
    ends_on = dt.date(2035, 3, 31)
    status = Agreement.Status.ACTIVE


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A planned commitment; approve it through services to count it against the budget."""

    class Meta:
        model = Commitment

    fund = factory.SubFactory(FundFactory)
    year = factory.SubFactory(FinancialYearFactory)
    agreement = factory.SubFactory(AgreementFactory)
    amount = Decimal("1000.00")
    created_by = factory.SubFactory(UserFactory, role=Role.FINANCE_OFFICER)
