"""Reads about grant schemes and rounds, each list in a fixed number of queries.

Times are shown in Europe/London the GOV.UK way: "5pm on 30 January 2027", "midday", "midnight".
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from commissioning.core.dates import long_date
from commissioning.core.history import HistoryEntry, history_entries, history_for, newest_first
from commissioning.grants.models import (
    Application,
    AssessmentCriterion,
    EligibilityQuestion,
    GrantRound,
    GrantScheme,
    TermsVersion,
)

HUNDRED = Decimal("100")
UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
STATE_LABELS = {UPCOMING: "Opens soon", OPEN: "Open", CLOSED: "Closed"}
STATE_COLOURS = {UPCOMING: "blue", OPEN: "green", CLOSED: "grey"}
# Rounds the public sees: published, and those being assessed or decided (closed by now).
PUBLIC_STATUSES = (GrantRound.Status.PUBLISHED, GrantRound.Status.ASSESSING, GrantRound.Status.DECIDED)
# Six descriptors, for scores 0 to 5 (DOMAIN.md, "Evaluation conventions").
DEFAULT_DESCRIPTORS = ("No answer", "Very poor", "Poor", "Satisfactory", "Good", "Excellent")


# --- Times in words ------------------------------------------------------------------------------------------


def time_text(moment: dt.datetime) -> str:
    """5pm, 9:30am, midday or midnight, in London time."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def when_text(moment: dt.datetime) -> str:
    """5pm UK time on 30 January 2027. In the hour the clocks go back, which one: "1:30am UK time (GMT) on ..."."""
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None)
    repeated = (
        naive.replace(tzinfo=local.tzinfo, fold=0).utcoffset() != naive.replace(tzinfo=local.tzinfo, fold=1).utcoffset()
    )
    zone = f" ({local.tzname()})" if repeated else ""
    return f"{time_text(moment)} UK time{zone} on {long_date(local.date())}"


def round_state(grant_round: GrantRound, *, now: dt.datetime | None = None) -> str:
    """upcoming, open or closed, by the round's dates (a round being assessed or decided is closed)."""
    now = now or timezone.now()
    if grant_round.status in (GrantRound.Status.ASSESSING, GrantRound.Status.DECIDED):
        return CLOSED
    if now < grant_round.opens_at:
        return UPCOMING
    return OPEN if now < grant_round.closes_at else CLOSED


def round_is_open(grant_round: GrantRound, *, now: dt.datetime | None = None) -> bool:
    return grant_round.status == GrantRound.Status.PUBLISHED and round_state(grant_round, now=now) == OPEN


def closed_message(grant_round: GrantRound, *, action: str = "submitted") -> str:
    return (
        f"This round closed at {when_text(grant_round.closes_at)}. Applications can no longer be {action}"
        if timezone.now() >= grant_round.closes_at
        else f"This round is not open. It opens at {when_text(grant_round.opens_at)}"
    )


def _with_times(rounds, now=None):
    """Each round with `state`, `state_label`, `state_colour`, `opens_text` and `closes_text` for templates."""
    now = now or timezone.now()
    for grant_round in rounds:
        grant_round.state = round_state(grant_round, now=now)
        grant_round.state_label = STATE_LABELS[grant_round.state]
        grant_round.state_colour = STATE_COLOURS[grant_round.state]
        grant_round.opens_text = when_text(grant_round.opens_at)
        grant_round.closes_text = when_text(grant_round.closes_at)
    return rounds


def with_times(grant_round: GrantRound) -> GrantRound:
    return _with_times([grant_round])[0]


# --- Schemes and terms ---------------------------------------------------------------------------------------


def scheme_list_active() -> QuerySet[GrantScheme]:
    return GrantScheme.objects.filter(is_active=True).select_related("fund", "top_up_fund").order_by("name")


def terms_list() -> QuerySet[TermsVersion]:
    return TermsVersion.objects.select_related("scheme").order_by("scheme__name", "-effective_from")


# --- Rounds for staff ----------------------------------------------------------------------------------------


def _weight_sum():
    return Coalesce(
        Subquery(
            AssessmentCriterion.objects.filter(round=OuterRef("pk"))
            .order_by()
            .values("round")
            .annotate(total=Sum("weight"))
            .values("total"),
            output_field=DecimalField(max_digits=7, decimal_places=2),
        ),
        Value(Decimal("0.00")),
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )


