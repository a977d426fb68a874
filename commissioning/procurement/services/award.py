"""Award, standstill and contract (issue 10, point 8).

The PCC's decision (strategy.services.decision_record_create) on the recommended bid; letters to every bidder with
its own scores, the winner's and the reasons, sent with the contract award notice, which starts the standstill
(procurement.standstill); after the standstill the contract: a service and an agreement in the register
(agreements services), the specification's KPIs on the service (monitoring services), the money committed from the
fund for every financial year the contract runs, one commitment a year (funds services, with their money locks),
and the contract details notice.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement, Service
from commissioning.core import mail
from commissioning.core.authority import acting_with_authority
from commissioning.core.dates import FinancialYear, long_date
from commissioning.core.money import format_money
from commissioning.core.services import require, save_with_history
from commissioning.funds import services as fund_services
from commissioning.monitoring import services as monitoring_services
from commissioning.procurement.models import (
    AwardLetter,
    BidResult,
    CaseStage,
    ContractAward,
    Notice,
    NoticeKind,
    Regime,
    Specification,
    SpecificationStatus,
    Tender,
    TenderEvaluation,
)
from commissioning.procurement.services import notices
from commissioning.procurement.services.tenders import _case_to_stage as case_to_stage
from commissioning.procurement.standstill import describe, standstill_ends
from commissioning.strategy.models import LegalBasis
from commissioning.strategy.services import decision_record_create

HUNDREDTH = Decimal("0.01")
# The PCC's award decision is the authority for the contract it sets in train (ADR 0003): the service and its
# agreement in the register, their KPIs, and the money committed for each year. Those engines' own rules (dates,
# ring-fences, the fund's money, open years) still apply in full.
DECISION_CARRIES_OUT = (
    "agreements.change_service",
    "agreements.manage_agreement",
    "monitoring.manage_kpis",
    "funds.plan_commitment",
    "funds.approve_commitment",
)
NOTICE_NUMBERS = {
    (Regime.PA_2023, NoticeKind.CONTRACT_AWARD): "UK6",
    (Regime.PA_2023, NoticeKind.CONTRACT_DETAILS): "UK7",
    (Regime.PCR_2015, NoticeKind.CONTRACT_AWARD): "Contract award notice",
    (Regime.PCR_2015, NoticeKind.CONTRACT_DETAILS): "Contracts Finder award",
}


def _regime(tender: Tender) -> str:
    return tender.case.regime or Regime.PA_2023


def _lock_award(award: ContractAward) -> ContractAward:
    return (
        ContractAward.objects.select_for_update(of=("self",))
        .select_related("tender__case", "bid__organisation", "decision")
        .get(pk=award.pk)
    )


# --- The decision ----------------------------------------------------------------------------------------


@transaction.atomic
def award_decide(
    *, actor, tender: Tender, decided_by, decided_on: dt.date, reasons: str, starts_on: dt.date, ends_on: dt.date
) -> ContractAward:
    """Record the PCC's decision to award the contract to the recommended bid (the PCC, or the Commissioning
    Manager recording the PCC's decision), numbered in the decision register."""
    require(actor, "procurement.decide_award", tender)
    evaluation = TenderEvaluation.objects.select_for_update().select_related("tender__case").get(tender=tender)
    if evaluation.status != TenderEvaluation.Status.RECOMMENDED or evaluation.recommended_bid_id is None:
        raise ValidationError(f"The award of {tender} has not been recommended yet, or has already been decided")
    reasons = (reasons or "").strip()
    errors = {}
    if not reasons:
        errors["reasons"] = "Enter the reasons for the decision; every bidder is told them"
    if starts_on is None or ends_on is None:
        errors["starts_on"] = "Enter when the contract starts and ends"
    elif ends_on <= starts_on:
        errors["ends_on"] = "The contract must end after it starts"
    if errors:
        raise ValidationError(errors)
    winner = BidResult.objects.select_related("bid__organisation").get(
        evaluation=evaluation, bid_id=evaluation.recommended_bid_id
    )
    organisation = winner.bid.organisation
    award_regime = _regime(tender)
    text = (
        f"To award the contract for {tender.title} ({tender.reference}) to {organisation.name}, whose bid ranked "
        f"{winner.rank} with {winner.total_score} out of 100, for {format_money(winner.price)}, from "
        f"{long_date(starts_on)} to {long_date(ends_on)}. Recommendation: {evaluation.recommendation}"
    )
    record = decision_record_create(
        actor=actor,
        subject=f"Contract award: {tender.title} ({tender.reference})"[:250],
        legal_basis=LegalBasis.PA_2023 if award_regime == Regime.PA_2023 else LegalBasis.PCR_2015,
        decision=text,
        reasons=reasons,
        decided_by=decided_by,
        decided_on=decided_on,
        amount=winner.price,
    )
    evaluation.decision = record
    evaluation.status = TenderEvaluation.Status.DECIDED
    save_with_history(evaluation, actor=actor, reason=f"Award decided: decision {record.number}")
    award = ContractAward(
        tender=tender,
        bid=winner.bid,
        decision=record,
        regime=award_regime,
        value=winner.price,
        reasons=reasons,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    save_with_history(award, actor=actor, reason=f"Awarded to {organisation.name} by decision {record.number}")
    case_to_stage(tender.case, CaseStage.AWARD, actor=actor, reason=f"Award decided: decision {record.number}")
    return award


# --- Letters, the contract award notice and the standstill ----------------------------------------------


def letter_body(*, award: ContractAward, result: BidResult, winner: BidResult) -> str:
    """The letter to one bidder: its own scores, the winning bid's, the reasons and the standstill."""
    tender = award.tender
    successful = result.bid_id == winner.bid_id
    lines = [
        f"{tender.title} ({tender.reference})",
        "",
        f"Dear {result.bid.organisation.name},",
        "",
        (
            "We are pleased to tell you that your bid is the most advantageous tender and we intend to award you "
            "the contract."
            if successful
            else "We are sorry to tell you that your bid was not successful. We intend to award the contract to "
            f"{winner.bid.organisation.name}."
        ),
        "",
        "Your scores:",
        f"- Quality and social value: {result.quality_score}",
        f"- Price: {result.price_score} (your price {format_money(result.price)})",
        f"- Total: {result.total_score} out of 100, ranked {result.rank}",
    ]
    if not successful:
        lines += [
            "",
            "The winning bid's scores:",
            f"- Quality and social value: {winner.quality_score}",
            f"- Price: {winner.price_score} (price {format_money(winner.price)})",
            f"- Total: {winner.total_score} out of 100",
        ]
    lines += ["", "Reasons for the decision:", award.reasons, ""]
    if award.standstill_ends_on:
        lines.append(
            f"The contract will not be entered into before the standstill period ends on "
            f"{long_date(award.standstill_ends_on)} ({describe(award.regime)})."
        )
    return "\n".join(lines)


def _publish_notice(*, actor, case, kind: str, regime: str, published_on: dt.date, reference: str) -> Notice:
    """Through the notices service (its own permission is carried by the award decision, ADR 0003)."""
    return notices.notice_record(
        actor=acting_with_authority(actor, ["procurement.record_notice"]),
        case=case,
        kind=kind,
        published_on=published_on,
        reference=reference or f"{NOTICE_NUMBERS.get((regime, kind), kind)} {case.reference}",
    )


@transaction.atomic
def award_letters_send(*, actor, award: ContractAward, notice_on: dt.date, notice_reference: str = "") -> ContractAward:
    """Publish the contract award notice on `notice_on`, which starts the standstill, and send every bidder its
    letter (its scores, the winner's, the reasons and the standstill end date)."""
    require(actor, "procurement.manage_award", award.tender)
    award = _lock_award(award)
    if award.status != ContractAward.Status.DECIDED:
        raise ValidationError("The letters have already been sent and the contract award notice published")
    if notice_on is None:
        raise ValidationError({"notice_on": "Enter the date the contract award notice is published"})
    if notice_on > timezone.localdate():
        raise ValidationError({"notice_on": "The date of the notice must be today or in the past"})
    award.award_notice_published_on = notice_on
    award.standstill_ends_on = standstill_ends(regime=award.regime, notice_on=notice_on)
    award.status = ContractAward.Status.STANDSTILL
    save_with_history(award, actor=actor, reason=f"Standstill until {long_date(award.standstill_ends_on)}")
    case_to_stage(award.tender.case, CaseStage.STANDSTILL, actor=actor, reason="Contract award notice published")
    _publish_notice(
        actor=actor,
        case=award.tender.case,
        kind=NoticeKind.CONTRACT_AWARD,
        regime=award.regime,
        published_on=notice_on,
        reference=notice_reference,
    )
    results = list(
        BidResult.objects.filter(evaluation__tender=award.tender).select_related("bid__organisation", "bid__tender")
    )
    winner = next(r for r in results if r.bid_id == award.bid_id)
    emails = _emails_by_organisation([r.bid.organisation_id for r in results])
    now = timezone.now()
    for result in results:
        body = letter_body(award=award, result=result, winner=winner)
        letter = AwardLetter(
            award=award, bid=result.bid, successful=result.bid_id == award.bid_id, body=body, sent_at=now
        )
        save_with_history(letter, actor=actor, reason="Award letter sent")
        recipients = emails.get(result.bid.organisation_id, [])
        if recipients:
            subject = f"Outcome of {award.tender.reference}: {award.tender.title}"
            transaction.on_commit(lambda s=subject, b=body, r=recipients: mail.send(s, b, r))
    return award


def _emails_by_organisation(organisation_ids) -> dict[int, list[str]]:
    rows = (
        get_user_model()
        .objects.filter(organisation_id__in=set(organisation_ids), is_active=True)
        .order_by("email")
        .values_list("organisation_id", "email")
    )
    found: dict[int, list[str]] = {}
    for organisation_id, email in rows:
        found.setdefault(organisation_id, []).append(email)
    return found


# --- The contract ----------------------------------------------------------------------------------------


def money_by_year(*, value: Decimal, starts_on: dt.date, ends_on: dt.date) -> list[tuple[FinancialYear, Decimal]]:
    """The contract's value spread over the financial years it runs, by days, to the penny; the last year takes
    what rounding leaves so the years add up to the value exactly."""
    days = (ends_on - starts_on).days + 1
    years = []
    fy = FinancialYear.for_date(starts_on)
    while fy.starts_on <= ends_on:
        first, last = max(starts_on, fy.starts_on), min(ends_on, fy.ends_on)
        years.append((fy, (last - first).days + 1))
        fy = fy.next()
    shares, given = [], Decimal("0.00")
    for index, (fy, year_days) in enumerate(years):
        if index == len(years) - 1:
            amount = value - given
        else:
            amount = (value * year_days / days).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
        given += amount
        shares.append((fy, amount))
    return shares


def specification_kpis(case):
    """The KPIs of the case's approved specification (the plan part's SpecificationKpi), or none."""
    specification = (
        Specification.objects.filter(case=case, status=SpecificationStatus.APPROVED).order_by("-version").first()
    )
    if specification is None:
        return []
    return list(specification.kpis.select_related("definition").order_by("order", "pk"))


def _copy_kpis(*, actor, service, case, starts_on) -> None:
    """The minimum dataset, then the specification's KPIs with their targets: minimum-dataset ones update the
    attached measure, the service's own are added."""
    attached = {
        k.definition_id: k for k in monitoring_services.kpis_attach_minimum_dataset(actor=actor, service=service)
    }
    for kpi in specification_kpis(case):
        data = {"unit": kpi.unit, "target": kpi.target, "direction": kpi.direction, "frequency": kpi.frequency}
        if kpi.definition_id:
            existing = attached.get(kpi.definition_id) or service.kpis.filter(definition_id=kpi.definition_id).first()
            if existing is not None:
                monitoring_services.kpi_update(actor=actor, kpi=existing, data=data, reason="From the specification")
            continue
        monitoring_services.kpi_add(
            actor, service, name=kpi.name, description=kpi.description, effective_from=starts_on, **data
        )


@transaction.atomic
def contract_sign(*, actor, award: ContractAward, signed_on: dt.date, fund=None) -> ContractAward:
    """After the standstill: the contract in the register (a service and its signed contract), its KPIs, and the
    money committed from the fund for every financial year it runs, one commitment a year, under the award
    decision's authority."""
    require(actor, "procurement.manage_award", award.tender)
    award = _lock_award(award)
    if award.status != ContractAward.Status.STANDSTILL:
        raise ValidationError("Send the award letters and publish the contract award notice first")
    if signed_on is None:
        raise ValidationError({"signed_on": "Enter the date the contract was signed"})
    if signed_on <= award.standstill_ends_on:
        raise ValidationError(
            {
                "signed_on": f"The standstill period ends on {long_date(award.standstill_ends_on)}; the contract can "
                "be signed from the day after"
            }
        )
    case = award.tender.case
    fund = fund or case.fund
    if fund is None:
        raise ValidationError({"fund": "Choose the fund the contract is paid from"})
    if not case.priorities.exists():
        raise ValidationError(
            f"{case.reference} names no plan priority, and every service in the register serves one; add the "
            "priorities to the commissioning case first"
        )
    authorised = acting_with_authority(actor, DECISION_CARRIES_OUT)
    tender, organisation = award.tender, award.bid.organisation
    service = agreement_services.service_create(
        actor=authorised,
        name=tender.title,
        purpose=tender.description,
        provider=organisation,
        approach=Service.Approach.PRIORITY,
        priorities=list(case.priorities.all()),
        starts_on=award.starts_on,
        ends_on=award.ends_on,
        lead_officer=case.lead_officer,
    )
    agreement = agreement_services.agreement_create(
        actor=authorised,
        service=service,
        kind=Agreement.Kind.CONTRACT,
        regime=award.regime,
        value=award.value,
        starts_on=award.starts_on,
        ends_on=award.ends_on,
        conditions=f"The contract awarded by tender {tender.reference}; the specification and the bid form part of it.",
        decision=award.decision,
    )
    agreement = agreement_services.agreement_activate(actor=authorised, agreement=agreement, signed_on=signed_on)
    _copy_kpis(actor=authorised, service=service, case=case, starts_on=award.starts_on)
    reason = f"Contract {tender.reference}, decision {award.decision.number}"
    for fy, amount in money_by_year(value=award.value, starts_on=award.starts_on, ends_on=award.ends_on):
        if amount <= 0:
            continue
        commitment = fund_services.commitment_plan_in_year(
            actor=authorised, fund=fund, start_year=fy.start_year, agreement=agreement, amount=amount, reason=reason
        )
        commitment = fund_services.commitment_approve(
            actor=authorised, commitment=commitment, reason=reason, decision=award.decision
        )
        fund_services.commitment_commit(actor=authorised, commitment=commitment, reason=reason)
    award.agreement = agreement
    award.contract_signed_on = signed_on
    award.status = ContractAward.Status.CONTRACTED
    save_with_history(award, actor=actor, reason=f"Contract signed: agreement {agreement.reference}")
    case_to_stage(case, CaseStage.CONTRACTED, actor=actor, reason=f"Contract signed: agreement {agreement.reference}")
    return award


@transaction.atomic
def contract_details_publish(
    *, actor, award: ContractAward, published_on: dt.date, reference: str = ""
) -> ContractAward:
    """Publish the contract details notice once the contract is signed."""
    require(actor, "procurement.manage_award", award.tender)
    award = _lock_award(award)
    if award.status != ContractAward.Status.CONTRACTED:
        raise ValidationError("The contract details notice follows the signed contract")
    if published_on is None or published_on > timezone.localdate() or published_on < award.contract_signed_on:
        raise ValidationError({"published_on": "Enter a date from the signing of the contract to today"})
    _publish_notice(
        actor=actor,
        case=award.tender.case,
        kind=NoticeKind.CONTRACT_DETAILS,
        regime=award.regime,
        published_on=published_on,
        reference=reference,
    )
    award.details_notice_published_on = published_on
    save_with_history(award, actor=actor, reason="Contract details notice published")
    return award
