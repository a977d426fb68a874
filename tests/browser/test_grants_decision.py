"""The PCC decides a Community Grant Scheme round in one batch; the applicant downloads the award letter and
accepts the terms online; the grant appears in the services register (issue 5, "What must be shown"). Every
page visited passes axe-core."""

from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.funds.models import Fund
from commissioning.funds.services import budget_set_total, financial_year_get_or_create
from commissioning.grants.models import Application, Award, GrantRound
from commissioning.grants.tests.factories import (
    AcceptedAwardFactory,
    AwardFactory,
    EndOfGrantReportFactory,
    GrantRoundFactory,
    RecommendedApplicationFactory,
    round_to_decide,
)
from commissioning.profiles.loader import profile_load
from commissioning.strategy.models import Priority

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def round(users):
    """Dorset's funds with £12,000 in the Police Property Act fund for the year of today's date; a round with two
    recommended applications (one the applicant's) and one not recommended."""
    profile_load(path_or_name="dorset")
    today = timezone.localdate()
    year = financial_year_get_or_create(start_year=today.year if today.month >= 4 else today.year - 1)
    fund = Fund.objects.get(code="police-property-act-fund")
    budget_set_total(actor=users["finance_officer"], fund=fund, year=year, amount="12000.00", reason="Proceeds")
    round = GrantRoundFactory(
        scheme__name="Community Grant Scheme",
        scheme__fund=fund,
        fund=fund,
        year=year,
        name="Round 1",
        budget=Decimal("6000.00"),
        status=GrantRound.Status.ASSESSING,
    )
    priority = Priority.objects.order_by("code").first()
    starts_on = year.fy.starts_on.replace(month=9)
    dates = {"starts_on": starts_on, "ends_on": year.fy.ends_on}
    RecommendedApplicationFactory(
        round=round,
        organisation=users["applicant"].organisation,
        project_title="Safer streets after school",
        amount_requested=Decimal("2500.00"),
        priorities=[priority],
        **dates,
    )
    RecommendedApplicationFactory(round=round, amount_requested=Decimal("1800.00"), priorities=[priority], **dates)
    RecommendedApplicationFactory(
        round=round, status=Application.Status.NOT_RECOMMENDED, recommended_amount=None, **dates
    )
    return round


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_pcc_decides_and_the_applicant_accepts(page, live_server, users, round, sign_in, axe_check):
    sign_in(page, users["pcc"])
    page.goto(f"{live_server.url}/grants/decisions/rounds/{round.pk}/")
    assert page.locator("h1").inner_text() == "Decide Round 1"
    axe_check(page)
    boxes = page.get_by_role("checkbox")
    assert boxes.count() == 2 and all(boxes.nth(i).is_checked() for i in range(2))
    page.get_by_label("Reasons for the decision").fill("Both projects meet the plan's priorities and offer value.")
    page.get_by_role("button", name="Record the PCC's decision").click()
    assert "grant" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("h1").inner_text() == "Grant awards"
    axe_check(page)
    round.refresh_from_db()
    assert round.status == GrantRound.Status.DECIDED and round.decision.amount == Decimal("4300.00")
    _sign_out(page)

    award = Award.objects.get(application__organisation=users["applicant"].organisation)
    sign_in(page, users["applicant"])
    page.goto(f"{live_server.url}/grants/awards/{award.pk}/")
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the award letter (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"award-letter-{award.application.reference}.pdf"
    with open(download.path(), "rb") as letter:
        assert letter.read(4) == b"%PDF"

    page.get_by_role("button", name="Read and accept the terms").click()
    assert page.locator("h1").inner_text() == "Accept the grant"
    assert "section 9(3)" in page.content()
    axe_check(page)
    # Nothing is accepted without the box ticked, and the name typed is kept.
    page.get_by_label("Your full name").fill("Sam Example")
    page.get_by_role("button", name="Accept the grant").click()
    assert "Tick the box to confirm" in page.content()
    assert page.get_by_label("Your full name").input_value() == "Sam Example"
    axe_check(page)
    organisation = users["applicant"].organisation.name
    page.get_by_label(f"I accept the grant terms and conditions on behalf of {organisation}").check()
    page.get_by_role("button", name="Accept the grant").click()
    assert "You have accepted the grant" in page.content()
    axe_check(page)
    award.refresh_from_db()
    assert award.status == Award.Status.ACCEPTED and award.accepted_by == users["applicant"]
    _sign_out(page)

    sign_in(page, users["commissioning_manager"])
    page.goto(f"{live_server.url}/services/")
    assert page.get_by_role("link", name="Safer streets after school").count() == 1
    axe_check(page)
    page.get_by_role("link", name="Safer streets after school").click()
    assert organisation in page.content() and "Community grant" in page.content()
    axe_check(page)
    page.goto(f"{live_server.url}/grants/awards/{award.pk}/")
    assert "Committed" in page.content()
    axe_check(page)


def test_the_other_award_pages_pass_axe(page, live_server, users, sign_in, axe_check):
    """Deciding one application, declining, the end-of-grant report and its review, and asking money back."""
    organisation = users["applicant"].organisation
    round = round_to_decide(finance=users["finance_officer"])
    application = round.applications.filter(status=Application.Status.NOT_RECOMMENDED).first()
    offered = AwardFactory(application__organisation=organisation)
    accepted = AcceptedAwardFactory(application__organisation=organisation)
    reported = EndOfGrantReportFactory(award__application__organisation=organisation).award

    sign_in(page, users["pcc"])
    page.goto(f"{live_server.url}/grants/decisions/applications/{application.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Record the PCC's decision").click()
    assert "There is a problem" in page.content()
    axe_check(page)
    _sign_out(page)

    sign_in(page, users["applicant"])
    for path in (f"awards/{offered.pk}/decline/", f"awards/{accepted.pk}/report/"):
        page.goto(f"{live_server.url}/grants/{path}")
        axe_check(page)
    page.get_by_label("What the project did").fill("Ran weekly sessions")
    page.get_by_role("button", name="Save and continue").click()
    assert page.locator("h1").inner_text() == "Check your end-of-grant report"
    page.get_by_role("button", name="Send the report").click()
    assert "Enter how many people benefited" in page.content()
    axe_check(page)
    _sign_out(page)

    sign_in(page, users["commissioning_manager"])
    for path in (
        f"awards/{reported.pk}/",
        f"awards/{reported.pk}/report/review/",
        f"awards/{accepted.pk}/repayment/",
        "awards/?overdue=on",
    ):
        page.goto(f"{live_server.url}/grants/{path}")
        axe_check(page)
