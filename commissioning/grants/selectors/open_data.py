"""Every grant the OPCC has made, by every route, as plain records for publishing (issue 12, points 4 and 5).

The routes (ROUTES):
- community awards: an `Award` from a grant round (the Community Grant Scheme), except offers the applicant
  declined (no grant was made);
- one-off grants: an approach and proposal the PCC approved, which made a grant agreement in the register;
- Local Innovation Fund allowances: a candidate's allowance in an approved prioritisation;
- other grant agreements in the register: grant agreements signed without an award or approach (inherited
  grants, and the generated history of `generate_data`).

`grants_made()` yields `GrantRecord`s one at a time, reading each route in keyset pages of `chunk` rows (two
queries a page: the rows with every joined field as tuples, and the page's plan priorities, chosen by a subquery
of the page and the range of its ids rather than by a list of them, each grant's in the order of the priorities'
primary keys), so memory stays flat however many grants there are. The transparency app turns them into pages
and 360Giving files; the Elected Local Policing Bodies (Specified Information) Order 2011 asks for recipient,
amount, purpose, conditions and the decision's reasons, all here.

A grant is publishable when its decision record may be published (a grant without a decision record, or an
allowance approved in a prioritisation, is).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from commissioning.agreements.models import Agreement, Service
from commissioning.core.models import opcc_settings
from commissioning.grants.models import Application, Award, InnovationCandidate, Prioritisation, PrioritisationEntry
from commissioning.organisations.models import Organisation
from commissioning.strategy.models import Priority

COMMUNITY = "community_award"
ONE_OFF = "one_off_grant"
INNOVATION = "innovation_allowance"
REGISTER = "register_grant"
ROUTES = {
    COMMUNITY: "Community grant award",
    ONE_OFF: "One-off grant",
    INNOVATION: "Local Innovation Fund allowance",
    REGISTER: "Grant agreement",
}
CHUNK = 2000
LIVE_AGREEMENT = (Agreement.Status.ACTIVE, Agreement.Status.ENDED, Agreement.Status.TERMINATED)


@dataclass(slots=True)
class GrantRecord:
    route: str
    reference: str  # the OPCC's own, unique across routes (the 360Giving id is built from it)
    title: str
    description: str  # the grant's purpose
    amount: Decimal
    award_date: dt.date
    recipient_org_id: str
    recipient_name: str
    charity_number: str
    company_number: str
    programme_code: str
    programme_title: str
    conditions: str
    reasons: str
    decision_number: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    location: str  # where the beneficiaries are, when recorded
    publishable: bool
    priorities: list = field(default_factory=list)  # [(code, title)] of the Police and Crime Plan

    @property
    def route_label(self) -> str:
        return ROUTES[self.route]


@dataclass(frozen=True)
class Funder:
    org_id: str
    name: str
    area_name: str
    prefix: str


def funder() -> Funder:
    """The OPCC as funder: its organisation's org-id and name, and the publishing prefix. Two queries."""
    settings_row = opcc_settings()
    opcc = Organisation.objects.filter(kind=Organisation.Kind.OPCC).only("org_id", "name").first()
    prefix = settings_row.grants_prefix if settings_row else "360G-opcc"
    if not prefix.startswith("360G-"):
        prefix = f"360G-{prefix}"
    name = opcc.name if opcc else (settings_row.opcc_name if settings_row else "")
    return Funder(
        org_id=opcc.org_id if opcc else f"{prefix}-OPCC",
        name=name,
        area_name=settings_row.area_name if settings_row else "",
        prefix=prefix,
    )


def grant_identifier(reference: str, *, prefix: str | None = None) -> str:
    """360G-<publisher prefix>-<internal id>. The profile's prefix already starts with 360G-."""
    return f"{prefix or funder().prefix}-{reference}"


def _priority_titles() -> dict[int, tuple[str, str]]:
    return {pk: (code, title) for pk, code, title in Priority.objects.values_list("pk", "code", "title")}


def _links(through, owner: str, ids: set, page: QuerySet | None = None) -> dict[int, list[int]]:
    """The plan priorities of the owners `ids`, each owner's in the order of the priorities' primary keys. With
    `page` (a subquery of the same owners), they are chosen by it and by the range of the ids instead of a list
    of thousands of ids: the database walks the through table's index over that range (bench/giving_export.py)."""
    if page is None:
        owners = {f"{owner}__in": ids}
    else:
        owners = {f"{owner}__gte": min(ids), f"{owner}__lte": max(ids), f"{owner}__in": page}
    links = defaultdict(list)
    rows = through.objects.filter(**owners).order_by(owner, "priority_id").values_list(owner, "priority_id")
    for owner_id, priority_id in rows:
        links[owner_id].append(priority_id)
    return links


