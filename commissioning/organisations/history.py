"""The activity log on each record page: who changed what, when and why, read from django-simple-history.

One save and its many-to-many updates write several history rows (simple-history records each m2m
change as its own row), so rows by the same person, with the same reason, a few seconds apart are shown
as one entry. Field changes come from `diff_against` on the previous entry; many-to-many changes are
compared from prefetched rows, so a log costs the same few queries however long it is.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.utils.text import capfirst
from simple_history import utils as history_utils

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Rows closer together than this, by the same person for the same reason, are one change.
SAME_CHANGE_WITHIN = dt.timedelta(seconds=5)


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    action: str
    subject: str = ""
    reason: str = ""
    changed: list[str] = field(default_factory=list)


def _m2m_sources(history_model):
    """Per m2m field: its name, the accessor from a history row to its m2m rows, the related id column."""
    sources = []
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        m2m_history_model = getattr(history_model, m2m_field.name).model
        accessor = m2m_history_model._meta.get_field("history").remote_field.get_accessor_name()
        column = m2m_history_model._meta.get_field(history_utils.get_m2m_reverse_field_name(m2m_field)).attname
        sources.append((m2m_field.name, accessor, column))
    return sources


def _with_related(records, history_model):
    return records.select_related("history_user").prefetch_related(
        *(accessor for _, accessor, _ in _m2m_sources(history_model))
    )


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


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def entries_from_records(records, *, model, subject=None) -> list[HistoryEntry]:
    """Entries, newest first, from history rows of one model (any order, any number of objects).

    `subject(record)` names the object when a log mixes several (e.g. an organisation's contacts).
    """
    history_model = model.history.model
    sources = _m2m_sources(history_model)
    m2m_names = [name for name, _, _ in sources]
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
            changed = []
            if first.history_type == "~" and previous is not None:
                delta = last.diff_against(previous, excluded_fields=m2m_names)
                changed = [_label(model, name) for name in delta.changed_fields]
                before, after = _m2m_snapshot(previous, sources), _m2m_snapshot(last, sources)
                changed += [_label(model, name) for name in m2m_names if before[name] != after[name]]
            user = first.history_user
            entries.append(
                HistoryEntry(
                    when=first.history_date,
                    who=(user.get_full_name() or user.get_username()) if user else "System",
                    action=ACTIONS.get(first.history_type, first.history_type),
                    subject=subject(last) if subject else "",
                    reason=first.history_change_reason or "",
                    changed=sorted(set(changed)),
                )
            )
            previous = last
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


# One change can write several rows (one per many-to-many update), so read more rows than entries shown.
ROWS_PER_ENTRY = 4


def history_for(instance, *, limit: int = 50) -> list[HistoryEntry]:
    """The latest `limit` entries of one record's log: one query, plus one per many-to-many field."""
    history_model = type(instance).history.model
    records = _with_related(instance.history.order_by("-history_date", "-history_id"), history_model)
    return entries_from_records(records[: limit * ROWS_PER_ENTRY], model=type(instance))[:limit]


def organisation_history(organisation, *, limit: int = 50) -> list[HistoryEntry]:
    """An organisation's log including its contacts, added, changed or removed."""
    from commissioning.organisations.models import Contact

    contact_records = (
        Contact.history.filter(organisation_id=organisation.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit * ROWS_PER_ENTRY]
    )
    entries = history_for(organisation, limit=limit) + entries_from_records(
        contact_records, model=Contact, subject=lambda record: f"contact {record.name}"
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
