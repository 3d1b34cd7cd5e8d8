"""Writing the audit trail. Services call `audit_record` inside their transaction."""

import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.db import models

from guanxi.core.choices import AuditAction
from guanxi.core.context import current_origin
from guanxi.core.models import AuditEvent

# Column order of AuditEvent rows written in bulk (imports, migrations) by insert_rows.
AUDIT_COLUMNS = [
    "occurred_at",
    "actor_id",
    "actor_repr",
    "request_id",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "subject_type",
    "subject_id",
    "changes",
]


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """Field values of `instance` as JSON-ready data (foreign keys as ids)."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = field.attname if field.is_relation else name
        data[name] = _plain(getattr(instance, attname))
    return data


def diff(before: dict, after: dict) -> dict:
    """Field-level changes as {field: [before, after]} for fields whose value differs."""
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor,
    action: AuditAction | str,
    obj: models.Model,
    changes: dict | None = None,
    subject: models.Model | None = None,
) -> AuditEvent:
    """Append one event. `subject` is the record whose history shows it (default: obj)."""
    origin = current_origin()
    subject = subject or obj
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_repr=str(actor) if actor is not None else "system",
        request_id=origin.request_id,
        ip_address=origin.ip_address,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        changes=changes or {},
    )


def audit_bulk(events: list[AuditEvent]) -> None:
    """Append many prepared events in one statement (bulk transfer)."""
    AuditEvent.objects.bulk_create(events, batch_size=1000)


def history_for(obj: models.Model):
    return AuditEvent.objects.filter(
        subject_type=obj._meta.label_lower, subject_id=str(obj.pk)
    ).select_related("actor")


def audit_insert(
    *,
    actor,
    action: str,
    object_type: str,
    entries: Iterable[tuple[object, str, dict]],
    at: datetime.datetime,
) -> None:
    """Append one event per (object id, object repr, changes) in one COPY (PostgreSQL) or
    executemany (SQLite): for jobs touching many records (pool recycling)."""
    import json

    from guanxi.core.bulk import db_datetime, insert_rows

    origin = current_origin()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    actor_repr = str(actor) if actor is not None else "system"
    insert_rows(
        AuditEvent._meta.db_table,
        AUDIT_COLUMNS,
        [
            (
                db_datetime(at),
                actor_id,
                actor_repr,
                origin.request_id,
                origin.ip_address,
                action,
                object_type,
                str(pk),
                repr_[:200],
                object_type,
                str(pk),
                json.dumps(changes, ensure_ascii=False, default=str),
            )
            for pk, repr_, changes in entries
        ],
    )
