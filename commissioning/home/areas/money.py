"""Areas for finance: commitments to approve and commit, payments due, transfers and repayments."""

from django.urls import reverse

from commissioning.core.dates import long_date
from commissioning.core.money import format_money
from commissioning.funds import selectors as fund_selectors
from commissioning.funds.models import Commitment
from commissioning.home.areas import Area, Item, due, queue


def _commitment_item(url_name: str, tag: str):
    def item(commitment):
        return Item(
            label=(
                f"{commitment.agreement.reference}: {format_money(commitment.live_amount)} from {commitment.fund.name}"
            ),
            url=reverse(url_name, args=[commitment.pk]),
            hint=f"{commitment.agreement.service.name}, {commitment.year.label}",
            tag=tag,
        )

    return item


def commitments_to_approve(user, *, today) -> Area:
    commitments = fund_selectors.commitments_at(status=Commitment.Status.PLANNED)
    count, items = queue(commitments, _commitment_item("funds:commitment_approve", "Approve"))
    return Area(
        "commitments-to-approve", "Commitments to approve", count, items, empty="No commitments wait for approval."
    )


def commitments_to_commit(user, *, today) -> Area:
    commitments = fund_selectors.commitments_at(status=Commitment.Status.APPROVED)
    count, items = queue(commitments, _commitment_item("funds:commitment_commit", "Mark as committed"))
    return Area("commitments-to-commit", "Approved commitments to mark as committed", count, items)


def payments_due(user, *, today) -> Area:
    def item(scheduled):
        commitment = scheduled.commitment
        when, colour = due(scheduled.due_on, today)
        return Item(
            label=f"{format_money(scheduled.amount)} to {commitment.agreement.service.name}",
            url=reverse("funds:payment_record", args=[commitment.pk]),
            hint=f"{commitment.agreement.reference}, from {commitment.fund.name}",
            tag=when,
            tag_colour=colour,
        )

    count, items = queue(fund_selectors.payments_due(today=today), item)
    return Area(
        "payments-due",
        f"Payments due in the next {fund_selectors.PAYMENTS_DUE_WITHIN_DAYS} days",
        count,
        items,
        empty="No scheduled payments are due.",
    )


def transfers_to_decide(user, *, today) -> Area:
    def item(virement):
        return Item(
            label=f"{format_money(virement.amount)} from {virement.from_fund.name} to {virement.to_fund.name}",
            url=reverse("funds:virement_decide", args=[virement.pk]),
            hint=virement.year.label,
            tag="Decide",
        )

    count, items = queue(fund_selectors.virements_to_decide(user=user), item)
    return Area("transfers-to-decide", "Transfers between funds to decide", count, items)


def repayments_to_receive(user, *, today) -> Area:
    def item(repayment):
        agreement = repayment.commitment.agreement
        return Item(
            label=f"{format_money(repayment.amount)} from {agreement.service.name}",
            url=reverse("funds:repayment_receive", args=[repayment.pk]),
            hint=f"{agreement.reference}, asked for on {long_date(repayment.requested_on)}",
            tag="Record when received",
        )

    count, items = queue(fund_selectors.repayments_outstanding(), item)
    return Area("repayments", "Repayments to receive", count, items)