def _question_count():
    return Coalesce(
        Subquery(
            EligibilityQuestion.objects.filter(round=OuterRef("pk"))
            .order_by()
            .values("round")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def round_list(*, status: str = "") -> QuerySet[GrantRound]:
    """Every round, newest first, with its scheme, fund and year, `submitted` and `drafts` (applications),
    `weight_total` and `question_count`. One query a page."""
    rounds = (
        GrantRound.objects.select_related("scheme", "fund", "year")
        .annotate(
            submitted=Count("applications", filter=~Q(applications__status=Application.Status.DRAFT)),
            drafts=Count("applications", filter=Q(applications__status=Application.Status.DRAFT)),
            weight_total=_weight_sum(),
            question_count=_question_count(),
        )
        .order_by("-opens_at", "-id")
    )
    if status:
        rounds = rounds.filter(status=status)
    return rounds


def round_choices() -> QuerySet[GrantRound]:
    """Rounds for a filter's drop-down, newest first."""
    return GrantRound.objects.order_by("-opens_at", "-id").only("pk", "name", "opens_at")


def round_get(*, pk) -> GrantRound:
    """A round for staff pages, with its questions and criteria, or 404."""
    try:
        grant_round = (
            GrantRound.objects.select_related("scheme__fund", "scheme__top_up_fund", "fund", "year", "terms")
            .prefetch_related("eligibility_questions", "criteria")
            .annotate(
                submitted=Count("applications", filter=~Q(applications__status=Application.Status.DRAFT)),
                drafts=Count("applications", filter=Q(applications__status=Application.Status.DRAFT)),
            )
            .get(pk=pk)
        )
    except GrantRound.DoesNotExist as exc:
        raise Http404(f"No grant round {pk}") from exc
    return with_times(grant_round)


def round_weight_total(grant_round: GrantRound) -> Decimal:
    """The sum of the criteria's weights (uses a prefetch when there is one)."""
    return sum((c.weight for c in grant_round.criteria.all()), Decimal("0.00"))


def round_history(grant_round: GrantRound, *, limit: int = 50) -> list[HistoryEntry]:
    """The round's activity log with its questions' and criteria's, removed ones included (3 queries)."""
    return newest_first(
        history_for(grant_round, limit=limit),
        history_entries(
            EligibilityQuestion.history.filter(round_id=grant_round.pk),
            subject=lambda row: f"eligibility question: {row.text}",
            limit=limit,
        ),
        history_entries(
            AssessmentCriterion.history.filter(round_id=grant_round.pk),
            subject=lambda row: f"criterion {row.name}",
            limit=limit,
        ),
        limit=limit,
    )


def question_get(*, grant_round: GrantRound, pk) -> EligibilityQuestion:
    try:
        return EligibilityQuestion.objects.get(round=grant_round, pk=pk)
    except EligibilityQuestion.DoesNotExist as exc:
        raise Http404(f"No question {pk} in round {grant_round.pk}") from exc


def criterion_get(*, grant_round: GrantRound, pk) -> AssessmentCriterion:
    try:
        return AssessmentCriterion.objects.get(round=grant_round, pk=pk)
    except AssessmentCriterion.DoesNotExist as exc:
        raise Http404(f"No criterion {pk} in round {grant_round.pk}") from exc


# --- Rounds for the public -----------------------------------------------------------------------------------


def round_list_public() -> QuerySet[GrantRound]:
    """Published rounds (and those closed and being assessed or decided), open ones first by closing time."""
    return GrantRound.objects.filter(status__in=PUBLIC_STATUSES).select_related("scheme").order_by("-closes_at", "-id")


@dataclass(frozen=True)
class PublicRounds:
    open: list
    upcoming: list
    closed: list


def rounds_by_state(rounds) -> PublicRounds:
    """Split rounds into open (closing soonest first), upcoming (opening soonest first) and closed (latest
    first), each round with its times in words."""
    rounds = _with_times(list(rounds))
    return PublicRounds(
        open=sorted((r for r in rounds if r.state == OPEN), key=lambda r: r.closes_at),
        upcoming=sorted((r for r in rounds if r.state == UPCOMING), key=lambda r: r.opens_at),
        closed=[r for r in rounds if r.state == CLOSED],
    )


def round_get_public(*, pk) -> GrantRound:
    """A round anyone may read once it is published (drafts are 404)."""
    try:
        grant_round = (
            GrantRound.objects.filter(status__in=PUBLIC_STATUSES)
            .select_related("scheme", "terms")
            .prefetch_related("eligibility_questions")
            .get(pk=pk)
        )
    except GrantRound.DoesNotExist as exc:
        raise Http404(f"No published grant round {pk}") from exc
    return with_times(grant_round)
