"""Role × URL permission matrix: every named URL in the project, for every role and a signed-out visitor.

Each app lists its URLs in commissioning/<app>/tests/url_matrix.py (contract in commissioning/testing/matrix.py).
A URL added without an entry fails test_every_url_has_a_case.
"""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import commissioning
from commissioning.organisations.models import Organisation
from commissioning.testing.matrix import ALL_ROLES, ANONYMOUS

# The Django admin is one entry: its own login guards it, and only administrators may enter.
EXCLUDED_NAMESPACES = {"admin"}


def _matrix_modules():
    modules = []
    for info in pkgutil.iter_modules(commissioning.__path__):
        try:
            modules.append(importlib.import_module(f"commissioning.{info.name}.tests.url_matrix"))
        except ModuleNotFoundError as exc:
            if exc.name != f"commissioning.{info.name}.tests.url_matrix" and not exc.name.endswith(".tests"):
                raise
    return modules


MODULES = _matrix_modules()
CASES = [case for module in MODULES for case in module.CASES]


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _url_names(entry, full)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_has_a_case():
    covered = {case.url_name for case in CASES}
    missing = sorted(set(_url_names()) - covered)
    assert not missing, f"Add these URL names to a tests/url_matrix.py: {missing}"


def test_every_case_names_every_role():
    for case in CASES:
        assert set(case.expected) == set(ALL_ROLES) | {ANONYMOUS}, case.url_name


@pytest.fixture
def world(users):
    world = SimpleNamespace(users=users)
    world.opcc = Organisation.objects.create(name="Test OPCC", kind=Organisation.Kind.OPCC)
    for module in MODULES:
        if hasattr(module, "setup"):
            module.setup(world)
    return world


@pytest.mark.django_db
def test_role_url_matrix(world):
    failures = []
    clients = {ANONYMOUS: Client()}
    for role in ALL_ROLES:
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    for case in CASES:
        url = reverse(case.url_name, kwargs=case.kwargs(world)) + (f"?{case.query}" if case.query else "")
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
