"""Load an OPCC profile (profiles/<name>/profile.yaml) into the configuration tables.

    summary = profile_load(path_or_name="dorset")

The whole file is checked first (validation.py); a bad profile raises ProfileError listing every problem and
changes nothing. writer.py then writes it, section by section. Loading is idempotent: each record is matched by
a stable key (a code, number, name or date) and only changed fields are written, so loading twice reports
"0 created, N unchanged, 0 updated".
Loading adds and updates; it does not delete records the file no longer lists (retire those in the
configuration admin).
The one exception is a fund split: the shares listed for a parent and date replace that split exactly, so the
shares always add up to 100%.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from commissioning.profiles.validation import Problem, ProfileError, format_problems, parse_yaml, validate
from commissioning.profiles.writer import DEFAULT_SCHEME_CODE as DEFAULT_SCHEME_CODE
from commissioning.profiles.writer import OPCC_ORGANISATION_CODE as OPCC_ORGANISATION_CODE
from commissioning.profiles.writer import SYSTEM_USER_EMAIL as SYSTEM_USER_EMAIL
from commissioning.profiles.writer import ProfileWriter

STATUSES = ("created", "updated", "unchanged", "deleted")


@dataclass
class ProfileLoadSummary:
    profile: str
    path: Path
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    settings: dict = field(default_factory=dict)

    def total(self, status: str) -> int:
        return sum(c[status] for c in self.counts.values())

    def __str__(self):
        text = (
            f"Loaded profile '{self.profile}' from {_display(self.path)}: {self.total('created')} created, "
            f"{self.total('unchanged')} unchanged, {self.total('updated')} updated"
        )
        if self.total("deleted"):
            text += f", {self.total('deleted')} removed"
        return text + "."


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def resolve_profile_path(path_or_name: str | Path) -> Path:
    """A YAML file, a folder holding profile.yaml, or a profile name under settings.PROFILES_DIR."""
    candidate = Path(path_or_name)
    if candidate.is_dir():
        candidate = candidate / "profile.yaml"
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists():
        return candidate
    return Path(settings.PROFILES_DIR) / str(path_or_name) / "profile.yaml"


def profile_read(*, path_or_name) -> tuple[Path, dict]:
    """Read and check a profile without writing anything. Raises ProfileError with every problem."""
    path = resolve_profile_path(path_or_name)
    shown = _display(path)
    if not path.is_file():
        known = sorted(p.parent.name for p in Path(settings.PROFILES_DIR).glob("*/profile.yaml"))
        raise ProfileError(
            shown,
            [f"{shown}: no such profile file (profiles available by name: {', '.join(known) or 'none'})"],
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(shown, [f"{shown}: cannot be read ({exc})"]) from exc
    data, lines, problems = parse_yaml(text)
    if data is not None:
        if not isinstance(data, dict):
            problems.append(Problem((), "the file must be a mapping of keys (profile, opcc, funds, ...)", 1))
        else:
            problems += validate(data)
    if problems:
        raise ProfileError(shown, format_problems(shown, data, lines, problems))
    return path, data


def profile_load(*, path_or_name) -> ProfileLoadSummary:
    """Check, then load, a profile in one transaction. Raises ProfileError (nothing changed) if it is bad."""
    path, data = profile_read(path_or_name=path_or_name)
    writer = ProfileWriter(profile=data["profile"], file=_display(path), data=data)
    try:
        with transaction.atomic():
            writer.load()
            if writer.problems:
                raise _RollBack
    except _RollBack:
        raise ProfileError(writer.file, format_problems(writer.file, data, {}, writer.problems)) from None
    except IntegrityError as exc:
        raise ProfileError(writer.file, [f"{writer.file}: the database refused the profile: {exc}"]) from exc
    summary = ProfileLoadSummary(
        profile=data["profile"], path=path, counts=writer.counts, settings=data.get("settings", {})
    )
    return summary


class _RollBack(Exception):
    pass
