"""Reads for decisions, awards, end-of-grant reports and open data (issue 5, points 4 and 5), each with its query
shape decided here and scoped to what the person may see (permissions/awards.py)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, DecimalField, ExpressionWrapper, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from commissioning.core.history import history_entries, newest_first
from commissioning.core.money import ZERO, to_money
from commissioning.funds import selectors as fund_selectors
from commissioning.grants.models import Application, Award, EndOfGrantReport, GrantRound

MONEY_OUT = DecimalField(max_digits=16, decimal_places=2)

# Applications the panel has not finished with: a round cannot be decided while any remain.
AWAITING_PANEL = (Application.Status.SUBMITTED, Application.Status.ELIGIBLE, Application.Status.MODERATED)
# An award whose money still counts: offered (not yet committed) or taken up.
LIVE_AWARD = (
    Award.Status.OFFERED,
    Award.Status.ACCEPTED,
    Award.Status.COMPLETED,
    Award.Status.REPAYMENT_REQUESTED,
)
# Awards whose recipient owes an end-of-grant report.
REPORTING = (Award.Status.ACCEPTED, Award.Status.REPAYMENT_REQUESTED)
REPORT_OUTSTANDING = (EndOfGrantReport.Status.DRAFT, EndOfGrantReport.Status.RETURNED)
REMINDER_REASON = "Report reminder sent"


def _total(queryset: QuerySet, field: str = "amount") -> Decimal:
    return to_money(queryset.aggregate(total=Coalesce(Sum(field, output_field=MONEY_OUT), Value(ZERO)))["total"])


# --- Deciding a round ------------------------------------------------------------------------------------


def round_get(*, pk: int) -> GrantRound:
    try:
        return GrantRound.objects.select_related("scheme", "fund", "year", "terms", "decision").get(pk=pk)
    except GrantRound.DoesNotExist:
        raise Http404("No such round") from None


def application_get(*, pk: int) -> Application:
    try:
        return Application.objects.select_related(
            "organisation", "round__scheme", "round__fund", "round__year", "round__terms", "moderation"
        ).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("No such application") from None


@dataclass(frozen=True)
class RoundApplications:
    recommended: list[Application]
    not_recommended: list[Application]
    awaiting_panel: int

    @property
    def recommended_total(self) -> Decimal:
        return sum((to_money(a.recommended_amount or 0) for a in self.recommended), start=ZERO)

    @property
    def to_decide(self) -> int:
        return len(self.recommended) + len(self.not_recommended)


def round_applications_to_decide(*, round: GrantRound) -> RoundApplications:
    """The applications waiting for the PCC's decision, highest moderated score first. Two queries."""
    waiting = list(
        Application.objects.filter(
            round=round, status__in=[Application.Status.RECOMMENDED, Application.Status.NOT_RECOMMENDED]
        )
        .select_related("organisation", "moderation")
        .order_by("-moderation__weighted_score", "reference")
    )
    awaiting = Application.objects.filter(round=round, status__in=AWAITING_PANEL).count()
    return RoundApplications(
        recommended=[a for a in waiting if a.status == Application.Status.RECOMMENDED],
        not_recommended=[a for a in waiting if a.status == Application.Status.NOT_RECOMMENDED],
        awaiting_panel=awaiting,
    )


@dataclass(frozen=True)
class RoundMoney:
    """What a round may still award: its budget less what it has awarded, and the fund's available money in the
    round's year less offers (from any round of that fund and year) not yet accepted, which hold no commitment."""

    budget: Decimal
    awarded: Decimal  # offered or taken up in this round already
    fund_name: str
    year_label: str
    fund_available: Decimal  # the funds engine's available = budget - committed
    offers_outstanding: Decimal  # offered, not yet accepted, from this fund and year

    @property
    def round_left(self) -> Decimal:
        return self.budget - self.awarded

    @property
    def fund_left(self) -> Decimal:
        return self.fund_available - self.offers_outstanding


def round_money(*, round: GrantRound) -> RoundMoney:
    position = fund_selectors.fund_position(fund=round.fund, year=round.year)
    awarded = _total(Award.objects.filter(application__round=round, status__in=LIVE_AWARD))
    outstanding = _total(
        Award.objects.filter(
            status=Award.Status.OFFERED, application__round__fund=round.fund, application__round__year=round.year
        )
    )
    return RoundMoney(
        budget=to_money(round.budget),
        awarded=awarded,
        fund_name=round.fund.name,
        year_label=round.year.label,
        fund_available=to_money(position.own_available),
        offers_outstanding=outstanding,
    )


# --- Awards ----------------------------------------------------------------------------------------------


def _awards() -> QuerySet[Award]:
    return Award.objects.select_related(
        "application__organisation",
        "application__round__scheme",
        "application__round__fund",
        "application__round__year",
        "decision",
        "agreement__service",
        "report",
        "accepted_by",
    )


