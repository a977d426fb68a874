"""The award letter (issue 5, point 4): a PDF made by WeasyPrint from grants/awards/letter.html."""

import datetime as dt
from decimal import Decimal

import pytest
import weasyprint
from django.urls import reverse

from commissioning.core.models import OpccSettings
from commissioning.grants import letters
from commissioning.grants.tests.factories import AwardFactory
from commissioning.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def opcc():
    return OpccSettings.objects.create(
        profile="test",
        opcc_name="Office of the Police and Crime Commissioner for Testshire",
        short_name="Testshire OPCC",
        area_name="Testshire",
        grants_prefix="360G-testshireopcc",
        ocds_prefix="ocds-test00",
    )


@pytest.fixture
def award(users):
    organisation = users["applicant"].organisation
    organisation.charity_number = "1234567"
    organisation.save()
    return AwardFactory(
        application__organisation=organisation,
        application__reference="CGS-2026-0001",
        application__project_title="Safer streets after school",
        application__amount_requested=Decimal("2750.00"),
        application__summary="Weekly youth sessions in the town centre on Friday evenings.",
        report_due_on=dt.date(2027, 6, 30),
    )


def test_the_letter_says_everything_the_recipient_needs(opcc, award):
    html = letters.award_letter_html(award)
    for expected in (
        "Office of the Police and Crime Commissioner for Testshire",
        award.application.organisation.name,
        "GB-CHC-1234567",
        "CGS-2026-0001",
        "£2,750.00",
        "Weekly youth sessions in the town centre on Friday evenings.",
        "Spend the grant only on the approved purpose.",
        "section 9(3) of the Police Reform and Social Responsibility Act 2011",
        "30 June 2027",
        f"decision {award.decision.number}",
    ):
        assert expected in html, expected


def test_the_letter_is_a_pdf_made_from_that_html(opcc, award, monkeypatch):
    seen = []
    real_html = weasyprint.HTML

    def spy(*args, **kwargs):
        seen.append(kwargs.get("string"))
        return real_html(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", spy)
    pdf = letters.award_letter_pdf(award)
    assert pdf.startswith(b"%PDF")
    assert seen == [letters.award_letter_html(award)]


def test_the_applicant_downloads_it(opcc, award, client_for):
    response = client_for("applicant").get(reverse("grants:award_letter", args=[award.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="award-letter-CGS-2026-0001.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("role", "status"),
    [("commissioning_manager", 200), ("auditor", 200), ("provider", 404), ("partner", 404), ("panel_member", 404)],
)
def test_only_the_recipient_staff_and_auditors_download_it(opcc, award, client_for, role, status):
    assert client_for(role).get(reverse("grants:award_letter", args=[award.pk])).status_code == status


def test_another_organisations_applicant_cannot_download_it(opcc, award, client, users):
    from commissioning.accounts.tests.factories import UserFactory

    other = UserFactory(role="applicant", organisation=Organisation.objects.create(name="Other group", kind="vcse"))
    client.force_login(other)
    assert client.get(reverse("grants:award_letter", args=[award.pk])).status_code == 404
