"""Every write an applicant makes: registering, starting an application, each section, files, submitting
(issue 5, point 2).

The Community Grant Scheme is for voluntary and community organisations, for projects meeting at least one
Police and Crime Plan priority, for amounts within the scheme's limits (Dorset: £100 to £3,000; seed,
Section 3). Limits come from the scheme (configuration), never from constants here.

Each section is saved as the applicant goes (save and return). A change is refused, with the reason, once
the round has closed; nothing is half-saved: every rule is checked before anything is written. Status
changes: draft -> submitted here; the later states belong to assessment and decisions.
"""

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts import services as account_services
from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.core import mail, uploads
from commissioning.core.dates import long_date
from commissioning.core.money import format_money, to_money
from commissioning.core.services import attribute, require, save_with_reference
from commissioning.grants.models import Application, ApplicationBudgetLine, Attachment, GrantRound
from commissioning.grants.selectors import applications as application_selectors
from commissioning.grants.selectors.rounds import closed_message, round_is_open
from commissioning.grants.services.rounds import save
from commissioning.organisations import services as organisation_services
from commissioning.organisations.models import Organisation

UPLOAD_SETTING = "APPLICATION_UPLOAD_MAX_BYTES"
BUDGET_LINE_LIMIT = 8
PROJECT_FIELDS = ("project_title", "summary", "beneficiaries_expected", "outcomes", "starts_on", "ends_on")
PRIORITY_REQUIRED = "Select at least one Police and Crime Plan priority the project meets"


class OrganisationType:
    """What kind of voluntary or community organisation is registering (kept as its description)."""

    CHARITY = "charity"
    CIC = "cic"
    COMMUNITY_GROUP = "community_group"
    OTHER = "other"
    CHOICES = (
        (CHARITY, "Registered charity or charitable incorporated organisation (CIO)"),
        (CIC, "Community interest company"),
        (COMMUNITY_GROUP, "Constituted community group"),
        (OTHER, "Other voluntary or community organisation"),
    )
    LABELS = dict(CHOICES)


REGISTRATION = organisation_services.SelfRegistration(
    role=Role.APPLICANT,
    kind=Organisation.Kind.VCSE,
    reason="Registered to apply for a grant",
    confirm_url_name="grants:applicant_confirm",
    welcome_template="grants/apply/email/welcome.txt",
    welcome_subject="Confirm your account with {service_name}",
    already_registered_template="grants/apply/email/already_registered.txt",
)