def with_overdue(awards: QuerySet[Award], *, today: dt.date) -> QuerySet[Award]:
    """`is_overdue`: the report was due before today and has not been sent (none yet, in progress or returned)."""
    outstanding = Q(report__isnull=True) | Q(report__status__in=REPORT_OUTSTANDING)
    overdue = Q(status__in=REPORTING, report_due_on__lt=today) & outstanding
    return awards.annotate(is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))


def award_get_for_user(*, user, pk: int) -> Award:
    """One award with what its pages show; 404 when the person may not see it (another organisation's)."""
    award = with_overdue(_awards(), today=timezone.localdate()).filter(pk=pk).first()
    if award is None or not user.has_perm("grants.view_award", award):
        raise Http404("No such award")
    return award


def award_list(
    *, round: GrantRound | None = None, status: str = "", overdue: bool = False, today: dt.date | None = None
) -> QuerySet[Award]:
    """Every award for the officers' list, newest first, filtered; one query for a page of any length."""
    awards = with_overdue(_awards(), today=today or timezone.localdate())
    if round is not None:
        awards = awards.filter(application__round=round)
    if status:
        awards = awards.filter(status=status)
    if overdue:
        awards = awards.filter(is_overdue=True)
    return awards.order_by("-awarded_on", "-id")


def rounds_with_awards() -> QuerySet[GrantRound]:
    return GrantRound.objects.filter(applications__award__isnull=False).distinct().order_by("-opens_at")


@dataclass(frozen=True)
class AwardMoney:
    commitments: list
    schedule: list
    payments: list
    repayments: list

    @property
    def paid(self) -> Decimal:
        return sum((to_money(p.amount) for p in self.payments), start=ZERO)


def award_money(*, award: Award) -> AwardMoney:
    """The award's commitment, payment schedule, payments and repayments, from the funds app."""
    if award.agreement_id is None:
        return AwardMoney(commitments=[], schedule=[], payments=[], repayments=[])
    commitments = list(fund_selectors.commitments_for_agreement(agreement=award.agreement))
    schedule, repayments = [], []
    for commitment in commitments:
        schedule += list(fund_selectors.schedule_for(commitment=commitment))
        repayments += list(fund_selectors.repayments_for(commitment=commitment))
    payments = list(fund_selectors.payments_for(agreement=award.agreement))
    return AwardMoney(commitments=commitments, schedule=schedule, payments=payments, repayments=repayments)


def award_commitment(*, award: Award):
    """The commitment the award is paid from: the round's fund in the round's year."""
    if award.agreement_id is None:
        return None
    round = award.application.round
    commitments = fund_selectors.commitments_for_agreement(agreement=award.agreement)
    return commitments.filter(fund=round.fund, year=round.year).first() or commitments.first()


def award_log(*, award: Award) -> list:
    """The award's activity log, with its end-of-grant report's."""
    logs = [history_entries(award.history.all(), what=_award_what)]
    report = getattr(award, "report", None) if _has_report(award) else None
    if report is not None:
        logs.append(history_entries(report.history.all(), subject=lambda row: "end-of-grant report"))
    return newest_first(*logs)


def _has_report(award: Award) -> bool:
    try:
        award.report  # noqa: B018 -- the reverse one-to-one raises when there is none
    except EndOfGrantReport.DoesNotExist:
        return False
    return True


def award_report(award: Award) -> EndOfGrantReport | None:
    return award.report if _has_report(award) else None


def _award_what(row) -> str:
    reason = row.history_change_reason or ""
    if reason.startswith(REMINDER_REASON):
        return "Reminder sent about the end-of-grant report"
    return {"+": "Award offered", "-": "Award deleted"}.get(row.history_type, "Award changed")


# --- Reminders -------------------------------------------------------------------------------------------


def awards_owing_reports() -> QuerySet[Award]:
    """Awards whose end-of-grant report has not been sent: none yet, in progress or returned."""
    outstanding = Q(report__isnull=True) | Q(report__status__in=REPORT_OUTSTANDING)
    return _awards().filter(outstanding, status__in=REPORTING).order_by("report_due_on", "id")


def reminder_reason(*, day: dt.date, words: str) -> str:
    """The history reason that records a reminder, naming the day it was for (so a re-run finds it)."""
    return f"{REMINDER_REASON} for {day.isoformat()}: report {words}"


def award_ids_reminded_on(*, day: dt.date) -> set[int]:
    """Awards that have had their report reminder for `day`, read from their history. One query."""
    return set(
        Award.history.filter(history_change_reason__startswith=f"{REMINDER_REASON} for {day.isoformat()}")
        .values_list("id", flat=True)
        .distinct()
    )


# Open data: every grant by every route is in selectors/open_data.py (grants_made).
