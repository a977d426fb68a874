"""Every write for the PCC's grant decisions and the award offer (issue 5, point 4): deciding a round in one batch
or an application on its own. The applicant's answer (accepting or declining the offer) is in
services/acceptance.py, and what follows an accepted award (end-of-grant reports, their reminders and asking for
money back) in services/reports.py.

Each function takes keyword arguments and the acting person, checks their permission (permissions/awards.py),
runs in one transaction, validates with full_clean, leaves who and why on the history rows
(django-simple-history) and sends e-mail only after the transaction commits.

Grants are made under section 9 of the Police Reform and Social Responsibility Act 2011 and may carry
conditions, including repayment (s9(3)); each PCC decision is a numbered, published decision record
(DOMAIN.md "Legal basis" and "Governance").
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from commissioning.core.dates import add_months, long_date
from commissioning.core.money import format_money, to_money
from commissioning.core.services import require, save_with_history
from commissioning.funds import services as fund_services
from commissioning.grants.models import Application, AssessorAssignment, Award, GrantRound
from commissioning.grants.selectors import awards as selectors

# The applicant's answer lives in acceptance.py; it stays importable from here (services.award_accept).
from commissioning.grants.services.acceptance import ACCEPTANCE_PERMISSIONS as ACCEPTANCE_PERMISSIONS
from commissioning.grants.services.acceptance import award_accept as award_accept
from commissioning.grants.services.acceptance import award_decline as award_decline
from commissioning.grants.services.acceptance import lock_award as lock_award
from commissioning.grants.services.notify import link, organisation_emails_by_id, send_on_commit
from commissioning.strategy.models import DecisionRecord, LegalBasis
from commissioning.strategy.services import decision_record_create

# Rounds whose applications can be decided: open for applications (and now closed) or being assessed.
DECIDABLE_ROUNDS = (GrantRound.Status.PUBLISHED, GrantRound.Status.ASSESSING)
WAITING_FOR_DECISION = (Application.Status.RECOMMENDED, Application.Status.NOT_RECOMMENDED)
REPORT_MONTHS_AFTER_END = 3
TERMS_SUMMARY_WORDS = 80


# --- The terms of an award -------------------------------------------------------------------------------


def report_due_on(*, application: Application, awarded_on: dt.date) -> dt.date:
    """Three months after the project ends (or, with no end date, a year and three months after the award)."""
    ends_on = application.ends_on or add_months(awarded_on, 12)
    return add_months(ends_on, REPORT_MONTHS_AFTER_END)


def award_conditions(*, round: GrantRound, application: Application, due_on: dt.date) -> tuple[str, str]:
    """The conditions and repayment conditions of a grant: a summary of the round's terms and conditions, and
    the standard conditions every grant carries. Repayment is a condition PRSRA 2011 s9(3) allows."""
    terms = round.terms
    first_part = (terms.text or "").strip().split("\n\n")[0].strip()
    summary = Truncator(" ".join(first_part.split())).words(TERMS_SUMMARY_WORDS, truncate="…")
    title = application.project_title or "the project described in the application"
    end = long_date(application.ends_on) if application.ends_on else "the end of the project"
    conditions = "\n".join(
        [
            f"The {round.scheme.name} terms and conditions, version {terms.version} "
            f"(in force from {long_date(terms.effective_from)}), apply to this grant. In summary: {summary}",
            "",
            "Standard conditions of every grant:",
            f"1. Spend the grant only on the approved purpose: {title}.",
            f"2. Send an end-of-grant report within 3 months of the project's end date, by {long_date(due_on)}.",
            "3. Repay any of the grant that is not spent, or that is spent on anything other than the approved "
            "purpose.",
        ]
    )
    repayment = "\n".join(
        [
            "Under section 9(3) of the Police Reform and Social Responsibility Act 2011 the Police and Crime "
            "Commissioner may ask for all or part of the grant to be repaid if:",
            f"- any of it is not spent by {end};",
            "- any of it is spent on anything other than the approved purpose;",
            f"- the end-of-grant report is not sent by {long_date(due_on)}; or",
            "- any other condition of the grant is not met.",
            "Money asked for must be repaid within 30 days of the request.",
        ]
    )
    return conditions, repayment


def _offer(*, actor, application: Application, amount: Decimal, decision: DecisionRecord) -> Award:
    round = application.round
    awarded_on = decision.decided_on
    due_on = report_due_on(application=application, awarded_on=awarded_on)
    conditions, repayment = award_conditions(round=round, application=application, due_on=due_on)
    award = Award(
        application=application,
        amount=amount,
        purpose=(application.summary or application.project_title).strip(),
        conditions=conditions,
        repayment_conditions=repayment,
        decision=decision,
        awarded_on=awarded_on,
        status=Award.Status.OFFERED,
        report_due_on=due_on,
    )
    save_with_history(award, actor=actor, reason=f"Awarded by decision {decision.number}")
    application.status = Application.Status.AWARDED
    application.decision = decision
    save_with_history(application, actor=actor, reason=f"Awarded {format_money(amount)}: decision {decision.number}")
    return award


def _decline(*, actor, application: Application, decision: DecisionRecord) -> None:
    application.status = Application.Status.DECLINED
    application.decision = decision
    save_with_history(application, actor=actor, reason=f"Not funded: decision {decision.number}")


def _notify_outcomes(*, offered: list[Award], declined: list[Application], decision: DecisionRecord) -> None:
    """Each applicant organisation's people hear the outcome, with the PCC's reasons, after the commit."""
    emails = organisation_emails_by_id(
        [a.application.organisation_id for a in offered] + [a.organisation_id for a in declined]
    )
    for award in offered:
        application = award.application
        send_on_commit(
            subject=f"Your application {application.reference} has been awarded a grant of "
            f"{format_money(award.amount)}",
            template="grants/awards/email/outcome_awarded.txt",
            context={
                "award": award,
                "application": application,
                "decision": decision,
                "accept_link": link("grants:award_accept", award.pk),
                "letter_link": link("grants:award_letter", award.pk),
            },
            recipients=emails.get(application.organisation_id, []),
        )
    for application in declined:
        send_on_commit(
            subject=f"Your application {application.reference} has not been funded",
            template="grants/awards/email/outcome_not_funded.txt",
            context={"application": application, "decision": decision},
            recipients=emails.get(application.organisation_id, []),
        )


# --- Money checks ----------------------------------------------------------------------------------------


def money_problems(*, round: GrantRound, adding: Decimal) -> list[str]:
    """Why `adding` more in awards would be too much: over the round's budget, or over the fund's available money
    in the round's year (less offers not yet accepted, which hold no commitment yet). Empty when it fits."""
    money = selectors.round_money(round=round)
    total = money.awarded + adding
    problems = []
    if total > money.budget:
        already = f" (including {format_money(money.awarded)} already awarded in this round)" if money.awarded else ""
        problems.append(
            f"The awards total {format_money(total)}{already}, more than the round's budget of "
            f"{format_money(money.budget)}. Untick applications until the awards total "
            f"{format_money(money.round_left)} or less"
        )
    if adding > money.fund_left:
        held = (
            f", after {format_money(money.offers_outstanding)} offered but not yet accepted"
            if money.offers_outstanding
            else ""
        )
        problems.append(
            f"The awards total {format_money(adding)}, more than the {format_money(money.fund_left)} the "
            f"{money.fund_name} has available in {money.year_label}{held}. Untick applications, or add money to "
            "the fund's budget first"
        )
    return problems


