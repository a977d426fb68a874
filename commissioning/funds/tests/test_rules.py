"""Who may do what with funds: every permission for every role."""

import pytest

from commissioning.accounts.roles import Role
from commissioning.funds.models import Virement

pytestmark = pytest.mark.django_db

OPCC = {
    "admin",
    "pcc",
    "chief_executive",
    "cfo",
    "director_operations",
    "commissioning_manager",
    "policy_officer",
    "finance_officer",
}
EXPECTED = {
    "funds.view_funds": OPCC | {"auditor"},
    "funds.manage_budget": {"finance_officer", "cfo", "chief_executive", "director_operations"},
    "funds.plan_commitment": {"finance_officer", "commissioning_manager"},
    "funds.approve_commitment": {"finance_officer", "cfo"},
    "funds.record_payment": {"finance_officer"},
    "funds.waive_repayment": {"cfo"},
    "funds.request_virement": {"finance_officer", "commissioning_manager"},
    "funds.approve_virement": {"cfo"},
    "funds.close_year": {"cfo"},
    # The configuration admin: administrators keep funds, splits and streams; auditors read everything.
    "funds.change_fund": {"admin"},
    "funds.view_fund": {"admin", "auditor"},
    "funds.add_fundingstream": {"admin"},
    "funds.view_budget": {"admin", "auditor"},
    "funds.change_budget": set(),
    "funds.change_commitment": set(),
    "funds.delete_payment": set(),
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_permission_by_role(users, role, perm):
    assert users[role].has_perm(perm) is (role in EXPECTED[perm])


def test_the_person_who_asked_for_a_virement_may_not_approve_it(users):
    cfo = users["cfo"]
    assert cfo.has_perm("funds.approve_virement", Virement(requested_by=users["finance_officer"]))
    assert not cfo.has_perm("funds.approve_virement", Virement(requested_by=cfo))


def test_a_closed_account_has_no_funds_permissions(users):
    cfo = users["cfo"]
    cfo.is_active = False
    assert not cfo.has_perm("funds.close_year")
