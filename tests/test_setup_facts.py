"""Set-up facts a newcomer needs (issue 13 point 7): another port, SITE_URL following make run, and the
PostgreSQL database created first."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def dry_run(*args: str) -> str:
    return subprocess.run(
        ["make", "-n", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_on_another_port_and_site_url_follows():
    commands = dry_run("run", "PORT=8001")
    assert "runserver 127.0.0.1:8001" in commands
    assert "SITE_URL=http://127.0.0.1:8001 .venv/bin/python manage.py runserver" in commands
    assert "SITE_URL=http://127.0.0.1:8000 " in dry_run("run")
    assert "SITE_URL=https://opcc.example.org " in dry_run("run", "SITE_URL=https://opcc.example.org")


def test_the_readme_says_how():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run PORT=8001" in readme
    assert "`SITE_URL`, the address\nin e-mailed links, follows the host and port `make run` serves on" in readme
    assert "PostgreSQL: create the database first" in readme
