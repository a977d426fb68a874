"""Template helpers for the funds pages (and the status tags other apps' money panels use)."""

from django import template

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
def funds_status(value, label):
    from commissioning.core.templatetags.govuk import status_tag

    return status_tag(label, STATUS_COLOURS.get(value, "grey"))
