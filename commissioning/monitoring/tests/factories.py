"""Factories for monitoring: minimum-dataset definitions, a service's KPIs and its returns.

They build rows directly; tests of the rules go through services.py."""

import datetime as dt

import factory

from commissioning.agreements.tests.factories import ServiceFactory
from commissioning.monitoring.models import KpiDefinition, KpiReturn, ServiceKpi

__all__ = ["ServiceFactory"]


class KpiDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiDefinition
        django_get_or_create = ("code",)

    code = "beneficiaries"
    name = "Number of beneficiaries"
    kind = KpiDefinition.Kind.COUNT
    is_minimum_dataset = True
    order = 1


class GenderDefinitionFactory(KpiDefinitionFactory):
    code = "gender"
    name = "Gender"
    kind = KpiDefinition.Kind.BREAKDOWN
    breakdown = ["Female", "Male", "Not known"]
    not_known = "Not known"
    order = 2


class ServiceKpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceKpi

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Own measure {n}")
    kind = ServiceKpi.Kind.COUNT
    effective_from = dt.date(2025, 4, 1)
    target = 50


class KpiReturnFactory(factory.django.DjangoModelFactory):
    """The return for April to June 2026, due 28 July 2026."""

    class Meta:
        model = KpiReturn

    service = factory.SubFactory(ServiceFactory)
    starts_on = dt.date(2026, 4, 1)
    ends_on = dt.date(2026, 6, 30)
    due_on = dt.date(2026, 7, 28)
