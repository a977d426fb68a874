"""Factories for monitoring: minimum-dataset definitions, a service's KPIs and its returns.

They build rows directly; tests of the rules go through services.py."""

import datetime as dt

import factory

from commissioning.agreements.tests.factories import ServiceFactory
from commissioning.monitoring.models import (
    CaseStudy,
    FeedbackRecord,
    FunderKpi,
    KpiDefinition,
    KpiReturn,
    ReturnNarrative,
    ServiceKpi,
)

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


class FunderKpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunderKpi

    definition = factory.SubFactory(KpiDefinitionFactory, code="victims-supported", name="Victims supported", order=20)
    frequency = "quarterly"
    effective_from = dt.date(2017, 4, 1)


def story_records(kpi_return, *, author, officer):
    """A narrative and two case studies (one consented for publication) for the return, and a feedback record and
    a survey for its service."""
    now = dt.datetime(2026, 7, 20, 10, 0, tzinfo=dt.UTC)
    ReturnNarrative.objects.create(
        kpi_return=kpi_return,
        achievements="More victims took up support after the police referral pathway changed.",
        challenges="A caseworker post was vacant for six weeks.",
        updated_by=author,
        updated_at=now,
    )
    CaseStudy.objects.create(
        kpi_return=kpi_return,
        title="Support after a burglary",
        story="An older victim was afraid to stay at home; a caseworker arranged new locks and visits.",
        outcome="Feels safe at home again.",
        consented_for_publication=True,
        written_by=author,
        written_at=now,
    )
    CaseStudy.objects.create(
        kpi_return=kpi_return,
        title="Not for publication",
        story="A story the person did not agree to publish.",
        written_by=author,
        written_at=now,
    )
    FeedbackRecord.objects.create(
        service=kpi_return.service,
        source=FeedbackRecord.Source.PARTNER,
        given_by="Victim Care Unit",
        received_on=dt.date(2026, 7, 1),
        summary="Referrals are picked up within two working days.",
        rating=4,
        recorded_by=officer,
        recorded_at=now,
    )
    FeedbackRecord.objects.create(
        service=kpi_return.service,
        source=FeedbackRecord.Source.SURVEY,
        given_by="Survey of service users",
        received_on=dt.date(2026, 6, 15),
        summary="Most said they felt listened to.",
        rating=5,
        respondents=23,
        recorded_by=officer,
        recorded_at=now,
    )
