"""Every write to organisations, contacts, partnership boards and non-financial commissioning activities.

Each function checks the actor's permission (rules.py), runs in one transaction, validates with
full_clean before saving and leaves who and why on the history row (django-simple-history).
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from commissioning.accounts import selectors as account_selectors
from commissioning.accounts import services as account_services
from commissioning.core import mail
from commissioning.core.services import attribute, require, save_with_history
from commissioning.organisations.identifiers import normalise_charity_number, normalise_company_number
from commissioning.organisations.models import (
    AreaOfInterest,
    BoardMeeting,
    Contact,
    NonFinancialActivity,
    Organisation,
    PartnershipBoard,
)

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "description",
    "charity_register",
    "charity_number",
    "company_number",
    "other_org_id",
    "address",
    "postcode",
    "website",
    "email",
    "phone",
    "is_active",
    "code",
)
CONTACT_FIELDS = ("name", "job_title", "email", "phone", "is_primary")
BOARD_FIELDS = ("name", "purpose", "chair", "meeting_frequency", "opcc_representative", "is_active")
ACTIVITY_FIELDS = ("kind", "title", "description", "occurred_on", "board", "intended_outcome", "outcome")


def _assign(instance, data: dict, allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Cannot set {sorted(unknown)} on {type(instance).__name__}")
    for name, value in data.items():
        setattr(instance, name, value)


def _validate(instance, errors: dict, *, validate_constraints: bool = True) -> None:
    """full_clean, raising its errors together with any the service found first.

    validate_constraints=False where the service's own rule states a constraint in words people can act on.
    """
    try:
        instance.full_clean(validate_constraints=validate_constraints)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


# Organisations ------------------------------------------------------------------------------------------


def _normalise_identifiers(organisation: Organisation) -> None:
    organisation.charity_number = normalise_charity_number(organisation.charity_number)
    organisation.company_number = normalise_company_number(organisation.company_number)
    organisation.other_org_id = (organisation.other_org_id or "").strip().upper()


def _organisation_rule_errors(organisation: Organisation) -> dict:
    """Rules that need other rows: one OPCC, and no two organisations with the same registered identifier."""
    errors = {}
    others = Organisation.objects.exclude(pk=organisation.pk)
    if organisation.kind == Organisation.Kind.OPCC and others.filter(kind=Organisation.Kind.OPCC).exists():
        errors["kind"] = ["The OPCC is already in the directory. Choose another type of organisation"]
    for field_name, label in (
        ("charity_number", "charity number"),
        ("company_number", "Companies House number"),
        ("other_org_id", "identifier"),
    ):
        if getattr(organisation, field_name):
            org_id = organisation.compute_org_id()
            duplicate = others.filter(org_id=org_id).only("name").first()
            if duplicate:
                errors[field_name] = [
                    f"{duplicate.name} already has this {label}. Check the number or edit {duplicate.name} instead"
                ]
            break  # only the identifier that makes the org-id can clash
    return errors


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    kind: str,
    description: str = "",
    charity_register: str = Organisation.CharityRegister.ENGLAND_WALES,
    charity_number: str = "",
    company_number: str = "",
    other_org_id: str = "",
    address: str = "",
    postcode: str = "",
    website: str = "",
    email: str = "",
    phone: str = "",
    areas_of_interest: Iterable[AreaOfInterest] = (),
    code: str | None = None,
    is_active: bool = True,
    reason: str = "",
) -> Organisation:
    """Add an organisation to the directory; its org-id is derived from its identifiers (identifiers.py)."""
    require(actor, "organisations.change_organisation")
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        description=description,
        charity_register=charity_register or "",
        charity_number=charity_number,
        company_number=company_number,
        other_org_id=other_org_id,
        address=address,
        postcode=postcode.strip().upper(),
        website=website,
        email=email,
        phone=phone,
        code=code or None,
        is_active=is_active,
    )
    _normalise_identifiers(organisation)
    # One OPCC (a constraint) is checked by _organisation_rule_errors with a message naming the fix.
    _validate(organisation, _organisation_rule_errors(organisation), validate_constraints=False)
    attribute(organisation, actor=actor, reason=reason)
    organisation.save()
    areas = list(areas_of_interest)
    if areas:
        organisation.areas_of_interest.set(areas)
    return organisation


# An organisation registering itself (an applicant's), with no one's permission needed ------------------------

UK_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}")


def _registration_identifier_errors(organisation: Organisation) -> dict:
    """No two organisations with the same registered number; a registrant cannot take over another's record."""
    if not (organisation.charity_number or organisation.company_number):
        return {}
    field_name = "charity_number" if organisation.charity_number else "company_number"
    label = "charity number" if organisation.charity_number else "company number"
    if Organisation.objects.exclude(pk=organisation.pk).filter(org_id=organisation.compute_org_id()).exists():
        return {
            field_name: f"An organisation with this {label} is already registered. Check the number, or ask the "
            "person who registered your organisation to invite you"
        }
    return {}


