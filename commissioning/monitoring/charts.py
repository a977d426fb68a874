"""A KPI's figures over the periods as a server-drawn SVG column chart with its target as a dashed line (the
funds charts' conventions: no JavaScript, role="img" named by <title> and <desc>, every column labelled with
its exact figure, and the same figures in a table beside it)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from commissioning.funds.charts import BLUE, FONT, GRID, SECONDARY_TEXT, TEXT

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 300, 60, 20, 36, 56


def _step(top: int, ticks: int = 5) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` gridlines up to `top`."""
    power = 1
    while True:
        for multiple in (1, 2, 5):
            if power * multiple * ticks >= top:
                return power * multiple
        power *= 10


def kpi_chart(*, chart_id: str, title: str, labels: list[str], values: list[int | None], target: int | None):
    """Columns for each period's figure (a gap where none was reported) and the target as a dashed line."""
    top_value = max([1, target or 0, *(v for v in values if v is not None)])
    step = _step(top_value)
    maximum = step * -(-top_value // step)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(labels), 1)
    column = min(60, slot * 0.6)

    def y_of(value) -> float:
        return round(TOP + plot_height - plot_height * value / maximum, 1)

    parts = []
    tick = 0
    while tick <= maximum:
        parts.append(
            format_html(
                '<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="1"></line>'
                '<text x="{}" y="{}" font-size="13" fill="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                GRID,
                LEFT - 8,
                y_of(tick) + 4,
                SECONDARY_TEXT,
                f"{int(tick):,}",
                y=y_of(tick),
            )
        )
        tick += step
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        centre = LEFT + slot * index + slot / 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" fill="{}" text-anchor="middle">{}</text>',
                round(centre, 1),
                HEIGHT - BOTTOM + 20,
                TEXT,
                label,
            )
        )
        if value is None:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="13" fill="{}" text-anchor="middle">Not reported</text>',
                    round(centre, 1),
                    y_of(0) - 6,
                    SECONDARY_TEXT,
                )
            )
            continue
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" font-size="13" fill="{}" text-anchor="middle" class="app-chart__value">{}</text>',
                round(centre - column / 2, 1),
                y_of(value),
                round(column, 1),
                round(y_of(0) - y_of(value), 1),
                BLUE,
                label,
                f"{value:,}",
                round(centre, 1),
                y_of(value) - 6,
                TEXT,
                f"{value:,}",
            )
        )
    if target is not None:
        parts.append(
            format_html(
                '<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="3" stroke-dasharray="8 4"></line>'
                '<text x="{}" y="{}" font-size="13" fill="{}" text-anchor="end">Target {}</text>',
                LEFT,
                WIDTH - RIGHT,
                TEXT,
                WIDTH - RIGHT,
                y_of(target) - 6,
                TEXT,
                f"{target:,}",
                y=y_of(target),
            )
        )
    reported = ", ".join(
        f"{label}: {value:,}" for label, value in zip(labels, values, strict=True) if value is not None
    )
    description = f"{title} by period. {reported or 'Nothing reported yet'}." + (
        f" Target {target:,} each period." if target is not None else ""
    )
    body: SafeString = mark_safe("".join(parts))  # every part was built by format_html
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="{id}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" font-family="{font}" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"></rect>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        font=FONT,
        title=title,
        desc=description,
        body=body,
    )
