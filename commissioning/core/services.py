"""What every app's services share: the permission check, and validating and saving a record with who changed
it and why on its django-simple-history rows (ARCHITECTURE.md: every state change checks permission and records
who, when and why)."""

import re

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone


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


def save_with_history(
    instance,
    *,
    actor,
    reason: str = "",
    exclude=None,
    errors: dict | None = None,
    required_messages: dict | None = None,
    validate_constraints: bool = True,
) -> None:
    """full_clean, then save with who and why recorded in the instance's history.

    `errors` are those the service found first: they are raised together with full_clean's and win over
    Django's own for the same field; `required_messages` and `validate_constraints` as in validate. An app
    whose services share messages binds them once: `save = partial(save_with_history, required_messages=...)`."""
    validate(
        instance,
        errors=errors,
        exclude=exclude,
        required_messages=required_messages,
        validate_constraints=validate_constraints,
    )
    attribute(instance, actor=actor, reason=reason)
    instance.save()


REFERENCE_ATTEMPTS = 5


def next_reference(model, prefix: str, *, field: str = "reference", digits: int = 4) -> str:
    """The next reference after the highest with this prefix: SVC-0001, AGR-2026-0001, CGS-2026-0012."""
    last = model.objects.filter(**{f"{field}__regex": rf"^{re.escape(prefix)}[0-9]+$"}).aggregate(
        number=Max(Cast(Substr(field, len(prefix) + 1), IntegerField()))
    )["number"]
    return f"{prefix}{(last or 0) + 1:0{digits}d}"


def save_with_reference(instance, *, prefix: str, save=save_with_history, field: str = "reference", **kwargs) -> None:
    """Number `instance` with next_reference and save it with `save`; a clash with a record numbered at the same
    moment (the field's unique constraint) is retried with the next number."""
    adding = instance._state.adding
    for attempt in range(REFERENCE_ATTEMPTS):
        setattr(instance, field, next_reference(type(instance), prefix, field=field))
        try:
            with transaction.atomic():
                save(instance, exclude=[field], **kwargs)
        except IntegrityError:
            if adding:  # a new row gets a fresh insert with the next number
                instance.pk = None
                instance._state.adding = True
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
        else:
            return


def _column_getter(field, ops):
    """A function giving an instance's value of `field` ready for the database driver."""
    attname = field.attname
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda o: ops.adapt_decimalfield_value(getattr(o, attname), digits, places)
    if isinstance(field, models.DateTimeField):
        return lambda o: ops.adapt_datetimefield_value(getattr(o, attname))
    if isinstance(field, models.DateField):
        return lambda o: ops.adapt_datefield_value(getattr(o, attname))
    if isinstance(field, models.JSONField | models.UUIDField | models.FileField):
        return lambda o: field.get_db_prep_save(getattr(o, attname), connection)
    return lambda o: getattr(o, attname)


def bulk_insert(instances, *, batch_size: int = 500) -> None:
    """INSERT many new instances of one model (simple fields, database-generated primary key) as multi-row
    INSERT ... RETURNING statements, setting each instance's primary key, as bulk_create does on PostgreSQL and
    SQLite but without preparing every value through the ORM's compiler. No signals, no history: the caller
    writes the history (insert_history) and has validated the values. An auto_now field is set to now; an
    auto_now_add field keeps a moment the caller gave (a record of something that happened earlier), else now."""
    instances = list(instances)
    if not instances:
        return
    model = type(instances[0])
    ops = connection.ops
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False):
            for instance in instances:
                setattr(instance, field.attname, now)
        elif getattr(field, "auto_now_add", False):
            for instance in instances:
                if getattr(instance, field.attname) is None:
                    setattr(instance, field.attname, now)
    getters = [_column_getter(field, ops) for field in fields]
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    table, pk = ops.quote_name(model._meta.db_table), ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(instances), batch_size):
            chunk = instances[start : start + batch_size]
            params = [value for instance in chunk for value in (get(instance) for get in getters)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))} RETURNING {pk}", params
            )
            for instance, (key,) in zip(chunk, cursor.fetchall(), strict=True):
                instance.pk = key
                instance._state.adding, instance._state.db = False, connection.alias


def insert_history(instances, *, history_type: str = "+", batch_size: int = 1000) -> None:
    """Write the django-simple-history rows of many instances just created ("+") or changed ("~") in bulk, with the
    who and why that attribute()/attribute_all() set on them: the same rows simple-history would write one save
    at a time, as a few multi-row INSERTs (the ORM's bulk_create spends longer preparing 5,000 history rows than
    the database spends storing them)."""
    instances = list(instances)
    if not instances:
        return
    history = type(instances[0]).history.model
    tracked = {field.attname for field in history.tracked_fields}
    now = timezone.now()
    ops = connection.ops
    columns, getters = [], []
    for field in history._meta.concrete_fields:
        if field.primary_key:  # history_id, the history row's own key
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in tracked:
            getters.append(_column_getter(field, ops))
        elif field.attname == "history_date":
            stamp = ops.adapt_datetimefield_value(now)
            getters.append(lambda o, v=stamp: v)
        elif field.attname == "history_change_reason":
            getters.append(lambda o: getattr(o, "_change_reason", None))
        elif field.attname == "history_type":
            getters.append(lambda o, v=history_type: v)
        elif field.attname == "history_user_id":
            getters.append(lambda o: getattr(getattr(o, "_history_user", None), "pk", None))
        else:
            raise ValueError(f"insert_history does not know how to fill {history.__name__}.{field.attname}")
    sql = (
        f"INSERT INTO {ops.quote_name(history._meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(instances), batch_size):
            cursor.executemany(sql, [tuple(get(o) for get in getters) for o in instances[start : start + batch_size]])
