"""What grants work waits for whom: the home page's reads (commissioning/home/selectors.py).

Each function gives a queryset (the home page counts it and shows its first few rows: two queries however many rows)
or, for rounds, a short list built in a fixed number of queries. Each follows the rule of the page where the work
is done (the permissions in permissions/*.py and the "blocked" messages of the views), so a count never promises
work its link then refuses.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from commissioning.grants.models import (
    Application,
    Approach,
    AssessorAssignment,
    Award,
    EndOfGrantReport,
    GrantRound,
    Prioritisation,
)
from commissioning.grants.selectors.awards import AWAITING_PANEL, REPORT_OUTSTANDING, REPORTING
from commissioning.grants.services.assessment import min_assessors
from commissioning.grants.services.awards import DECIDABLE_ROUNDS, WAITING_FOR_DECISION

NONE, CONFLICT = AssessorAssignment.Declaration.NONE, AssessorAssignment.Declaration.CONFLICT
SUBMITTED, ELIGIBLE, MODERATED = Application.Status.SUBMITTED, Application.Status.ELIGIBLE, Application.Status.MODERATED


# --- Assessors -------------------------------------------------------------------------------------------


def assignments_to_score(*, user) -> QuerySet[AssessorAssignment]:
    """The person's assignments still to do: interests to declare, or scores to send, while scoring is open (the
    application is eligible and not yet moderated). An assignment leaves the list when its scores are sent, or when
    a conflict is declared (someone else scores it)."""
    return (
        AssessorAssignment.objects.filter(assessor=user, submitted_at__isnull=True, application__status=ELIGIBLE)
        .exclude(declaration=CONFLICT)
        .select_related("application__organisation", "application__round")
        .order_by("application__round__closes_at", "application__reference", "pk")
    )


# --- Officers: rounds to take through assessment -----------------------------------------------------------


@dataclass(frozen=True)
class RoundStages:
    """How many of a round's applications wait at each officer's stage of assessment."""

    round: GrantRound
    to_check: int  # eligibility to check
    to_assign: int  # eligible, fewer assessors than the minimum
    being_scored: int  # assessors assigned, scores not all in
    to_moderate: int  # enough scores in
    to_recommend: int  # moderated, the panel's recommendation to make

    @property
    def waiting(self) -> int:
        """Applications waiting for an officer (not those with their assessors)."""
        return self.to_check + self.to_assign + self.to_moderate + self.to_recommend


def _assignments_counted(condition: Q):
    return Coalesce(
        Subquery(
            AssessorAssignment.objects.filter(condition, application=OuterRef("pk"))
            .order_by()
            .values("application")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def rounds_to_progress(*, limit: int = 5) -> tuple[int, list[RoundStages]]:
    """Rounds (not drafts, not decided) with applications waiting for an officer: eligibility to check, assessors
    to assign, moderation, the panel's recommendation. The number of such rounds and the first `limit`, closing
    first. Two queries however many rounds and applications."""
    needed = min_assessors()
    in_progress = (
        Application.objects.filter(round__status__in=DECIDABLE_ROUNDS, status__in=[SUBMITTED, ELIGIBLE, MODERATED])
        .annotate(
            assigned=_assignments_counted(~Q(declaration=CONFLICT)),
            scored=_assignments_counted(Q(declaration=NONE, submitted_at__isnull=False)),
        )
        .order_by()
        .values("round_id")
        .annotate(
            to_check=Count("pk", filter=Q(status=SUBMITTED)),
            to_assign=Count("pk", filter=Q(status=ELIGIBLE, assigned__lt=needed)),
            being_scored=Count("pk", filter=Q(status=ELIGIBLE, assigned__gte=needed, scored__lt=needed)),
            to_moderate=Count("pk", filter=Q(status=ELIGIBLE, scored__gte=needed)),
            to_recommend=Count("pk", filter=Q(status=MODERATED)),
        )
    )
    stages = {
        row["round_id"]: row
        for row in in_progress
        if row["to_check"] or row["to_assign"] or row["to_moderate"] or row["to_recommend"]
    }
    rounds = GrantRound.objects.filter(pk__in=list(stages)).select_related("scheme").order_by("closes_at", "pk")
    shown = []
    for grant_round in rounds[:limit]:
        row = stages[grant_round.pk]
        shown.append(
            RoundStages(
                round=grant_round,
                to_check=row["to_check"],
                to_assign=row["to_assign"],
                being_scored=row["being_scored"],
                to_moderate=row["to_moderate"],
                to_recommend=row["to_recommend"],
            )
        )
    return len(stages), shown


# --- The PCC: decisions ----------------------------------------------------------------------------------


def rounds_to_decide(*, now: dt.datetime | None = None) -> QuerySet[GrantRound]:
    """Closed rounds whose panel has finished and whose recommendations wait for the PCC's decision (what
    grants:round_decision accepts), each with `to_decide`: how many applications. One query."""
    now = now or timezone.now()
    return (
        GrantRound.objects.filter(status__in=DECIDABLE_ROUNDS, closes_at__lte=now)
        .annotate(
            to_decide=Count("applications", filter=Q(applications__status__in=WAITING_FOR_DECISION)),
            with_panel=Count("applications", filter=Q(applications__status__in=AWAITING_PANEL)),
        )
        .filter(to_decide__gt=0, with_panel=0)
        .select_related("scheme")
        .order_by("closes_at", "pk")
    )


def approaches_at(*, status: str) -> QuerySet[Approach]:
    """One-off approaches at one stage: new (to triage), proposal received (to assess), assessed (to decide).
    Oldest first, as a queue."""
    return Approach.objects.filter(status=status).select_related("organisation").order_by("received_on", "pk")


def prioritisations_to_approve() -> QuerySet[Prioritisation]:
    """Local Innovation Fund rankings not yet approved (the CFO or the PCC approves)."""
    return (
        Prioritisation.objects.filter(status=Prioritisation.Status.DRAFT)
        .select_related("fund", "year")
        .order_by("year__start_year", "pk")
    )


# --- Officers: end-of-grant reports ------------------------------------------------------------------------


def reports_to_sign_off() -> QuerySet[EndOfGrantReport]:
    """End-of-grant reports sent by the grant holder and waiting to be signed off or returned."""
    return (
        EndOfGrantReport.objects.filter(status=EndOfGrantReport.Status.SUBMITTED)
        .select_related("award__application__organisation")
        .order_by("submitted_at", "pk")
    )


def awards_with_overdue_reports(*, today: dt.date | None = None) -> QuerySet[Award]:
    """Grants whose end-of-grant report was due before today and has not been sent."""
    today = today or timezone.localdate()
    outstanding = Q(report__isnull=True) | Q(report__status__in=REPORT_OUTSTANDING)
    return Award.objects.filter(outstanding, status__in=REPORTING, report_due_on__lt=today).order_by("report_due_on")


# --- An outside organisation's own work --------------------------------------------------------------------


def _organisation_id(user):
    return getattr(user, "organisation_id", None) or 0


def offers_to_answer(*, user) -> QuerySet[Award]:
    """Grants offered to the person's organisation that it has not yet accepted or declined."""
    return (
        Award.objects.filter(status=Award.Status.OFFERED, application__organisation_id=_organisation_id(user))
        .select_related("application__round")
        .order_by("awarded_on", "pk")
    )


def reports_to_send(*, user) -> QuerySet[Award]:
    """The organisation's grants whose end-of-grant report it still has to send (none yet, in progress or
    returned for more information), the soonest due first."""
    outstanding = Q(report__isnull=True) | Q(report__status__in=REPORT_OUTSTANDING)
    return (
        Award.objects.filter(outstanding, status__in=REPORTING, application__organisation_id=_organisation_id(user))
        .select_related("application")
        .order_by("report_due_on", "pk")
    )


def proposal_forms_to_complete(*, user) -> QuerySet[Approach]:
    """Approaches of the person's organisation whose Proposal Form the Commissioning Manager has asked for."""
    return Approach.objects.filter(status=Approach.Status.INVITED, organisation_id=_organisation_id(user)).order_by(
        "received_on", "pk"
    )
