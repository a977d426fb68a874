"""Role × URL permission matrix: every named URL in the project, for every role and a signed-out visitor.

Each app lists its URLs in commissioning/<app>/tests/url_matrix.py (contract in commissioning/testing/matrix.py).
A URL added without an entry fails test_every_url_has_a_case.
"""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.testing.matrix import ALL_ROLES, ANONYMOUS
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


# --- The two-factor gate, role by role (issue 9, point 5) ------------------------------------------------------
# With REQUIRE_2FA on, everyone whose role can read applicants' or providers' records (TWO_FACTOR_ROLES) and has
# not confirmed a code this session is sent to set up (or confirm) their authenticator app from every URL of the
# matrix, save those that set it up, sign out, and pages anyone may read (health, accessibility, privacy,
# cookies). Providers and applicants get exactly what the matrix above says.


def _gate_open(url: str) -> bool:
    from commissioning.accounts.middleware import EXEMPT_PREFIXES

    allowed = {reverse("accounts:two_factor_setup"), reverse("accounts:two_factor_verify"), reverse("accounts:logout")}
    return url.split("?")[0] in allowed or url.startswith(EXEMPT_PREFIXES)


@pytest.mark.django_db
def test_two_factor_gate_for_every_role_and_url(world, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from commissioning.accounts.roles import TWO_FACTOR_ROLES

    settings.REQUIRE_2FA = True
    # One gated role has a confirmed device (so is asked for a code), the others none (so are asked to set one up).
    TOTPDevice.objects.create(user=world.users["auditor"], name="app", confirmed=True)
    gated = {role for role in ALL_ROLES if role in TWO_FACTOR_ROLES}
    assert gated == set(ALL_ROLES) - {"provider", "applicant", "supplier"}
    setup_url, verify_url = reverse("accounts:two_factor_setup"), reverse("accounts:two_factor_verify")
    failures = []
    clients = {}
    for role in ALL_ROLES:
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    for case in CASES:
        url = case_url(case, world)
        for role in ALL_ROLES:
            response = clients[role].get(url)
            got = response.status_code
            if role in gated and not _gate_open(url):
                target = verify_url if role == "auditor" else setup_url
                if got != 302 or not response["Location"].startswith(target):
                    failures.append(f"{case.url_name} as {role}: expected the gate ({target}), got {got}")
            elif got != case.expected[role]:
                failures.append(f"{case.url_name} as {role}: expected {case.expected[role]}, got {got}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_a_verified_device_opens_the_gate(users, settings):
    """Once the code is confirmed in the session, each gated role reaches its home page."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from commissioning.accounts.roles import TWO_FACTOR_ROLES

    settings.REQUIRE_2FA = True
    for role in sorted(TWO_FACTOR_ROLES):
        client = Client()
        client.force_login(users[role])
        assert client.get(reverse("home:index")).status_code == 302, role
        device = TOTPDevice.objects.create(user=users[role], name="app", confirmed=True)
        request = SimpleNamespace(session=client.session, user=users[role])
        otp_login(request, device)
        request.session.save()
        assert client.get(reverse("home:index")).status_code == 200, role