def _registering(*, name, kind, description, charity_number, company_number) -> Organisation:
    return Organisation(
        name=(name or "").strip(),
        kind=kind,
        description=description,
        charity_number=normalise_charity_number(charity_number),
        company_number=normalise_company_number(company_number),
    )


def registration_problems(*, name: str, kind: str, description: str, charity_number: str, company_number: str) -> dict:
    """What is wrong with an organisation registering itself, by field (name, charity_number, company_number)."""
    organisation = _registering(
        name=name, kind=kind, description=description, charity_number=charity_number, company_number=company_number
    )
    errors = {}
    if not organisation.name:
        errors["name"] = "Enter the name of your organisation"
    try:
        organisation.full_clean(exclude=["name", "org_id"], validate_constraints=False)
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            errors.setdefault(field_name, messages)
    return {**_registration_identifier_errors(organisation), **errors}


def organisation_register(
    *, name: str, kind: str, description: str, charity_number: str, company_number: str, reason: str
) -> Organisation:
    """Add an organisation that registers itself (to apply for a grant, say): open to the public, so no
    permission is checked; registration_problems says what must be put right first."""
    errors = registration_problems(
        name=name, kind=kind, description=description, charity_number=charity_number, company_number=company_number
    )
    if errors:
        raise ValidationError(errors)
    organisation = _registering(
        name=name, kind=kind, description=description, charity_number=charity_number, company_number=company_number
    )
    attribute(organisation, actor=None, reason=reason)
    organisation.save()
    return organisation


# --- Registering with a first account (grant applicants, suppliers) ---------------------------------------------


@dataclass(frozen=True)
class SelfRegistration:
    """One route's registration of an organisation with its first person: the role and kind of organisation it
    creates, the reason on their history, the URL name of the confirmation link and its two e-mails (the
    confirmation's subject is formatted with `service_name`)."""

    role: str
    kind: str
    reason: str
    confirm_url_name: str
    welcome_template: str
    welcome_subject: str
    already_registered_template: str


def _confirm_link(route: SelfRegistration, user, next_url: str = "") -> str:
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return account_services.registration_confirm_link(user, route.confirm_url_name, query)


def registration_confirmation_send(route: SelfRegistration, user, *, next_url: str = "") -> None:
    """E-mail a newly registered person the link that opens their account (once the transaction commits)."""

    def send():
        body = render_to_string(
            route.welcome_template,
            {
                "user": user,
                "organisation": user.organisation,
                "service_name": settings.SERVICE_NAME,
                "link": _confirm_link(route, user, next_url),
            },
        )
        mail.send(route.welcome_subject.format(service_name=settings.SERVICE_NAME), body, [user.email])

    transaction.on_commit(send)


