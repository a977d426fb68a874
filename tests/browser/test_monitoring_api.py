"""A provider creates an API token (shown once), sees it listed and revokes it; sends a case-level file, which is
imported in the background; and the API's documentation page draws itself from the app's own files under the
Content Security Policy. Axe on every page; screenshots go to $SCREENSHOT_DIR (or /tmp)."""

import csv
import datetime as dt
import io
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.monitoring import services
from commissioning.monitoring.models import KpiReturn
from commissioning.monitoring.tests.factories import GenderDefinitionFactory, KpiDefinitionFactory, ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


@pytest.fixture
def kpi_return(users):
    KpiDefinitionFactory(), GenderDefinitionFactory()
    start, end = services.periods(
        frequency="quarterly", starts_on=timezone.localdate() - dt.timedelta(days=200), ends_on=timezone.localdate()
    )[0]
    service = ServiceFactory(name="Safe Steps", provider=users["provider"].organisation, starts_on=start, ends_on=end)
    services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)
    services.returns_ensure(service=service, today=timezone.localdate())
    return KpiReturn.objects.get(service=service)


def test_tokens_case_files_and_the_api_docs(page, live_server, users, signed_in, axe_check, kpi_return, tmp_path):
    signed_in(users["provider"])
    page.goto(f"{live_server.url}/monitoring/returns/")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Create a token").click()
    axe_check(page)
    page.get_by_label("Name").fill("Case management system")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="API token created")).to_be_visible()
    secret = page.get_by_label("Your token").input_value()
    assert secret.startswith("opcc_")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/api-token-created.png", full_page=True)
    page.get_by_role("link", name="Go to your API tokens").click()
    expect(page.locator("#tokens")).to_contain_text("Case management system")
    assert secret not in page.content()
    page.screenshot(path=f"{SHOTS}/api-tokens.png", full_page=True)
    page.get_by_role("link", name="Revoke Case management system").click()
    axe_check(page)
    page.get_by_role("button", name="Revoke token").click()
    expect(page.locator("#tokens")).to_contain_text("Revoked")

    page.goto(f"{live_server.url}/monitoring/returns/{kpi_return.pk}/upload/")
    page.get_by_role("link", name="upload a case-level file").click()
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/case-upload.png", full_page=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Period", "Case reference", "beneficiaries", "gender"])
    for n in range(300):
        writer.writerow([kpi_return.period_code, f"C-{n}", "1", ["Female", "Male", ""][n % 3]])
    path = tmp_path / "cases.csv"
    path.write_text(out.getvalue())
    page.get_by_label("Upload the case-level file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and submit").click()
    expect(page.locator("#job-summary")).to_contain_text("300 cases")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/case-import-job.png", full_page=True)

    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else 0)
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("provider returns API")
    expect(page.get_by_text("/api/returns/{return_id}/versions").first).to_be_visible()
    page.screenshot(path=f"{SHOTS}/api-docs.png", full_page=True)
    assert not blocked, blocked
