"""Template helpers for the funds pages, and the money panel other apps' pages include for an agreement."""

from django import template
from django.urls import NoReverseMatch, reverse

from commissioning.accounts.rules import is_partner
from commissioning.core.money import to_money
from commissioning.funds import selectors

register = template.Library()

# GOV.UK spacing overrides, so sub-funds read as part of the fund above them without inline styles (CSP).
INDENTS = {0: "", 1: "govuk-!-padding-left-4", 2: "govuk-!-padding-left-7"}
STATUS_COLOURS = {
    # commitments
    "planned": "blue",
    "approved": "yellow",
    "committed": "green",
    "released": "grey",
    # transfers and repayments
    "requested": "yellow",
    "rejected": "red",
    "received": "green",
    "waived": "grey",
    # scheduled payments and years
    "due": "blue",
    "paid": "green",
    "cancelled": "grey",
    "open": "green",
    "closed": "grey",
}


@register.filter
def indent(depth) -> str:
    return INDENTS.get(depth, INDENTS[2]) if depth else ""


@register.simple_tag
def funds_dashboard_url() -> str:
    """The reporting pages' fund dashboard, when it is installed ("" otherwise)."""
    try:
        return reverse("funds:dashboard")
    except NoReverseMatch:
        return ""


@register.simple_tag
def funds_status(value, label):
    from commissioning.core.templatetags.govuk import status_tag

    return status_tag(label, STATUS_COLOURS.get(value, "grey"))


def _co_funds(user, agreement) -> bool:
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id or not is_partner(user):
        return False
    # .all() uses the register's prefetch of the service's co-funders when there is one.
    return any(share.organisation_id == organisation_id for share in agreement.service.co_funders.all())


@register.inclusion_tag("funds/_agreement_money_table.html", takes_context=True)
def agreement_money(context, agreement):
    """An agreement's commitments by fund and year: status, live amount, paid and what is left to pay.

    Shown to people who may see funds, and read-only to a partner whose organisation co-funds the service;
    links only to pages the person may open. One query for the commitments.
    """
    user = context.get("user") or getattr(context.get("request"), "user", None)
    can_see_funds = bool(user and user.has_perm("funds.view_funds"))
    visible = can_see_funds or bool(user and _co_funds(user, agreement))
    rows = []
    if visible:
        for commitment in selectors.commitments_for_agreement(agreement=agreement):
            live, paid = to_money(commitment.live_amount), to_money(commitment.paid)
            rows.append({"commitment": commitment, "live": live, "paid": paid, "left": live - paid})
    can_plan = (
        can_see_funds and agreement.status not in ("ended", "terminated") and user.has_perm("funds.plan_commitment")
    )
    return {
        "visible": visible,
        "agreement": agreement,
        "rows": rows,
        "links": can_see_funds,
        "plan_url": f"{reverse('funds:commitment_create')}?agreement={agreement.pk}" if can_plan else "",
        "totals": {name: sum((row[name] for row in rows), to_money(0)) for name in ("live", "paid", "left")},
    }
