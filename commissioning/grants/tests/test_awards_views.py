"""The decision, award, acceptance, report and repayment pages (issue 5, points 4 and 5)."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.grants.models import Application, Award, EndOfGrantReport, GrantRound
from commissioning.grants.services import awards as services
from commissioning.grants.tests import url_matrix_awards
from commissioning.grants.tests.factories import (
    AcceptedAwardFactory,
    AwardFactory,
    EndOfGrantReportFactory,
    round_to_decide,
)
from commissioning.organisations.models import Organisation
from commissioning.strategy.models import DecisionRecord
from commissioning.testing.matrix import ALL_ROLES, ANONYMOUS

pytestmark = pytest.mark.django_db


def _date_fields(prefix: str, day) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_this_parts_urls_for_every_role(users):
    """The awards rows of the project's role × URL matrix, on their own."""
    world = SimpleNamespace(users=users)
    world.opcc = Organisation.objects.create(name="Test OPCC", kind=Organisation.Kind.OPCC)
    url_matrix_awards.setup(world)
    clients = {ANONYMOUS: Client()}
    for role in ALL_ROLES:
        clients[role] = Client()
        clients[role].force_login(users[role])
    failures = []
    for case in url_matrix_awards.CASES:
        url = reverse(case.url_name, kwargs=case.kwargs(world)) + (f"?{case.query}" if case.query else "")
        for who, expected in case.expected.items():
            status = clients[who].get(url).status_code
            if status != expected:
                failures.append(f"{case.url_name} as {who}: expected {expected}, got {status}")
    assert not failures, "\n".join(failures)


# --- The round decision page -----------------------------------------------------------------------------


@pytest.fixture
def round(users):
    return round_to_decide(
        finance=users["finance_officer"], recommended=(("2500.00", users["applicant"].organisation), ("2000.00", None))
    )


def test_the_pcc_sees_the_recommended_list_ticked_with_the_money(round, client_for):
    page = client_for("pcc").get(reverse("grants:round_decision", args=[round.pk])).content.decode()
    assert page.count("<h1") == 1
    assert len(re.findall(r'name="awarded"[^>]*checked', page)) == 2
    assert "£4,500.00" in page and "£6,000.00" in page and "£10,000.00" in page
    assert "Not recommended" in page
    assert "Record the PCC&#x27;s decision" in page or "Record the PCC's decision" in page


