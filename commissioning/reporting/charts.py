"""The Panel report's charts, drawn on the server as SVG (funds/charts.py's conventions): money by Panel area
with funds.charts.bar_chart, and people supported by area as labelled bars, a suppressed figure drawn as no bar
and labelled with the mark. The same figures are in the tables beside them."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from commissioning.funds import charts as fund_charts
from commissioning.funds.charts import BLUE, GREEN, SECONDARY_TEXT, TEXT, Series


def spend_chart(report) -> SafeString:
    return fund_charts.bar_chart(
        chart_id="panel-spend-chart",
        title=f"Money by Panel area, {report.period.label}",
        description="Budget, committed and paid for each Panel area's services. The figures are in the table below.",
        categories=[row.name for row in report.areas],
        series=[
            Series("Budget", fund_charts.DARK_BLUE, [row.budget for row in report.areas]),
            Series("Committed", BLUE, [row.committed for row in report.areas]),
            Series("Paid", GREEN, [row.paid for row in report.areas]),
        ],
    )


def people_chart(report) -> SafeString:
    """Two bars an area: this period and the previous one."""
    width, label_width, top, bar, gap, group_gap = 960, 230, 48, 18, 3, 22
    plot_left, plot_width = label_width + 10, width - label_width - 10 - 130
    periods = [("people", report.period.label, BLUE), ("previous_people", report.previous.label, GREEN)]
    values = [getattr(row, name) for row in report.areas for name, _label, _colour in periods]
    top_value = max([1, *(cell.value for cell in values if not cell.hidden)])
    group_height = len(periods) * (bar + gap) - gap
    height = top + len(report.areas) * (group_height + group_gap) + 20
    parts = []
    for number, (_name, label, colour) in enumerate(periods):
        x = plot_left + number * 220
        parts.append(
            format_html(
                '<rect x="{}" y="12" width="16" height="16" fill="{}"></rect>'
                '<text x="{}" y="25" font-size="15" fill="{}">{}</text>',
                x,
                colour,
                x + 22,
                TEXT,
                label,
            )
        )
    for index, row in enumerate(report.areas):
        group_top = top + index * (group_height + group_gap)
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="15" fill="{}" text-anchor="end" font-weight="bold">{}</text>',
                label_width,
                group_top + group_height / 2 + 5,
                TEXT,
                row.name,
            )
        )
        for number, (name, label, colour) in enumerate(periods):
            cell = getattr(row, name)
            y = group_top + number * (bar + gap)
            length = 0 if cell.hidden else round(plot_width * cell.value / top_value, 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}, {}: {}</title></rect>'
                    '<text x="{}" y="{}" font-size="13" fill="{}" class="app-chart__value">{}</text>',
                    plot_left,
                    y,
                    length,
                    bar,
                    colour,
                    row.name,
                    label,
                    cell.shown,
                    plot_left + length + 6,
                    y + bar - 4,
                    SECONDARY_TEXT if cell.hidden else TEXT,
                    cell.shown,
                )
            )
    body = mark_safe("".join(parts))  # every part was built by format_html
    return fund_charts._svg(
        chart_id="panel-people-chart",
        title=f"People supported by Panel area, {report.period.label} and {report.previous.label}",
        description="People supported in each Panel area, this period and the previous one. The figures are in "
        "the table below.",
        width=width,
        height=height,
        body=body,
    )
