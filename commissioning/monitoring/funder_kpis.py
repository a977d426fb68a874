"""Measures funders require, attached through their funding streams (issue 11, point 1).

A funding stream (funds.FundingStream) pays into a fund; the profile names the KPIs its funder requires
(FunderKpi: the Ministry of Justice's victims supported and coping-and-recovery outcomes for its victims grant). A
service whose agreements have money from that fund, or from one of its parts (the Victims Fund's Core Victims Fund
and Child Sexual Abuse fund), reports those KPIs: funder_kpis_attach adds each as a ServiceKpi marked with the
stream that requires it, from the later of the requirement's start and the service's. It is idempotent (a KPI the
service already reports is left as it is, only marked as required), and runs whenever returns are made due
(services.returns_ensure), so a newly funded service's next return asks for the funder's measures.

Categories by another name: a definition may list other codes for its categories (KpiDefinition.codes, such as the
police's self-defined ethnicity codes W1 … NS); category_for reads an uploaded category by its name, its code or
a plain "not known", and police_codes_for goes the other way.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max

from commissioning.core.services import require, save_with_history
from commissioning.funds.selectors import fund_descendant_ids, funds_paying_services
from commissioning.monitoring.models import FunderKpi, KpiDefinition, ServiceKpi

NOT_KNOWN_WORDS = {"not known", "unknown", "not stated", "prefer not to say", "not recorded"}


def stream_fund_ids(stream) -> set[int]:
    """The fund a stream pays into and all its parts."""
    return set(fund_descendant_ids(fund=stream.fund))


def requirements_for(service, *, funds: set[int] | None = None) -> list[FunderKpi]:
    """The funder requirements that apply to the service: those of every stream paying into a fund the service is
    funded from (or a parent of one), in effect at some time while the service runs."""
    if funds is None:
        funds = funds_paying_services(service_ids=[service.pk]).get(service.pk, set())
    if not funds:
        return []
    requirements = FunderKpi.objects.select_related("stream__fund", "definition").filter(stream__is_active=True)
    found = []
    for requirement in requirements.order_by("definition__order", "effective_from", "pk"):
        if service.ends_on and requirement.effective_from > service.ends_on:
            continue
        if requirement.effective_to and requirement.effective_to < service.starts_on:
            continue
        if stream_fund_ids(requirement.stream) & funds:
            found.append(requirement)
    return found


@transaction.atomic
def funder_kpis_attach(*, service, actor=None, funds: set[int] | None = None) -> list[ServiceKpi]:
    """Give the service every KPI its funders require that it does not report yet; mark a KPI it already reports
    with the stream that requires it. `actor` None is the system (the daily returns job). Returns those added."""
    if actor is not None:
        require(actor, "monitoring.manage_kpis", service)
    requirements = requirements_for(service, funds=funds)
    if not requirements:
        return []
    existing = {kpi.definition_id: kpi for kpi in service.kpis.exclude(definition=None)}
    order = (service.kpis.aggregate(last=Max("order"))["last"] or 0) + 1
    added = []
    for requirement in requirements:
        kpi = existing.get(requirement.definition_id)
        if kpi is not None:
            if kpi.required_by_id is None:
                kpi.required_by = requirement.stream
                save_with_history(kpi, actor=actor, reason=f"Required by {requirement.stream.name}")
            continue
        kpi = ServiceKpi(
            service=service,
            definition=requirement.definition,
            required_by=requirement.stream,
            frequency=requirement.frequency,
            effective_from=max(requirement.effective_from, service.starts_on),
            effective_to=requirement.effective_to,
            order=order + requirement.definition.order,
        )
        save_with_history(kpi, actor=actor, reason=f"Required by {requirement.stream.name}")
        existing[requirement.definition_id] = kpi
        added.append(kpi)
    return added


def funder_kpis_attach_all(*, services, today: dt.date | None = None) -> int:
    """funder_kpis_attach for many services, reading their funds in one query. Returns the number added."""
    services = list(services)
    funds = funds_paying_services(service_ids=[s.pk for s in services])
    return sum(len(funder_kpis_attach(service=s, funds=funds.get(s.pk, set()))) for s in services)


# Categories by name or by code ------------------------------------------------------------------------------


def category_for(kpi: ServiceKpi | KpiDefinition, text: str) -> str | None:
    """The breakdown category `text` names: the category itself (any case), one of its other codes (W1, NS), or a
    plain "not known" for the category that means not known. None when it names none."""
    if isinstance(kpi, KpiDefinition):
        categories, codes, not_known = list(kpi.breakdown), dict(kpi.codes or {}), kpi.not_known
    else:
        categories, codes, not_known = kpi.categories, kpi.category_codes, kpi.not_known_category
    wanted = " ".join(str(text).split()).casefold()
    for category in categories:
        if category.casefold() == wanted:
            return category
    for code, category in codes.items():
        if code.casefold() == wanted:
            return category
    if not_known and wanted in NOT_KNOWN_WORDS:
        return not_known
    return None


def police_codes_for(definition: KpiDefinition, category: str) -> list[str]:
    """The other codes that stand for a category, e.g. ["A4", "O1"] for Chinese; [] for Roma, which the police
    record under W9."""
    return sorted(code for code, named in (definition.codes or {}).items() if named == category)


def heading_for(definition: KpiDefinition, category: str) -> str:
    """The heading a category sits under (the Census's five), or "" (the not known category sits under none)."""
    for group in definition.groups or []:
        if category in group["categories"]:
            return group["heading"]
    return ""
