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
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.accounts.roles import Role
from commissioning.core import mail, uploads
from commissioning.core.dates import long_date
from commissioning.core.money import format_money, to_money
from commissioning.core.services import attribute, require
from commissioning.grants.models import Application, ApplicationBudgetLine, Attachment, GrantRound
from commissioning.grants.selectors import applications as application_selectors
from commissioning.grants.selectors.rounds import closed_message, round_is_open
from commissioning.grants.services.rounds import save
from commissioning.organisations.identifiers import normalise_charity_number, normalise_company_number
from commissioning.organisations.models import Organisation

UPLOAD_SETTING = "APPLICATION_UPLOAD_MAX_BYTES"
REFERENCE_ATTEMPTS = 5
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


class NotEligible(ValidationError):
    """An eligibility question was answered the way that stops an application; `reasons` says why."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(reasons)


# --- Registering ---------------------------------------------------------------------------------------------


def _identifier_errors(organisation: Organisation) -> dict:
    """No two organisations with the same registered number; an applicant cannot take over another's record."""
    if not (organisation.charity_number or organisation.company_number):
        return {}
    field = "charity_number" if organisation.charity_number else "company_number"
    label = "charity number" if organisation.charity_number else "company number"
    others = Organisation.objects.exclude(pk=organisation.pk).filter(org_id=organisation.compute_org_id())
    if others.exists():
        return {
            field: f"An organisation with this {label} is already registered. Check the number, or ask the person "
            "who registered your organisation to invite you"
        }
    return {}


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
) -> User:
    """A voluntary or community organisation creates its account: an organisation (kind VCSE) and its first
    applicant. Open to anyone, as the public may apply to open rounds (DOMAIN.md, "Who uses it"). A welcome
    e-mail is sent once saved."""
    errors: dict = {}
    if organisation_type not in OrganisationType.LABELS:
        errors["organisation_type"] = "Select the type of organisation"
    organisation = Organisation(
        name=(organisation_name or "").strip(),
        kind=Organisation.Kind.VCSE,
        description=OrganisationType.LABELS.get(organisation_type, ""),
        charity_number=normalise_charity_number(charity_number),
        company_number=normalise_company_number(company_number),
    )
    if not organisation.name:
        errors["organisation_name"] = "Enter the name of your organisation"
    try:
        organisation.full_clean(exclude=["name", "org_id"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    errors = {**_identifier_errors(organisation), **errors}

    email = (email or "").strip().lower()
    user = User(email=email, display_name=(name or "").strip(), role=Role.APPLICANT)
    if not user.display_name:
        errors["name"] = "Enter your full name"
    if not email:
        errors["email"] = "Enter your e-mail address"
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = "There is already an account with this e-mail address. Sign in instead"
    else:
        try:
            user.full_clean(exclude=["password", "organisation", "display_name"], validate_constraints=False)
        except ValidationError as exc:
            if "email" in exc.message_dict:
                errors["email"] = "Enter an e-mail address in the correct format, like name@example.com"
    if not password:
        errors["password"] = "Enter a password"
    else:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)

    organisation._change_reason = "Registered to apply for a grant"
    organisation.save()
    user.organisation = organisation
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user._change_reason = "Registered to apply for a grant"
    user.save()

    def send():
        body = render_to_string(
            "grants/apply/email/welcome.txt",
            {
                "user": user,
                "organisation": organisation,
                "service_name": settings.SERVICE_NAME,
                "link": settings.SITE_URL + reverse("grants:application_list_mine"),
            },
        )
        mail.send(f"Your account with {settings.SERVICE_NAME}", body, [user.email])

    transaction.on_commit(send)
    return user


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
    save(application, actor=actor, reason="Application started")
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
    organisation = Organisation.objects.select_for_update().get(pk=application.organisation_id)
    organisation.address = (address or "").strip()
    organisation.postcode = re.sub(r"\s+", " ", (postcode or "").strip().upper())
    organisation.charity_number = normalise_charity_number(charity_number)
    organisation.company_number = normalise_company_number(company_number)
    errors = {}
    if not organisation.address:
        errors["address"] = "Enter your organisation's address"
    if not organisation.postcode:
        errors["postcode"] = "Enter your organisation's postcode"
    elif not re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", organisation.postcode):
        errors["postcode"] = "Enter a real postcode, like BH15 1AA"
    errors = {**_identifier_errors(organisation), **errors}
    save(organisation, actor=actor, reason=f"Confirmed for application {application.pk}", errors=errors)
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


def _next_reference(prefix: str) -> str:
    last = Application.objects.filter(reference__regex=rf"^{re.escape(prefix)}[0-9]+$").aggregate(
        number=Max(Cast(Substr("reference", len(prefix) + 1), IntegerField()))
    )["number"]
    return f"{prefix}{(last or 0) + 1:04d}"


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
    for attempt in range(REFERENCE_ATTEMPTS):
        application.reference = _next_reference(prefix)
        try:
            with transaction.atomic():
                save(application, actor=actor, reason="Application submitted", exclude=["reference"])
        except IntegrityError:
            # Another application took this number a moment ago: the unique reference refuses it; try the next.
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
        else:
            break
    transaction.on_commit(lambda: _acknowledge(application, actor))
    return application
