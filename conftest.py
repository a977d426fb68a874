"""Fixtures shared by every app's tests: one named user per role, and signed-in clients."""

import os

import pytest
from django.test import Client

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory

# Browser-test fixtures (chromium, axe-core, signing in), for tests/browser/ and the apps' accessibility tests.
pytest_plugins = ["commissioning.testing.browser"]


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Strong hashing is deliberately slow; tests use a fast hasher (production settings are untouched)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def tasks_run_at_once():
    """Background tasks run at once, inside the call that queues them (django-tasks' ImmediateBackend), so a test
    sees a job's outcome straight away. Tests of the queue itself switch to the database backend and run the
    worker (commissioning/core/tests/test_jobs.py)."""
    from django.conf import settings
    from django_tasks.signals import clear_tasks_handlers

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    clear_tasks_handlers(setting="TASKS")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded files from tests go to a throw-away folder, never var/uploads."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _fresh_cache(settings, request):
    """Each test starts with an empty cache of its own (throttle counts never leak from one test to the next);
    production uses the shared database cache (settings.CACHES)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}
    }


@pytest.fixture
def users(db):
    """One active user per role; partner, provider and applicant each belong to their own organisation."""
    return {role.value: UserFactory(role=role, email=f"{role.value}@example.org") for role in Role}


@pytest.fixture
def client_for(users):
    """client_for("pcc") gives a Client signed in as that role's user."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


def pytest_collection_modifyitems(items):
    """Every test that drives a browser against the live server is marked `browser`, wherever it lives."""
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item):
    """Tests marked `postgres` (row locks, races) skip with a reason on SQLite, which serialises writers anyway;
    with REQUIRE_POSTGRES=1 (CI's PostgreSQL run) they fail instead, so a misconfigured run cannot pass them by."""
    if item.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"REQUIRE_POSTGRES=1 but the database is {connection.vendor}; set DATABASE_URL to PostgreSQL")
    pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite serialises writers, so there is no race to test")