def _round_label(round: GrantRound) -> str:
    scheme = round.scheme.name
    return round.name if round.name.lower().startswith(scheme.lower()) else f"{scheme} {round.name}"


def round_not_decidable_reason(round: GrantRound, *, awaiting_panel: int, to_decide: int) -> str:
    """Why the PCC cannot decide the round now, or "" when they can: the one rule the decision page shows and
    round_decide enforces."""
    if round.status == GrantRound.Status.DECIDED:
        number = (
            f" (decision {round.decision.number}, {long_date(round.decision.decided_on)})" if round.decision_id else ""
        )
        return f"The PCC has already decided this round{number}."
    if round.status not in DECIDABLE_ROUNDS:
        return "This round is a draft. It has no applications to decide."
    if round.closes_at > timezone.now():
        closes = timezone.localtime(round.closes_at)
        return (
            f"This round is open for applications until {long_date(closes.date())}, {closes:%H:%M} UK time. "
            "Decide it once it has closed."
        )
    if awaiting_panel:
        are = "s are" if awaiting_panel != 1 else " is"
        return (
            f"{awaiting_panel} application{are} still being assessed. The round can be decided once the panel has "
            "recommended or not recommended every application."
        )
    if not to_decide:
        return "There are no applications waiting for a decision in this round."
    return ""


