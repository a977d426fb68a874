"""The shared GOV.UK page pieces: summary lists, summary cards and the list page."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_summary_row_escapes_plain_values_and_shows_empty_ones_consistently():
    html = render(
        '{% summary_list %}{% summary_row "Name" name %}{% summary_row "Phone" phone %}'
        '{% summary_row "Email" email empty="Not given" %}{% summary_row "Count" count %}{% endsummary_list %}',
        name="<b>Ann</b>",
        phone=None,
        email="",
        count=0,
    )
    assert html == (
        '<dl class="govuk-summary-list">'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt>'
        '<dd class="govuk-summary-list__value">&lt;b&gt;Ann&lt;/b&gt;</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Phone</dt>'
        '<dd class="govuk-summary-list__value">Not recorded</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Email</dt>'
        '<dd class="govuk-summary-list__value">Not given</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Count</dt>'
        '<dd class="govuk-summary-list__value">0</dd></div>'
        "</dl>"
    )


def test_summary_row_block_holds_html_and_actions_mark_the_other_rows():
    html = render(
        '{% summary_list classes="govuk-summary-list--no-border" %}'
        '{% summary_row "Website" action_url=url action_hidden="website" %}<a href="{{ site }}">{{ site }}</a>'
        "{% endsummary_row %}"
        '{% summary_row "Notes" %}  {% endsummary_row %}'
        "{% endsummary_list %}",
        url="/edit/?a=1&b=2",
        site="https://example.org",
    )
    assert html.startswith('<dl class="govuk-summary-list govuk-summary-list--no-border">')
    assert (
        '<dd class="govuk-summary-list__value"><a href="https://example.org">https://example.org</a></dd>'
        '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="/edit/?a=1&amp;b=2">Change'
        '<span class="govuk-visually-hidden"> website</span></a></dd></div>'
    ) in html
    assert (
        '<div class="govuk-summary-list__row govuk-summary-list__row--no-actions">'
        '<dt class="govuk-summary-list__key">Notes</dt><dd class="govuk-summary-list__value">Not recorded</dd>'
    ) in html


def test_rows_without_actions_are_not_marked_when_no_row_has_one():
    html = render('{% summary_list %}{% summary_row "A" "x" action_url="" %}{% endsummary_list %}')
    assert "no-actions" not in html and "\x00" not in html and "__actions" not in html


def test_summary_card_with_one_action_two_actions_and_a_tag():
    one = render(
        '{% summary_card "Details" id="section-x" %}{% card_action "/e/" "Change" "details" %}'
        '{% summary_list %}{% summary_row "A" "b" %}{% endsummary_list %}{% endsummary_card %}'
    )
    assert one == (
        '<div class="govuk-summary-card" id="section-x"><div class="govuk-summary-card__title-wrapper">'
        '<h2 class="govuk-summary-card__title">Details</h2><div class="govuk-summary-card__actions">'
        '<a class="govuk-link" href="/e/">Change<span class="govuk-visually-hidden"> details (Details)</span></a>'
        '</div></div><div class="govuk-summary-card__content"><dl class="govuk-summary-list">'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">A</dt>'
        '<dd class="govuk-summary-list__value">b</dd></div></dl></div></div>'
    )
    two = render(
        '{% summary_card name level=3 %}{% card_tag "Main contact" "blue" %}{% card_action "/e/" "Change" %}'
        '{% if yes %}{% card_action "/r/" "Remove" %}{% endif %}{% endsummary_card %}',
        name="Ann & Bob",
        yes=True,
    )
    assert (
        '<h3 class="govuk-summary-card__title">Ann &amp; Bob <strong class="govuk-tag govuk-tag--blue">Main contact'
        "</strong></h3>"
    ) in two
    assert (
        '<ul class="govuk-summary-card__actions"><li class="govuk-summary-card__action"><a class="govuk-link" '
        'href="/e/">Change<span class="govuk-visually-hidden"> (Ann &amp; Bob)</span></a></li>'
    ) in two
    assert two.count('class="govuk-summary-card__action"') == 2


def test_card_action_outside_a_card_and_a_row_without_a_key_are_errors():
    with pytest.raises(TemplateSyntaxError):
        render('{% card_action "/e/" %}')
    with pytest.raises(TemplateSyntaxError):
        Template("{% summary_row %}")


LIST_PAGE = (
    '{% extends "core/list_page.html" %}{% block heading %}<h1 class="govuk-heading-l">Things</h1>{% endblock %}'
    "{% block filters %}<input name=q>{% endblock %}{% block clear_label %}Clear filters{% endblock %}"
    '{% block table_caption %}{{ page.paginator.count }} things{% endblock %}{% block table_head %}<th scope="col" '
    'class="govuk-table__header">Thing</th>{% endblock %}{% block table_body %}{% for thing in page.object_list %}'
    '<tr class="govuk-table__row"><td class="govuk-table__cell">{{ thing }}</td></tr>{% endfor %}{% endblock %}'
    "{% block empty %}There are no things.{% endblock %}"
)


@pytest.mark.django_db
def test_list_page_shows_filters_a_page_of_rows_with_its_caption_and_pagination(rf):
    from django.core.paginator import Paginator

    request = rf.get("/things/", {"q": "x", "page": "2"})
    page = Paginator([f"thing {n}" for n in range(30)], 25).get_page(2)
    html = Template(LIST_PAGE).render(Context({"request": request, "page": page, "query": "q=x"}))
    assert '<form method="get" action="/things/" novalidate>' in html
    assert '<a class="govuk-link" href="/things/">Clear filters</a>' in html
    assert "30 things, page 2 of 2</caption>" in html
    assert "thing 29" in html and "thing 24" not in html
    assert 'class="govuk-pagination"' in html and "?q=x&amp;page=1" in html
    assert "There are no things." not in html


@pytest.mark.django_db
def test_list_page_without_rows_says_so_and_without_a_filter_has_no_clear_link(rf):
    from django.core.paginator import Paginator

    page = Paginator([], 25).get_page(1)
    html = Template(LIST_PAGE).render(Context({"request": rf.get("/things/"), "page": page, "query": ""}))
    assert '<p class="govuk-body">There are no things.</p>' in html
    assert "<table" not in html and "Clear filters" not in html and "govuk-pagination" not in html
