"""Template helpers for GOV.UK markup. Loaded as a builtin in every template."""

import itertools
import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.filter(needs_autoescape=True)
def govuk_text(value, autoescape=True):
    """Text people typed, as GOV.UK body paragraphs: a blank line starts a paragraph, a single line break is kept.
    Django's linebreaks gives bare <p> elements, which GOV.UK Frontend leaves unstyled."""
    from django.utils.html import conditional_escape, format_html_join
    from django.utils.safestring import mark_safe

    escape = conditional_escape if autoescape else (lambda text: text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", str(value or "").replace("\r\n", "\n")) if p.strip()]
    return format_html_join(
        "\n", '<p class="govuk-body">{}</p>', ((mark_safe(escape(p).replace("\n", "<br>")),) for p in paragraphs)
    )


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


@register.filter
def with_fragment(url, fragment):
    """`url#fragment`, or "" when there is no url (so an action link given it is left out)."""
    return f"{url}#{fragment}" if url else ""


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


# GOV.UK summary lists and summary cards (GOV.UK Frontend 5 markup) ------------------------------------------------
#
#   {% summary_list %}                                      <dl class="govuk-summary-list">
#     {% summary_row "Provider" service.provider.name %}   a row with a plain value (escaped)
#     {% summary_row "Phone" contact.phone empty="Not recorded" action_url=url action_hidden="phone number" %}
#     {% summary_row "Website" %}<a ...>...</a>{% endsummary_row %}    a row whose value is HTML
#   {% endsummary_list %}
#
#   {% summary_card "Details" id="section-x" level=3 %}    a summary card; its body holds a summary list
#     {% if can_edit %}{% card_action url "Change" "organisation details" %}{% endif %}
#     {% card_tag "Main contact" "blue" %}                 a tag after the title
#     {% summary_list %}...{% endsummary_list %}
#   {% endsummary_card %}
#
# An empty value (None or "") shows `empty` ("Not recorded" unless given). When any row of a list has an action,
# the rows without one get `govuk-summary-list__row--no-actions`, as GOV.UK Frontend does.

EMPTY_VALUE = "Not recorded"
_NO_ACTIONS_MARK = "\x00no-actions\x00"
_LIST_STATE = "_govuk_summary_list"
_CARD_STATE = "_govuk_summary_card"


def _parse_arguments(parser, bits, tag_name, *, most_positional):
    """Positional filter expressions, then name=value keyword arguments."""
    args, kwargs = [], {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if sep and name.isidentifier() and not bit.startswith(('"', "'")):
            kwargs[name] = parser.compile_filter(value)
        elif kwargs:
            raise template.TemplateSyntaxError(f"{tag_name}: positional argument {bit} after a keyword argument")
        else:
            args.append(parser.compile_filter(bit))
    if len(args) > most_positional:
        raise template.TemplateSyntaxError(f"{tag_name} takes at most {most_positional} positional arguments")
    return args, kwargs


def _resolve(kwargs, context):
    return {name: value.resolve(context) for name, value in kwargs.items()}


def _action_link(url, label, hidden, card_title=""):
    """An action link with its visually hidden text (and the card's title in brackets, as GOV.UK Frontend does)."""
    hidden_text = f" {hidden}" if hidden else ""
    if card_title:
        hidden_text += f" ({card_title})"
    if not hidden_text:
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, label)
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">{}</span></a>', url, label, hidden_text
    )


class SummaryListNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist, self.kwargs = nodelist, kwargs

    def render(self, context):
        options = _resolve(self.kwargs, context)
        state = {"any_actions": False}
        with context.push({_LIST_STATE: state}):
            body = self.nodelist.render(context)
        body = body.replace(_NO_ACTIONS_MARK, " govuk-summary-list__row--no-actions" if state["any_actions"] else "")
        classes = options.get("classes")
        attributes = format_html(' id="{}"', options["id"]) if options.get("id") else ""
        return format_html(
            '<dl class="govuk-summary-list{}"{}>{}</dl>', f" {classes}" if classes else "", attributes, mark_safe(body)
        )


@register.tag
def summary_list(parser, token):
    """`{% summary_list [classes="govuk-summary-list--no-border"] [id=...] %}...{% endsummary_list %}`."""
    bits = token.split_contents()
    _args, kwargs = _parse_arguments(parser, bits[1:], bits[0], most_positional=0)
    nodelist = parser.parse(("endsummary_list",))
    parser.delete_first_token()
    return SummaryListNode(nodelist, kwargs)


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class SummaryRowNode(template.Node):
    def __init__(self, key, value, nodelist, kwargs):
        self.key, self.value, self.nodelist, self.kwargs = key, value, nodelist, kwargs

    def render(self, context):
        options = _resolve(self.kwargs, context)
        if self.nodelist is not None:
            value = mark_safe(self.nodelist.render(context).strip())
        else:
            value = self.value.resolve(context)
        if _is_empty(value):
            value = options.get("empty", EMPTY_VALUE)
        list_state = context.get(_LIST_STATE)
        card_state = context.get(_CARD_STATE)
        action_url = options.get("action_url")
        if action_url:
            link = _action_link(
                action_url,
                options.get("action_label", "Change"),
                options.get("action_hidden", ""),
                card_state["title"] if card_state else "",
            )
            actions = format_html('<dd class="govuk-summary-list__actions">{}</dd>', link)
            if list_state is not None:
                list_state["any_actions"] = True
            row_class = ""
        else:
            actions = ""
            row_class = _NO_ACTIONS_MARK if list_state is not None else ""
        if options.get("classes"):
            row_class += f" {options['classes']}"
        return format_html(
            '<div class="govuk-summary-list__row{}"><dt class="govuk-summary-list__key">{}</dt>'
            '<dd class="govuk-summary-list__value">{}</dd>{}</div>',
            mark_safe(row_class),
            self.key.resolve(context),
            value,
            actions,
        )


