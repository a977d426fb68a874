"""Who sees which services, what the register adds up, and that its query count does not grow with it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from commissioning.agreements import selectors
from commissioning.agreements.models import Agreement, Service
from commissioning.agreements.tests.factories import (
    AgreementFactory,
    CoFunderFactory,
    SafetyFundReviewFactory,
    SafetyFundReviewLineFactory,
    ServiceFactory,
)
from commissioning.core.models import ProcurementRegimeStart
from commissioning.strategy.tests.factories import PanelAreaFactory, PriorityFactory

pytestmark = pytest.mark.django_db

# One for the services with their provider and money, one each for priorities and Panel areas.
LIST_QUERIES = 3


def read_register(user, **filters):
    """What the list page reads for each row."""
    rows = list(selectors.service_list_for_user(user=user, **filters)[:25])
    for service in rows:
        _ = (service.provider.name, service.total_value, service.co_funded)
        _ = [p.code for p in service.priorities.all()] + [a.name for a in service.panel_areas.all()]
    return rows


def make_services(count, **kwargs):
    area = PanelAreaFactory()
    made = []
    for _ in range(count):
        service = ServiceFactory(panel_areas=[area], **kwargs)
        AgreementFactory(service=service)
        CoFunderFactory(service=service)
        made.append(service)
    return made


@pytest.mark.parametrize("count", [1, 30])
def test_the_register_reads_in_a_fixed_number_of_queries(users, django_assert_max_num_queries, count):
    make_services(count)
    with django_assert_max_num_queries(LIST_QUERIES):
        rows = read_register(users["auditor"])
    assert len(rows) == min(count, 25)


def test_totals_do_not_multiply_across_agreements_and_co_funders(users):
    service = ServiceFactory()
    AgreementFactory(service=service, value=Decimal("100000.00"))
    AgreementFactory(service=service, value=Decimal("50000.50"))
    CoFunderFactory(service=service, amount=Decimal("20000.00"))
    CoFunderFactory(service=service, amount=Decimal("5000.25"))
    CoFunderFactory(service=service, amount=Decimal("1000.00"))
    [row] = selectors.service_list_for_user(user=users["pcc"])
    assert (row.total_value, row.co_funded, row.opcc_share) == (
        Decimal("150000.50"),
        Decimal("26000.25"),
        Decimal("124000.25"),
    )


def test_draft_agreements_are_not_counted_until_signed(users):
    service = ServiceFactory()
    AgreementFactory(service=service, value=Decimal("1000.00"))
    AgreementFactory(service=service, value=Decimal("99999.00"), status=Agreement.Status.DRAFT, signed_on=None)
    [row] = selectors.service_list_for_user(user=users["pcc"])
    assert row.total_value == Decimal("1000.00")


def test_a_service_without_agreements_or_co_funders_adds_up_to_nothing(users):
    ServiceFactory()
    [row] = selectors.service_list_for_user(user=users["pcc"])
    assert (row.total_value, row.co_funded) == (Decimal("0"), Decimal("0"))


def test_opcc_staff_auditors_and_panel_members_see_the_whole_register(users):
    make_services(3)
    for role in ("admin", "pcc", "finance_officer", "policy_officer", "auditor", "panel_member"):
        assert selectors.service_list_for_user(user=users[role]).count() == 3, role


def test_a_partner_sees_only_the_services_its_organisation_co_funds(users):
    partner = users["partner"]
    co_funded = ServiceFactory(name="Restorative Dorset")
    CoFunderFactory(service=co_funded, organisation=partner.organisation)
    make_services(2)
    assert list(selectors.service_list_for_user(user=partner)) == [co_funded]
    assert selectors.service_get_for_user(user=partner, pk=co_funded.pk) == co_funded
    other = Service.objects.exclude(pk=co_funded.pk).first()
    with pytest.raises(Http404):
        selectors.service_get_for_user(user=partner, pk=other.pk)


def test_a_provider_sees_only_the_services_it_provides(users):
    provider = users["provider"]
    own = ServiceFactory(provider=provider.organisation)
    make_services(2)
    # Co-funding is not providing: a provider sees no other service even if its organisation pays towards it.
    CoFunderFactory(service=Service.objects.exclude(pk=own.pk).first(), organisation=provider.organisation)
    assert list(selectors.service_list_for_user(user=provider)) == [own]


def test_applicants_and_evaluators_see_no_services(users):
    make_services(2)
    for role in ("applicant", "evaluator"):
        assert not selectors.service_list_for_user(user=users[role]).exists()


def test_the_register_filters(users):
    priority, area = PriorityFactory(), PanelAreaFactory(name="Domestic Violence")
    match = ServiceFactory(
        name="Maple Project",
        status=Service.Status.IN_REVIEW,
        approach=Service.Approach.CO_COMMISSIONED,
        priorities=[priority],
        panel_areas=[area],
    )
    ServiceFactory(name="Maple Lodge")
    user = users["commissioning_manager"]
    assert list(selectors.service_list_for_user(user=user, search="maple", status="in_review")) == [match]
    assert list(selectors.service_list_for_user(user=user, approach="co_commissioned")) == [match]
    assert list(selectors.service_list_for_user(user=user, priority=priority)) == [match]
    assert list(selectors.service_list_for_user(user=user, panel_area=area)) == [match]
    assert list(selectors.service_list_for_user(user=user, search=match.reference)) == [match]


def test_agreements_follow_the_visibility_of_their_service(users):
    agreement = AgreementFactory()
    assert selectors.agreement_get_for_user(user=users["auditor"], pk=agreement.pk) == agreement
    for role in ("partner", "provider", "applicant"):
        with pytest.raises(Http404):
            selectors.agreement_get_for_user(user=users[role], pk=agreement.pk)


def test_the_regime_note_warns_of_pcr_2015_after_the_configured_act_start(db):
    # No configured start date: no warning (the date is configuration, never a constant).
    assert not selectors.agreement_regime_note(AgreementFactory.build(regime="pcr_2015", starts_on=dt.date(2026, 1, 1)))
    ProcurementRegimeStart.objects.create(regime="pcr_2015", name="PCR 2015", applies_from=dt.date(2016, 4, 18))
    ProcurementRegimeStart.objects.create(regime="pa_2023", name="PA 2023", applies_from=dt.date(2025, 2, 24))
    assert "24 February 2025" in selectors.agreement_regime_note(
        AgreementFactory.build(regime="pcr_2015", starts_on=dt.date(2025, 2, 24))
    )
    assert selectors.agreement_regime_note(AgreementFactory.build(regime="pcr_2015", starts_on=dt.date(2025, 2, 24)))
    assert not selectors.agreement_regime_note(
        AgreementFactory.build(regime="pcr_2015", starts_on=dt.date(2025, 2, 23))
    )
    assert not selectors.agreement_regime_note(AgreementFactory.build(regime="pa_2023", starts_on=dt.date(2026, 1, 1)))


def test_reviews_are_listed_with_their_total_for_the_opcc_only(users, django_assert_max_num_queries):
    review = SafetyFundReviewFactory()
    SafetyFundReviewLineFactory(review=review, expected_spend=Decimal("100.00"))
    SafetyFundReviewLineFactory(
        review=review, expected_spend=Decimal("100.00"), adjusted_spend=Decimal("40.50"), adjustment_reason="Late"
    )
    with django_assert_max_num_queries(1):
        [row] = list(selectors.review_list_for_user(user=users["finance_officer"]))
        assert (row.total, row.fund.name, row.year.label) == (Decimal("140.50"), review.fund.name, "2026/27")
    assert not selectors.review_list_for_user(user=users["partner"]).exists()
