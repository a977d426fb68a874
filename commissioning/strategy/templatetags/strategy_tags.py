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


@register.simple_tag
def page_links(page_obj):
    """Page numbers for GOV.UK pagination: first, last and one either side of the current page."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1))
