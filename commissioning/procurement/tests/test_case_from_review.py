"""A commissioning case started from a strategic review decided as a re-tender or a redesign: opened through the
planning service, pre-filled from the review and the service, and linked back to the review once only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commissioning.monitoring import selectors as monitoring_selectors
from commissioning.procurement.models import CommissioningCase
from commissioning.procurement.services import reviews
from commissioning.procurement.tests.factories_planning import procurement_config
from commissioning.procurement.tests.url_matrix_planning import review_awaiting_case
from commissioning.strategy.tests.factories import PriorityFactory


@pytest.fixture
def review(db, users):
    procurement_config()
    review = review_awaiting_case(decided_by=users["pcc"], name="Outreach Advocacy Service")
    review.agreement.service.priorities.set([PriorityFactory()])
    return review


def test_the_case_is_opened_from_the_review_and_linked_back(users, review):
    case = reviews.case_from_review(actor=users["policy_officer"], review=review)
    assert case.reference.startswith("PC-")
    assert case.title == "Outreach Advocacy Service (re-tender)"
    assert "Re-tender with an outreach lot" in case.need_summary
    assert "Outreach needs its own funding line" in case.need_summary
    assert set(case.priorities.all()) == set(review.agreement.service.priorities.all())
    assert case.lead_officer == users["policy_officer"]
    assert case.history.exists()
    review.refresh_from_db()
    assert review.case_reference == case.reference
    assert review.case_started_on is not None
    assert review not in monitoring_selectors.reviews_awaiting_case()


def test_a_second_start_is_refused_and_opens_nothing(users, review):
    reviews.case_from_review(actor=users["policy_officer"], review=review)
    review.refresh_from_db()
    with pytest.raises(ValidationError, match="already started"):
        reviews.case_from_review(actor=users["commissioning_manager"], review=review)
    assert CommissioningCase.objects.count() == 1


def test_a_review_not_decided_as_retender_or_redesign_starts_no_case(users, review):
    review.decision = "extend"
    review.save()
    with pytest.raises(ValidationError):
        reviews.case_from_review(actor=users["policy_officer"], review=review)
    assert not CommissioningCase.objects.exists()


@pytest.mark.parametrize("role", ["auditor", "pcc", "cfo", "provider"])
def test_only_those_who_open_cases_may_start_one(users, review, role):
    with pytest.raises(PermissionDenied):
        reviews.case_from_review(actor=users[role], review=review)
    assert not CommissioningCase.objects.exists()


def test_the_pages_list_confirm_and_open_the_case(client_for, review):
    client = client_for("commissioning_manager")
    for name in ("procurement:case_list", "procurement:pipeline"):
        body = client.get(reverse(name)).content.decode()
        assert "Reviews waiting for a commissioning case" in body
        assert reverse("procurement:case_from_review", args=[review.pk]) in body
    url = reverse("procurement:case_from_review", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Re-tender with an outreach lot" in page
    response = client.post(url, {})
    case = CommissioningCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:case_detail", args=[case.pk])
    assert "Reviews waiting" not in client.get(reverse("procurement:case_list")).content.decode()
    again = client.post(url, {}).content.decode()
    assert f"Commissioning case {case.reference} was already started" in again
    assert CommissioningCase.objects.count() == 1


def test_the_auditor_reads_cases_but_sees_no_reviews_to_start(client_for, review):
    client = client_for("auditor")
    assert "Reviews waiting" not in client.get(reverse("procurement:case_list")).content.decode()
    assert client.get(reverse("procurement:case_from_review", args=[review.pk])).status_code == 403
