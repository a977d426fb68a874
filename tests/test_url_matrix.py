"""Role × URL permission matrix: every named URL in the project, for every role and a signed-out visitor.

Each app lists its URLs in commissioning/<app>/tests/url_matrix.py (contract in commissioning/core/testing.py).
A URL added without an entry fails test_every_url_has_a_case.
"""

import pytest
from django.test import Client

from commissioning.core.testing import ALL_ROLES, ANONYMOUS
from tests.matrix import CASES, build_world, case_url, url_names


def test_every_url_has_a_case():
    covered = {case.url_name for case in CASES}
    missing = sorted(set(url_names()) - covered)
    assert not missing, f"Add these URL names to a tests/url_matrix.py: {missing}"


def test_every_case_names_every_role():
    for case in CASES:
        assert set(case.expected) == set(ALL_ROLES) | {ANONYMOUS}, case.url_name


@pytest.fixture
def world(users):
    return build_world(users)


@pytest.mark.django_db
def test_role_url_matrix(world):
    failures = []
    clients = {ANONYMOUS: Client()}
    for role in ALL_ROLES:
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    for case in CASES:
        url = case_url(case, world)
        for who, expected in case.expected.items():
            status = clients[who].get(url).status_code
            if status != expected:
                failures.append(f"{case.url_name} as {who}: expected {expected}, got {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_admin_site_only_for_administrators(users):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    for role in ALL_ROLES:
        client = Client()
        client.force_login(users[role])
        expected = 200 if role == "admin" else 302
        assert client.get("/admin/").status_code == expected, role
    assert Client().get("/admin/").status_code == 302
