"""Template helpers for GOV.UK markup. Loaded as a builtin in every template."""

from django import template
from django.utils.html import format_html

from commissioning.core.dates import FinancialYear
from commissioning.core.money import format_money

register = template.Library()

INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "searchtextarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
    "govuk-input": "govuk-input--error",
}


@register.simple_tag
def govuk_widget(field, extra_class=""):
    """Render a field's widget with GOV.UK classes, the error state and aria-describedby for hint and error."""
    css = INPUT_CLASSES.get(field.widget_type, "govuk-input")
    classes = [css]
    existing = field.field.widget.attrs.get("class", "")
    if existing:
        classes.append(existing)
    if extra_class:
        classes.append(extra_class)
    if field.errors:
        classes.append(ERROR_CLASSES[css])
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"class": " ".join(classes)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def money(value):
    return format_money(value)


@register.filter
def financial_year(day):
    return FinancialYear.for_date(day).label if day else ""


@register.simple_tag
def status_tag(label, colour=""):
    colour_class = f" govuk-tag--{colour}" if colour else ""
    return format_html('<strong class="govuk-tag{}">{}</strong>', colour_class, label)


@register.simple_tag
def page_links(page):
    """Page numbers for GOV.UK pagination: first, last and one either side of the current page."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(*forms):
    """Every error of the given forms, each linking to its field (GOV.UK error summary)."""
    items = []
    for form in forms:
        if not form or not getattr(form, "errors", None):
            continue
        for error in form.non_field_errors():
            items.append({"href": "", "text": error})
        for bound in form:
            for error in bound.errors:
                anchor = bound.auto_id
                if bound.widget_type == "govukdate":
                    anchor = f"{bound.auto_id}_0"
                elif bound.widget_type in {"radioselect", "checkboxselectmultiple"}:
                    anchor = f"{bound.auto_id}_0"
                items.append({"href": f"#{anchor}", "text": error})
    return {"items": items}