def registration_already_made_send(route: SelfRegistration, user, *, next_url: str = "") -> None:
    """Someone registered with an address that has an account: tell its owner, not the person registering (an
    account of the route's role never confirmed gets a new confirmation link instead)."""
    if user.role == route.role and account_services.registration_unconfirmed(user):
        registration_confirmation_send(route, user, next_url=next_url)
        return

    def send():
        body = render_to_string(
            route.already_registered_template,
            {
                "user": user,
                "service_name": settings.SERVICE_NAME,
                "sign_in_link": settings.SITE_URL + reverse("accounts:login"),
                "reset_link": settings.SITE_URL + reverse("accounts:password_reset"),
            },
        )
        mail.send(f"You already have an account with {settings.SERVICE_NAME}", body, [user.email])

    transaction.on_commit(send)


def self_register(
    route: SelfRegistration,
    *,
    organisation_name: str,
    description: str,
    charity_number: str,
    company_number: str,
    name: str,
    email: str,
    password: str,
    next_url: str = "",
    errors: dict | None = None,
):
    """An organisation registers itself with its first person's account, open to anyone; runs inside the route's
    transaction. `errors` holds the route's own problems with the input (reported first, with the organisation's
    and the account's).

    The answer never says whether an e-mail address already has an account: when it has, nothing is created and
    its owner is e-mailed instead (registration_already_made_send). A new account waits, unable to sign in, until
    the link e-mailed to it is followed. Returns the new person, or None when the address was taken."""
    organisation_fields = {
        "name": organisation_name,
        "kind": route.kind,
        "description": description,
        "charity_number": charity_number,
        "company_number": company_number,
    }
    errors = dict(errors or {})
    for field, messages in registration_problems(**organisation_fields).items():
        errors.setdefault("organisation_name" if field == "name" else field, messages)
    errors.update(account_services.registration_problems(email=email, display_name=name, password=password))
    if errors:
        raise ValidationError(errors)
    existing = account_selectors.user_with_email(email)
    if existing is not None:
        registration_already_made_send(route, existing, next_url=next_url)
        return None
    try:
        with transaction.atomic():  # the same address registered twice at the same moment: the second is "taken"
            organisation = organisation_register(**organisation_fields, reason=route.reason)
            user = account_services.registration_create(
                email=email,
                display_name=name,
                password=password,
                role=route.role,
                organisation=organisation,
                reason=f"{route.reason}; waiting for the e-mail address to be confirmed",
            )
            if user is None:
                raise IntegrityError("the address was registered a moment ago")
    except IntegrityError:
        return None
    registration_confirmation_send(route, user, next_url=next_url)
    return user


@transaction.atomic
def organisation_details_confirm(
    *,
    actor,
    organisation: Organisation,
    address: str,
    postcode: str,
    charity_number: str,
    company_number: str,
    reason: str,
    errors: dict | None = None,
) -> Organisation:
    """A member of the organisation confirms or corrects its registered numbers and address (address and a real UK
    postcode required). The caller has checked that `actor` acts for the organisation; `errors` are the caller's
    own problems, reported together with these."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.address = (address or "").strip()
    organisation.postcode = re.sub(r"\s+", " ", (postcode or "").strip().upper())
    organisation.charity_number = normalise_charity_number(charity_number)
    organisation.company_number = normalise_company_number(company_number)
    errors = dict(errors or {})
    if not organisation.address:
        errors["address"] = "Enter your organisation's address"
    if not organisation.postcode:
        errors["postcode"] = "Enter your organisation's postcode"
    elif not UK_POSTCODE.fullmatch(organisation.postcode):
        errors["postcode"] = "Enter a real postcode, like BH15 1AA"
    errors = {**_registration_identifier_errors(organisation), **errors}
    save_with_history(organisation, actor=actor, reason=reason, errors=errors, validate_constraints=False)
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict, reason: str = "") -> Organisation:
    """Change an organisation's details; `data` holds only the fields to change (and areas_of_interest)."""
    require(actor, "organisations.change_organisation", organisation)
    data = dict(data)
    areas = data.pop("areas_of_interest", None)
    _assign(organisation, data, ORGANISATION_FIELDS)
    organisation.name = organisation.name.strip()
    organisation.postcode = (organisation.postcode or "").strip().upper()
    _normalise_identifiers(organisation)
    # One OPCC (a constraint) is checked by _organisation_rule_errors with a message naming the fix.
    _validate(organisation, _organisation_rule_errors(organisation), validate_constraints=False)
    attribute(organisation, actor=actor, reason=reason)
    organisation.save()
    if areas is not None:
        organisation.areas_of_interest.set(list(areas))
    return organisation


