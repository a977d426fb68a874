"""Charts drawn as SVG on the server: no JavaScript, they print, and the page's Content-Security-Policy holds
(presentation attributes such as fill=, never style=). ARCHITECTURE.md: every chart has the same numbers in an
accessible table next to it, so the SVG is one image (role="img", named by its <title> and <desc>) and the
table below it carries the figures for screen readers and for copying.

Each bar and point carries its exact figure (format_money) as a label or a tooltip, so the chart and its table
show the same numbers, which tests check.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from commissioning.core.money import format_money

# GOV.UK Design System colours, each at least 3:1 against white (WCAG 1.4.11 non-text contrast).
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
GREEN = "#00703c"
PURPLE = "#4c2c92"
TEXT = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
GRID = "#b1b4b6"
FONT = "arial, sans-serif"
# Dash patterns tell lines apart without colour (WCAG 1.4.1).
DASHES = ("", "8 4", "2 3", "12 4 2 4")


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: list[Decimal]


def _nice_step(top: Decimal, ticks: int = 5) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` gridlines up to `top`."""
    if top <= 0:
        return Decimal(1)
    rough = top / ticks
    power = Decimal(10) ** (len(str(int(rough))) - 1) if rough >= 1 else Decimal(1)
    for multiple in (1, 2, 5, 10):
        if power * multiple >= rough:
            return power * multiple
    return power * 10


def _scale(values) -> tuple[Decimal, Decimal]:
    """(axis maximum, step) for non-negative values; at least £1 so an empty chart still draws."""
    top = max([Decimal(0), *values])
    step = _nice_step(top)
    maximum = step * ((top / step).to_integral_value(rounding="ROUND_CEILING") or 1)
    return maximum, step


def short_money(value: Decimal) -> str:
    """Axis labels: £0, £250k, £1.5m (the exact figures are on the bars and in the table)."""
    value = Decimal(value)
    if abs(value) >= 1_000_000:
        return f"£{(value / 1_000_000).normalize():f}m"
    if abs(value) >= 1_000:
        return f"£{(value / 1_000).normalize():f}k"
    return f"£{value.normalize():f}"


def _wrap(text: str, width: int = 26, lines: int = 2) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[: lines - 1] + [" ".join(out[lines - 1 :])]
        if len(out[-1]) > width:
            out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


def _legend(series: list[Series], *, x: int, y: int, lines: bool = False) -> SafeString:
    parts = []
    for index, item in enumerate(series):
        left = x + index * 170
        if lines:
            dash = DASHES[index % len(DASHES)]
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"{}></line>'
                    '<circle cx="{}" cy="{}" r="4" fill="{}"></circle>',
                    left,
                    y - 5,
                    left + 28,
                    y - 5,
                    item.colour,
                    format_html(' stroke-dasharray="{}"', dash) if dash else "",
                    left + 14,
                    y - 5,
                    item.colour,
                )
            )
            text_x = left + 36
        else:
            parts.append(
                format_html('<rect x="{}" y="{}" width="16" height="16" fill="{}"></rect>', left, y - 13, item.colour)
            )
            text_x = left + 22
        parts.append(format_html('<text x="{}" y="{}" font-size="15" fill="{}">{}</text>', text_x, y, TEXT, item.name))
    return mark_safe("".join(parts))  # every part was built by format_html


def _svg(*, chart_id: str, title: str, description: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="{id}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" font-family="{font}" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"></rect>{body}</svg>',
        id=chart_id,
        w=width,
        h=height,
        font=FONT,
        title=title,
        desc=description,
        body=body,
    )


