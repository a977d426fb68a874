"""Highlights and case studies written for the Panel report."""

from django.db import transaction

from commissioning.core.services import require, save_with_history
from commissioning.reporting.models import PanelHighlight


@transaction.atomic
def highlight_add(
    *, actor, start_year: int, quarter: int | None, panel_area, kind: str, title: str, body: str, service=None
) -> PanelHighlight:
    """A commissioning officer adds a highlight or an anonymised case study to a period's Panel report."""
    require(actor, "reporting.add_panelhighlight")
    highlight = PanelHighlight(
        start_year=start_year,
        quarter=quarter,
        panel_area=panel_area,
        service=service,
        kind=kind,
        title=(title or "").strip(),
        body=(body or "").strip(),
        created_by=actor,
    )
    save_with_history(highlight, actor=actor, reason="Highlight added to the Panel report")
    return highlight