# Contacts -----------------------------------------------------------------------------------------------


def _contact_rule_errors(contact: Contact) -> dict:
    if not (contact.email or contact.phone):
        return {"email": ["Enter an email address or a phone number for the contact"]}
    return {}


def _demote_other_main_contacts(contact: Contact, *, actor, reason: str) -> None:
    """An organisation has one main contact: choosing a new one demotes the old (with its own history row)."""
    for other in Contact.objects.filter(organisation_id=contact.organisation_id, is_primary=True).exclude(
        pk=contact.pk
    ):
        other.is_primary = False
        attribute(other, actor=actor, reason=reason)
        other.save(update_fields=["is_primary"])


@transaction.atomic
def contact_add(
    *,
    actor,
    organisation: Organisation,
    name: str,
    job_title: str = "",
    email: str = "",
    phone: str = "",
    is_primary: bool = False,
    reason: str = "",
) -> Contact:
    """Add a contact; the first contact of an organisation becomes its main contact."""
    require(actor, "organisations.change_organisation", organisation)
    is_first = not organisation.contacts.exists()
    contact = Contact(
        organisation=organisation,
        name=name.strip(),
        job_title=job_title,
        email=email,
        phone=phone,
        is_primary=is_primary or is_first,
    )
    # The one-main-contact constraint is met by demoting the old main contact just before saving.
    _validate(contact, _contact_rule_errors(contact), validate_constraints=False)
    if contact.is_primary:
        _demote_other_main_contacts(contact, actor=actor, reason=reason)
    attribute(contact, actor=actor, reason=reason)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, data: dict, reason: str = "") -> Contact:
    require(actor, "organisations.change_organisation", contact.organisation)
    _assign(contact, data, CONTACT_FIELDS)
    contact.name = contact.name.strip()
    # The one-main-contact constraint is met by demoting the old main contact just before saving.
    _validate(contact, _contact_rule_errors(contact), validate_constraints=False)
    if contact.is_primary:
        _demote_other_main_contacts(contact, actor=actor, reason=reason)
    attribute(contact, actor=actor, reason=reason)
    contact.save()
    return contact


@transaction.atomic
def contact_remove(*, actor, contact: Contact, reason: str = "") -> None:
    """Remove a contact. The history keeps who removed it and when."""
    require(actor, "organisations.change_organisation", contact.organisation)
    attribute(contact, actor=actor, reason=reason)
    contact.delete()


# Partnership boards -------------------------------------------------------------------------------------


def _board_rule_errors(board: PartnershipBoard) -> dict:
    name = (board.name or "").strip()
    if name and PartnershipBoard.objects.exclude(pk=board.pk).filter(name__iexact=name).exists():
        return {"name": [f"There is already a board called {name}. Enter a different name"]}
    return {}


@transaction.atomic
def board_create(
    *,
    actor,
    name: str,
    purpose: str,
    chair: Organisation | None = None,
    members: Iterable[Organisation] = (),
    priorities: Iterable = (),
    meeting_frequency: str = "",
    opcc_representative: str = "",
    reason: str = "",
) -> PartnershipBoard:
    """Record a partnership group or board OPCC staff sit on (seed, Section 5)."""
    require(actor, "organisations.change_board")
    board = PartnershipBoard(
        name=name.strip(),
        purpose=purpose,
        chair=chair,
        meeting_frequency=meeting_frequency,
        opcc_representative=opcc_representative,
    )
    _validate(board, _board_rule_errors(board))
    attribute(board, actor=actor, reason=reason)
    board.save()
    board.members.set(list(members))
    board.priorities.set(list(priorities))
    return board