@dataclass(frozen=True)
class _Route:
    """One route's rows: its queryset, the fields read as a tuple (the primary key first, then the id its plan
    priorities hang from), the date it is listed by, and how a tuple becomes a GrantRecord."""

    name: str
    queryset: Callable[[bool], QuerySet]
    fields: tuple[str, ...]
    newest_first: tuple[str, ...]
    through: Callable[[], type]
    owner: str  # the through table's column naming the owner
    build: Callable[..., GrantRecord]

    def records(self, rows, *, titles, area: str, page: QuerySet | None = None) -> Iterator[GrantRecord]:
        """The rows as GrantRecords with their plan priorities, read in one query (`page`: a subquery of the
        rows' owners, from pages())."""
        links = _links(self.through(), self.owner, {row[1] for row in rows}, page)
        build = self.build
        for row in rows:
            record = build(row, area)
            linked = links.get(row[1])
            if linked:
                record.priorities = [titles[p] for p in linked if p in titles]
            yield record

    def pages(self, publishable_only: bool, chunk: int) -> Iterator[tuple[list, QuerySet]]:
        """The route's rows as tuples of `fields`, in keyset pages of `chunk` by primary key, each with a
        subquery of the page's owners (the ids its plan priorities hang from)."""
        queryset = self.queryset(publishable_only)
        last = 0
        while True:
            rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list(*self.fields)[:chunk])
            if not rows:
                return
            yield rows, queryset.filter(pk__gt=last, pk__lte=rows[-1][0]).values(self.fields[1])
            last = rows[-1][0]
            if len(rows) < chunk:
                return


def _awards(publishable_only: bool) -> QuerySet:
    awards = Award.objects.exclude(status=Award.Status.DECLINED)
    return awards.filter(decision__publishable=True) if publishable_only else awards


def _award(row, area: str) -> GrantRecord:
    (
        pk,
        _application_id,
        reference,
        title,
        purpose,
        amount,
        awarded_on,
        org_id,
        name,
        charity,
        company,
        scheme_code,
        scheme_name,
        conditions,
        repayment,
        number,
        reasons,
        publishable,
        starts,
        ends,
        where,
    ) = row
    return GrantRecord(
        route=COMMUNITY,
        reference=reference or f"AWARD-{pk}",
        title=title or purpose[:200],
        description=purpose,
        amount=amount,
        award_date=awarded_on,
        recipient_org_id=org_id,
        recipient_name=name,
        charity_number=charity,
        company_number=company,
        programme_code=scheme_code,
        programme_title=scheme_name,
        conditions=f"{conditions}\n{repayment}".strip(),
        reasons=reasons,
        decision_number=number,
        planned_start=starts,
        planned_end=ends,
        location=where or area,
        publishable=publishable,
    )


def _agreements(publishable_only: bool) -> QuerySet:
    agreements = Agreement.objects.filter(
        kind=Agreement.Kind.GRANT, status__in=LIVE_AGREEMENT, grant_award__isnull=True
    ).annotate(awarded_on=Coalesce("decision__decided_on", "signed_on", "starts_on"))
    if publishable_only:
        agreements = agreements.filter(Q(decision__isnull=True) | Q(decision__publishable=True))
    return agreements


_APPROACHES = dict(Service.Approach.choices)


def _agreement(row, area: str) -> GrantRecord:
    (
        _pk,
        _service_id,
        reference,
        approach_reference,
        name,
        purpose,
        approach,
        value,
        awarded_on,
        starts,
        ends,
        org_id,
        provider,
        charity,
        company,
        conditions,
        repayment,
        number,
        reasons,
        publishable,
        where,
    ) = row
    one_off = approach_reference is not None or approach == Service.Approach.ONE_OFF
    return GrantRecord(
        route=ONE_OFF if one_off else REGISTER,
        reference=approach_reference or reference,
        title=name,
        description=purpose,
        amount=value,
        award_date=awarded_on,
        recipient_org_id=org_id,
        recipient_name=provider,
        charity_number=charity,
        company_number=company,
        programme_code=approach,
        programme_title="One-off grants" if one_off else _APPROACHES.get(approach, approach),
        conditions=f"{conditions}\n{repayment}".strip(),
        reasons=reasons or "",
        decision_number=number or "",
        planned_start=starts,
        planned_end=ends,
        location=where or area,
        publishable=publishable is not False,
    )


def _entries(publishable_only: bool) -> QuerySet:
    return PrioritisationEntry.objects.filter(allowance__gt=0, prioritisation__status=Prioritisation.Status.APPROVED)


