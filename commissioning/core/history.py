"""The activity log shown on every record page, read from django-simple-history."""

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def history_entries(obj, *, limit: int = 50) -> list[dict]:
    """Newest first: who, when, what changed (field, old, new) and why. Two queries whatever the length."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        changes = []
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(getattr(field, "verbose_name", change.field)).capitalize(),
                        "old": _display(change.old),
                        "new": _display(change.new),
                    }
                )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user.display_name if record.history_user else "System",
                "action": ACTIONS.get(record.history_type, record.history_type),
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries


def _display(value) -> str:
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, list):
        return f"{len(value)} linked"
    return str(value)