@register.tag
def summary_row(parser, token):
    """`{% summary_row key value [empty=...] [action_url=... action_label="Change" action_hidden=...] [classes=...] %}`
    for a plain value, or `{% summary_row key [...] %}html{% endsummary_row %}` for a value written in HTML."""
    bits = token.split_contents()
    args, kwargs = _parse_arguments(parser, bits[1:], bits[0], most_positional=2)
    if not args:
        raise template.TemplateSyntaxError("summary_row needs a key")
    if len(args) == 2:
        return SummaryRowNode(args[0], args[1], None, kwargs)
    nodelist = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(args[0], None, nodelist, kwargs)


class SummaryCardNode(template.Node):
    def __init__(self, title, nodelist, kwargs):
        self.title, self.nodelist, self.kwargs = title, nodelist, kwargs

    def render(self, context):
        options = _resolve(self.kwargs, context)
        title = self.title.resolve(context)
        state = {"title": str(title), "actions": [], "tags": []}
        with context.push({_CARD_STATE: state}):
            body = self.nodelist.render(context).strip()
        level = int(options.get("level", 2))
        heading = format_html(
            '<h{} class="govuk-summary-card__title">{}{}</h{}>',
            level,
            title,
            mark_safe("".join(format_html(" {}", tag) for tag in state["tags"])),
            level,
        )
        links = [_action_link(url, label, hidden, state["title"]) for url, label, hidden in state["actions"]]
        if len(links) == 1:
            actions = format_html('<div class="govuk-summary-card__actions">{}</div>', links[0])
        elif links:
            items = mark_safe("".join(format_html('<li class="govuk-summary-card__action">{}</li>', a) for a in links))
            actions = format_html('<ul class="govuk-summary-card__actions">{}</ul>', items)
        else:
            actions = ""
        attributes = format_html(' id="{}"', options["id"]) if options.get("id") else ""
        classes = f" {options['classes']}" if options.get("classes") else ""
        return format_html(
            '<div class="govuk-summary-card{}"{}><div class="govuk-summary-card__title-wrapper">{}{}</div>'
            '<div class="govuk-summary-card__content">{}</div></div>',
            classes,
            attributes,
            heading,
            actions,
            mark_safe(body),
        )


@register.tag
def summary_card(parser, token):
    """`{% summary_card title [level=2] [id=...] [classes=...] %}...{% endsummary_card %}`: a GOV.UK summary card.
    Inside it, `{% card_action url label hidden %}` adds an action and `{% card_tag label colour %}` a tag."""
    bits = token.split_contents()
    args, kwargs = _parse_arguments(parser, bits[1:], bits[0], most_positional=1)
    if not args:
        raise template.TemplateSyntaxError("summary_card needs a title")
    nodelist = parser.parse(("endsummary_card",))
    parser.delete_first_token()
    return SummaryCardNode(args[0], nodelist, kwargs)


@register.simple_tag(takes_context=True)
def card_action(context, url, label="Change", hidden=""):
    """An action link in the title bar of the summary card around it."""
    state = context.get(_CARD_STATE)
    if state is None:
        raise template.TemplateSyntaxError("card_action is only used inside summary_card")
    state["actions"].append((url, label, hidden))
    return ""


@register.simple_tag(takes_context=True)
def card_tag(context, label, colour=""):
    """A GOV.UK tag after the title of the summary card around it."""
    state = context.get(_CARD_STATE)
    if state is None:
        raise template.TemplateSyntaxError("card_tag is only used inside summary_card")
    state["tags"].append(status_tag(label, colour))
    return ""


_CAPTION = re.compile(r"<caption\b([^>]*)>", re.I)
_CAPTION_ID = re.compile(r"""\bid=["']([^"']+)["']""")
_table_ids = itertools.count(1)


class ScrollingTableNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        found = _CAPTION.search(html)
        if found is None:
            raise template.TemplateSyntaxError("scrolling_table needs a table with a <caption> to name its region")
        named = _CAPTION_ID.search(found.group(1))
        if named:
            caption_id = named.group(1)
        else:
            caption_id = f"table-caption-{next(_table_ids)}"
            html = f'{html[: found.start()]}<caption id="{caption_id}"{found.group(1)}>{html[found.end() :]}'
        return format_html(
            '<div class="app-table-scroll" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            caption_id,
            mark_safe(html),  # noqa: S308 - the template's own rendered markup
        )


@register.tag
def scrolling_table(parser, token):
    """{% scrolling_table %}<table>…<caption>…</caption>…</table>{% endscrolling_table %}: a table wider than the
    screen scrolls on its own, in a region named by its caption that keyboard users can focus and scroll, instead
    of the whole page scrolling sideways (WCAG 1.4.10 Reflow). Styles: .app-table-scroll in frontend/."""
    nodelist = parser.parse(("endscrolling_table",))
    parser.delete_first_token()
    return ScrollingTableNode(nodelist)
