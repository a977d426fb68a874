"""One-off grant making: approach → triage → Proposal Form → assessment and recommendation → PCC decision.

The seed, Section 3, "One-Off Grant Making": organisations approach the PCC or the team with a business case;
every approach goes to the Commissioning Manager, who asks for a Proposal Form (the service, its cost to the PCC
and the outcomes) when the approach is of interest and relevance; the Commissioning Manager assesses it and
recommends to the PCC and the Senior Management Team, who decide.

new ──close──▶ closed
 └──invite──▶ invited ──submit──▶ proposal_received ──assess──▶ assessed ──decide──▶ approved | rejected
(a Proposal Form may be corrected until it is assessed; an assessment may be revised until the decision)

Each function takes keyword arguments and the acting person, checks their permission (permissions/proposals.py),
locks the approach, runs in one transaction, validates with full_clean and leaves who and why on the history
rows. E-mails go only once the transaction has committed. Refusals are ValidationErrors keyed by the form field
that can show them, in words that name the fix.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.roles import SMT, Role
from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement, Service
from commissioning.core.authority import acting_with_authority
from commissioning.core.money import format_money, to_money
from commissioning.funds import services as fund_services
from commissioning.grants.models import Approach, ProposalAssessment, ProposalForm
from commissioning.organisations import services as organisation_services
from commissioning.organisations.models import Organisation
from commissioning.strategy import services as strategy_services
from commissioning.strategy.models import LegalBasis

REASON_MAX_LENGTH = 100  # history_change_reason is a 100-character column
REFERENCE_ATTEMPTS = 5
MONEY_INVALID = "Enter an amount in pounds and pence, like 1250.50"
SCORE_FIELDS = ("fit_with_priorities", "evidence_of_need", "value_for_money", "deliverability")
# Written descriptors for the 0 to 5 scores (DOMAIN.md, "Evaluation conventions": 0 no answer ... 5 excellent).
SCORE_DESCRIPTORS = {
    0: "No evidence: the proposal does not address this",
    1: "Poor: serious gaps or concerns",
    2: "Weak: some gaps or concerns",
    3: "Satisfactory: meets what is needed",
    4: "Good: meets what is needed, with some strengths",
    5: "Excellent: clear strengths, well evidenced",
}
# The PCC's decision is the authority for what it sets in train: the service in the register, its signed grant
# agreement and the money committed from the fund. The engines' own rules (dates, ring-fences, the fund's
# available money, open years) still apply in full; only their role check is met by the decision.
DECISION_CARRIES_OUT = (
    "agreements.change_service",
    "agreements.manage_agreement",
    "funds.plan_commitment",
    "funds.approve_commitment",
)


# Helpers ------------------------------------------------------------------------------------------------


def _require(actor, permission: str, obj=None) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(f"{actor} may not {permission}")


def _save(instance, *, actor, reason: str, errors: dict | None = None, exclude=None) -> None:
    """full_clean, then save with who and why in the history. Errors the service found first win over Django's
    own for the same field."""
    errors = dict(errors or {})
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    instance._history_user = actor
    instance._change_reason = (reason or "").strip()[:REASON_MAX_LENGTH] or None
    instance.save()


def _lock(approach: Approach) -> Approach:
    return Approach.objects.select_for_update().select_related("organisation").get(pk=approach.pk)


def _money(value, errors: dict, field: str, *, required: str | None = None) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors[field] = required
        return None
    try:
        amount = to_money(value)
    except (TypeError, ValueError):
        errors[field] = MONEY_INVALID
        return None
    if amount <= 0:
        errors[field] = "Enter an amount more than £0.00"
    return amount


def _text(value) -> str:
    return (value or "").strip()


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _status_error(approach: Approach, doing: str) -> ValidationError:
    return ValidationError(f"{approach.reference} is {approach.get_status_display().lower()}, so it cannot {doing} now")


def _next_reference(prefix: str) -> str:
    """APP-2026-0001: the next number after the highest with this prefix."""
    last = Approach.objects.filter(reference__regex=rf"^{prefix}[0-9]+$").aggregate(
        number=Max(Cast(Substr("reference", len(prefix) + 1), IntegerField()))
    )["number"]
    return f"{prefix}{(last or 0) + 1:04d}"


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _emails_of_roles(*roles) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(role__in=[str(role) for role in roles], is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


def _email_after_commit(*, recipients: Iterable[str], subject: str, template: str, context: dict) -> None:
    """Render now (the records as saved) and send once the transaction has committed."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    body = render_to_string(template, {**context, "service_name": settings.SERVICE_NAME})
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


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
    _require(actor, "grants.log_approach")
    errors = {}
    new_name = _text(new_organisation_name)
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
    amount = _money(amount_sought, errors, "amount_sought")
    approach = Approach(
        organisation=organisation,
        contact_name=_text(contact_name),
        contact_email=_text(contact_email).lower(),
        summary=_text(summary),
        business_case=_text(business_case),
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
    for attempt in range(REFERENCE_ATTEMPTS):
        approach.reference = _next_reference(prefix)
        try:
            with transaction.atomic():  # a clash with an approach logged at the same moment is retried
                _save(approach, actor=actor, reason="Approach logged", exclude=["reference"])
        except IntegrityError:
            approach.pk = None
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
        else:
            break
    _email_after_commit(
        recipients=_emails_of_roles(Role.COMMISSIONING_MANAGER),
        subject=f"New approach for funding {approach.reference}",
        template="grants/proposals/email/approach_logged.txt",
        context={"approach": approach, "actor": actor, "link": _link("grants:approach_detail", approach.pk)},
    )
    return approach


@transaction.atomic
def approach_close(*, actor, approach: Approach, note: str) -> Approach:
    """Close a new approach that is not of interest or relevance, with the reason (kept on the approach)."""
    approach = _lock(approach)  # the permission and the status are checked on the row as it is now
    _require(actor, "grants.triage_approach", approach)
    if approach.status != Approach.Status.NEW:
        raise _status_error(approach, "be closed")
    note = _text(note)
    if not note:
        raise ValidationError({"note": "Enter why the approach is being closed"})
    approach.status = Approach.Status.CLOSED
    approach.triage_note = note
    approach.triaged_by = actor
    _save(approach, actor=actor, reason=f"Closed: {note}")
    return approach


@transaction.atomic
def approach_invite(*, actor, approach: Approach, note: str) -> Approach:
    """Ask the organisation for a Proposal Form, saying what it should cover; the contact is e-mailed a link."""
    approach = _lock(approach)  # the permission and the status are checked on the row as it is now
    _require(actor, "grants.triage_approach", approach)
    if approach.status != Approach.Status.NEW:
        raise _status_error(approach, "be invited to send a Proposal Form")
    note = _text(note)
    if not note:
        raise ValidationError({"note": "Enter what the Proposal Form should cover"})
    approach.status = Approach.Status.INVITED
    approach.triage_note = note
    approach.triaged_by = actor
    _save(approach, actor=actor, reason="Proposal Form invited")
    _email_after_commit(
        recipients=[approach.contact_email],
        subject=f"Please complete a Proposal Form ({approach.reference})",
        template="grants/proposals/email/proposal_invited.txt",
        context={"approach": approach, "actor": actor, "link": _link("grants:proposal_form", approach.pk)},
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
    approach = _lock(approach)  # the permission and the status are checked on the row as it is now
    _require(actor, "grants.complete_proposal", approach)
    if approach.status == Approach.Status.NEW:
        raise ValidationError(f"The Commissioning Manager has not asked for a Proposal Form for {approach.reference}")
    if approach.status not in (Approach.Status.INVITED, Approach.Status.PROPOSAL_RECEIVED):
        raise _status_error(approach, "take a Proposal Form")
    errors = {}
    priorities = list(priorities)
    if not priorities:
        errors["priorities"] = "Select at least one Police and Crime Plan priority the service meets"
    cost = _money(cost_to_pcc, errors, "cost_to_pcc", required="Enter the cost to the PCC")
    total = _money(total_cost, errors, "total_cost")
    if cost is not None and total is not None and "total_cost" not in errors and total < cost:
        errors["total_cost"] = f"The total cost cannot be less than the cost to the PCC ({format_money(cost)})"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    proposal = ProposalForm.objects.filter(approach=approach).first() or ProposalForm(approach=approach)
    first = proposal.pk is None
    proposal.service_name = _text(service_name)
    proposal.service_description = _text(service_description)
    proposal.who_it_is_for = _text(who_it_is_for)
    proposal.cost_to_pcc = cost
    proposal.total_cost = total
    proposal.starts_on = starts_on
    proposal.ends_on = ends_on
    proposal.outcomes = _text(outcomes)
    proposal.kpis = _text(kpis)
    proposal.partners = _text(partners)
    proposal.submitted_by = actor
    reason = "Proposal Form received" if first else "Proposal Form corrected"
    _save(proposal, actor=actor, reason=reason, errors=errors)
    proposal.priorities.set(priorities)
    if approach.status != Approach.Status.PROPOSAL_RECEIVED:
        approach.status = Approach.Status.PROPOSAL_RECEIVED
        _save(approach, actor=actor, reason=reason)
        _email_after_commit(
            recipients=_emails_of_roles(Role.COMMISSIONING_MANAGER),
            subject=f"Proposal Form received for {approach.reference}",
            template="grants/proposals/email/proposal_received.txt",
            context={"approach": approach, "proposal": proposal, "link": _link("grants:approach_detail", approach.pk)},
        )
    return proposal


# Assessment and recommendation -----------------------------------------------------------------------------


@transaction.atomic
def proposal_assess(
    *,
    actor,
    approach: Approach,
    fit_with_priorities,
    evidence_of_need,
    value_for_money,
    deliverability,
    risks: str,
    commentary: str,
    recommendation: str,
    recommended_amount=None,
    fund=None,
) -> ProposalAssessment:
    """The Commissioning Manager's structured assessment, each factor scored 0 to 5 against written
    descriptors, and the recommendation to the PCC and the Senior Management Team (seed, Section 3), who are
    e-mailed. To fund, name the amount (no more than the cost to the PCC) and the fund to pay it from."""
    approach = _lock(approach)  # the permission and the status are checked on the row as it is now
    _require(actor, "grants.assess_proposal", approach)
    if approach.status not in (Approach.Status.PROPOSAL_RECEIVED, Approach.Status.ASSESSED):
        raise _status_error(approach, "be assessed")
    proposal = ProposalForm.objects.get(approach=approach)
    errors = {}
    scores = {}
    for name, value in zip(
        SCORE_FIELDS, (fit_with_priorities, evidence_of_need, value_for_money, deliverability), strict=True
    ):
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = None
        if score is None or not 0 <= score <= 5 or str(value).strip() != str(score):
            errors[name] = "Choose a score from 0 to 5"
        scores[name] = score
    funding = recommendation in (
        ProposalAssessment.Recommendation.FUND,
        ProposalAssessment.Recommendation.FUND_WITH_CHANGES,
    )
    amount = None
    if recommendation not in ProposalAssessment.Recommendation.values:
        errors["recommendation"] = "Choose your recommendation"
    elif funding:
        amount = _money(recommended_amount, errors, "recommended_amount", required="Enter the amount to recommend")
        if amount is not None and "recommended_amount" not in errors and amount > proposal.cost_to_pcc:
            errors["recommended_amount"] = (
                f"The proposal asks the PCC for {format_money(proposal.cost_to_pcc)}; "
                f"recommend {format_money(proposal.cost_to_pcc)} or less"
            )
        if fund is None:
            errors["fund"] = "Choose the fund the grant would be paid from"
    else:
        fund = None
    assessment = ProposalAssessment.objects.filter(proposal=proposal).first() or ProposalAssessment(proposal=proposal)
    first = assessment.pk is None
    for name, score in scores.items():
        setattr(assessment, name, score)
    assessment.risks = _text(risks)
    assessment.commentary = _text(commentary)
    assessment.recommendation = recommendation
    assessment.recommended_amount = amount
    assessment.fund = fund
    assessment.assessed_by = actor
    label = dict(ProposalAssessment.Recommendation.choices).get(recommendation, "")
    reason = f"Assessed: recommend {label.lower()}" if first else f"Assessment revised: recommend {label.lower()}"
    _save(assessment, actor=actor, reason=reason, errors=errors)
    if approach.status != Approach.Status.ASSESSED:
        approach.status = Approach.Status.ASSESSED
        _save(approach, actor=actor, reason=reason)
    _email_after_commit(
        recipients=_emails_of_roles(Role.PCC, *SMT),
        subject=f"Recommendation for decision: {approach.reference}",
        template="grants/proposals/email/recommendation.txt",
        context={
            "approach": approach,
            "proposal": proposal,
            "assessment": assessment,
            "revised": not first,
            "link": _link("grants:approach_detail", approach.pk),
        },
    )
    return assessment


# The decision -----------------------------------------------------------------------------------------------


def _decision_rule_errors(*, approach, proposal, approve, smt_consulted, reasons, decided_on, amount, fund, year):
    errors = {}
    if not smt_consulted:
        errors["smt_consulted"] = "Confirm that the Senior Management Team has considered this recommendation"
    if not reasons:
        errors["reasons"] = "Enter the reasons for the decision"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    if not approve:
        return errors, None
    amount = _money(amount, errors, "amount", required="Enter the amount of the grant")
    if fund is None:
        errors["fund"] = "Choose the fund the grant is paid from"
    if year is None:
        errors["year"] = "Choose the financial year the money is committed in"
    elif proposal.starts_on > year.fy.ends_on or proposal.ends_on < year.fy.starts_on:
        errors["year"] = (
            f"The service runs from {_long_date(proposal.starts_on)} to {_long_date(proposal.ends_on)}, "
            f"outside {year.label}. Choose a year the service runs in"
        )
    if proposal.ends_on <= proposal.starts_on:
        errors.setdefault(
            "__all__",
            [
                "A grant agreement must end after it starts, but the Proposal Form gives the same start and end "
                "date. Ask for the Proposal Form to be corrected first"
            ],
        )
    return errors, amount


@transaction.atomic
def proposal_decide(
    *,
    actor,
    approach: Approach,
    approve: bool,
    smt_consulted: bool,
    reasons: str,
    decided_on: dt.date | None,
    amount=None,
    fund=None,
    year=None,
) -> Approach:
    """The PCC's decision on the recommendation, having consulted the Senior Management Team (seed, Section 3:
    "a recommendation submitted to the PCC and Senior Management Team for final decision").

    Both outcomes are numbered decision records under the Anti-social Behaviour, Crime and Policing Act 2014,
    section 143 (DOMAIN.md, "Governance"). Approval also adds the service to the register (approach: one-off
    grant), with a grant agreement for the amount, signed on the day of the decision, and commits the amount from
    the chosen fund in the chosen year (planned, approved and committed by the funds engine, which refuses more
    than the fund has available). Any refusal leaves nothing saved. The organisation's contact and the
    Commissioning Managers are e-mailed the outcome.
    """
    approach = _lock(approach)  # the permission and the status are checked on the row as it is now
    _require(actor, "grants.decide_proposal", approach)
    if approach.status != Approach.Status.ASSESSED:
        raise _status_error(approach, "be decided")
    proposal = ProposalForm.objects.prefetch_related("priorities").get(approach=approach)
    reasons = _text(reasons)
    errors, amount = _decision_rule_errors(
        approach=approach,
        proposal=proposal,
        approve=approve,
        smt_consulted=smt_consulted,
        reasons=reasons,
        decided_on=decided_on,
        amount=amount,
        fund=fund,
        year=year,
    )
    if errors:
        raise ValidationError(errors)
    organisation = approach.organisation
    consulted = "The Senior Management Team considered the Commissioning Manager's recommendation."
    if approve:
        decision_text = (
            f"To make a one-off grant of {format_money(amount)} to {organisation.name} for {proposal.service_name} "
            f"({approach.reference}), from {_long_date(proposal.starts_on)} to {_long_date(proposal.ends_on)}, "
            f"paid from the {fund.name} in {year.label}. {consulted}"
        )
        subject = f"One-off grant to {organisation.name}: {proposal.service_name}"
    else:
        decision_text = (
            f"Not to fund {proposal.service_name}, proposed by {organisation.name} ({approach.reference}). {consulted}"
        )
        subject = f"One-off grant not made to {organisation.name}: {proposal.service_name}"
    record = strategy_services.decision_record_create(
        actor=actor,
        subject=subject[:250],
        legal_basis=LegalBasis.ASBCPA_2014_S143,
        decision=decision_text,
        reasons=reasons,
        decided_by=actor,
        decided_on=decided_on,
        amount=amount if approve else None,
    )
    approach.decision = record
    if approve:
        approach.agreement = _award(
            actor=actor, approach=approach, proposal=proposal, record=record, amount=amount, fund=fund, year=year
        )
        approach.status = Approach.Status.APPROVED
        why = f"Approved by decision {record.number}"
    else:
        approach.status = Approach.Status.REJECTED
        why = f"Not approved: decision {record.number}"
    _save(approach, actor=actor, reason=why)
    _email_after_commit(
        recipients=[approach.contact_email, *_emails_of_roles(Role.COMMISSIONING_MANAGER)],
        subject=f"Decision on {approach.reference}: {'approved' if approve else 'not approved'}",
        template="grants/proposals/email/decision.txt",
        context={"approach": approach, "proposal": proposal, "record": record, "approved": approve},
    )
    return approach


def _award(*, actor, approach, proposal, record, amount, fund, year) -> Agreement:
    """The service, its signed grant agreement and the money committed, all under the PCC's decision."""
    authorised = acting_with_authority(actor, DECISION_CARRIES_OUT)
    assessment = getattr(proposal, "assessment", None)
    service = agreement_services.service_create(
        actor=authorised,
        name=proposal.service_name,
        purpose=proposal.service_description,
        provider=approach.organisation,
        approach=Service.Approach.ONE_OFF,
        priorities=list(proposal.priorities.all()),
        starts_on=proposal.starts_on,
        ends_on=proposal.ends_on,
        lead_officer=assessment.assessed_by if assessment else None,
    )
    agreement = agreement_services.agreement_create(
        actor=authorised,
        service=service,
        kind=Agreement.Kind.GRANT,
        regime=Agreement.Regime.GRANT,
        value=amount,
        starts_on=proposal.starts_on,
        ends_on=proposal.ends_on,
        conditions=(
            f"The grant is spent on {proposal.service_name} as set out in the Proposal Form for {approach.reference}, "
            "and progress is reported against the outcomes and measures given there."
        ),
        repayment_conditions=(
            "Money not spent on the service, or spent in breach of these conditions, is to be repaid "
            "(Police Reform and Social Responsibility Act 2011, section 9(3))."
        ),
        decision=record,
    )
    agreement = agreement_services.agreement_activate(
        actor=authorised, agreement=agreement, signed_on=record.decided_on
    )
    reason = f"One-off grant {approach.reference}, decision {record.number}"
    commitment = fund_services.commitment_plan(
        actor=authorised, fund=fund, year=year, agreement=agreement, amount=amount, reason=reason
    )
    commitment = fund_services.commitment_approve(actor=authorised, commitment=commitment, reason=reason)
    fund_services.commitment_commit(actor=authorised, commitment=commitment, reason=reason)
    return agreement
