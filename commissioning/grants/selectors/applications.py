"""Reads about applications, scoped to what the person may see, each list in a fixed number of queries.

An applicant sees only their own organisation's applications; OPCC staff and auditors see all
(permissions/apply.py). Anything else is a 404, so a record's existence is not given away.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from commissioning.accounts.rules import is_applicant
from commissioning.core.history import HistoryEntry, history_entries, history_for, newest_first
from commissioning.grants.models import Application, ApplicationBudgetLine, Attachment, GrantRound
from commissioning.grants.permissions.apply import can_view_all_applications
from commissioning.strategy import selectors as strategy_selectors

# The documents every application needs (issue 5, point 2).
REQUIRED_ATTACHMENTS = (
    Attachment.Kind.CONSTITUTION,
    Attachment.Kind.ACCOUNTS,
    Attachment.Kind.SAFEGUARDING,
)
NOT_STARTED, IN_PROGRESS, COMPLETED, CANNOT_START = "Not started", "In progress", "Completed", "Cannot start yet"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str


# The task list, in order (GOV.UK task list pattern). The last task, check answers and submit, is its own page.
SECTIONS = (
    Section("organisation", "Organisation details"),
    Section("project", "Your project"),
    Section("priorities", "Plan priorities"),
    Section("budget", "Budget"),
    Section("attachments", "Attachments"),
)
SECTION_TITLES = {section.slug: section.title for section in SECTIONS}


@dataclass(frozen=True)
class Task:
    slug: str
    title: str
    status: str

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED


# --- Scoping -------------------------------------------------------------------------------------------------


def applications_visible_to(user) -> QuerySet[Application]:
    if can_view_all_applications(user):
        return Application.objects.all()
    if is_applicant(user) and user.organisation_id:
        return Application.objects.filter(organisation_id=user.organisation_id)
    return Application.objects.none()


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} {pk} for this user") from exc


def _full(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """An application with everything a page about it shows: 5 queries however many lines or files."""
    return queryset.select_related(
        "round__scheme", "round__terms", "organisation", "created_by", "round__year", "round__fund"
    ).prefetch_related(
        "priorities__pillar",
        Prefetch("budget_lines", queryset=ApplicationBudgetLine.objects.order_by("order", "id")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by").order_by("kind", "id")),
        "round__eligibility_questions",
    )


def application_get_for_user(*, user, pk) -> Application:
    """The application with its round, scheme, organisation, lines, files and priorities, or 404."""
    return _get_or_404(_full(applications_visible_to(user)), pk)


def attachment_get_for_user(*, user, application_pk, pk) -> Attachment:
    queryset = Attachment.objects.select_related("application__organisation", "application__round").filter(
        application__in=applications_visible_to(user), application_id=application_pk
    )
    return _get_or_404(queryset, pk)


def application_existing(*, organisation, grant_round: GrantRound) -> Application | None:
    """The organisation's application to the round, if it has one that was not withdrawn."""
    return (
        Application.objects.filter(organisation=organisation, round=grant_round)
        .exclude(status=Application.Status.WITHDRAWN)
        .first()
    )


# --- Lists ---------------------------------------------------------------------------------------------------


def application_list_for_staff(*, round_id=None, status: str = "") -> QuerySet[Application]:
    """Every application (drafts included only when asked by status), newest first. One query a page."""
    applications = Application.objects.select_related("round__scheme", "organisation").order_by(
        "-submitted_at", "-created_at", "-id"
    )
    if round_id:
        applications = applications.filter(round_id=round_id)
    if status:
        applications = applications.filter(status=status)
    return applications


def application_list_for_applicant(*, user) -> QuerySet[Application]:
    """The applicant's organisation's applications, newest first. One query a page."""
    return (
        applications_visible_to(user)
        .filter(organisation_id=user.organisation_id)
        .select_related("round__scheme")
        .order_by("-created_at", "-id")
    )


# --- The task list -------------------------------------------------------------------------------------------


def _budget_total(application: Application) -> Decimal:
    return sum((line.amount for line in application.budget_lines.all()), Decimal("0.00"))


def section_status(application: Application, slug: str) -> str:
    """Not started, In progress or Completed for one section (uses the prefetches of application_get_for_user)."""
    organisation = application.organisation
    if slug == "organisation":
        filled = [bool(organisation.address.strip()), bool(organisation.postcode.strip())]
    elif slug == "project":
        filled = [
            bool(application.project_title),
            bool(application.summary),
            application.beneficiaries_expected is not None,
            bool(application.outcomes),
            application.starts_on is not None,
            application.ends_on is not None,
        ]
    elif slug == "priorities":
        filled = [bool(application.priorities.all())]
    elif slug == "budget":
        scheme = application.round.scheme
        amount = application.amount_requested
        lines = list(application.budget_lines.all())
        if amount is None and not lines:
            return NOT_STARTED
        complete = (
            amount is not None
            and scheme.min_award <= amount <= scheme.max_award
            and bool(lines)
            and _budget_total(application) == amount
        )
        return COMPLETED if complete else IN_PROGRESS
    elif slug == "attachments":
        kinds = {attachment.kind for attachment in application.attachments.all()}
        filled = [kind in kinds for kind in REQUIRED_ATTACHMENTS]
    else:
        raise ValueError(f"Unknown section {slug!r}")
    if all(filled):
        return COMPLETED
    return IN_PROGRESS if any(filled) else NOT_STARTED


def application_tasks(application: Application) -> list[Task]:
    tasks = [Task(s.slug, s.title, section_status(application, s.slug)) for s in SECTIONS]
    ready = all(task.completed for task in tasks)
    tasks.append(Task("check", "Check answers and submit", NOT_STARTED if ready else CANNOT_START))
    return tasks


def application_incomplete_sections(application: Application) -> list[Section]:
    return [s for s in SECTIONS if section_status(application, s.slug) != COMPLETED]


def missing_attachments(application: Application) -> list[str]:
    kinds = {attachment.kind for attachment in application.attachments.all()}
    return [Attachment.Kind(kind).label for kind in REQUIRED_ATTACHMENTS if kind not in kinds]


def budget_total(application: Application) -> Decimal:
    return _budget_total(application)


def application_history(application: Application, *, limit: int = 50) -> list[HistoryEntry]:
    """The application's activity log with its budget lines' and files' (removed ones included)."""
    return newest_first(
        history_for(application, limit=limit),
        history_entries(
            ApplicationBudgetLine.history.filter(application_id=application.pk),
            subject=lambda row: f"budget line {row.item}",
            limit=limit,
        ),
        history_entries(
            Attachment.history.filter(application_id=application.pk),
            subject=lambda row: f"file {row.original_name}",
            limit=limit,
        ),
        limit=limit,
    )


# --- What a page shows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str


def eligibility_answers(application: Application) -> list[Answer]:
    """Each eligibility question with the answer given (uses the round's prefetched questions)."""
    answers = application.eligibility_answers or {}
    shown = []
    for question in application.round.eligibility_questions.all():
        given = answers.get(str(question.pk))
        shown.append(Answer(question.text, "Not answered" if given is None else ("Yes" if given else "No")))
    return shown


def plan_priorities():
    """The current Police and Crime Plan's priorities, in pillar order (3 queries), or an empty list."""
    plan = strategy_selectors.plan_current()
    if plan is None:
        return []
    return [priority for pillar in plan.pillars.all() for priority in pillar.priorities.all()]