def _refuse_conflicted_decider(*, actor, applications) -> None:
    """No one decides an application on which they declared a conflict of interest (Procurement Act 2023
    ss81-83 in spirit; DOMAIN.md, "Evaluation conventions"): another decision-maker must take it."""
    conflicted = sorted(
        AssessorAssignment.objects.filter(
            application__in=applications, assessor_id=actor.pk, declaration=AssessorAssignment.Declaration.CONFLICT
        ).values_list("application__reference", flat=True)
    )
    if conflicted:
        raise ValidationError(
            f"You declared a conflict of interest on {', '.join(conflicted)}, so you cannot decide "
            f"{'it' if len(conflicted) == 1 else 'them'}. Ask the deputy decision-maker to record the decision"
        )


def _close_round_if_done(*, actor, round: GrantRound, reason: str) -> None:
    """A round is decided once no application in it waits for the panel or the PCC."""
    waiting = Application.objects.filter(
        round=round, status__in=[*selectors.AWAITING_PANEL, *WAITING_FOR_DECISION]
    ).exists()
    if not waiting:
        round.status = GrantRound.Status.DECIDED
        save_with_history(round, actor=actor, reason=reason)


# --- Deciding -------------------------------------------------------------------------------------------


def _decision_errors(*, reasons: str, decided_on) -> dict:
    """What a PCC decision lacks: its reasons (published with it) and its date."""
    errors = {}
    if not reasons:
        errors["reasons"] = "Enter the reasons for the decision"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    return errors


@transaction.atomic
def round_decide(
    *,
    actor,
    round: GrantRound,
    decided_on: dt.date,
    reasons: str,
    decisions: dict[int, bool] | None = None,
) -> DecisionRecord:
    """The PCC decides a whole round in one batch, recorded as one numbered decision (DOMAIN.md "Governance").

    Each recommended application is awarded its recommended amount; with `decisions` (the ticked boxes), only
    those marked True are, and the rest (unticked by the PCC) are not funded. Each not-recommended application is
    not funded. Refused, with nothing saved, when the
    awards would total more than the round's budget or the fund's available money in the round's year.
    """
    require(actor, "grants.decide", round)
    round = (
        GrantRound.objects.select_for_update(of=("self",))
        .select_related("scheme", "fund", "year", "terms")
        .get(pk=round.pk)
    )
    reasons = (reasons or "").strip()
    errors = _decision_errors(reasons=reasons, decided_on=decided_on)
    if errors:
        raise ValidationError(errors)
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(round=round, status__in=[*selectors.AWAITING_PANEL, *WAITING_FOR_DECISION])
        .select_related("organisation")
        .order_by("reference")
    )
    awaiting = sum(a.status in selectors.AWAITING_PANEL for a in applications)
    blocker = round_not_decidable_reason(round, awaiting_panel=awaiting, to_decide=len(applications) - awaiting)
    if blocker:
        raise ValidationError(blocker)
    _refuse_conflicted_decider(actor=actor, applications=applications)
    decisions = {int(pk): bool(value) for pk, value in (decisions or {}).items()} if decisions is not None else None
    by_pk = {a.pk: a for a in applications}
    unknown = sorted(set(decisions or {}) - set(by_pk))
    if unknown:
        raise ValidationError("Some of the applications chosen are not waiting for a decision in this round")
    to_award, to_decline = [], []
    for application in applications:
        recommended = application.status == Application.Status.RECOMMENDED
        if not recommended and decisions and decisions.get(application.pk):
            raise ValidationError(
                f"{application.reference} was not recommended by the panel. Decide it on its own to award it"
            )
        chosen = recommended and (decisions is None or decisions.get(application.pk, False))
        (to_award if chosen else to_decline).append(application)
    missing_amount = [a.reference for a in to_award if not a.recommended_amount or a.recommended_amount <= 0]
    if missing_amount:
        raise ValidationError(f"The panel has not recommended an amount for {', '.join(missing_amount)}")
    total = sum((to_money(a.recommended_amount) for a in to_award), start=Decimal("0.00"))
    # Lock the fund's budget for the round's year before checking its money: two rounds on one fund decided at
    # the same moment are then checked one after the other (docs/decisions/0002).
    fund_services.fund_money_lock(fund_id=round.fund_id, year_id=round.year_id)
    problems = money_problems(round=round, adding=total)
    if problems:
        raise ValidationError(problems)

    label = _round_label(round)
    lines = [
        f"To award {len(to_award)} grant{'s' if len(to_award) != 1 else ''} totalling {format_money(total)} from "
        f"the {round.fund.name} ({round.year.label}) in {label}, and not to fund {len(to_decline)} "
        f"application{'s' if len(to_decline) != 1 else ''}.",
    ]
    if to_award:
        lines += ["", "Grants awarded:"]
        lines += [
            f"- {a.reference}, {a.organisation.name}: {format_money(a.recommended_amount)} for {a.project_title}"
            for a in to_award
        ]
    if to_decline:
        lines += ["", "Not funded:"]
        lines += [f"- {a.reference}, {a.organisation.name}: {a.project_title}" for a in to_decline]
    decision = decision_record_create(
        actor=actor,
        subject=f"{label}: awards"[:250],
        legal_basis=LegalBasis.PRSRA_2011_S9,
        decision="\n".join(lines),
        reasons=reasons,
        decided_by=actor,
        decided_on=decided_on,
        amount=total,
        publishable=True,
    )
    offered = [
        _offer(actor=actor, application=a, amount=to_money(a.recommended_amount), decision=decision) for a in to_award
    ]
    for application in to_decline:
        _decline(actor=actor, application=application, decision=decision)
    round.status = GrantRound.Status.DECIDED
    round.decision = decision
    save_with_history(round, actor=actor, reason=f"Decided: decision {decision.number}")
    _notify_outcomes(offered=offered, declined=to_decline, decision=decision)
    return decision


