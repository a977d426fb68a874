"""manage.py backup and restore (issue 9, point 6): every row and every uploaded file comes back, on whichever
database the suite runs (SQLite locally, PostgreSQL in CI's second run)."""

import json
import shutil

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from commissioning.agreements.tests.factories import AgreementDocumentFactory
from commissioning.core.backup import _row_counts
from commissioning.grants.services import awards
from commissioning.grants.tests.factories import AttachmentFactory, round_to_decide

pytestmark = pytest.mark.django_db(transaction=True)


def _rows_by_model(path) -> dict[str, list]:
    """Every row of a dumpdata file, by model, sorted: the same database gives the same answer."""
    rows: dict[str, list] = {}
    for entry in json.loads(path.read_text()):
        rows.setdefault(entry["model"], []).append(json.dumps(entry, sort_keys=True))
    return {model: sorted(entries) for model, entries in rows.items()}


@pytest.fixture
def world(users):
    """A decided grant round (decision record, awards, history rows, e-mail-free), an application's attachment
    and an agreement's signed document, both stored through the storage API."""
    round = round_to_decide(finance=users["finance_officer"])
    awards.round_decide(actor=users["pcc"], round=round, decided_on=timezone.localdate(), reasons="Strong fit")
    attachment = AttachmentFactory(application=round.applications.first())
    document = AgreementDocumentFactory()
    return {"attachment": attachment, "document": document}


def test_a_backup_restores_every_row_and_file_into_an_empty_database(world, tmp_path, settings):
    names = [world["attachment"].file.name, world["document"].file.name]
    contents = {name: default_storage.open(name, "rb").read() for name in names}
    counts = _row_counts("default")
    assert counts["grants.award"] == 2 and counts["accounts.user"] >= 14 and counts["strategy.decisionrecord"] == 1

    call_command("backup", out=str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["rows"] == counts
    assert sorted(manifest["files"]) == sorted(names) and not manifest["missing_files"]

    # A new, migrated, empty database and empty storage.
    call_command("flush", "--no-input", verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert _row_counts("default")["accounts.user"] == 0

    call_command("restore", str(tmp_path / "backup"))
    assert _row_counts("default") == counts
    for name in names:
        assert default_storage.open(name, "rb").read() == contents[name]
    # Row for row, the restored database is the one backed up.
    call_command("backup", out=str(tmp_path / "again"))
    before, after = (_rows_by_model(tmp_path / name / "database.json") for name in ("backup", "again"))
    differences = {
        model: (
            sorted(set(before.get(model, [])) - set(after.get(model, [])))[:2],
            sorted(set(after.get(model, [])) - set(before.get(model, [])))[:2],
        )
        for model in set(before) | set(after)
        if before.get(model) != after.get(model)
    }
    assert not differences, differences
    # And the service works on it: the restored people can be found by their e-mail addresses.
    from commissioning.accounts.models import User

    assert User.objects.get(email="pcc@example.org").role == "pcc"


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    call_command("backup", out=str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(tmp_path / "backup"))


def test_backup_refuses_a_folder_in_use_and_restore_a_folder_that_is_not_a_backup(tmp_path, db):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", out=str(tmp_path / "used"))
    with pytest.raises(CommandError, match="is not a backup"):
        call_command("restore", str(tmp_path / "used"))


def test_restore_refuses_a_backup_from_other_migrations(world, tmp_path):
    call_command("backup", out=str(tmp_path / "backup"))
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"].append(["grants", "9999_from_the_future"])
    manifest_path.write_text(json.dumps(manifest))
    call_command("flush", "--no-input", verbosity=0)
    with pytest.raises(CommandError, match="the backup has migrations this database lacks"):
        call_command("restore", str(tmp_path / "backup"))


def test_a_backup_keeps_every_microsecond(tmp_path, users):
    """Django's own JSON cuts times to milliseconds: 12.000123 would come back as 12.000, and back up again as
    12 (the restored copy would differ from the original)."""
    from commissioning.accounts.models import User

    moment = timezone.now().replace(microsecond=123)
    User.objects.filter(pk=users["pcc"].pk).update(date_joined=moment)
    call_command("backup", out=str(tmp_path / "backup"))
    (row,) = [
        entry
        for entry in json.loads((tmp_path / "backup" / "database.json").read_text())
        if entry["model"] == "accounts.user" and entry["pk"] == users["pcc"].pk
    ]
    assert row["fields"]["date_joined"].endswith(".000123Z")
    call_command("flush", "--no-input", verbosity=0)
    call_command("restore", str(tmp_path / "backup"))
    assert User.objects.get(pk=users["pcc"].pk).date_joined == moment
