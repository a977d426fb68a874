"""What every app's services share: the permission check, and validating and saving a record with who changed
it and why on its django-simple-history rows (ARCHITECTURE.md: every state change checks permission and records
who, when and why)."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError


def require(actor, perm: str, obj=None) -> None:
    """PermissionDenied unless the actor has the permission (for the object, when one is given)."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(f"{actor} may not {perm}")


def _reason_max_length(instance) -> int | None:
    """The length of the history's change-reason column (simple-history makes it 100 characters), or None for a
    model with no history."""
    history = getattr(type(instance), "history", None)
    try:
        return history.model._meta.get_field("history_change_reason").max_length
    except AttributeError:
        return None


def attribute(instance, *, actor, reason: str = "") -> None:
    """Name the person and the reason on the history rows the next save or delete of `instance` writes.

    A signed-out actor (an applicant registering) is recorded as nobody. The reason is cut to what the history
    keeps; a blank reason is recorded as none."""
    instance._history_user = actor if getattr(actor, "is_authenticated", False) else None
    instance._change_reason = (reason or "").strip()[: _reason_max_length(instance)] or None


def attribute_all(instances, *, actor, reasons) -> None:
    """attribute() for many instances of one model at once (bulk writes): `reasons` gives each one's reason. The
    history's reason length is looked up once, not per instance."""
    instances = list(instances)
    if not instances:
        return
    length = _reason_max_length(instances[0])
    user = actor if getattr(actor, "is_authenticated", False) else None
    for instance, reason in zip(instances, reasons, strict=True):
        instance._history_user = user
        instance._change_reason = (reason or "").strip()[:length] or None


def validate(
    instance,
    *,
    errors: dict | None = None,
    exclude=None,
    required_messages: dict | None = None,
    validate_constraints: bool = True,
) -> None:
    """full_clean, raising its errors together with those the service found first (`errors`, by field), which
    win over Django's own for the same field.

    `required_messages` gives the service's words for a missing value, by field, in place of Django's. With
    validate_constraints=False the database still enforces the constraints, and the service states each one as a
    rule in words people can act on."""
    errors = dict(errors or {})
    required_messages = required_messages or {}
    try:
        instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    except ValidationError as exc:
        by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
        for field, field_errors in by_field.items():
            if field in errors:
                continue
            messages = []
            for error in field_errors:
                if error.code in ("null", "blank", "required") and field in required_messages:
                    messages.append(required_messages[field])
                else:
                    messages.extend(error.messages)
            errors[field] = messages
    if errors:
        raise ValidationError(errors)


def save_with_history(instance, *, actor, reason: str, exclude=None, errors: dict | None = None) -> None:
    """full_clean, then save with who and why recorded in the instance's history.

    `errors` are those the service found first: they are raised together with full_clean's and win over
    Django's own for the same field (see validate)."""
    if errors is None:
        instance.full_clean(exclude=exclude)
    else:
        validate(instance, errors=errors, exclude=exclude)
    attribute(instance, actor=actor, reason=reason)
    instance.save()
