import pytest

from commissioning.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_only_administrators_manage_users(users, role):
    assert users[role].has_perm("accounts.manage_users") is (role == "admin")


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_audit_trail_for_admins_and_auditors(users, role):
    assert users[role].has_perm("accounts.view_audit") is (role in {"admin", "auditor"})


def test_closed_accounts_have_no_permissions(users):
    admin = users["admin"]
    admin.is_active = False
    assert not admin.has_perm("accounts.manage_users")
