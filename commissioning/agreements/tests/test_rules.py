"""Every permission of the register, for every role (rules.py)."""

import pytest

from commissioning.accounts.roles import OPCC_STAFF, Role
from commissioning.agreements.tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    CoFunderFactory,
    ServiceFactory,
    VariationFactory,
)

pytestmark = pytest.mark.django_db

ALL = [role.value for role in Role]
STAFF = {role.value for role in OPCC_STAFF}


def holders(users, permission, obj=None) -> set[str]:
    return {role for role in ALL if users[role].has_perm(permission, obj)}


@pytest.fixture
def service(users):
    service = ServiceFactory(provider=users["provider"].organisation)
    CoFunderFactory(service=service, organisation=users["partner"].organisation)
    return service


def test_the_register_is_for_the_opcc_its_overseers_partners_and_providers(users):
    assert holders(users, "agreements.view_register") == STAFF | {"auditor", "panel_member", "partner", "provider"}


def test_a_service_is_seen_by_its_co_funder_and_provider_only_among_outsiders(users, service):
    readers = STAFF | {"auditor", "panel_member"}
    assert holders(users, "agreements.view_service", service) == readers | {"partner", "provider"}
    assert holders(users, "agreements.view_service", ServiceFactory()) == readers


def test_an_agreement_variation_and_document_follow_their_service(users, service):
    agreement = AgreementFactory(service=service)
    variation = VariationFactory(agreement=agreement)
    outsiders = {"partner", "provider"}
    assert outsiders <= holders(users, "agreements.view_service", agreement)
    assert outsiders <= holders(users, "agreements.view_service", variation)
    document = AgreementDocumentFactory(agreement=agreement)
    assert holders(users, "agreements.view_document", document) == STAFF | {"auditor", "partner", "provider"}
    stranger = AgreementDocumentFactory()
    assert holders(users, "agreements.view_document", stranger) == STAFF | {"auditor"}


def test_commissioning_officers_change_services_and_co_funders(users, service):
    expected = {"commissioning_manager", "policy_officer"}
    assert holders(users, "agreements.change_service") == expected
    assert holders(users, "agreements.change_service", service) == expected
    assert holders(users, "agreements.change_service", service.co_funders.get()) == expected


def test_the_commissioning_manager_and_finance_officer_manage_agreements(users, service):
    expected = {"commissioning_manager", "finance_officer"}
    assert holders(users, "agreements.manage_agreement") == expected
    assert holders(users, "agreements.manage_agreement", AgreementFactory(service=service)) == expected


def test_variations_are_asked_for_by_managers_and_the_cfo(users):
    assert holders(users, "agreements.request_variation") == {"commissioning_manager", "finance_officer", "cfo"}


def test_the_pcc_or_cfo_decide_a_variation_unless_they_asked_for_it(users):
    assert holders(users, "agreements.decide_variation") == {"pcc", "cfo"}
    assert holders(users, "agreements.decide_variation", VariationFactory(requested_by=users["cfo"])) == {"pcc"}
    assert holders(users, "agreements.decide_variation", VariationFactory(requested_by=users["pcc"])) == {"cfo"}


def test_the_pre_year_review(users):
    assert holders(users, "agreements.view_review") == STAFF | {"auditor"}
    assert holders(users, "agreements.prepare_review") == {"finance_officer", "commissioning_manager"}
    assert holders(users, "agreements.decide_review") == {"cfo", "chief_executive", "director_operations"}


def test_the_activity_log_is_for_the_opcc_and_auditors(users):
    assert holders(users, "agreements.view_history") == STAFF | {"auditor"}


def test_an_inactive_person_holds_no_permission(users, service):
    users["commissioning_manager"].is_active = False
    assert not users["commissioning_manager"].has_perm("agreements.view_service", service)
    assert not users["commissioning_manager"].has_perm("agreements.change_service", service)
