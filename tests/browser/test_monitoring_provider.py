"""A provider signs in, sees only its own services' returns, downloads the template, uploads a file with errors
and sees each by row and column, fixes it and submits; the officer queries; the provider resubmits through the
web form; the officer accepts; the performance page shows the figures (issue 11, "What must be shown"). Every
page passes axe-core. Screenshots of the return form and the performance page go to $SCREENSHOT_DIR (or /tmp)."""

import csv
import datetime as dt
import io
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.monitoring import services
from commissioning.monitoring.models import KpiReturn, ReturnStatus
from commissioning.monitoring.tests.factories import GenderDefinitionFactory, KpiDefinitionFactory, ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)

OWN = "Safe Steps restorative justice"
OTHER = "Another provider's helpline"
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


@pytest.fixture
def world(users):
    """Two services with one ended quarter each: the provider's own, with the beneficiaries (target 40) and gender
    measures, and another provider's."""
    KpiDefinitionFactory(), GenderDefinitionFactory()
    start, end = services.periods(
        frequency="quarterly", starts_on=timezone.localdate() - dt.timedelta(days=200), ends_on=timezone.localdate()
    )[0]
    own = ServiceFactory(name=OWN, provider=users["provider"].organisation, starts_on=start, ends_on=end)
    other = ServiceFactory(name=OTHER, starts_on=start, ends_on=end)
    for service in (own, other):
        kpis = services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)
        services.kpi_update(actor=users["policy_officer"], kpi=kpis[0], data={"target": 40})
        services.returns_ensure(service=service, today=timezone.localdate())
    return {"own": own, "return": KpiReturn.objects.get(service=own)}


def _csv(text: str, figures: list[str]) -> bytes:
    rows = list(csv.reader(io.StringIO(text)))
    for row, figure in zip(rows[1:], figures, strict=True):
        row[4] = figure
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_provider_returns_officer_queries_and_accepts(page, live_server, users, world, sign_in, signed_in, axe_check):
    provider, officer = users["provider"], users["policy_officer"]
    sign_in(page, provider)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Returns").click()
    expect(page.get_by_role("heading", name="Returns", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(f"^{OWN}"))).to_be_visible()
    expect(page.get_by_text(OTHER)).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name=re.compile(f"return for {OWN}")).click()
    expect(page.get_by_role("heading", name=re.compile("^Return for"))).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Fill in the return").click()
    expect(page.get_by_role("heading", name="Submit the return")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/monitoring-return-form.png", full_page=True)
    axe_check(page)

    page.get_by_role("link", name="upload the figures from a spreadsheet").click()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template as a CSV file").click()
    template = open(download.value.path(), encoding="utf-8-sig").read()
    assert template.splitlines()[0] == "Period,Measure code,Measure,Category,Value"
    # Row 2: not a number; row 5: the gender categories add up to 40 + 3 + 1, not the total of 42.
    page.get_by_label("Upload the completed template").set_input_files(
        files=[
            {"name": "return.csv", "mimeType": "text/csv", "buffer": _csv(template, ["forty", "42", "40", "3", "1"])}
        ]
    )
    page.get_by_role("button", name="Upload and submit").click()
    expect(page.get_by_text("The selected file has 2 problems. Nothing has been submitted").first).to_be_visible()
    problems = page.get_by_role("table", name="Problems in the file")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("Row 2")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("Value")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("‘forty’ must be a whole number")
    expect(problems.get_by_role("row").nth(2)).to_contain_text("Row 3")
    expect(problems.get_by_role("row").nth(2)).to_contain_text("the categories add up to 44 but the total is 42")
    axe_check(page)
    assert world["return"].versions.count() == 0

    page.get_by_label("Upload the completed template").set_input_files(
        files=[{"name": "return.csv", "mimeType": "text/csv", "buffer": _csv(template, ["42", "42", "38", "3", "1"])}]
    )
    page.get_by_role("button", name="Upload and submit").click()
    expect(page.get_by_text("Version 1 of the return has been submitted to the OPCC")).to_be_visible()
    axe_check(page)

    signed_in(officer)
    page.goto(f"{live_server.url}/monitoring/returns/overdue/")
    axe_check(page)
    page.goto(f"{live_server.url}/monitoring/returns/{world['return'].pk}/")
    page.get_by_role("button", name="Accept or query the return").click()
    axe_check(page)
    page.get_by_label("Query it with the provider").check()
    page.get_by_label("Comments for the provider").fill("42 is more than the referrals you told us about.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("The return has been queried")).to_be_visible()

    signed_in(provider)
    page.goto(f"{live_server.url}/monitoring/returns/{world['return'].pk}/")
    page.get_by_role("button", name="Correct and resubmit the return").click()
    expect(page.get_by_text("42 is more than the referrals you told us about.")).to_be_visible()
    page.get_by_role("group", name="Number of beneficiaries").get_by_label("Number of people").fill("36")
    gender = page.get_by_role("group", name="Gender")
    gender.get_by_label("Total people").fill("36")
    gender.get_by_label("Female").fill("32")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_text("Version 2 of the return has been submitted to the OPCC")).to_be_visible()
    axe_check(page)

    signed_in(officer)
    page.goto(f"{live_server.url}/monitoring/returns/{world['return'].pk}/decide/")
    page.get_by_label("Accept the return").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("The return has been accepted")).to_be_visible()
    assert KpiReturn.objects.get(pk=world["return"].pk).status == ReturnStatus.ACCEPTED

    page.goto(f"{live_server.url}/services/{world['own'].pk}/")
    page.get_by_role("link", name="Performance against targets").click()
    expect(page.get_by_role("heading", name=f"Performance: {OWN}")).to_be_visible()
    table = page.get_by_role("table", name="Number of beneficiaries by period")
    expect(table).to_contain_text("36")
    expect(table).to_contain_text("Amber")  # 36 is within 10% of the target of 40
    expect(page.locator("#kpi-chart-1")).to_contain_text("36")
    page.screenshot(path=f"{SHOTS}/monitoring-performance.png", full_page=True)
    axe_check(page)
