"""Logging an approach, triaging it (close, or invite a Proposal Form) and the Proposal Form itself."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.core.authority import acting_with_authority
from commissioning.core.money import format_money
from commissioning.core.services import require, save_with_history, save_with_reference
from commissioning.grants.models import Approach, ProposalForm
from commissioning.grants.services.notify import link, role_emails, send_on_commit
from commissioning.grants.services.proposals._common import (
    clean_text,
    lock_approach,
    money,
    status_error,
)
from commissioning.organisations import services as organisation_services
from commissioning.organisations.models import Organisation

# Logging and triage ---------------------------------------------------------------------------------------


@transaction.atomic
def approach_log(
    *,
    actor,
    summary: str,
    business_case: str,
    received_on: dt.date | None,
    organisation: Organisation | None = None,
    new_organisation_name: str = "",
    contact_name: str = "",
    contact_email: str = "",
    amount_sought=None,
) -> Approach:
    """Any OPCC staff member logs an approach for funding; it is numbered APP-<year>-0001 and goes to the
    Commissioning Manager's queue (seed, Section 3: "All approaches are passed to the OPCC Commissioning
    Manager"). An organisation not yet in the directory is added as a voluntary or community organisation."""
    require(actor, "grants.log_approach")
    errors = {}
    new_name = clean_text(new_organisation_name)
    if organisation is None and not new_name:
        errors["organisation"] = "Select the organisation, or enter the name of one that is not in the list"
    elif organisation is not None and new_name:
        errors["new_organisation_name"] = "Select an organisation or enter a new one, not both"
    elif organisation is not None and (not organisation.is_active or organisation.kind == Organisation.Kind.OPCC):
        errors["organisation"] = "Select an active organisation other than the OPCC"
    elif new_name:
        existing = Organisation.objects.filter(name__iexact=new_name).first()
        if existing is not None:
            errors["new_organisation_name"] = f"{existing.name} is already in the directory. Select it from the list"
    if received_on is None:
        errors["received_on"] = "Enter the date the approach was received"
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date received must be today or in the past"
    amount = money(amount_sought, errors, "amount_sought")
    approach = Approach(
        organisation=organisation,
        contact_name=clean_text(contact_name),
        contact_email=clean_text(contact_email).lower(),
        summary=clean_text(summary),
        business_case=clean_text(business_case),
        amount_sought=amount,
        received_on=received_on,
        logged_by=actor,
    )
    exclude = ["reference", "organisation"]
    # Check everything typed before adding an organisation, so a refusal changes nothing.
    try:
        approach.full_clean(exclude=exclude)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    if new_name:
        approach.organisation = organisation_services.organisation_create(
            actor=acting_with_authority(actor, ["organisations.change_organisation"]),
            name=new_name,
            kind=Organisation.Kind.VCSE,
            reason="Added when an approach for funding was logged",
        )
    prefix = f"APP-{timezone.localdate().year}-"
    save_with_reference(approach, prefix=prefix, actor=actor, reason="Approach logged")
    send_on_commit(
        recipients=role_emails(Role.COMMISSIONING_MANAGER),
        subject=f"New approach for funding {approach.reference}",
        template="grants/proposals/email/approach_logged.txt",
        context={"approach": approach, "actor": actor, "link": link("grants:approach_detail", approach.pk)},
    )
    return approach


@transaction.atomic
def approach_close(*, actor, approach: Approach, note: str) -> Approach:
    """Close a new approach that is not of interest or relevance, with the reason (kept on the approach)."""
    approach = lock_approach(approach)  # the permission and the status are checked on the row as it is now
    require(actor, "grants.triage_approach", approach)
    if approach.status != Approach.Status.NEW:
        raise status_error(approach, "be closed")
    note = clean_text(note)
    if not note:
        raise ValidationError({"note": "Enter why the approach is being closed"})
    approach.status = Approach.Status.CLOSED
    approach.triage_note = note
    approach.triaged_by = actor
    save_with_history(approach, actor=actor, reason=f"Closed: {note}")
    return approach


