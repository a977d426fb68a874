"""Co-funding cannot exceed what it pays for (issue 13 point 4): a fourth co-funder taking the shares past the
agreement's value is refused, or accepted only with an explicit confirmation and a reason while a variation
upwards awaits approval; shares are entered as amounts or percentages and always sum to the penny."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning.agreements import selectors, services
from commissioning.agreements.models import AgreementVariation, CoFunder, Service
from commissioning.agreements.tests.factories import AgreementFactory, ServiceFactory
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory

D = Decimal


def partner(name):
    return OrganisationFactory(name=name, kind=Organisation.Kind.STATUTORY)


@pytest.fixture
def co_funded(users):
    """A service with a signed £20,000 agreement and three co-funders paying £5,000 each."""
    service = ServiceFactory(name="Domestic abuse outreach")
    agreement = AgreementFactory(service=service, value=D("20000.00"))
    officer = users["commissioning_manager"]
    for name in ("BCP Council", "Dorset Council", "NHS Dorset"):
        services.cofunder_add(actor=officer, service=service, organisation=partner(name), amount="5000")
    return service, agreement, officer


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def opcc_share(service) -> Decimal:
    return selectors.with_money(Service.objects.filter(pk=service.pk)).get().opcc_share


def test_a_fourth_co_funder_past_the_value_is_refused_a_penny_over(co_funded):
    service, _, officer = co_funded
    fourth = partner("Dorset Police")
    errors = refusal(
        lambda: services.cofunder_add(actor=officer, service=service, organisation=fourth, amount="5000.01")
    )
    assert errors["amount"] == [
        "The co-funders' shares would come to £20,000.01, more than £20,000.00, the value of the signed agreements "
        "for this service. Enter £5,000.00 or less"
    ]
    assert CoFunder.objects.filter(service=service).count() == 3
    services.cofunder_add(actor=officer, service=service, organisation=fourth, amount="5000.00")
    assert opcc_share(service) == D("0.00")


def test_raising_a_share_past_the_value_is_refused_too(co_funded):
    service, _, officer = co_funded
    share = CoFunder.objects.filter(service=service).first()
    errors = refusal(lambda: services.cofunder_update(actor=officer, cofunder=share, amount="10000.01"))
    assert errors["amount"][0].endswith("Enter £10,000.00 or less")
    services.cofunder_update(actor=officer, cofunder=share, amount="10000.00")
    assert opcc_share(service) == D("0.00")


def test_percentages_sum_to_the_penny(users):
    service = ServiceFactory()
    AgreementFactory(service=service, value=D("1000.01"))
    officer = users["commissioning_manager"]
    for name, percentage in (("A", "33.33"), ("B", "33.33"), ("C", "33.34")):
        services.cofunder_add(actor=officer, service=service, organisation=partner(name), percentage=D(percentage))
    amounts = list(
        CoFunder.objects.filter(service=service).order_by("organisation__name").values_list("amount", flat=True)
    )
    assert amounts == [D("333.30"), D("333.30"), D("333.41")]
    assert sum(amounts) == D("1000.01") and opcc_share(service) == D("0.00")
    latest = CoFunder.history.filter(organisation__name="C").first()
    assert latest.history_change_reason == "Co-funder added: 33.34% of £1,000.01"


def test_a_percentage_past_what_is_left_is_refused(co_funded):
    service, _, officer = co_funded
    errors = refusal(
        lambda: services.cofunder_add(
            actor=officer, service=service, organisation=partner("Dorset Police"), percentage=D("25.01")
        )
    )
    assert errors["percentage"] == [
        "The co-funders' shares would come to £20,002.00, more than £20,000.00, the value of the signed agreements "
        "for this service. Enter £5,000.00 or less (or 25.00% or less)"
    ]


def test_above_the_value_only_with_confirmation_while_a_variation_upwards_awaits(co_funded):
    service, agreement, officer = co_funded
    services.variation_request(
        actor=officer,
        agreement=agreement,
        kind=AgreementVariation.Kind.VALUE,
        value_change="10000",
        description="Extra outreach worker",
    )
    fourth = partner("Dorset Police")
    add = lambda **kw: services.cofunder_add(  # noqa: E731
        actor=officer, service=service, organisation=fourth, amount="8000", **kw
    )
    assert refusal(add)["confirm_increase"][0].startswith(
        "The co-funders' shares would come to £23,000.00, more than £20,000.00"
    )
    assert refusal(lambda: add(confirm_increase=True))["increase_reason"] == [
        "Enter why the shares may come to more than the signed value for now"
    ]
    share = add(confirm_increase=True, increase_reason="Variation 1 raises the value to £30,000")
    assert share.amount == D("8000.00")
    assert CoFunder.history.filter(id=share.pk).first().history_change_reason == (
        "Co-funder added: above the signed value until varied: Variation 1 raises the value to £30,000"
    )
    # Past what the variation would cover, no confirmation helps.
    errors = refusal(
        lambda: services.cofunder_add(
            actor=officer,
            service=service,
            organisation=partner("Probation"),
            amount="7000.01",
            confirm_increase=True,
            increase_reason="Hoping",
        )
    )
    assert errors["amount"] == [
        "The co-funders' shares would come to £30,000.01, more than £20,000.00, the value of the signed agreements "
        "for this service, and more than the variation awaiting approval would cover. Enter £7,000.00 or less, "
        "and confirm that the agreement is being varied upwards"
    ]


def test_amount_or_percentage_not_both_and_not_neither(co_funded):
    service, _, officer = co_funded
    org = partner("Dorset Police")
    both = refusal(
        lambda: services.cofunder_add(actor=officer, service=service, organisation=org, amount="1", percentage=D("1"))
    )
    assert both["amount"] == ["Enter their contribution as an amount or as a percentage, not both"]
    neither = refusal(lambda: services.cofunder_add(actor=officer, service=service, organisation=org))
    assert neither["amount"] == ["Enter their contribution as an amount or as a percentage"]


def test_a_service_without_an_agreement_takes_no_share(users):
    errors = refusal(
        lambda: services.cofunder_add(
            actor=users["commissioning_manager"], service=ServiceFactory(), organisation=partner("A"), amount="1"
        )
    )
    assert errors["amount"] == [
        "Record the service's agreement first: a co-funder's share is part of what its agreements are worth"
    ]


def test_the_form_refuses_a_fourth_co_funder_with_the_govuk_error_summary(co_funded, client_for):
    service, agreement, _ = co_funded
    client = client_for("commissioning_manager")
    url = reverse("agreements:cofunder_add", args=[service.pk])
    fourth = partner("Dorset Police")
    response = client.post(url, {"organisation": fourth.pk, "amount": "5,000.01"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Enter £5,000.00 or less" in html
    assert "confirm_increase" not in html  # asked only when a variation upwards awaits approval
    response = client.post(url, {"organisation": fourth.pk, "percentage": "25"})
    assert response.status_code == 302
    assert CoFunder.objects.get(organisation=fourth).amount == D("5000.00")
    page = client.get(reverse("agreements:service_detail", args=[service.pk])).content.decode()
    assert "−£" not in page and "-£" not in page
    assert "The co-funders’ shares may come to at most £20,000.00, the value of the signed agreements." in page


def test_the_form_asks_for_confirmation_only_while_a_variation_upwards_awaits(co_funded, client_for):
    service, agreement, officer = co_funded
    services.variation_request(
        actor=officer,
        agreement=agreement,
        kind=AgreementVariation.Kind.VALUE,
        value_change="10000",
        description="Extra outreach worker",
    )
    client = client_for("commissioning_manager")
    url = reverse("agreements:cofunder_add", args=[service.pk])
    fourth = partner("Dorset Police")
    response = client.post(url, {"organisation": fourth.pk, "amount": "8000"})
    assert "A variation awaiting approval would raise it by £10,000.00" in response.content.decode()
    response = client.post(
        url, {"organisation": fourth.pk, "amount": "8000", "confirm_increase": "on", "increase_reason": "Variation 1"}
    )
    assert response.status_code == 302
