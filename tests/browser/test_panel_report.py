"""A Police and Crime Panel member opens the Panel report from the menu, sees small numbers suppressed with the
key, and downloads the PDF from the page; the report page passes axe-core. A screenshot goes to $SCREENSHOT_DIR
(or /tmp)."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.core.dates import FinancialYear
from commissioning.funds.tests.factories import FinancialYearFactory
from commissioning.reporting.tests.factories import PanelHighlightFactory, make_return, reporting_service
from commissioning.strategy.tests.factories import PanelAreaFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


@pytest.fixture
def world(users):
    fy = FinancialYear.for_date(timezone.localdate())
    FinancialYearFactory(start_year=fy.start_year)
    first = fy.starts_on
    areas = [
        PanelAreaFactory(code="sexual-violence", name="Sexual Violence", order=1),
        PanelAreaFactory(code="domestic-violence", name="Domestic Violence", order=2),
        PanelAreaFactory(code="mental-health", name="Mental Health", order=7),
    ]
    for area, people_count, split in ((areas[0], 3, (2, 1)), (areas[1], 48, (30, 18)), (areas[2], 27, (12, 15))):
        service, people, gender = reporting_service(area, name=f"{area.name} service")
        make_return(
            service,
            starts_on=first,
            ends_on=dt.date(first.year, 6, 30),
            figures={people: people_count, gender: {"Female": split[0], "Male": split[1]}},
        )
    PanelHighlightFactory(start_year=fy.start_year, panel_area=areas[1], title="Recovery groups in market towns")
    return fy


def test_panel_member_reads_the_report_and_downloads_the_pdf(page, live_server, users, world, signed_in, axe_check):
    signed_in(users["panel_member"])
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Panel report").click()
    expect(page.get_by_role("heading", name="Police and Crime Panel report", level=1)).to_be_visible()
    expect(page.locator("#suppression-key")).to_contain_text("[c]")
    row = page.locator("#people-table tr[data-area='sexual-violence'] td[data-cell='people']")
    expect(row).to_have_text("[c]")
    expect(page.get_by_text("Recovery groups in market towns")).to_be_visible()
    expect(page.get_by_role("link", name="Show unsuppressed figures (OPCC only)")).to_have_count(0)
    axe_check(page)
    page.screenshot(path=os.path.join(SHOTS, "panel-report.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"panel-report-{world.start_year}-{(world.start_year + 1) % 100:02d}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