def test_the_pcc_records_the_decision_with_one_unticked(round, client_for, django_capture_on_commit_callbacks):
    kept = round.applications.filter(status="recommended").order_by("reference").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("pcc").post(
            reverse("grants:round_decision", args=[round.pk]),
            {"awarded": [kept.pk], "reasons": "Best value", **_date_fields("decided_on", timezone.localdate())},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:award_list") + f"?round={round.pk}"
    round.refresh_from_db()
    assert round.status == GrantRound.Status.DECIDED
    assert list(Award.objects.filter(application__round=round).values_list("application", flat=True)) == [kept.pk]
    assert len(mail.outbox) >= 3


def test_a_refused_decision_keeps_what_was_typed_and_names_both_amounts(users, client_for):
    round = round_to_decide(finance=users["finance_officer"], round_budget="3000.00")
    ids = list(round.applications.filter(status="recommended").values_list("pk", flat=True))
    response = client_for("pcc").post(
        reverse("grants:round_decision", args=[round.pk]),
        {"awarded": ids, "reasons": "Good projects", **_date_fields("decided_on", timezone.localdate())},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The awards total £4,500.00, more than the round&#x27;s budget of £3,000.00" in page
    assert "Good projects" in page
    assert not DecisionRecord.objects.filter(subject__contains=round.name).exists()


def test_the_decision_page_explains_when_there_is_nothing_to_decide(round, client_for, users):
    services.round_decide(actor=users["pcc"], round=round, decided_on=timezone.localdate(), reasons="Good projects")
    page = client_for("pcc").get(reverse("grants:round_decision", args=[round.pk])).content.decode()
    assert "already decided this round" in page and 'name="reasons"' not in page


def test_the_pcc_decides_one_application(round, client_for):
    application = round.applications.filter(status=Application.Status.NOT_RECOMMENDED).first()
    response = client_for("pcc").post(
        reverse("grants:application_decision", args=[application.pk]),
        {
            "outcome": "award",
            "amount": "1500",
            "reasons": "Exceptional need",
            **_date_fields("decided_on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.AWARDED and application.award.amount == Decimal("1500.00")


# --- Accepting -------------------------------------------------------------------------------------------


def test_the_applicant_accepts_online(round, client_for, users):
    services.round_decide(actor=users["pcc"], round=round, decided_on=timezone.localdate(), reasons="Good")
    award = Award.objects.get(application__organisation=users["applicant"].organisation)
    client = client_for("applicant")
    url = reverse("grants:award_accept", args=[award.pk])
    page = client.get(url).content.decode()
    organisation = users["applicant"].organisation.name
    assert f"I accept the grant terms and conditions on behalf of {organisation}" in page
    assert "section 9(3)" in page
    refused = client.post(url, {"name": "Sam Example"}).content.decode()
    assert "Tick the box to confirm you accept the terms and conditions" in refused
    assert 'value="Sam Example"' in refused
    response = client.post(url, {"accept": "on", "name": "Sam Example"})
    assert response.status_code == 302 and response["Location"] == reverse("grants:award_detail", args=[award.pk])
    award.refresh_from_db()
    assert award.status == Award.Status.ACCEPTED and award.agreement.service.provider.name == organisation
    # Accepted: the page now says so instead of offering the form.
    assert "Your organisation accepted this grant" in client.get(url).content.decode()


def test_the_applicant_declines(round, client_for, users):
    award = AwardFactory(application__organisation=users["applicant"].organisation)
    response = client_for("applicant").post(
        reverse("grants:award_decline", args=[award.pk]), {"reason": "No longer needed"}
    )
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == Award.Status.DECLINED


# --- Lists and pages -------------------------------------------------------------------------------------


def test_the_award_list_flags_overdue_reports_and_filters(client_for, users):
    overdue = AcceptedAwardFactory(report_due_on=timezone.localdate().replace(year=timezone.localdate().year - 1))
    on_time = AcceptedAwardFactory()
    page = client_for("policy_officer").get(reverse("grants:award_list")).content.decode()
    assert overdue.application.reference in page and on_time.application.reference in page
    assert page.count("Overdue</strong>") == 1
    filtered = client_for("policy_officer").get(reverse("grants:award_list") + "?overdue=on").content.decode()
    assert overdue.application.reference in filtered and on_time.application.reference not in filtered


def test_the_award_list_costs_the_same_queries_for_one_row_or_many(client_for):
    client = client_for("commissioning_manager")
    AwardFactory()
    client.get(reverse("grants:award_list"))  # warm up
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("grants:award_list"))
    for _ in range(6):
        AcceptedAwardFactory()
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("grants:award_list"))
    assert response.status_code == 200
    assert len(many) == len(one)


def test_the_award_page_shows_the_report_money_and_log(client_for, users):
    report = EndOfGrantReportFactory()
    page = client_for("auditor").get(reverse("grants:award_detail", args=[report.award.pk])).content.decode()
    assert page.count("<h1") == 1
    assert "Ran 30 weekly sessions" in page and "Activity log" in page and 'id="money"' in page
    applicant_page = client_for("applicant")
    own = AwardFactory(application__organisation=users["applicant"].organisation)
    own_page = applicant_page.get(reverse("grants:award_detail", args=[own.pk])).content.decode()
    assert "Read and accept the terms" in own_page and "Activity log" not in own_page


# --- End-of-grant reports --------------------------------------------------------------------------------


def test_the_recipient_writes_then_sends_the_report(client_for, users, django_capture_on_commit_callbacks):
    award = AcceptedAwardFactory(application__organisation=users["applicant"].organisation)
    client = client_for("applicant")
    response = client.post(reverse("grants:report_edit", args=[award.pk]), {"what_was_done": "Ran sessions"})
    assert response["Location"] == reverse("grants:report_submit", args=[award.pk])
    page = client.post(reverse("grants:report_submit", args=[award.pk])).content.decode()
    assert "Enter how many people benefited" in page and "Enter the outcomes of the project" in page
    client.post(
        reverse("grants:report_edit", args=[award.pk]),
        {
            "what_was_done": "Ran sessions",
            "spend_summary": "Venue £1,000",
            "amount_spent": "£1,000",
            "beneficiaries": "35",
            "outcomes": "Safer streets",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grants:report_submit", args=[award.pk]))
    assert response.status_code == 302
    assert award.report.status == EndOfGrantReport.Status.SUBMITTED
    assert any(users["policy_officer"].email in m.to for m in mail.outbox)


def test_an_officer_returns_then_signs_off_a_report(client_for):
    report = EndOfGrantReportFactory()
    client = client_for("commissioning_manager")
    url = reverse("grants:report_review", args=[report.award.pk])
    page = client.post(url, {"outcome": "return"}).content.decode()
    assert "Enter what the organisation needs to add or change" in page
    client.post(url, {"outcome": "return", "note": "Add the receipts"})
    report.refresh_from_db()
    assert report.status == EndOfGrantReport.Status.RETURNED and report.officer_note == "Add the receipts"
    report.status = EndOfGrantReport.Status.SUBMITTED
    report.save()
    client.post(url, {"outcome": "sign_off"})
    report.refresh_from_db()
    report.award.refresh_from_db()
    assert report.status == EndOfGrantReport.Status.SIGNED_OFF
    assert report.award.status == Award.Status.COMPLETED
