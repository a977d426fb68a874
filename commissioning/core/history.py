"""The activity log on each record page: who changed what, when and why, read from django-simple-history.

One save and its many-to-many updates write several history rows (simple-history records each m2m
change as its own row), so rows by the same person, with the same reason, a few seconds apart are shown
as one entry. Field changes come from `diff_against` on the previous entry: short values are shown old to
new, long text and links to other records are only named. Many-to-many changes are compared from
prefetched rows, so a log costs the same few queries however long it is.

A page shows `history_for(record)`, or `newest_first(...)` of several `history_entries(...)` when its log
includes related records, with the template core/_history.html.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from simple_history import utils as history_utils

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Rows closer together than this, by the same person for the same reason, are one change.
SAME_CHANGE_WITHIN = dt.timedelta(seconds=5)
# One change can write several rows (one per many-to-many update), so read more rows than entries shown.
ROWS_PER_ENTRY = 4
# "24 November 2026" whatever language the browser asks for (ARCHITECTURE.md).
DATE_SHOWN, DATETIME_SHOWN = "j F Y", "j F Y, H:i"


@dataclass(frozen=True)
class Change:
    """One field's change. `old` and `new` are None for long text and links, which are only named."""

    label: str
    old: str | None = None
    new: str | None = None

    def __str__(self) -> str:
        return self.label if self.old is None else f"{self.label}: {self.old} to {self.new}"


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    action: str
    what: str
    subject: str = ""
    reason: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        """The labels of the fields that changed, in alphabetical order."""
        return [change.label for change in self.changes]


def _m2m_sources(history_model):
    """Per m2m field: its name, the accessor from a history row to its m2m rows, the related id column."""
    sources = []
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        m2m_history_model = getattr(history_model, m2m_field.name).model
        accessor = m2m_history_model._meta.get_field("history").remote_field.get_accessor_name()
        column = m2m_history_model._meta.get_field(history_utils.get_m2m_reverse_field_name(m2m_field)).attname
        sources.append((m2m_field.name, accessor, column))
    return sources


def _m2m_snapshot(record, sources) -> dict[str, frozenset]:
    return {
        name: frozenset(getattr(row, column) for row in getattr(record, accessor).all())
        for name, accessor, column in sources
    }


def _same_change(earlier, later) -> bool:
    return (
        later.history_type == "~"
        and later.history_user_id == earlier.history_user_id
        and later.history_change_reason == earlier.history_change_reason
        and later.history_date - earlier.history_date <= SAME_CHANGE_WITHIN
    )


def _label(model_field) -> str:
    return capfirst(str(model_field.verbose_name))


def _shown(model_field, value) -> str:
    if value in (None, ""):
        return "none"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), DATETIME_SHOWN)
    if isinstance(value, dt.date):
        return date_format(value, DATE_SHOWN)
    return str(value)


def _field_change(model, name: str, old, new) -> Change:
    model_field = model._meta.get_field(name)
    if isinstance(model_field, (models.TextField, models.ForeignKey)):
        return Change(_label(model_field))
    return Change(_label(model_field), _shown(model_field, old), _shown(model_field, new))


def _changes(previous, last, *, model, sources) -> list[Change]:
    m2m_names = [name for name, _, _ in sources]
    delta = last.diff_against(previous, excluded_fields=m2m_names)
    changes = [_field_change(model, change.field, change.old, change.new) for change in delta.changes]
    before, after = _m2m_snapshot(previous, sources), _m2m_snapshot(last, sources)
    changes += [Change(_label(model._meta.get_field(name))) for name in m2m_names if before[name] != after[name]]
    return sorted(changes, key=lambda change: change.label)


def _entries(records, *, model, sources, subject, what) -> list[HistoryEntry]:
    rows = sorted(records, key=lambda r: (r.id, r.history_date, r.history_id))
    entries = []
    for _, object_rows in groupby(rows, key=lambda r: r.id):
        groups: list[list] = []
        for row in object_rows:
            if groups and _same_change(groups[-1][-1], row):
                groups[-1].append(row)
            else:
                groups.append([row])
        previous = None
        for group in groups:
            first, last = group[0], group[-1]
            changes = []
            if first.history_type == "~" and previous is not None:
                changes = _changes(previous, last, model=model, sources=sources)
            user = first.history_user
            action = ACTIONS.get(first.history_type, first.history_type)
            named = subject(last) if subject else ""
            entries.append(
                HistoryEntry(
                    when=first.history_date,
                    who=(user.get_full_name() or user.get_username()) if user else "System",
                    action=action,
                    what=what(first) if what else f"{action} {named}".strip(),
                    subject=named,
                    reason=first.history_change_reason or "",
                    changes=changes,
                )
            )
            previous = last
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def history_entries(
    history: models.QuerySet,
    *,
    subject: Callable[[models.Model], str] | None = None,
    what: Callable[[models.Model], str] | None = None,
    limit: int = 50,
) -> list[HistoryEntry]:
    """The latest `limit` entries, newest first, from history rows of one model, of one object or many.

    One query, plus one per many-to-many field. `subject(row)` names the object when a log mixes several
    (an organisation's contacts, a plan's pillars): "Changed contact Ann Example". `what(row)` replaces the
    whole description, e.g. "Signed as Chief Finance Officer".
    """
    history_model = history.model
    sources = _m2m_sources(history_model)
    records = (
        history.select_related("history_user")
        .prefetch_related(*(accessor for _, accessor, _ in sources))
        .order_by("-history_date", "-history_id")[: limit * ROWS_PER_ENTRY]
    )
    entries = _entries(records, model=history_model.instance_type, sources=sources, subject=subject, what=what)
    return entries[:limit]


def history_for(instance, *, limit: int = 50) -> list[HistoryEntry]:
    """One record's own log."""
    return history_entries(instance.history.all(), limit=limit)


def newest_first(*logs: list[HistoryEntry], limit: int = 50) -> list[HistoryEntry]:
    """Several logs as one, such as a record's and its related records'."""
    return sorted((entry for log in logs for entry in log), key=lambda e: e.when, reverse=True)[:limit]
