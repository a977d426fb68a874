"""Factories for the register: services, co-funders, agreements, documents, variations and reviews.

They build rows directly; the services number them (SVC-0001, AGR-2026-0001) and tests of numbering use those.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementVariation,
    CoFunder,
    SafetyFundReview,
    SafetyFundReviewLine,
    Service,
)
from commissioning.funds.models import FinancialYear, Fund
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.strategy.tests.factories import PanelAreaFactory, PriorityFactory, default_panel_area

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

__all__ = ["PanelAreaFactory", "PriorityFactory"]


class FinancialYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialYear
        django_get_or_create = ("start_year",)

    start_year = 2026


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agreements-test-fund-{n}")
    name = factory.Sequence(lambda n: f"Agreements test fund {n}")


class RingFencedFundFactory(FundFactory):
    is_ring_fenced = True
    ring_fence_purpose = "Victims of child sexual abuse only"


class ServiceFactory(factory.django.DjangoModelFactory):
    """A service with one priority, unless given priorities=[...]."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"SVC-{n + 1:04d}")
    name = factory.Sequence(lambda n: f"Test service {n}")
    purpose = "Support for victims of domestic abuse across Dorset"
    provider = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.PROVIDER)
    approach = Service.Approach.PRIORITY
    main_panel_area = factory.LazyFunction(lambda: default_panel_area())
    starts_on = dt.date(2025, 4, 1)
    status = Service.Status.ACTIVE

    @factory.post_generation
    def priorities(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.priorities.set(extracted if extracted is not None else [PriorityFactory()])

    @factory.post_generation
    def panel_areas(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.panel_areas.set(extracted)

    @factory.post_generation
    def ring_fences(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.ring_fences.set(extracted)


class CoFunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoFunder

    service = factory.SubFactory(ServiceFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.STATUTORY)
    amount = Decimal("25000.00")


class AgreementFactory(factory.django.DjangoModelFactory):
    """An active three-year grant agreement from 1 April 2025."""

    class Meta:
        model = Agreement

    service = factory.SubFactory(ServiceFactory)
    reference = factory.Sequence(lambda n: f"AGR-2025-{n + 1:04d}")
    kind = Agreement.Kind.GRANT
    regime = Agreement.Regime.GRANT
    value = Decimal("300000.00")
    starts_on = dt.date(2025, 4, 1)
    ends_on = dt.date(2028, 3, 31)
    status = Agreement.Status.ACTIVE
    signed_on = dt.date(2025, 3, 20)


class AgreementDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementDocument

    agreement = factory.SubFactory(AgreementFactory)
    title = "Signed grant agreement"
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="signed-agreement.pdf"))
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    uploaded_by = factory.SubFactory(UserFactory, role=Role.COMMISSIONING_MANAGER)


class VariationFactory(factory.django.DjangoModelFactory):
    """An extension by a year, asked for by a commissioning manager."""

    class Meta:
        model = AgreementVariation

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = AgreementVariation.Kind.EXTENSION
    description = "Extend for a year while the service is retendered"
    new_ends_on = dt.date(2029, 3, 31)
    requested_by = factory.SubFactory(UserFactory, role=Role.COMMISSIONING_MANAGER)


class SafetyFundReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyFundReview

    fund = factory.SubFactory(FundFactory, code="commissioners-safety-fund", name="Commissioner's Safety Fund")
    year = factory.SubFactory(FinancialYearFactory)
    prepared_by = factory.SubFactory(UserFactory, role=Role.FINANCE_OFFICER)


class SafetyFundReviewLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyFundReviewLine

    review = factory.SubFactory(SafetyFundReviewFactory)
    agreement = factory.SubFactory(AgreementFactory)
    expected_spend = Decimal("100000.00")