class NotEligible(ValidationError):
    """An eligibility question was answered the way that stops an application; `reasons` says why."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(reasons)


# --- Registering ---------------------------------------------------------------------------------------------


@transaction.atomic
def applicant_register(
    *,
    organisation_name: str,
    organisation_type: str,
    name: str,
    email: str,
    password: str,
    charity_number: str = "",
    company_number: str = "",
    next_url: str = "",
) -> User | None:
    """A voluntary or community organisation creates its account: an organisation (kind VCSE) and its first
    applicant, through the organisations and accounts services. Open to anyone, as the public may apply to open
    rounds (DOMAIN.md, "Who uses it").

    The answer never says whether an e-mail address already has an account (issue 9): either way the person is
    told to check their e-mail. A new account waits, unable to sign in, until the link e-mailed to it is followed
    (applicant_confirm), which proves the address is theirs. When the address already has an account, nothing is
    created and its owner is e-mailed instead, with links to sign in or reset their password (or, for an account
    never confirmed, a new confirmation link). Returns the new person, or None when the address was taken."""
    errors = {}
    if organisation_type not in OrganisationType.LABELS:
        errors["organisation_type"] = "Select the type of organisation"
    return organisation_services.self_register(
        REGISTRATION,
        organisation_name=organisation_name,
        description=OrganisationType.LABELS.get(organisation_type, ""),
        charity_number=charity_number,
        company_number=company_number,
        name=name,
        email=email,
        password=password,
        next_url=next_url,
        errors=errors,
    )


@transaction.atomic
def applicant_confirm(*, uidb64: str, token: str) -> User | None:
    """Follow the link e-mailed on registering: the account opens and may sign in. None when the link is wrong,
    has expired (PASSWORD_RESET_TIMEOUT) or was used already."""
    return account_services.registration_confirm(uidb64=uidb64, token=token, role=Role.APPLICANT)


# --- Starting ------------------------------------------------------------------------------------------------


@transaction.atomic
def application_start(*, actor, grant_round: GrantRound, answers: dict) -> Application:
    """Start an application after the round's eligibility questions. `answers` maps each question's id to
    True (yes) or False (no). An answer other than the one a question requires stops the application with
    that question's message (NotEligible). One application per organisation per round."""
    require(actor, "grants.apply")
    if not round_is_open(grant_round):
        raise ValidationError(closed_message(grant_round, action="started"))
    questions = list(grant_round.eligibility_questions.all())
    errors = {f"question_{q.pk}": "Select yes or no" for q in questions if not isinstance(answers.get(q.pk), bool)}
    if errors:
        raise ValidationError(errors)
    reasons = [q.ineligible_message for q in questions if answers[q.pk] != q.required_answer]
    if reasons:
        raise NotEligible(reasons)
    if application_selectors.application_existing(organisation=actor.organisation, grant_round=grant_round):
        raise ValidationError(f"{actor.organisation.name} has already started an application to {grant_round.name}")
    application = Application(
        round=grant_round,
        organisation=actor.organisation,
        created_by=actor,
        status=Application.Status.DRAFT,
        eligibility_answers={str(q.pk): answers[q.pk] for q in questions},
    )
    try:
        with transaction.atomic():  # started twice at the same moment: the constraint refuses the second
            save(application, actor=actor, reason="Application started")
    except IntegrityError:
        raise ValidationError(
            f"{actor.organisation.name} has already started an application to {grant_round.name}"
        ) from None
    return application


# --- Sections ------------------------------------------------------------------------------------------------


def _editable(actor, application: Application, *, action: str = "changed") -> Application:
    """The applicant's own draft, fresh from the database and locked, in a round that is open now."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__scheme", "organisation")
        .get(pk=application.pk)
    )
    require(actor, "grants.change_application", application)
    if not round_is_open(application.round):
        raise ValidationError(closed_message(application.round, action=action))
    return application


def _touch(application: Application, *, actor, reason: str) -> None:
    """Record the change on the application's own log (and its updated_at)."""
    attribute(application, actor=actor, reason=reason)
    application.save(update_fields=["updated_at"])


@transaction.atomic
def application_organisation_update(
    *,
    actor,
    application: Application,
    address: str,
    postcode: str,
    charity_number: str = "",
    company_number: str = "",
) -> Organisation:
    """Confirm or correct the organisation's registered numbers and address (the organisation's record, so
    every application of the organisation shows the change)."""
    application = _editable(actor, application)
    organisation = organisation_services.organisation_details_confirm(
        actor=actor,
        organisation=application.organisation,
        address=address,
        postcode=postcode,
        charity_number=charity_number,
        company_number=company_number,
        reason=f"Confirmed for application {application.pk}",
    )
    _touch(application, actor=actor, reason="Organisation details confirmed")
    return organisation


PROJECT_REQUIRED = {
    "project_title": "Enter the project title",
    "summary": "Enter a summary of the project",
    "beneficiaries_expected": "Enter how many people the project expects to help",
    "outcomes": "Enter what the project will achieve",
    "starts_on": "Enter the date the project starts",
    "ends_on": "Enter the date the project ends",
}


