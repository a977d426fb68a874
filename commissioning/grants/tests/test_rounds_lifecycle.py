"""A round's closing time once passed, the ASSESSING status, and one application per organisation per round
(issue 9, point 4). The same-moment races are in test_concurrency.py (PostgreSQL)."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.grants.models import Application, GrantRound
from commissioning.grants.services import applications as apply_services
from commissioning.grants.services import assessment as assess_services
from commissioning.grants.services import rounds as round_services
from commissioning.grants.tests.factories import (
    ApplicationFactory,
    EligibilityQuestionFactory,
    GrantRoundFactory,
    OpenRoundFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db


def test_the_closing_time_of_an_open_round_can_be_extended(users):
    grant_round = OpenRoundFactory()
    later = grant_round.closes_at + dt.timedelta(days=7)
    manager = users["commissioning_manager"]
    round_services.round_update(actor=manager, grant_round=grant_round, data={"closes_at": later})
    grant_round.refresh_from_db()
    assert grant_round.closes_at == later


def test_the_closing_time_cannot_move_once_it_has_passed(users):
    grant_round = GrantRoundFactory()  # published, closed yesterday
    closed_at = grant_round.closes_at
    with pytest.raises(ValidationError) as caught:
        round_services.round_update(
            actor=users["commissioning_manager"],
            grant_round=grant_round,
            data={"closes_at": timezone.now() + dt.timedelta(days=7)},
        )
    assert "its closing time cannot change once it has passed" in caught.value.message_dict["closes_at"][0]
    grant_round.refresh_from_db()
    assert grant_round.closes_at == closed_at
    # Its name and guidance may still be corrected.
    round_services.round_update(
        actor=users["commissioning_manager"], grant_round=grant_round, data={"name": "Spring round (corrected)"}
    )
    grant_round.refresh_from_db()
    assert grant_round.name == "Spring round (corrected)"


def test_the_first_eligibility_check_after_closing_starts_assessment(users):
    application = SubmittedApplicationFactory(round=GrantRoundFactory())
    assert application.round.status == GrantRound.Status.PUBLISHED
    assess_services.application_eligibility_decide(
        actor=users["commissioning_manager"], application=application, eligible=True
    )
    grant_round = GrantRound.objects.get(pk=application.round_id)
    assert grant_round.status == GrantRound.Status.ASSESSING
    assert "assessment started" in grant_round.history.first().history_change_reason
    # From now on the round is fixed.
    with pytest.raises(ValidationError, match="is assessing and cannot change"):
        round_services.round_update(
            actor=users["commissioning_manager"], grant_round=grant_round, data={"name": "Renamed"}
        )


def test_an_eligibility_check_while_the_round_is_open_leaves_it_published(users):
    application = SubmittedApplicationFactory(round=OpenRoundFactory())
    assess_services.application_eligibility_decide(
        actor=users["commissioning_manager"], application=application, eligible=True
    )
    assert GrantRound.objects.get(pk=application.round_id).status == GrantRound.Status.PUBLISHED


def test_the_database_refuses_a_second_live_application_from_one_organisation(users):
    first = SubmittedApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(round=first.round, organisation=first.organisation)
    first.status = Application.Status.WITHDRAWN
    first.save()
    again = ApplicationFactory(round=first.round, organisation=first.organisation)  # withdrawn ones do not count
    assert again.pk != first.pk


def test_a_start_that_slips_past_the_check_gets_a_plain_refusal(users):
    """Two starts at the same moment both pass the "already started?" read; the constraint stops the second,
    which is refused with the same message (PostgreSQL shows the real race in test_concurrency.py)."""
    applicant = users["applicant"]
    grant_round = OpenRoundFactory()
    question = EligibilityQuestionFactory(round=grant_round)
    ApplicationFactory(round=grant_round, organisation=applicant.organisation, created_by=applicant)
    with (
        mock.patch.object(apply_services.application_selectors, "application_existing", return_value=None),
        pytest.raises(ValidationError, match="has already started an application"),
    ):
        apply_services.application_start(
            actor=applicant, grant_round=grant_round, answers={question.pk: question.required_answer}
        )
    assert Application.objects.filter(round=grant_round, organisation=applicant.organisation).count() == 1
