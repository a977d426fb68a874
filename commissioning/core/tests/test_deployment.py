"""The production build of static files (issue 9, point 1): `make check-deploy` collects them as production does,
so a stylesheet that refers to a missing file fails it; and the committed GOV.UK Frontend build collects."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "commissioning.example.org",
    "SECRET_KEY": "test-deployment-a-long-random-value-for-this-test-only-0123456789abcdef",
}


def _collectstatic(tmp_path: Path, *, extra_static: Path | None = None) -> subprocess.CompletedProcess:
    """`manage.py collectstatic --no-input` with DEBUG=false, as `make check-deploy` runs it (into a temporary
    VAR_DIR). With `extra_static`, the settings also collect that folder (as if a file had been added to the
    repository's static files)."""
    env = {**os.environ, **PRODUCTION_ENV, "VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    if extra_static is not None:
        module = tmp_path / "settings_with_extra_static.py"
        module.write_text(f"from config.settings import *  # noqa\nSTATICFILES_DIRS = [{str(extra_static)!r}]\n")
        env["DJANGO_SETTINGS_MODULE"] = "settings_with_extra_static"
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(BASE), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_make_check_deploy_collects_static_files_with_debug_off():
    dry_run = subprocess.run(["make", "-n", "check-deploy"], cwd=BASE, capture_output=True, text=True, timeout=60)
    assert dry_run.returncode == 0, dry_run.stderr
    commands = dry_run.stdout
    assert "manage.py check --deploy --fail-level WARNING" in commands
    collect = next(line for line in commands.splitlines() if "collectstatic" in line)
    assert "DEBUG=false" in collect and "--no-input" in collect


def test_the_committed_static_files_collect_with_debug_off(tmp_path):
    """The GOV.UK stylesheet refers to govuk/assets/images/govuk-crest.svg: the build must include it."""
    result = _collectstatic(tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    collected = tmp_path / "var" / "static"
    assert (collected / "staticfiles.json").exists()
    assert list((collected / "govuk" / "assets" / "images").glob("govuk-crest.*.svg"))


def test_a_stylesheet_referring_to_a_missing_file_fails_the_build(tmp_path):
    broken = tmp_path / "broken"
    (broken / "extra").mkdir(parents=True)
    (broken / "extra" / "broken.css").write_text('.x { background: url("../images/not-in-the-repository.png"); }\n')
    result = _collectstatic(tmp_path, extra_static=broken)
    assert result.returncode != 0
    assert "not-in-the-repository.png" in result.stderr