@transaction.atomic
def application_decide(
    *,
    actor,
    application: Application,
    award: bool,
    decided_on: dt.date,
    reasons: str,
    amount=None,
) -> DecisionRecord:
    """The PCC decides one application on its own, with its own numbered decision record. An award defaults to
    the panel's recommended amount, stays within the scheme's limits, and is refused over the round's budget or
    the fund's available money, as a round decision is."""
    require(actor, "grants.decide", application)
    # Lock the round first, then the application: the same order as round_decide and recommendations.
    round = (
        GrantRound.objects.select_for_update(of=("self",))
        .select_related("scheme", "fund", "year", "terms")
        .get(pk=application.round_id)
    )
    # The round's own state (decided, draft, still open); the application's is checked below.
    blocker = round_not_decidable_reason(round, awaiting_panel=0, to_decide=1)
    if blocker:
        raise ValidationError(blocker)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "round__scheme", "round__fund", "round__year", "round__terms")
        .get(pk=application.pk)
    )
    application.round = round
    _refuse_conflicted_decider(actor=actor, applications=[application])
    if application.status not in WAITING_FOR_DECISION:
        raise ValidationError(
            f"{application.reference} is {application.get_status_display().lower()}; only applications the panel "
            "has recommended or not recommended can be decided"
        )
    reasons = (reasons or "").strip()
    errors = _decision_errors(reasons=reasons, decided_on=decided_on)
    if award:
        if amount in (None, ""):
            amount = application.recommended_amount or application.amount_requested
        try:
            amount = to_money(amount) if amount is not None else None
        except ValueError:
            amount = None
        scheme = round.scheme
        if amount is None or amount <= 0:
            errors["amount"] = "Enter the amount of the grant"
        elif not scheme.min_award <= amount <= scheme.max_award:
            errors["amount"] = (
                f"Enter an amount between {format_money(scheme.min_award)} and {format_money(scheme.max_award)}, "
                f"the {scheme.name}'s limits"
            )
        elif application.amount_requested is not None and amount > application.amount_requested:
            errors["amount"] = (
                f"Enter an amount of no more than {format_money(application.amount_requested)}, "
                "the amount the applicant asked for"
            )
    if errors:
        raise ValidationError(errors)
    if award:
        fund_services.fund_money_lock(fund_id=round.fund_id, year_id=round.year_id)
        problems = money_problems(round=round, adding=amount)
        if problems:
            raise ValidationError({"amount": problems})
    label = _round_label(round)
    organisation = application.organisation
    if award:
        text = (
            f"To award {organisation.name} a grant of {format_money(amount)} from the {round.fund.name} "
            f"({round.year.label}) for {application.project_title} ({application.reference}), in {label}."
        )
    else:
        text = f"Not to fund {organisation.name}'s application {application.reference} ({application.project_title})."
    decision = decision_record_create(
        actor=actor,
        subject=f"{label}: {application.reference}, {organisation.name}"[:250],
        legal_basis=LegalBasis.PRSRA_2011_S9,
        decision=text,
        reasons=reasons,
        decided_by=actor,
        decided_on=decided_on,
        amount=amount if award else None,
        publishable=True,
    )
    if award:
        offered, declined = [_offer(actor=actor, application=application, amount=amount, decision=decision)], []
    else:
        _decline(actor=actor, application=application, decision=decision)
        offered, declined = [], [application]
    _close_round_if_done(actor=actor, round=round, reason=f"Every application decided: decision {decision.number}")
    _notify_outcomes(offered=offered, declined=declined, decision=decision)
    return decision
