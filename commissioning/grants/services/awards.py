"""Every write for the PCC's grant decisions and the award offer (issue 5, point 4): deciding a round in one batch
or an application on its own, and accepting or declining an offer. What follows an accepted award (end-of-grant
reports, their reminders and asking for money back) is in services/reports.py.

Each function takes keyword arguments and the acting person, checks their permission (permissions/awards.py),
runs in one transaction, validates with full_clean, leaves who and why on the history rows
(django-simple-history) and sends e-mail only after the transaction commits.

Grants are made under section 9 of the Police Reform and Social Responsibility Act 2011 and may carry
conditions, including repayment (s9(3)); each PCC decision is a numbered, published decision record
(DOMAIN.md "Legal basis" and "Governance").
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement, Service
from commissioning.core.authority import acting_with_authority
from commissioning.core.dates import add_months
from commissioning.core.money import format_money, to_money
from commissioning.funds import services as fund_services
from commissioning.grants.models import Application, Award, GrantRound
from commissioning.grants.selectors import awards as selectors
from commissioning.strategy.models import DecisionRecord, LegalBasis
from commissioning.strategy.services import decision_record_create

REASON_MAX_LENGTH = 100  # the history table's change-reason column
# Rounds whose applications can be decided: open for applications (and now closed) or being assessed.
DECIDABLE_ROUNDS = (GrantRound.Status.PUBLISHED, GrantRound.Status.ASSESSING)
WAITING_FOR_DECISION = (Application.Status.RECOMMENDED, Application.Status.NOT_RECOMMENDED)
REPORT_MONTHS_AFTER_END = 3
TERMS_SUMMARY_WORDS = 80

# What accepting an award sets in motion: the service in the register, its grant agreement, and the commitment
# from the fund with its payment schedule. The applicant who accepts holds none of these permissions, and no
# single OPCC role holds them all (the register belongs to commissioning officers, approving a commitment to a
# finance officer or the CFO). The PCC's decision is the authority for every one of these steps, so they are
# recorded in the history as the PCC who made the decision (Award.decision.decided_by) and allowed exactly these
# permissions and no others. The funds engine still refuses anything over budget or against a ring-fence.
ACCEPTANCE_PERMISSIONS = frozenset(
    {
        "agreements.change_service",
        "agreements.manage_agreement",
        "funds.plan_commitment",
        "funds.approve_commitment",
        "funds.record_payment",
    }
)


def require_perm(actor, perm: str, obj=None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def save_with_history(instance, *, actor, reason: str) -> None:
    """Validate, then save with who and why recorded in the instance's history."""
    instance.full_clean()
    instance._history_user = actor
    instance._change_reason = (reason or "").strip()[:REASON_MAX_LENGTH] or None
    instance.save()


def shown_date(day: dt.date) -> str:
    """24 November 2026."""
    return f"{day.day} {day:%B %Y}"


# --- E-mail ----------------------------------------------------------------------------------------------


def _organisation_emails(organisation_ids) -> dict[int, list[str]]:
    """{organisation id: e-mail addresses of its active people}. One query."""
    by_organisation = defaultdict(list)
    rows = (
        get_user_model()
        .objects.filter(organisation_id__in=set(organisation_ids), is_active=True)
        .order_by("email")
        .values_list("organisation_id", "email")
    )
    for organisation_id, email in rows:
        by_organisation[organisation_id].append(email)
    return by_organisation


def organisation_emails(organisation_id) -> list[str]:
    return _organisation_emails([organisation_id]).get(organisation_id, [])


