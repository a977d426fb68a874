"""A form sent twice (a double-click, or Back and send again) shows the outcome, never "Forbidden"
(issue 9, point 5). The sign-in form's case, where the security token changes, is in
commissioning/accounts/tests/test_controls.py."""

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.funds import services as fund_services
from commissioning.funds.models import Commitment
from commissioning.funds.tests.factories import AgreementFactory, FinancialYearFactory, FundFactory
from commissioning.grants.models import Award, GrantRound
from commissioning.grants.tests.factories import round_to_decide
from commissioning.strategy.models import DecisionRecord

pytestmark = pytest.mark.django_db


def _date_fields(prefix: str, day) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def messages_on(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_approving_a_commitment_twice_shows_the_approved_commitment(users, client_for):
    year = FinancialYearFactory(start_year=2026)
    fund = FundFactory()
    fund_services.budget_set_total(actor=users["finance_officer"], fund=fund, year=year, amount="5000", reason="x")
    commitment = fund_services.commitment_plan(
        actor=users["commissioning_manager"], fund=fund, year=year, agreement=AgreementFactory(), amount="1000"
    )
    client = client_for("cfo")
    url = reverse("funds:commitment_approve", args=[commitment.pk])
    first = client.post(url, {"confirm": "on"})
    assert first.status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).status == Commitment.Status.APPROVED
    again = client.post(url, {"confirm": "on"}, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0].startswith(reverse("funds:commitment_detail", args=[commitment.pk]))
    assert "This commitment is approved, so it cannot be approved now" in messages_on(again)
    assert Commitment.objects.get(pk=commitment.pk).approved_by == users["cfo"]


def test_deciding_a_round_twice_shows_the_awards_made(users, client_for, django_capture_on_commit_callbacks):
    round = round_to_decide(finance=users["finance_officer"])
    ids = list(round.applications.filter(status="recommended").values_list("pk", flat=True))
    form = {"awarded": ids, "reasons": "Strong fit", **_date_fields("decided_on", timezone.localdate())}
    client = client_for("pcc")
    url = reverse("grants:round_decision", args=[round.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, form).status_code == 302
    again = client.post(url, form, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain == [(reverse("grants:award_list") + f"?round={round.pk}", 302)]
    assert "The PCC has already decided this round" in messages_on(again)
    assert DecisionRecord.objects.filter(subject__contains=round.name).count() == 1
    assert GrantRound.objects.get(pk=round.pk).status == GrantRound.Status.DECIDED


def test_accepting_a_grant_twice_shows_the_accepted_grant(users, client_for):
    from commissioning.grants.services import awards

    round = round_to_decide(
        finance=users["finance_officer"], recommended=(("2500.00", users["applicant"].organisation),)
    )
    awards.round_decide(actor=users["pcc"], round=round, decided_on=timezone.localdate(), reasons="Good")
    award = Award.objects.get(application__organisation=users["applicant"].organisation)
    client = client_for("applicant")
    url = reverse("grants:award_accept", args=[award.pk])
    form = {"accept": "on", "name": "Sam Example"}
    assert client.post(url, form).status_code == 302
    again = client.post(url, form, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain == [(reverse("grants:award_detail", args=[award.pk]), 302)]
    assert "Your organisation accepted this grant" in messages_on(again)
    assert Commitment.objects.filter(agreement=Award.objects.get(pk=award.pk).agreement).count() == 1