@transaction.atomic
def approach_invite(*, actor, approach: Approach, note: str) -> Approach:
    """Ask the organisation for a Proposal Form, saying what it should cover; the contact is e-mailed a link."""
    approach = lock_approach(approach)  # the permission and the status are checked on the row as it is now
    require(actor, "grants.triage_approach", approach)
    if approach.status != Approach.Status.NEW:
        raise status_error(approach, "be invited to send a Proposal Form")
    note = clean_text(note)
    if not note:
        raise ValidationError({"note": "Enter what the Proposal Form should cover"})
    approach.status = Approach.Status.INVITED
    approach.triage_note = note
    approach.triaged_by = actor
    save_with_history(approach, actor=actor, reason="Proposal Form invited")
    send_on_commit(
        recipients=[approach.contact_email],
        subject=f"Please complete a Proposal Form ({approach.reference})",
        template="grants/proposals/email/proposal_invited.txt",
        context={"approach": approach, "actor": actor, "link": link("grants:proposal_form", approach.pk)},
    )
    return approach


# The Proposal Form ----------------------------------------------------------------------------------------


@transaction.atomic
def proposal_submit(
    *,
    actor,
    approach: Approach,
    service_name: str,
    service_description: str,
    who_it_is_for: str,
    cost_to_pcc,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    outcomes: str,
    kpis: str,
    priorities: Iterable,
    total_cost=None,
    partners: str = "",
) -> ProposalForm:
    """The organisation's Proposal Form, completed by someone who acts for it or by OPCC staff on its behalf:
    the service, its cost to the PCC, the outcomes and how they will be measured (seed, Section 3). It must meet
    at least one Police and Crime Plan priority. It may be corrected until the Commissioning Manager assesses it."""
    approach = lock_approach(approach)  # the permission and the status are checked on the row as it is now
    require(actor, "grants.complete_proposal", approach)
    if approach.status == Approach.Status.NEW:
        raise ValidationError(f"The Commissioning Manager has not asked for a Proposal Form for {approach.reference}")
    if approach.status not in (Approach.Status.INVITED, Approach.Status.PROPOSAL_RECEIVED):
        raise status_error(approach, "take a Proposal Form")
    errors = {}
    priorities = list(priorities)
    if not priorities:
        errors["priorities"] = "Select at least one Police and Crime Plan priority the service meets"
    cost = money(cost_to_pcc, errors, "cost_to_pcc", required="Enter the cost to the PCC")
    total = money(total_cost, errors, "total_cost")
    if cost is not None and total is not None and "total_cost" not in errors and total < cost:
        errors["total_cost"] = f"The total cost cannot be less than the cost to the PCC ({format_money(cost)})"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    proposal = ProposalForm.objects.filter(approach=approach).first() or ProposalForm(approach=approach)
    first = proposal.pk is None
    proposal.service_name = clean_text(service_name)
    proposal.service_description = clean_text(service_description)
    proposal.who_it_is_for = clean_text(who_it_is_for)
    proposal.cost_to_pcc = cost
    proposal.total_cost = total
    proposal.starts_on = starts_on
    proposal.ends_on = ends_on
    proposal.outcomes = clean_text(outcomes)
    proposal.kpis = clean_text(kpis)
    proposal.partners = clean_text(partners)
    proposal.submitted_by = actor
    reason = "Proposal Form received" if first else "Proposal Form corrected"
    save_with_history(proposal, actor=actor, reason=reason, errors=errors)
    proposal.priorities.set(priorities)
    if approach.status != Approach.Status.PROPOSAL_RECEIVED:
        approach.status = Approach.Status.PROPOSAL_RECEIVED
        save_with_history(approach, actor=actor, reason=reason)
        send_on_commit(
            recipients=role_emails(Role.COMMISSIONING_MANAGER),
            subject=f"Proposal Form received for {approach.reference}",
            template="grants/proposals/email/proposal_received.txt",
            context={"approach": approach, "proposal": proposal, "link": link("grants:approach_detail", approach.pk)},
        )
    return proposal
