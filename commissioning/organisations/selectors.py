"""Reads for organisations, partnership boards and non-financial activities, scoped to what the user may see.

Each list returns a queryset whose query count does not grow with the number of rows: related rows come
from select_related, prefetch_related or annotations decided here, never from the template.
"""

from django.db.models import Case, Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from commissioning.accounts.rules import is_auditor, is_opcc_staff, is_partner
from commissioning.core.history import HistoryEntry, history_entries, history_for, newest_first
from commissioning.organisations.models import (
    BoardMeeting,
    Contact,
    NonFinancialActivity,
    Organisation,
    PartnershipBoard,
)
from commissioning.organisations.rules import can_view_directory, is_outside_user

BoardMembership = PartnershipBoard.members.through
ActivityPartner = NonFinancialActivity.partners.through


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} {pk} for this user") from exc


# Organisations ------------------------------------------------------------------------------------------


def organisations_visible_to(user) -> QuerySet:
    """The directory for OPCC staff, auditors and Panel members; for anyone else, their own organisation."""
    if can_view_directory(user):
        return Organisation.objects.all()
    if is_outside_user(user) and user.organisation_id:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def organisation_list(*, user, search: str = "", kind: str = "") -> QuerySet:
    """Organisations in name order with their main contact and areas of interest (three queries a page)."""
    main_contact = Contact.objects.filter(organisation=OuterRef("pk"), is_primary=True).values("name")[:1]
    organisations = (
        organisations_visible_to(user)
        .annotate(main_contact_name=Subquery(main_contact))
        .prefetch_related("areas_of_interest")
    )
    search = search.strip()
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(org_id__icontains=search) | Q(postcode__icontains=search)
        )
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("name", "pk")


def organisation_get_for_user(*, user, pk) -> Organisation:
    """One organisation with its contacts and areas of interest; 404 when the user may not see it."""
    return _get_or_404(organisations_visible_to(user).prefetch_related("areas_of_interest", "contacts"), pk)


def contact_get_for_user(*, user, organisation_pk, pk) -> Contact:
    organisation = organisation_get_for_user(user=user, pk=organisation_pk)
    contact = _get_or_404(Contact.objects.filter(organisation=organisation), pk)
    contact.organisation = organisation
    return contact


def organisation_history(*, organisation: Organisation, limit: int = 50) -> list[HistoryEntry]:
    """An organisation's activity log including its contacts, added, changed or removed."""
    contacts = history_entries(
        Contact.history.filter(organisation_id=organisation.pk),
        subject=lambda record: f"contact {record.name}",
        limit=limit,
    )
    return newest_first(history_for(organisation, limit=limit), contacts, limit=limit)


# Partnership boards -------------------------------------------------------------------------------------


def boards_visible_to(user) -> QuerySet:
    """Every board for OPCC staff and auditors; a partner, the boards its organisation chairs or sits on."""
    if is_opcc_staff(user) or is_auditor(user):
        return PartnershipBoard.objects.all()
    if is_partner(user) and user.organisation_id:
        member_of = BoardMembership.objects.filter(organisation_id=user.organisation_id).values("partnershipboard_id")
        return PartnershipBoard.objects.filter(Q(chair_id=user.organisation_id) | Q(pk__in=member_of))
    return PartnershipBoard.objects.none()


def board_list(*, user, search: str = "") -> QuerySet:
    """Boards in name order with their chair, number of members and the date they last met."""
    boards = (
        boards_visible_to(user)
        .select_related("chair")
        .annotate(member_count=Count("members", distinct=True), last_met_on=Max("meetings__held_on"))
    )
    search = search.strip()
    if search:
        boards = boards.filter(Q(name__icontains=search) | Q(purpose__icontains=search))
    return boards.order_by("name", "pk")