def _entry(row, area: str) -> GrantRecord:
    (
        _pk,
        candidate_id,
        title,
        description,
        allowance,
        approved_at,
        fund_name,
        year,
        org_id,
        name,
        charity,
        company,
        rank,
        score,
    ) = row
    return GrantRecord(
        route=INNOVATION,
        reference=f"LIF-{candidate_id}",
        title=title,
        description=description,
        amount=allowance,
        award_date=timezone.localdate(approved_at) if approved_at else timezone.localdate(),
        recipient_org_id=org_id,
        recipient_name=name,
        charity_number=charity,
        company_number=company,
        programme_code="local-innovation-fund",
        programme_title=fund_name,
        conditions="",
        reasons=(
            f"Ranked {rank} with a weighted score of {score} in the {fund_name} prioritisation for "
            f"{year}/{(year + 1) % 100:02d}, approved with its allowances."
        ),
        decision_number="",
        planned_start=None,
        planned_end=None,
        location=area,
        publishable=True,
    )


ROUTE_READS = {
    COMMUNITY: _Route(
        name=COMMUNITY,
        queryset=_awards,
        fields=(
            "pk",
            "application_id",
            "application__reference",
            "application__project_title",
            "purpose",
            "amount",
            "awarded_on",
            "application__organisation__org_id",
            "application__organisation__name",
            "application__organisation__charity_number",
            "application__organisation__company_number",
            "application__round__scheme__code",
            "application__round__scheme__name",
            "conditions",
            "repayment_conditions",
            "decision__number",
            "decision__reasons",
            "decision__publishable",
            "application__starts_on",
            "application__ends_on",
            "agreement__service__delivery_area",
        ),
        newest_first=("-awarded_on", "-pk"),
        through=lambda: Application.priorities.through,
        owner="application_id",
        build=_award,
    ),
    ONE_OFF: _Route(
        name=ONE_OFF,
        queryset=_agreements,
        fields=(
            "pk",
            "service_id",
            "reference",
            "approach__reference",
            "service__name",
            "service__purpose",
            "service__approach",
            "value",
            "awarded_on",
            "starts_on",
            "ends_on",
            "service__provider__org_id",
            "service__provider__name",
            "service__provider__charity_number",
            "service__provider__company_number",
            "conditions",
            "repayment_conditions",
            "decision__number",
            "decision__reasons",
            "decision__publishable",
            "service__delivery_area",
        ),
        newest_first=("-awarded_on", "-pk"),
        through=lambda: Service.priorities.through,
        owner="service_id",
        build=_agreement,
    ),
    INNOVATION: _Route(
        name=INNOVATION,
        queryset=_entries,
        fields=(
            "pk",
            "candidate_id",
            "candidate__title",
            "candidate__description",
            "allowance",
            "prioritisation__approved_at",
            "prioritisation__fund__name",
            "prioritisation__year__start_year",
            "candidate__organisation__org_id",
            "candidate__organisation__name",
            "candidate__organisation__charity_number",
            "candidate__organisation__company_number",
            "rank",
            "weighted_score",
        ),
        newest_first=("-prioritisation__approved_at", "rank", "-pk"),
        through=lambda: InnovationCandidate.priorities.through,
        owner="innovationcandidate_id",
        build=_entry,
    ),
}
# One-off grants and the register's other grant agreements are read together (both are grant agreements).
PUBLIC_ROUTES = {
    COMMUNITY: "Community grants",
    ONE_OFF: "Grant agreements and one-off grants",
    INNOVATION: "Local Innovation Fund allowances",
}


def _area(area: str | None) -> str:
    if area is not None:
        return area
    settings_row = opcc_settings()
    return settings_row.area_name if settings_row else ""


def grants_made(*, publishable_only: bool = True, chunk: int = CHUNK, area: str | None = None) -> Iterator[GrantRecord]:
    """Every grant made, route by route, oldest record first within a route; only the publishable ones unless
    asked. Queries: one for the plan's priorities, then two per page of `chunk` rows in each route."""
    titles = _priority_titles()
    area = _area(area)
    for route in ROUTE_READS.values():
        for rows, page in route.pages(publishable_only, chunk):
            yield from route.records(rows, titles=titles, area=area, page=page)


def grants_page(*, route: str, page_number, per_page: int = 25, area: str | None = None):
    """One page of a route's publishable grants, newest first, for the public pages: (page, records).
    Five queries at most: the count, the page's rows, their priorities, the plan's priorities, the area."""
    reads = ROUTE_READS[route]
    rows = reads.queryset(True).order_by(*reads.newest_first).values_list(*reads.fields)
    page = Paginator(rows, per_page).get_page(page_number)
    records = []
    if page.object_list:
        records = list(reads.records(list(page.object_list), titles=_priority_titles(), area=_area(area)))
    return page, records


def grants_count() -> dict[str, int]:
    """How many publishable grants each public route has (three queries)."""
    return {route: ROUTE_READS[route].queryset(True).count() for route in PUBLIC_ROUTES}
