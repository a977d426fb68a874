"""The award letter as a PDF (issue 5, point 4), drawn by WeasyPrint from the template grants/awards/letter.html:
the OPCC, the recipient and its org-id, the reference, amount, purpose, conditions, repayment conditions under
PRSRA 2011 s9(3), when the end-of-grant report is due and the PCC's decision number."""

from django.template.loader import render_to_string

from commissioning.core.models import opcc_settings
from commissioning.grants.models import Award

LETTER_TEMPLATE = "grants/awards/letter.html"


def award_letter_filename(award: Award) -> str:
    return f"award-letter-{award.application.reference or award.pk}.pdf"


def award_letter_html(award: Award) -> str:
    settings_row = opcc_settings()
    application = award.application
    return render_to_string(
        LETTER_TEMPLATE,
        {
            "award": award,
            "application": application,
            "organisation": application.organisation,
            "round": application.round,
            "decision": award.decision,
            "opcc_name": settings_row.opcc_name if settings_row else "Office of the Police and Crime Commissioner",
            "area_name": settings_row.area_name if settings_row else "",
        },
    )


def award_letter_pdf(award: Award) -> bytes:
    import weasyprint  # imported here: it loads Pango and fonts, which only this page needs

    # Tagged PDF, so screen readers can follow the letter's headings and tables.
    return weasyprint.HTML(string=award_letter_html(award)).write_pdf(pdf_tags=True)