def board_get_for_user(*, user, pk) -> PartnershipBoard:
    """One board with its chair, members, priorities and meetings; 404 when the user may not see it."""
    boards = (
        boards_visible_to(user)
        .select_related("chair")
        .prefetch_related(
            "members",
            "priorities",
            Prefetch("meetings", queryset=BoardMeeting.objects.select_related("recorded_by")),
        )
    )
    return _get_or_404(boards, pk)


def board_list_for_organisation(*, user, organisation: Organisation) -> QuerySet:
    """The boards an organisation chairs or sits on, among those the user may see."""
    member_of = BoardMembership.objects.filter(organisation_id=organisation.pk).values("partnershipboard_id")
    return (
        boards_visible_to(user)
        .filter(Q(chair_id=organisation.pk) | Q(pk__in=member_of))
        .select_related("chair")
        .order_by("name", "pk")
    )


# Non-financial activities -------------------------------------------------------------------------------


def activities_visible_to(user) -> QuerySet:
    """Every activity for OPCC staff and auditors; a partner sees the activities its organisation is on."""
    if is_opcc_staff(user) or is_auditor(user):
        return NonFinancialActivity.objects.all()
    if is_partner(user) and user.organisation_id:
        partner_on = ActivityPartner.objects.filter(organisation_id=user.organisation_id).values(
            "nonfinancialactivity_id"
        )
        return NonFinancialActivity.objects.filter(pk__in=partner_on)
    return NonFinancialActivity.objects.none()


def activity_list(*, user, search: str = "", kind: str = "", organisation_id=None, board_id=None) -> QuerySet:
    """Activities, newest first, with their board, partners and priorities (four queries a page)."""
    activities = (
        activities_visible_to(user)
        .select_related("board")
        .prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.only("pk", "name").order_by("name")),
            "priorities",
        )
    )
    search = search.strip()
    if search:
        activities = activities.filter(Q(title__icontains=search) | Q(description__icontains=search))
    if kind:
        activities = activities.filter(kind=kind)
    if organisation_id:
        partner_on = ActivityPartner.objects.filter(organisation_id=organisation_id).values("nonfinancialactivity_id")
        activities = activities.filter(pk__in=partner_on)
    if board_id:
        activities = activities.filter(board_id=board_id)
    return activities.order_by("-occurred_on", "-pk")


def activity_list_latest(*, user, limit: int = 10, **filters) -> tuple[list, bool]:
    """The latest activities for a record page, and whether there are more than `limit`."""
    rows = list(activity_list(user=user, **filters)[: limit + 1])
    return rows[:limit], len(rows) > limit


def activity_get_for_user(*, user, pk) -> NonFinancialActivity:
    """One activity with its partners, priorities and objectives; 404 when the user may not see it."""
    activities = (
        activities_visible_to(user)
        .select_related("board", "recorded_by")
        .prefetch_related("partners", "priorities", "objectives")
    )
    return _get_or_404(activities, pk)


SEARCH_SCOPES = ("active", "providers")
SEARCH_LIMIT = 20


def organisations_for_choosing(scope: str = "active") -> QuerySet:
    """The organisations a form may offer: every active one, or (scope "providers") the active ones other than the
    OPCC, which is who provides or co-funds a service."""
    queryset = Organisation.objects.filter(is_active=True)
    if scope == "providers":
        queryset = queryset.exclude(kind=Organisation.Kind.OPCC)
    return queryset


def organisation_search(*, user, query: str, scope: str = "active", limit: int = SEARCH_LIMIT) -> list[Organisation]:
    """At most `limit` organisations in `scope` whose name contains `query` (names starting with it first), for
    the search-as-you-type fields; one query, however many organisations there are."""
    query = " ".join((query or "").split())
    if not query or scope not in SEARCH_SCOPES:
        return []
    queryset = organisations_for_choosing(scope) & organisations_visible_to(user)
    return list(
        queryset.filter(name__icontains=query)
        .annotate(starts=Case(When(name__istartswith=query, then=Value(0)), default=Value(1)))
        .order_by("starts", "name", "pk")[:limit]
    )
