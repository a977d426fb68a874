import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_health_reports_database_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_reports_database_failure(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    assert client.get("/health/").status_code == 503


@pytest.mark.django_db
def test_not_found_page_is_govuk(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE would itself be reported by check --deploy.
CLEAN_ENV = {
    k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}
}


def _run_manage(*args, **env):
    full_env = CLEAN_ENV | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-production-like-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="commissioning.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = _run_manage("check", DEBUG="false", ALLOWED_HOSTS="x.example.org")
    assert result.returncode != 0 and "Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_an_empty_secret_key():
    result = _run_manage("check", DEBUG="false", SECRET_KEY=" ", ALLOWED_HOSTS="x.example.org")
    assert result.returncode != 0 and "Set the SECRET_KEY environment variable" in result.stderr
