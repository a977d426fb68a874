"""Factories and helpers for reporting tests: accepted returns with their figures, funding streams' dates."""

import datetime as dt

import factory
from django.utils import timezone

from commissioning.accounts.tests.factories import UserFactory
from commissioning.monitoring.models import KpiReturn, ReturnDecision, ReturnValue, ReturnVersion
from commissioning.monitoring.tests.factories import (
    GenderDefinitionFactory,
    KpiDefinitionFactory,
    ServiceFactory,
    ServiceKpiFactory,
)
from commissioning.reporting.models import PanelHighlight
from commissioning.strategy.tests.factories import PanelAreaFactory

__all__ = ["GenderDefinitionFactory", "KpiDefinitionFactory", "PanelAreaFactory", "ServiceFactory", "ServiceKpiFactory"]


def make_return(service, *, starts_on, ends_on, figures: dict, status=KpiReturn.Status.ACCEPTED, versions=1):
    """A return with `versions` versions; the last carries `figures` ({kpi: total or {category: count}}) and,
    when accepted, its acceptance. Earlier versions carry doubled figures and a query, so a test reading them
    would be caught."""
    user = UserFactory(role="provider")
    officer = UserFactory(role="policy_officer")
    kpi_return = KpiReturn.objects.create(
        service=service, starts_on=starts_on, ends_on=ends_on, due_on=ends_on + dt.timedelta(days=28), status=status
    )
    for number in range(1, versions + 1):
        last = number == versions
        version = ReturnVersion.objects.create(
            kpi_return=kpi_return, number=number, method="web", submitted_by=user, submitted_at=timezone.now()
        )
        scale = 1 if last else 2
        for kpi, value in figures.items():
            if isinstance(value, dict):
                ReturnValue.objects.create(version=version, kpi=kpi, category="", value=sum(value.values()) * scale)
                for category, count in value.items():
                    ReturnValue.objects.create(version=version, kpi=kpi, category=category, value=count * scale)
            else:
                ReturnValue.objects.create(version=version, kpi=kpi, category="", value=value * scale)
        if not last:
            ReturnDecision.objects.create(
                version=version, outcome="queried", comments="Check", decided_by=officer, decided_at=timezone.now()
            )
        elif status == KpiReturn.Status.ACCEPTED:
            ReturnDecision.objects.create(
                version=version, outcome="accepted", decided_by=officer, decided_at=timezone.now()
            )
    return kpi_return


def reporting_service(area, **kwargs):
    """A service in `area` with the beneficiaries and gender KPIs; returns (service, beneficiaries, gender)."""
    service = ServiceFactory(main_panel_area=area, **kwargs)
    people = ServiceKpiFactory(service=service, definition=KpiDefinitionFactory(), name="", kind="", target=None)
    gender = ServiceKpiFactory(service=service, definition=GenderDefinitionFactory(), name="", kind="", target=None)
    return service, people, gender


class PanelHighlightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelHighlight

    start_year = 2026
    panel_area = factory.SubFactory(PanelAreaFactory)
    title = "Faster support after reporting"
    body = "An anonymised account of support."
    created_by = factory.SubFactory(UserFactory, role="policy_officer")
