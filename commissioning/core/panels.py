"""Page panels: a section of a lower app's page filled by a higher app (ADR 0011).

The apps form layers (ADR 0005), so a page of a lower app cannot import what a higher app knows: the service page
(agreements) cannot read monitoring's KPIs and returns. A higher app registers a panel for a named place when it
starts (its AppConfig.ready); the lower page asks core for the panels of that place and shows them in order. The
lower app never names the higher one; a panel decides for itself, from the request's user, whether to show
anything (returning "" shows nothing).

    panels.register("agreements.service_detail", monitoring_panel, order=10)   # in MonitoringConfig.ready
    context["panels"] = panels.render("agreements.service_detail", request, service)   # in the agreements view
    {% for panel in panels %}{{ panel }}{% endfor %}                                    # in its template
"""

from collections import defaultdict
from collections.abc import Callable

from django.utils.safestring import SafeString

Panel = Callable[..., str]
_PANELS: dict[str, list[tuple[int, str, Panel]]] = defaultdict(list)


def register(place: str, panel: Panel, *, order: int = 100) -> None:
    """Show `panel(request, obj)` (HTML, or "" for nothing) at `place`. Registering the same function again
    replaces it, so a reloaded app does not show its panel twice."""
    key = f"{panel.__module__}.{panel.__qualname__}"
    _PANELS[place] = [entry for entry in _PANELS[place] if entry[1] != key]
    _PANELS[place].append((order, key, panel))
    _PANELS[place].sort(key=lambda entry: (entry[0], entry[1]))


def render(place: str, request, obj) -> list[SafeString]:
    """The HTML of every panel registered at `place` that has something to show, in order."""
    found = []
    for _, _, panel in _PANELS.get(place, []):
        html = panel(request, obj)
        if html:
            found.append(SafeString(html))
    return found
