import datetime as dt

import factory

from commissioning.organisations.models import (
    AreaOfInterest,
    BoardMeeting,
    Contact,
    NonFinancialActivity,
    Organisation,
    PartnershipBoard,
)
from commissioning.strategy.models import Pillar, PoliceCrimePlan, Priority


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    kind = Organisation.Kind.VCSE


class AreaOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaOfInterest
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area of interest {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    job_title = "Service manager"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class PlanFactory(factory.django.DjangoModelFactory):
    """A Police and Crime Plan that is not the current one, so tests never clash with a loaded profile."""

    class Meta:
        model = PoliceCrimePlan

    title = factory.Sequence(lambda n: f"Test Police and Crime Plan {n}")
    starts_on = dt.date(2021, 4, 1)
    ends_on = dt.date(2025, 3, 31)
    is_current = False


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Pillar {n}")


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    pillar = factory.SubFactory(PillarFactory)
    code = factory.Sequence(lambda n: f"1.{n}")
    title = factory.Sequence(lambda n: f"Priority {n}")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipBoard
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Partnership Board {n}")
    purpose = "Agree joint work on shared services."
    meeting_frequency = "Quarterly"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class BoardMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    board = factory.SubFactory(BoardFactory)
    held_on = dt.date(2026, 1, 15)
    notes = "Discussed referral pathways."
    recorded_by = factory.SubFactory("commissioning.accounts.tests.factories.UserFactory")


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity with one partner and one priority, unless given partners=[...] or priorities=[...]."""

    class Meta:
        model = NonFinancialActivity
        skip_postgeneration_save = True

    kind = NonFinancialActivity.Kind.PARTNERSHIP
    title = factory.Sequence(lambda n: f"Test activity {n}")
    description = "Worked with partners on a joint approach."
    occurred_on = dt.date(2026, 2, 1)
    recorded_by = factory.SubFactory("commissioning.accounts.tests.factories.UserFactory")

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create:
            self.partners.set(extracted if extracted is not None else [OrganisationFactory()])

    @factory.post_generation
    def priorities(self, create, extracted, **kwargs):
        if create:
            self.priorities.set(extracted if extracted is not None else [PriorityFactory()])
