"""What register work waits (selectors: variations_to_decide, reviews_at), read by the home page."""

import pytest

from commissioning.agreements import selectors
from commissioning.agreements.models import AgreementVariation, SafetyFundReview
from commissioning.agreements.tests.factories import FinancialYearFactory, SafetyFundReviewFactory, VariationFactory

pytestmark = pytest.mark.django_db


def test_variations_to_decide_are_requested_ones_not_asked_for_by_the_person(users):
    waiting = VariationFactory(requested_by=users["commissioning_manager"])
    VariationFactory(requested_by=users["cfo"])
    VariationFactory(status=AgreementVariation.Status.APPROVED)
    assert list(selectors.variations_to_decide(user=users["cfo"])) == [waiting]
    assert selectors.variations_to_decide(user=users["pcc"]).count() == 2


def test_reviews_at_a_stage():
    submitted = SafetyFundReviewFactory(status=SafetyFundReview.Status.SUBMITTED)
    SafetyFundReviewFactory(status=SafetyFundReview.Status.APPROVED, year=FinancialYearFactory(start_year=2027))
    returned = SafetyFundReviewFactory(
        status=SafetyFundReview.Status.RETURNED, year=FinancialYearFactory(start_year=2028)
    )
    assert list(selectors.reviews_at(statuses=[SafetyFundReview.Status.SUBMITTED])) == [submitted]
    statuses = [SafetyFundReview.Status.DRAFT, SafetyFundReview.Status.RETURNED]
    assert list(selectors.reviews_at(statuses=statuses)) == [returned]
