"""Status tags for strategy versions and variations, coloured the same way on every page."""

from django import template

from commissioning.core.templatetags.govuk import status_tag

register = template.Library()

COLOURS = {
    "draft": "grey",
    "awaiting_sign_off": "blue",
    "signed": "green",
    "superseded": "grey",
    "in_effect": "green",
    "withdrawn": "red",
}


@register.simple_tag
def record_status(record):
    """The GOV.UK tag for a StrategyVersion or Variation's status."""
    return status_tag(record.get_status_display(), COLOURS.get(record.status, ""))
