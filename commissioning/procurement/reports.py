"""The evaluation report as a tagged PDF, drawn by WeasyPrint from procurement/evaluation/report.html (as the grants
award letter is): the criteria and weights, each bid's moderated scores and the moderators' rationale, the price
scores, the ranking with abnormally low prices flagged, and the award recommendation."""

from django.template.loader import render_to_string

from commissioning.core.models import opcc_settings
from commissioning.procurement.selectors import evaluation as selectors


def evaluation_report_html(tender) -> str:
    settings_row = opcc_settings()
    return render_to_string(
        "procurement/evaluation/report.html",
        {
            **selectors.report_context(tender=tender),
            "opcc_name": settings_row.opcc_name if settings_row else "Office of the Police and Crime Commissioner",
        },
    )


def evaluation_report_pdf(tender) -> bytes:
    import weasyprint  # imported here: it loads Pango and fonts, which only this download needs

    return weasyprint.HTML(string=evaluation_report_html(tender)).write_pdf(pdf_tags=True)
