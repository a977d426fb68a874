"""The Commissioning Manager's assessment and recommendation, and the PCC's decision, which puts an approved
proposal in the register with a signed grant agreement and the money committed from the fund."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.accounts.roles import SMT, Role
from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement, Service
from commissioning.core.authority import acting_with_authority
from commissioning.core.dates import long_date
from commissioning.core.money import format_money
from commissioning.core.services import require, save_with_history
from commissioning.funds import services as fund_services
from commissioning.grants.models import Approach, ProposalAssessment, ProposalForm
from commissioning.grants.services.notify import link, role_emails, send_on_commit
from commissioning.grants.services.proposals._common import (
    SCORE_FIELDS,
    clean_text,
    lock_approach,
    money,
    status_error,
)
from commissioning.strategy import services as strategy_services
from commissioning.strategy.models import LegalBasis

# The PCC's decision is the authority for what it sets in train: the service in the register, its signed grant
# agreement and the money committed from the fund. The engines' own rules (dates, ring-fences, the fund's
# available money, open years) still apply in full; only their role check is met by the decision.
DECISION_CARRIES_OUT = (
    "agreements.change_service",
    "agreements.manage_agreement",
    "funds.plan_commitment",
    "funds.approve_commitment",
)


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
    approach = lock_approach(approach)  # the permission and the status are checked on the row as it is now
    require(actor, "grants.assess_proposal", approach)
    if approach.status not in (Approach.Status.PROPOSAL_RECEIVED, Approach.Status.ASSESSED):
        raise status_error(approach, "be assessed")
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
        amount = money(recommended_amount, errors, "recommended_amount", required="Enter the amount to recommend")
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
    assessment.risks = clean_text(risks)
    assessment.commentary = clean_text(commentary)
    assessment.recommendation = recommendation
    assessment.recommended_amount = amount
    assessment.fund = fund
    assessment.assessed_by = actor
    label = dict(ProposalAssessment.Recommendation.choices).get(recommendation, "")
    reason = f"Assessed: recommend {label.lower()}" if first else f"Assessment revised: recommend {label.lower()}"
    save_with_history(assessment, actor=actor, reason=reason, errors=errors)
    if approach.status != Approach.Status.ASSESSED:
        approach.status = Approach.Status.ASSESSED
        save_with_history(approach, actor=actor, reason=reason)
    send_on_commit(
        recipients=role_emails(Role.PCC, *SMT),
        subject=f"Recommendation for decision: {approach.reference}",
        template="grants/proposals/email/recommendation.txt",
        context={
            "approach": approach,
            "proposal": proposal,
            "assessment": assessment,
            "revised": not first,
            "link": link("grants:approach_detail", approach.pk),
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
    amount = money(amount, errors, "amount", required="Enter the amount of the grant")
    if amount is not None and "amount" not in errors and amount > proposal.cost_to_pcc:
        errors["amount"] = (
            f"Enter an amount of no more than {format_money(proposal.cost_to_pcc)}, the cost to the PCC in the "
            "Proposal Form"
        )
    if fund is None:
        errors["fund"] = "Choose the fund the grant is paid from"
    if year is None:
        errors["year"] = "Choose the financial year the money is committed in"
    elif proposal.starts_on > year.fy.ends_on or proposal.ends_on < year.fy.starts_on:
        errors["year"] = (
            f"The service runs from {long_date(proposal.starts_on)} to {long_date(proposal.ends_on)}, "
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
    approach = lock_approach(approach)  # the permission and the status are checked on the row as it is now
    require(actor, "grants.decide_proposal", approach)
    if approach.status != Approach.Status.ASSESSED:
        raise status_error(approach, "be decided")
    proposal = ProposalForm.objects.prefetch_related("priorities").get(approach=approach)
    reasons = clean_text(reasons)
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
            f"({approach.reference}), from {long_date(proposal.starts_on)} to {long_date(proposal.ends_on)}, "
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
    save_with_history(approach, actor=actor, reason=why)
    send_on_commit(
        recipients=[approach.contact_email, *role_emails(Role.COMMISSIONING_MANAGER)],
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
    commitment = fund_services.commitment_approve(
        actor=authorised, commitment=commitment, reason=reason, decision=record
    )
    fund_services.commitment_commit(actor=authorised, commitment=commitment, reason=reason)
    return agreement