def role_emails(*roles) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(role__in=[str(r) for r in roles], is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


def send_on_commit(*, subject: str, template: str, context: dict, recipients) -> None:
    """Render now, send once the transaction has committed (nothing is sent if it rolls back)."""
    recipients = sorted(set(recipients))
    if not recipients:
        return
    body = render_to_string(template, {**context, "service_name": settings.SERVICE_NAME})
    transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


def link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


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
    end = shown_date(application.ends_on) if application.ends_on else "the end of the project"
    conditions = "\n".join(
        [
            f"The {round.scheme.name} terms and conditions, version {terms.version} "
            f"(in force from {shown_date(terms.effective_from)}), apply to this grant. In summary: {summary}",
            "",
            "Standard conditions of every grant:",
            f"1. Spend the grant only on the approved purpose: {title}.",
            f"2. Send an end-of-grant report within 3 months of the project's end date, by {shown_date(due_on)}.",
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
            f"- the end-of-grant report is not sent by {shown_date(due_on)}; or",
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
    emails = _organisation_emails(
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


def _check_round_open_for_decision(round: GrantRound) -> None:
    if round.status == GrantRound.Status.DECIDED:
        number = f" (decision {round.decision.number})" if round.decision_id else ""
        raise ValidationError(f"{round.name} has already been decided{number}")
    if round.status not in DECIDABLE_ROUNDS:
        raise ValidationError(f"{round.name} is a draft; it has no applications to decide")
    if round.closes_at > timezone.now():
        closes = timezone.localtime(round.closes_at)
        raise ValidationError(
            f"{round.name} is open for applications until {shown_date(closes.date())}, {closes:%H:%M}; "
            "decide it once it has closed"
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
    require_perm(actor, "grants.decide", round)
    round = (
        GrantRound.objects.select_for_update(of=("self",))
        .select_related("scheme", "fund", "year", "terms")
        .get(pk=round.pk)
    )
    _check_round_open_for_decision(round)
    reasons = (reasons or "").strip()
    errors = {}
    if not reasons:
        errors["reasons"] = "Enter the reasons for the decision"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    if errors:
        raise ValidationError(errors)
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(round=round, status__in=[*selectors.AWAITING_PANEL, *WAITING_FOR_DECISION])
        .select_related("organisation")
        .order_by("reference")
    )
    awaiting = [a for a in applications if a.status in selectors.AWAITING_PANEL]
    if awaiting:
        raise ValidationError(
            f"{len(awaiting)} application{'s are' if len(awaiting) != 1 else ' is'} still being assessed "
            f"({', '.join(a.reference for a in awaiting[:5])}). The round can be decided once the panel has "
            "recommended or not recommended every application"
        )
    if not applications:
        raise ValidationError("There are no applications waiting for a decision in this round")
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
    require_perm(actor, "grants.decide", application)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "round__scheme", "round__fund", "round__year", "round__terms")
        .get(pk=application.pk)
    )
    round = (
        GrantRound.objects.select_for_update(of=("self",))
        .select_related("scheme", "fund", "year", "terms")
        .get(pk=application.round_id)
    )
    application.round = round
    if application.status not in WAITING_FOR_DECISION:
        raise ValidationError(
            f"{application.reference} is {application.get_status_display().lower()}; only applications the panel "
            "has recommended or not recommended can be decided"
        )
    reasons = (reasons or "").strip()
    errors = {}
    if not reasons:
        errors["reasons"] = "Enter the reasons for the decision"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
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
    if errors:
        raise ValidationError(errors)
    if award:
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


# --- The applicant's answer ------------------------------------------------------------------------------


def lock_award(award: Award) -> Award:
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related(
            "application__organisation",
            "application__round__scheme",
            "application__round__fund",
            "application__round__year",
            "decision__decided_by",
        )
        .get(pk=award.pk)
    )


@transaction.atomic
def award_accept(*, actor, award: Award, name: str) -> Award:
    """The applicant accepts the grant's terms online. In the same transaction the grant becomes a service in the
    register (community grant, provided by the applicant organisation), an active grant agreement carrying the
    award's conditions and decision, and a commitment from the round's fund and year (planned, approved,
    committed) paid in one instalment in advance. If the fund cannot take the commitment (over its budget, or
    ring-fenced for another purpose) nothing is saved and the funds engine's reason is shown."""
    require_perm(actor, "grants.accept_award", award)
    award = lock_award(award)
    require_perm(actor, "grants.accept_award", award)  # still offered now that it is locked
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter your full name"})
    application = award.application
    organisation = application.organisation
    round = application.round
    today = timezone.localdate()
    officer = acting_with_authority(award.decision.decided_by, ACCEPTANCE_PERMISSIONS, only=True)
    starts_on = application.starts_on or award.awarded_on
    ends_on = application.ends_on if application.ends_on and application.ends_on > starts_on else award.report_due_on
    try:
        service = agreement_services.service_create(
            actor=officer,
            name=Truncator(application.project_title or f"Community grant to {organisation.name}").chars(200),
            purpose=award.purpose,
            provider=organisation,
            approach=Service.Approach.COMMUNITY_GRANT,
            priorities=application.priorities.all(),
            starts_on=starts_on,
            ends_on=application.ends_on,
            status=Service.Status.ACTIVE,
        )
        agreement = agreement_services.agreement_create(
            actor=officer,
            service=service,
            kind=Agreement.Kind.GRANT,
            regime=Agreement.Regime.GRANT,
            value=award.amount,
            starts_on=starts_on,
            ends_on=ends_on,
            conditions=award.conditions,
            repayment_conditions=award.repayment_conditions,
            payment_terms="Paid in full in advance",
            decision=award.decision,
        )
        agreement = agreement_services.agreement_activate(actor=officer, agreement=agreement, signed_on=today)
        commitment = fund_services.commitment_plan(
            actor=officer,
            fund=round.fund,
            year=round.year,
            agreement=agreement,
            amount=award.amount,
            reason=f"Community grant {application.reference} accepted",
        )
        commitment = fund_services.commitment_approve(
            actor=officer, commitment=commitment, reason=f"Decision {award.decision.number}"
        )
        commitment = fund_services.commitment_commit(
            actor=officer, commitment=commitment, reason=f"Terms accepted by {organisation.name}"
        )
        fund_services.payment_schedule_create(
            actor=officer, commitment=commitment, frequency="annual", in_arrears=False, reason="Paid in advance"
        )
    except ValidationError as exc:
        raise ValidationError(
            f"The grant could not be set up, so your acceptance has not been recorded: {' '.join(exc.messages)} "
            f"Nothing has been saved. Contact the OPCC, quoting {application.reference}."
        ) from exc
    award.status = Award.Status.ACCEPTED
    award.accepted_by = actor
    award.accepted_at = timezone.now()
    award.agreement = agreement
    save_with_history(award, actor=actor, reason=f"Terms accepted by {name} for {organisation.name}")
    send_on_commit(
        subject=f"Grant {application.reference} accepted: pay {format_money(award.amount)} in advance",
        template="grants/awards/email/accepted.txt",
        context={
            "award": award,
            "application": application,
            "name": name,
            "agreement": agreement,
            "link": link("grants:award_detail", award.pk),
        },
        recipients=role_emails("finance_officer", "commissioning_manager"),
    )
    return award


@transaction.atomic
def award_decline(*, actor, award: Award, reason: str = "") -> Award:
    """The applicant turns the offer down; the money stays in the fund."""
    require_perm(actor, "grants.accept_award", award)
    award = lock_award(award)
    require_perm(actor, "grants.accept_award", award)
    reason = (reason or "").strip()
    award.status = Award.Status.DECLINED
    save_with_history(
        award, actor=actor, reason=f"Offer declined: {reason}" if reason else "Offer declined by the applicant"
    )
    application = award.application
    send_on_commit(
        subject=f"Grant {application.reference} declined by {application.organisation.name}",
        template="grants/awards/email/declined.txt",
        context={
            "award": award,
            "application": application,
            "reason": reason,
            "link": link("grants:award_detail", award.pk),
        },
        recipients=role_emails("commissioning_manager"),
    )
    return award
