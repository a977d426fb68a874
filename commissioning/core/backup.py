"""Backup and restore: the database and the uploaded files together, on SQLite or PostgreSQL (issue 9, point 6).

A backup is a folder:

    manifest.json   what is in it: when, from which database, the migrations applied, rows per model, and each
                    uploaded file's size and SHA-256
    database.json   every row of every model with its primary key (Django's dumpdata), content types and
                    permissions included, so every reference to them loads exactly
    files/...       every uploaded file the rows refer to, read through Django's storage API (local disk or
                    S3-compatible object storage alike)

Restoring needs an empty database migrated to the same migrations as the backup (`manage.py migrate` on a new
database): it loads every row in one transaction, puts each file back through the storage API, then checks that
every model has the rows the manifest counted and every file its checksum. See docs/deployment.md.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

from commissioning.core import exact_json

FORMAT_VERSION = 1
MANIFEST, DATABASE, FILES = "manifest.json", "database.json", "files"
# Sessions are not worth keeping (everyone signs in again). Content types and permissions are kept with their
# primary keys; migrate makes its own in a new database, which restore replaces with the backup's.
EXCLUDED = ("sessions",)
EXCLUDED_APPS = {"sessions"}
EXCLUDED_MODELS: set[str] = set()
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason in words an administrator can act on."""


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def text(self, verb: str, where: Path) -> str:
        size = sum(f["size"] for f in self.files.values())
        return (
            f"{verb} {self.total_rows} rows of {sum(1 for n in self.rows.values() if n)} models and "
            f"{len(self.files)} uploaded files ({size / 1024 / 1024:.1f} MB) {'to' if verb == 'Backed up' else 'from'} "
            f"{where}"
        )


def _models():
    """Every concrete model whose rows are backed up, in a stable order."""
    chosen = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in EXCLUDED_APPS or label in EXCLUDED_MODELS:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        chosen.append(model)
    return sorted(chosen, key=lambda m: m._meta.label_lower)


def _row_counts(using: str) -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.using(using).count() for model in _models()}


def _file_names(using: str) -> list[str]:
    """Every stored file a row refers to (current rows and their history alike)."""
    names = set()
    for model in _models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                names.update(
                    model._base_manager.using(using)
                    .exclude(**{f.attname: ""})
                    .exclude(**{f"{f.attname}__isnull": True})
                    .values_list(f.attname, flat=True)
                    .distinct()
                )
    return sorted(names)


def _migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([list(key) for key in recorder.applied_migrations()])


def _sha256(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _safe_relative(name: str) -> Path:
    path = Path(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"Refusing a stored file name that leaves the backup folder: {name}")
    return path


def backup(out: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the database and the uploaded files to the new (or empty) folder `out`."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty. Choose a new folder for each backup")
    (out / FILES).mkdir(parents=True, exist_ok=True)
    summary = Summary()
    # One snapshot: the rows, their counts and the file list are read in one transaction (on PostgreSQL a
    # repeatable-read view would be stricter; writes during a backup are rare and land in the next one).
    serializers.register_serializer(exact_json.FORMAT, "commissioning.core.exact_json")
    with transaction.atomic(using=using):
        call_command(
            "dumpdata",
            *(f"--exclude={label}" for label in EXCLUDED),
            format=exact_json.FORMAT,
            use_base_manager=True,
            database=using,
            output=str(out / DATABASE),
            verbosity=0,
        )
        summary.rows = _row_counts(using)
        names = _file_names(using)
        migrations = _migrations(using)
    missing = []
    for name in names:
        target = out / FILES / _safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
                digest = hashlib.sha256()
                size = 0
                for chunk in iter(lambda source=source: source.read(1024 * 1024), b""):
                    copy.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
        except FileNotFoundError:
            missing.append(name)
            continue
        summary.files[name] = {"size": size, "sha256": digest.hexdigest()}
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "django": django.get_version(),
        "database_vendor": connections[using].vendor,
        "migrations": migrations,
        "rows": summary.rows,
        "files": summary.files,
        "missing_files": missing,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return summary


def read_manifest(folder: Path) -> dict:
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{folder} is a backup in format {manifest.get('format')}; this version reads format 1")
    if not (folder / DATABASE).exists():
        raise BackupError(f"{folder} has no {DATABASE}")
    return manifest


def restore(folder: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Load a backup into an empty database migrated to the backup's migrations, and put its files back."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    applied = _migrations(using)
    wanted = manifest["migrations"]
    if applied != wanted:
        behind = sorted({tuple(m) for m in wanted} - {tuple(m) for m in applied})
        ahead = sorted({tuple(m) for m in applied} - {tuple(m) for m in wanted})
        detail = (
            f"the backup has migrations this database lacks ({', '.join('.'.join(m) for m in behind[:5])})"
            if behind
            else f"this database has migrations the backup lacks ({', '.join('.'.join(m) for m in ahead[:5])})"
        )
        raise BackupError(
            f"The database is not at the backup's migrations: {detail}. Restore with the version of the service "
            "that made the backup (then upgrade as usual), into a new database after `manage.py migrate`"
        )
    present = {label: n for label, n in _row_counts(using).items() if n and label not in MADE_BY_MIGRATE}
    if present:
        listed = ", ".join(f"{label} ({n})" for label, n in sorted(present.items())[:5])
        raise BackupError(
            f"The database is not empty: {listed}. Restore into a new database: create it, run "
            "`manage.py migrate`, then `manage.py restore`"
        )
    for name in manifest["files"]:
        if not (folder / FILES / _safe_relative(name)).is_file():
            raise BackupError(f"The backup is missing the uploaded file {name}")
    with transaction.atomic(using=using):
        # The new database's own content types and permissions give way to the backup's, with their keys.
        Permission.objects.using(using).all().delete()
        ContentType.objects.using(using).all().delete()
        ContentType.objects.clear_cache()
        # The history rows are in the backup: loading many-to-many links must not write history of its own.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(folder / DATABASE), database=using, verbosity=0)
        ContentType.objects.clear_cache()
        counts = _row_counts(using)
        wrong = {label: (n, counts.get(label, 0)) for label, n in manifest["rows"].items() if counts.get(label, 0) != n}
        if wrong:
            listed = ", ".join(f"{label}: {want} in the backup, {got} loaded" for label, (want, got) in wrong.items())
            raise BackupError(f"The restored rows do not match the backup, so nothing was restored: {listed}")
    summary = Summary(rows=counts)
    for name, expected in manifest["files"].items():
        with open(folder / FILES / _safe_relative(name), "rb") as source:
            digest, size = _sha256(source)
            if digest != expected["sha256"]:
                raise BackupError(f"The backup's copy of {name} does not match its checksum")
            source.seek(0)
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as existing:
                    if _sha256(existing)[0] == digest:
                        summary.files[name] = expected
                        continue
                default_storage.delete(name)
            saved = default_storage.save(name, File(source, name=Path(name).name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; restore into empty storage")
        summary.files[name] = {"size": size, "sha256": digest}
    return summary
