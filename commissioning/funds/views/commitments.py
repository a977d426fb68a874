"""Commitments of a fund to an agreement (planned → approved → committed → released), their payment schedules,
payments, and asking for a repayment (receiving and waiving one, and the list of payments, are in payments.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning.core.history import history_entries, history_for, newest_first
from commissioning.core.models import separate_commitment_approval
from commissioning.core.money import format_money, to_money
from commissioning.core.shortcuts import form_page, posted, require_perm, save_form
from commissioning.funds import forms, selectors, services
from commissioning.funds.models import (
    Commitment,
    FinancialYear,
    Payment,
    Repayment,
    ScheduledPayment,
)
from commissioning.funds.views._common import commitment_url

PLANNED, APPROVED, COMMITTED, RELEASED = (
    Commitment.Status.PLANNED,
    Commitment.Status.APPROVED,
    Commitment.Status.COMMITTED,
    Commitment.Status.RELEASED,
)
CHANGEABLE = (PLANNED, APPROVED, COMMITTED)
PAYABLE = (APPROVED, COMMITTED)


def _commitment_or_404(pk) -> Commitment:
    try:
        return selectors.commitment_get(pk=pk)
    except Commitment.DoesNotExist as exc:
        raise Http404("No such commitment") from exc


def _change_perms(commitment: Commitment) -> tuple[str, ...]:
    """As the services decide: a planned commitment may be changed by planners or approvers, later only approvers."""
    if commitment.status == PLANNED:
        return ("funds.plan_commitment", "funds.approve_commitment")
    return ("funds.approve_commitment",)


def _may(user, perms, commitment) -> bool:
    return any(user.has_perm(perm, commitment) for perm in perms)


def _left_to_pay(commitment: Commitment):
    return to_money(commitment.live_amount) - to_money(commitment.paid)


def _caption(commitment: Commitment) -> str:
    return f"{commitment.agreement.reference}: {commitment.fund.name}, {commitment.year.label}"


def _blocked(commitment: Commitment, statuses, doing: str, *, needs_open: bool = True) -> str:
    if needs_open and commitment.year.status == FinancialYear.Status.CLOSED:
        return f"{commitment.year.label} is closed, so money under this commitment cannot change."
    if statuses and commitment.status not in statuses:
        return f"This commitment is {commitment.get_status_display().lower()}, so it cannot {doing} now."
    return ""


def _action(
    request,
    commitment: Commitment,
    *,
    perms,
    statuses,
    doing: str,
    form,
    service,
    title: str,
    submit: str,
    success: str,
    warning: str = "",
    needs_open: bool = True,
    anchor: str = "",
    refused: str = "",
):
    """A page with one form acting on a commitment: checks permission and state, calls
    `service(actor=..., commitment=..., **the form's data)`, shows its refusals on the form."""
    if not _may(request.user, perms, commitment):
        raise PermissionDenied
    back = commitment_url(commitment)
    blocked = _blocked(commitment, statuses, doing, needs_open=needs_open) or refused
    if blocked and request.method == "POST" and not refused:
        # Sent again (a double-click, or Back and send): the first one was done; show where it stands now.
        messages.info(request, blocked)
        return redirect(commitment_url(commitment, anchor))
    if blocked:
        return form_page(request, form=None, title=title, caption=_caption(commitment), back_url=back, blocked=blocked)
    form = form(posted(request))

    def act(cleaned):
        return service(actor=request.user, commitment=commitment, **cleaned)

    if save_form(request, form, act, success) is not None:
        return redirect(commitment_url(commitment, anchor))
    return form_page(
        request,
        form=form,
        title=title,
        caption=_caption(commitment),
        back_url=back,
        submit_label=submit,
        warning=warning,
    )


# --- The commitment page (money is planned from the agreement page: agreements.views.money) ------------------


def _planned_by(user, commitment: Commitment) -> bool:
    """Whoever planned a commitment may not approve it (unless the OPCC's profile allows it)."""
    return commitment.created_by_id == user.pk and separate_commitment_approval()


def _actions(user, commitment: Commitment) -> list[tuple[str, str]]:
    """The buttons this person may use on this commitment now: (label, url)."""
    pk = commitment.pk
    left = _left_to_pay(commitment)
    actions = []
    if commitment.year.status == FinancialYear.Status.OPEN:
        if (
            commitment.status == PLANNED
            and user.has_perm("funds.approve_commitment", commitment)
            and not _planned_by(user, commitment)
        ):
            actions.append(("Approve commitment", reverse("funds:commitment_approve", args=[pk])))
        if commitment.status == APPROVED and user.has_perm("funds.approve_commitment", commitment):
            actions.append(("Mark as committed", reverse("funds:commitment_commit", args=[pk])))
        paying = user.has_perm("funds.record_payment", commitment)
        if commitment.status in PAYABLE and paying and left > 0:
            actions.append(("Record a payment", reverse("funds:payment_record", args=[pk])))
        if commitment.status in CHANGEABLE and _may(user, _change_perms(commitment), commitment):
            actions.append(("Change amount", reverse("funds:commitment_vary", args=[pk])))
            actions.append(("Release unspent money", reverse("funds:commitment_release", args=[pk])))
        if commitment.status in CHANGEABLE and paying and left > 0:
            actions.append(("Create payment schedule", reverse("funds:payment_schedule_create", args=[pk])))
    if to_money(commitment.paid) > 0 and user.has_perm("funds.record_payment", commitment):
        actions.append(("Request a repayment", reverse("funds:repayment_request", args=[pk])))
    return actions


def _commitment_log(commitment: Commitment) -> list:
    pk = commitment.pk
    return newest_first(
        history_for(commitment),
        history_entries(
            Payment.history.filter(commitment_id=pk),
            what=lambda row: f"Payment {row.reference} of {format_money(row.amount)}",
        ),
        history_entries(
            ScheduledPayment.history.filter(commitment_id=pk),
            what=lambda row: (
                f"Scheduled payment due {row.due_on.day} {row.due_on:%B %Y}: "
                f"{format_money(row.amount)}, {row.get_status_display().lower()}"
            ),
        ),
        history_entries(
            Repayment.history.filter(commitment_id=pk),
            what=lambda row: f"Repayment of {format_money(row.amount)}: {row.get_status_display().lower()}",
        ),
    )


@login_required
def commitment_detail(request, pk):
    require_perm(request, "funds.view_funds")
    commitment = _commitment_or_404(pk)
    user = request.user
    repayments = list(selectors.repayments_for(commitment=commitment))
    for repayment in repayments:
        repayment.can_receive = repayment.status == Repayment.Status.REQUESTED and user.has_perm(
            "funds.record_payment", repayment
        )
        repayment.can_waive = repayment.status == Repayment.Status.REQUESTED and user.has_perm(
            "funds.waive_repayment", repayment
        )
    return render(
        request,
        "funds/commitment_detail.html",
        {
            "commitment": commitment,
            "left_to_pay": _left_to_pay(commitment),
            "schedule": selectors.schedule_for(commitment=commitment),
            "payments": commitment.payments.select_related("recorded_by").order_by("-paid_on", "-id"),
            "repayments": repayments,
            "actions": _actions(user, commitment),
            "history": _commitment_log(commitment),
        },
    )


# --- Moving a commitment through its states ----------------------------------------------------------------


@login_required
def commitment_approve(request, pk):
    commitment = _commitment_or_404(pk)
    warning = ""
    if commitment.year.pk and commitment.status == PLANNED:
        position = selectors.fund_position(fund=commitment.fund, year=commitment.year)
        own_available = position.own_budget - position.own_committed
        warning = (
            f"Approving takes {format_money(commitment.live_amount)} from {commitment.fund.name}, which has "
            f"{format_money(own_available)} available in {commitment.year.label}."
        )
    return _action(
        request,
        commitment,
        perms=("funds.approve_commitment",),
        statuses=(PLANNED,),
        doing="be approved",
        form=forms.ConfirmForm,
        service=services.commitment_approve,
        title="Approve commitment",
        submit="Approve commitment",
        success="Commitment approved: the money counts against the fund's budget",
        warning=warning,
        refused=(
            "You planned this commitment, so someone else must approve it. Ask another finance officer or the "
            "Chief Finance Officer"
            if commitment.status == PLANNED and _planned_by(request.user, commitment)
            else ""
        ),
    )


@login_required
def commitment_commit(request, pk):
    commitment = _commitment_or_404(pk)
    return _action(
        request,
        commitment,
        perms=("funds.approve_commitment",),
        statuses=(APPROVED,),
        doing="be marked as committed",
        form=forms.ConfirmForm,
        service=services.commitment_commit,
        title="Mark as committed",
        submit="Mark as committed",
        success="The money is committed",
        warning="Mark the money as committed once the agreement is signed and the money is promised to the provider.",
    )


@login_required
def commitment_vary(request, pk):
    commitment = _commitment_or_404(pk)
    return _action(
        request,
        commitment,
        perms=_change_perms(commitment),
        statuses=CHANGEABLE,
        doing="be changed",
        form=forms.CommitmentVaryForm,
        service=services.commitment_vary,
        title="Change the amount committed",
        submit="Change amount",
        success="The commitment's amount has changed",
        warning=f"Now {format_money(commitment.live_amount)}, of which {format_money(commitment.paid)} is paid. "
        "An increase must fit in the money the fund has available.",
    )


@login_required
def commitment_release(request, pk):
    commitment = _commitment_or_404(pk)
    return _action(
        request,
        commitment,
        perms=_change_perms(commitment),
        statuses=CHANGEABLE,
        doing="release money",
        form=forms.CommitmentReleaseForm,
        service=services.commitment_release,
        title="Release unspent money",
        submit="Release money",
        success="The money has been released back to the fund",
        warning=f"{format_money(_left_to_pay(commitment))} of this commitment is unpaid. Released money goes back "
        "to the fund and cannot be paid under this commitment again.",
    )


@login_required
def payment_schedule_create(request, pk):
    commitment = _commitment_or_404(pk)
    return _action(
        request,
        commitment,
        perms=("funds.record_payment",),
        statuses=CHANGEABLE,
        doing="have a payment schedule",
        form=forms.PaymentScheduleForm,
        service=services.payment_schedule_create,
        title="Create a payment schedule",
        submit="Create payment schedule",
        success="The payment schedule has been created",
        warning=f"The {format_money(_left_to_pay(commitment))} left to pay is shared across {commitment.year.label}. "
        "A new schedule replaces the payments still due under an old one.",
        anchor="schedule",
    )


@login_required
def payment_record(request, pk):
    commitment = _commitment_or_404(pk)
    due = list(selectors.schedule_for(commitment=commitment).filter(status=ScheduledPayment.Status.DUE))
    return _action(
        request,
        commitment,
        perms=("funds.record_payment",),
        statuses=PAYABLE,
        doing="be paid (approve it first)",
        form=lambda data: forms.PaymentForm(data, due=due),
        service=services.payment_record,
        title="Record a payment",
        submit="Record payment",
        success="Payment {result.reference} has been recorded",
        warning=f"{format_money(_left_to_pay(commitment))} is left to pay. Check the amount and reference against "
        "the finance system: a payment cannot be changed once recorded.",
        anchor="payments",
    )


# --- Repayments ------------------------------------------------------------------------------------------------


@login_required
def repayment_request(request, pk):
    commitment = _commitment_or_404(pk)
    return _action(
        request,
        commitment,
        perms=("funds.record_payment",),
        statuses=(),
        doing="",
        needs_open=False,  # money can be asked back after the year has closed
        form=forms.RepaymentRequestForm,
        service=services.repayment_request,
        title="Request a repayment",
        submit="Request repayment",
        success="A repayment of {result.amount} has been requested",
        warning=f"{format_money(commitment.paid)} has been paid under this commitment. Ask for money back only "
        "when a condition of the agreement was not met.",
        anchor="repayments",
    )