@transaction.atomic
def board_update(*, actor, board: PartnershipBoard, data: dict, reason: str = "") -> PartnershipBoard:
    """Change a board's details; `data` may include members and priorities to replace them."""
    require(actor, "organisations.change_board", board)
    data = dict(data)
    members = data.pop("members", None)
    priorities = data.pop("priorities", None)
    _assign(board, data, BOARD_FIELDS)
    board.name = board.name.strip()
    _validate(board, _board_rule_errors(board))
    attribute(board, actor=actor, reason=reason)
    board.save()
    if members is not None:
        board.members.set(list(members))
    if priorities is not None:
        board.priorities.set(list(priorities))
    return board


@transaction.atomic
def board_meeting_record(
    *, actor, board: PartnershipBoard, held_on: dt.date, notes: str, actions: str = ""
) -> BoardMeeting:
    """Record a meeting that has taken place, with its notes and the actions agreed."""
    require(actor, "organisations.change_board", board)
    meeting = BoardMeeting(board=board, held_on=held_on, notes=notes, actions=actions, recorded_by=actor)
    errors = {}
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = ["The date of the meeting must be today or in the past"]
    _validate(meeting, errors)
    attribute(meeting, actor=actor)
    meeting.save()
    return meeting


# Non-financial commissioning activities -----------------------------------------------------------------


def _activity_rule_errors(activity: NonFinancialActivity, *, partners, priorities) -> dict:
    """Seed, Section 3 and DOMAIN.md: activities are recorded with partners and linked to plan priorities."""
    errors = {}
    if partners is not None and not partners:
        errors["partners"] = ["Select at least one partner organisation"]
    if priorities is not None and not priorities:
        errors["priorities"] = ["Select at least one Police and Crime Plan priority"]
    if activity.occurred_on and activity.occurred_on > timezone.localdate():
        errors["occurred_on"] = ["The date of the activity must be today or in the past"]
    return errors


@transaction.atomic
def non_financial_activity_record(
    *,
    actor,
    kind: str,
    title: str,
    description: str,
    occurred_on: dt.date,
    partners: Iterable[Organisation],
    priorities: Iterable,
    objectives: Iterable = (),
    board: PartnershipBoard | None = None,
    intended_outcome: str = "",
    outcome: str = "",
    reason: str = "",
) -> NonFinancialActivity:
    """Record influence, partnership working, political support or challenge (seed, Section 3)."""
    require(actor, "organisations.change_activity")
    partners, priorities = list(partners or ()), list(priorities or ())
    activity = NonFinancialActivity(
        kind=kind,
        title=title.strip(),
        description=description,
        occurred_on=occurred_on,
        board=board,
        intended_outcome=intended_outcome,
        outcome=outcome,
        recorded_by=actor,
    )
    _validate(activity, _activity_rule_errors(activity, partners=partners, priorities=priorities))
    attribute(activity, actor=actor, reason=reason)
    activity.save()
    activity.partners.set(partners)
    activity.priorities.set(priorities)
    activity.objectives.set(list(objectives or ()))
    return activity


@transaction.atomic
def non_financial_activity_update(
    *, actor, activity: NonFinancialActivity, data: dict, reason: str = ""
) -> NonFinancialActivity:
    """Change an activity; partners and priorities, when given, must still name at least one of each."""
    require(actor, "organisations.change_activity", activity)
    data = dict(data)
    partners = list(data.pop("partners")) if "partners" in data else None
    priorities = list(data.pop("priorities")) if "priorities" in data else None
    objectives = data.pop("objectives", None)
    _assign(activity, data, ACTIVITY_FIELDS)
    activity.title = activity.title.strip()
    _validate(activity, _activity_rule_errors(activity, partners=partners, priorities=priorities))
    attribute(activity, actor=actor, reason=reason)
    activity.save()
    if partners is not None:
        activity.partners.set(partners)
    if priorities is not None:
        activity.priorities.set(priorities)
    if objectives is not None:
        activity.objectives.set(list(objectives))
    return activity
