"""Grant decisions and applications started at the same moment (PostgreSQL only; see funds/tests/test_concurrency.py).

Each thread has its own connection, so these are real concurrent transactions. With REQUIRE_POSTGRES=1 (CI's
PostgreSQL run) the tests fail rather than skip on SQLite, which serialises writers anyway.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from commissioning.funds.tests.test_concurrency import run_at_once
from commissioning.grants.models import Application, Award, GrantRound
from commissioning.grants.services import applications as apply_services
from commissioning.grants.services import awards as services
from commissioning.grants.tests.factories import (
    EligibilityQuestionFactory,
    GrantRoundFactory,
    OpenRoundFactory,
    RecommendedApplicationFactory,
    round_to_decide,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_rounds_on_one_fund_decided_at_once_never_offer_more_than_the_fund_has(users):
    """The fund has £5,000; each round's panel recommends £4,500. Decided at the same moment, one round's awards
    are made and the other is refused for want of money: never £9,000 offered from a £5,000 fund."""
    first = round_to_decide(
        finance=users["finance_officer"],
        fund_budget="5000.00",
        round_budget="5000.00",
        recommended=(("3000.00", None), ("1500.00", None)),
        not_recommended=0,
    )
    second = GrantRoundFactory(
        scheme=first.scheme,
        fund=first.fund,
        year=first.year,
        budget=Decimal("5000.00"),
        status=GrantRound.Status.ASSESSING,
    )
    RecommendedApplicationFactory(round=second, amount_requested=Decimal("3000.00"))
    RecommendedApplicationFactory(round=second, amount_requested=Decimal("1500.00"))
    pcc = users["pcc"]

    def decide(round):
        def job():
            try:
                services.round_decide(
                    actor=pcc, round=round, decided_on=timezone.localdate(), reasons="Both meet the priorities"
                )
            except ValidationError as exc:
                return [("refused", round.pk, " ".join(exc.messages))]
            return [("decided", round.pk, "")]

        return job

    results, errors = run_at_once([decide(first), decide(second)])
    assert not errors, errors
    outcomes = sorted(outcome for outcome, _, _ in results)
    assert outcomes == ["decided", "refused"], results
    refusal = next(message for outcome, _, message in results if outcome == "refused")
    assert "available in" in refusal
    offered = Award.objects.filter(application__round__fund=first.fund).aggregate(total=Sum("amount"))["total"]
    assert offered == Decimal("4500.00")
    statuses = sorted(GrantRound.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True))
    assert statuses == [GrantRound.Status.ASSESSING, GrantRound.Status.DECIDED]


def test_an_application_started_twice_at_once_is_started_once(users):
    """Two tabs (or a double-click) start the same organisation's application at the same moment: the partial
    unique constraint lets one through and the other gets the service's plain refusal, not a server error."""
    grant_round = OpenRoundFactory()
    question = EligibilityQuestionFactory(round=grant_round)
    applicant = users["applicant"]

    def start():
        try:
            application = apply_services.application_start(
                actor=applicant, grant_round=grant_round, answers={question.pk: question.required_answer}
            )
        except ValidationError as exc:
            return [("refused", " ".join(exc.messages))]
        return [("started", application.pk)]

    results, errors = run_at_once([start, start, start])
    assert not errors, errors
    assert sorted(outcome for outcome, _ in results) == ["refused", "refused", "started"], results
    assert all("has already started an application" in message for outcome, message in results if outcome == "refused")
    assert Application.objects.filter(round=grant_round, organisation=applicant.organisation).count() == 1