def bar_chart(
    *, chart_id: str, title: str, description: str, categories: list[str], series: list[Series]
) -> SafeString:
    """Horizontal grouped bars: one group per category (e.g. a fund), one bar per series, each labelled with
    its exact amount. Negative amounts (money back exceeding money out) draw no bar but keep their label."""
    width, label_width, value_room, top, bar, gap, group_gap = 960, 230, 130, 48, 18, 3, 22
    plot_left, plot_width = label_width + 10, width - label_width - 10 - value_room
    group_height = len(series) * (bar + gap) - gap
    plot_height = max(len(categories), 1) * (group_height + group_gap)
    height = top + plot_height + 40
    maximum, step = _scale([v for s in series for v in s.values])
    parts = [_legend(series, x=plot_left, y=26)]

    def x_of(value: Decimal) -> Decimal:
        return plot_left + plot_width * max(Decimal(value), Decimal(0)) / maximum

    tick = Decimal(0)
    while tick <= maximum:
        x = round(x_of(tick), 1)
        parts.append(
            format_html(
                '<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{c}" stroke-width="1"></line>'
                '<text x="{x}" y="{ty}" font-size="13" fill="{t}" text-anchor="middle">{label}</text>',
                x=x,
                y1=top - 6,
                y2=top + plot_height,
                c=GRID,
                ty=top + plot_height + 20,
                t=SECONDARY_TEXT,
                label=short_money(tick),
            )
        )
        tick += step
    for index, category in enumerate(categories):
        group_top = top + index * (group_height + group_gap) + group_gap // 2
        lines = _wrap(category)
        first_y = group_top + group_height / 2 + 5 - (len(lines) - 1) * 9
        tspans = format_html_join(
            "",
            '<tspan x="{}" y="{}">{}</tspan>',
            ((label_width, first_y + n * 18, text) for n, text in enumerate(lines)),
        )
        parts.append(
            format_html('<text font-size="15" fill="{}" text-anchor="end" font-weight="bold">{}</text>', TEXT, tspans)
        )
        for number, item in enumerate(series):
            value = item.values[index]
            y = group_top + number * (bar + gap)
            bar_end = x_of(value)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>'
                    '<text x="{}" y="{}" font-size="13" fill="{}" class="app-chart__value">{}</text>',
                    plot_left,
                    y,
                    round(bar_end - plot_left, 1),
                    bar,
                    item.colour,
                    category,
                    item.name.lower(),
                    format_money(value),
                    round(bar_end + 6, 1),
                    y + bar - 4,
                    TEXT,
                    format_money(value),
                )
            )
    parts.append(
        format_html(
            '<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{c}" stroke-width="2"></line>',
            x=plot_left,
            y1=top - 6,
            y2=top + plot_height,
            c=TEXT,
        )
    )
    body = mark_safe("".join(parts))  # every part was built by format_html
    return _svg(chart_id=chart_id, title=title, description=description, width=width, height=height, body=body)


def line_chart(*, chart_id: str, title: str, description: str, labels: list[str], series: list[Series]) -> SafeString:
    """A line per series across `labels` (e.g. financial years), each point with its exact amount as a tooltip
    (<title>). Lines differ by dash pattern as well as colour."""
    width, height, left, right, top, bottom = 960, 400, 90, 150, 48, 44
    plot_width, plot_height = width - left - right, height - top - bottom
    maximum, step = _scale([v for s in series for v in s.values])
    parts = [_legend(series, x=left, y=26, lines=True)]

    def y_of(value: Decimal) -> Decimal:
        return top + plot_height - plot_height * max(Decimal(value), Decimal(0)) / maximum

    def x_of(index: int) -> Decimal:
        if len(labels) == 1:
            return Decimal(left + plot_width / 2)
        return Decimal(left) + Decimal(plot_width) * index / (len(labels) - 1)

    tick = Decimal(0)
    while tick <= maximum:
        y = round(y_of(tick), 1)
        parts.append(
            format_html(
                '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{c}" stroke-width="1"></line>'
                '<text x="{tx}" y="{ty}" font-size="13" fill="{t}" text-anchor="end">{label}</text>',
                l=left,
                r=left + plot_width,
                y=y,
                c=GRID,
                tx=left - 8,
                ty=round(y + 4, 1),
                t=SECONDARY_TEXT,
                label=short_money(tick),
            )
        )
        tick += step
    for index, label in enumerate(labels):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="14" fill="{}" text-anchor="middle">{}</text>',
                round(x_of(index), 1),
                top + plot_height + 24,
                TEXT,
                label,
            )
        )
    for number, item in enumerate(series):
        points = [(round(x_of(i), 1), round(y_of(v), 1)) for i, v in enumerate(item.values)]
        dash = DASHES[number % len(DASHES)]
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"{}></polyline>',
                " ".join(f"{x},{y}" for x, y in points),
                item.colour,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
            )
        )
        for (x, y), label, value in zip(points, labels, item.values, strict=True):
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="5" fill="{}"><title>{} {}: {}</title></circle>',
                    x,
                    y,
                    item.colour,
                    label,
                    item.name.lower(),
                    format_money(value),
                )
            )
    body = mark_safe("".join(parts))  # every part was built by format_html
    return _svg(chart_id=chart_id, title=title, description=description, width=width, height=height, body=body)