@transaction.atomic
def application_project_update(
    *,
    actor,
    application: Application,
    project_title: str,
    summary: str,
    beneficiaries_expected: int | None,
    outcomes: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> Application:
    """The project: title, summary, people it expects to help (people, not contacts; DOMAIN.md), outcomes
    and dates."""
    application = _editable(actor, application)
    values = {
        "project_title": (project_title or "").strip(),
        "summary": (summary or "").strip(),
        "beneficiaries_expected": beneficiaries_expected,
        "outcomes": (outcomes or "").strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    errors = {field: message for field, message in PROJECT_REQUIRED.items() if values[field] in (None, "")}
    if beneficiaries_expected is not None and beneficiaries_expected < 1:
        errors["beneficiaries_expected"] = "Enter a number of people of 1 or more"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    else:
        # The grant is committed from the round's financial year, so the project must run during it.
        year = application.round.year.fy
        if starts_on and starts_on > year.ends_on:
            errors["starts_on"] = f"The project must start by {long_date(year.ends_on)}, within {year.label}"
        elif ends_on and ends_on < year.starts_on:
            errors["ends_on"] = f"The project must end on or after {long_date(year.starts_on)}, within {year.label}"
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(application, field, value)
    save(application, actor=actor, reason="Project details saved")
    return application


@transaction.atomic
def application_priorities_set(*, actor, application: Application, priorities: Iterable) -> Application:
    """The plan priorities the project meets: at least one (seed, Section 3, Community Grant Scheme)."""
    application = _editable(actor, application)
    priorities = list(priorities)
    if not priorities:
        raise ValidationError({"priorities": PRIORITY_REQUIRED})
    current = {p.pk for p in application_selectors.plan_priorities()}
    if any(p.pk not in current for p in priorities):
        raise ValidationError({"priorities": "Select priorities of the current Police and Crime Plan"})
    attribute(application, actor=actor, reason="Plan priorities saved")
    application.save(update_fields=["updated_at"])
    application.priorities.set(priorities)
    return application


def amount_errors(amount: Decimal | None, scheme) -> str | None:
    """The scheme's limits (configuration): 'Enter an amount of at least £100.00'."""
    if amount is None:
        return "Enter the amount you are asking for"
    if amount < scheme.min_award:
        return f"Enter an amount of at least {format_money(scheme.min_award)}"
    if amount > scheme.max_award:
        return f"Enter an amount of no more than {format_money(scheme.max_award)}"
    return None


def lines_message(total: Decimal, amount: Decimal) -> str:
    return (
        f"The budget lines add up to {format_money(total)}; they must add up to the amount requested, "
        f"{format_money(amount)}"
    )


@transaction.atomic
def application_budget_update(
    *,
    actor,
    application: Application,
    amount_requested,
    lines: Sequence[tuple[str, object]],
) -> Application:
    """The amount requested, within the scheme's limits, and what it is for: budget lines (item, amount) that
    add up to it exactly. `lines` are the form's rows in order; blank rows are ignored and the rest replace the
    saved lines. Errors name a row by its number (item_2, amount_2); `lines` is the rule across rows."""
    application = _editable(actor, application)
    errors: dict = {}
    try:
        amount = to_money(amount_requested) if amount_requested not in (None, "") else None
    except ValueError:
        amount, errors["amount_requested"] = None, "Enter an amount in pounds and pence, like 1250.50"
    message = amount_errors(amount, application.round.scheme) if "amount_requested" not in errors else None
    if message:
        errors["amount_requested"] = message
    cleaned: list[tuple[str, Decimal]] = []
    filled = 0
    for number, (item, line_amount) in enumerate(lines, start=1):
        item = (item or "").strip()
        if not item and line_amount in (None, ""):
            continue  # a blank row
        filled += 1
        if not item:
            errors[f"item_{number}"] = f"Enter what budget line {number} is for"
        elif len(item) > 200:
            errors[f"item_{number}"] = f"Budget line {number} must be 200 characters or fewer"
        try:
            value = to_money(line_amount) if line_amount not in (None, "") else None
        except ValueError:
            value = None
        if value is None or value <= 0:
            errors[f"amount_{number}"] = f"Enter an amount of more than £0.00 for budget line {number}"
        else:
            cleaned.append((item, value))
    if not filled:
        errors["lines"] = "Enter at least one budget line: what the money is for and how much"
    elif filled > BUDGET_LINE_LIMIT:
        errors["lines"] = f"Enter no more than {BUDGET_LINE_LIMIT} budget lines"
    elif amount is not None and len(cleaned) == filled:
        total = sum((value for _, value in cleaned), Decimal("0.00"))
        if total != amount:
            errors["lines"] = lines_message(total, amount)
    if errors:
        raise ValidationError(errors)
    application.amount_requested = amount
    save(application, actor=actor, reason="Budget saved")
    for line in application.budget_lines.all():
        attribute(line, actor=actor, reason="Budget saved")
        line.delete()
    for order, (item, value) in enumerate(cleaned, start=1):
        line = ApplicationBudgetLine(application=application, order=order, item=item, amount=value)
        save(line, actor=actor, reason="Budget saved")
    return application


@transaction.atomic
def application_attachment_add(*, actor, application: Application, kind: str, file) -> Attachment:
    """A supporting document: a PDF, Word, Excel, OpenDocument, PNG or JPEG file (checked by name and by
    content, core/uploads.py), smaller than the APPLICATION_UPLOAD_MAX_BYTES setting (10 MB by default)."""
    application = _editable(actor, application)
    errors = {}
    if kind not in Attachment.Kind.values:
        errors["kind"] = "Select the type of document"
    content_type = ""
    try:
        content_type = uploads.check_upload(file, max_bytes=uploads.max_upload_bytes(UPLOAD_SETTING))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    attachment = Attachment(
        application=application,
        kind=kind,
        file=file,
        original_name=os.path.basename(file.name or "")[:200],
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )
    save(attachment, actor=actor, reason=f"{Attachment.Kind(kind).label} added")
    return attachment


@transaction.atomic
def application_attachment_remove(*, actor, attachment: Attachment) -> None:
    """Remove a document from a draft. The history keeps who removed which file, and when."""
    _editable(actor, attachment.application)
    attribute(attachment, actor=actor, reason=f"{attachment.original_name} removed")
    attachment.delete()


# --- Submitting ----------------------------------------------------------------------------------------------


def reference_prefix(grant_round: GrantRound, year: int) -> str:
    """CGS-2026-: the scheme code's initials (community-grant-scheme) and the year of submission."""
    initials = "".join(part[0] for part in grant_round.scheme.code.split("-") if part).upper() or "APP"
    return f"{initials}-{year}-"


def _acknowledge(application: Application, actor) -> None:
    context = {
        "application": application,
        "user": actor,
        "service_name": settings.SERVICE_NAME,
        "link": settings.SITE_URL + reverse("grants:application_confirmation", args=[application.pk]),
    }
    body = render_to_string("grants/apply/email/acknowledgement.txt", context)
    recipients = sorted({actor.email, *([application.organisation.email] if application.organisation.email else [])})
    mail.send(f"Application {application.reference} received", body, recipients)


@transaction.atomic
def application_submit(
    *,
    actor,
    application: Application,
    declaration_name: str,
    declaration_role: str,
    confirmed: bool,
) -> Application:
    """Submit a complete application with the declaration, before the round closes. It gets its reference
    (CGS-2026-0001) and an acknowledgement e-mail is sent once saved."""
    application = _editable(actor, application, action="submitted")
    application = application_selectors.application_get_for_user(user=actor, pk=application.pk)
    errors = {}
    incomplete = application_selectors.application_incomplete_sections(application)
    if incomplete:
        errors["__all__"] = ["You have not finished these sections: " + ", ".join(s.title for s in incomplete)]
    if not (declaration_name or "").strip():
        errors["declaration_name"] = "Enter your full name"
    if not (declaration_role or "").strip():
        errors["declaration_role"] = "Enter your role in the organisation"
    if not confirmed:
        errors["confirmed"] = "Confirm that the declaration is true to submit the application"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    application.declaration_name = declaration_name.strip()
    application.declaration_role = declaration_role.strip()
    application.submitted_at = now
    application.status = Application.Status.SUBMITTED
    prefix = reference_prefix(application.round, timezone.localtime(now).year)
    save_with_reference(application, prefix=prefix, save=save, actor=actor, reason="Application submitted")
    transaction.on_commit(lambda: _acknowledge(application, actor))
    return application
