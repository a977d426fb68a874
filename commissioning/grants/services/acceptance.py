"""The applicant's answer to a grant offer (issue 5, point 4): accepting it online, which puts the grant in the
register as a service with its grant agreement and commits the money from the round's fund, or declining it.

Each function takes keyword arguments and the acting person, checks their permission (permissions/awards.py),
runs in one transaction, validates with full_clean, leaves who and why on the history rows
(django-simple-history) and sends e-mail only after the transaction commits.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from commissioning.agreements import services as agreement_services
from commissioning.agreements.models import Agreement, Service
from commissioning.core.authority import acting_with_authority
from commissioning.core.money import format_money
from commissioning.core.services import require, save_with_history
from commissioning.funds import services as fund_services
from commissioning.grants.models import Award
from commissioning.grants.services.notify import link, role_emails, send_on_commit

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
    require(actor, "grants.accept_award", award)
    award = lock_award(award)
    require(actor, "grants.accept_award", award)  # still offered now that it is locked
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
            actor=officer, commitment=commitment, reason=f"Decision {award.decision.number}", decision=award.decision
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
    require(actor, "grants.accept_award", award)
    award = lock_award(award)
    require(actor, "grants.accept_award", award)
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
