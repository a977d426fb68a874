"""Fixtures shared by every app's tests: one named user per role, and signed-in clients."""

import pytest
from django.test import Client

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory

# Browser-test fixtures (chromium, axe-core, signing in), for tests/browser/ and the apps' accessibility tests.
pytest_plugins = ["commissioning.core.testing_browser"]


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
