"""Writing audit events. Call `record` inside the same `transaction.atomic()` block as the change it describes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from planea.core import rows

from .models import AuditEvent, AuditHead

if TYPE_CHECKING:  # the user model is the project's (audit names no app): any user, or an anonymous one
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# Who did it: a signed-in person, or nobody (None, or an anonymous user) for what the system does by itself.
type Actor = AbstractBaseUser | AnonymousUser | None

SYSTEM_ACTOR = "sistema"


def to_json(value: Any) -> Any:
    """Plain JSON values (dates, decimals and UUIDs become text) so that hashing is stable after a round trip."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(instance: models.Model, exclude: Iterable[str] = ("password",)) -> dict[str, Any]:
    """The concrete field values of a model instance, keyed by field name (foreign keys by their id)."""
    skip = set(exclude)
    data: dict[str, Any] = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in skip:
            continue
        data[model_field.name] = getattr(instance, model_field.attname)
    return to_json(data)


def object_type_of(instance: models.Model) -> str:
    return f"{instance._meta.app_label}.{instance._meta.model_name}"


_HEAD = rows.Columns(AuditHead, ("id", "last_seq", "last_hash"), "h")
_HEAD_SQL = f"SELECT {_HEAD.sql} FROM {AuditHead._meta.db_table} h WHERE h.id = 1"
_EVENT_FIELDS = tuple(rows.field_names(AuditEvent, without=("id",)))  # the database gives the id


def locked_head() -> AuditHead:
    """The chain head, locked until the caller's transaction ends; created once, safely under concurrency."""
    sql = _HEAD_SQL + rows.for_update("h")
    found = rows.fetch(sql, [])
    if not found:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1)
        except IntegrityError:
            pass  # another writer created it first; lock theirs
        found = rows.fetch(sql, [])
    head: AuditHead = _HEAD.instance(found[0])
    return head


@dataclass
class _Batch:
    depth: int  # the transaction level (atomic blocks open) whose events wait for the end of the batch
    events: list[AuditEvent] = field(default_factory=list)


_batch: ContextVar[_Batch | None] = ContextVar("audit_batch", default=None)


def _depth() -> int:
    return len(connection.savepoint_ids) if connection.in_atomic_block else -1


@contextmanager
def batch() -> Iterator[None]:
    """Inside a transaction: the events recorded in the block are appended to the chain together when it ends, in
    the order recorded, with one lock of the head, one insert and one update (a step of a case records three or
    four). An exception discards them with the rest of the transaction. An event recorded inside a nested atomic
    block, which could be rolled back on its own, is appended at once, as without a batch."""
    if _batch.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("audit.batch() runs inside the transaction of the change.")
    pending = _Batch(_depth())
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    _append(pending.events)


def _append(events: list[AuditEvent]) -> None:
    """Chain `events` after the head, in order, and move the head to the last of them."""
    if not events:
        return
    with transaction.atomic(savepoint=False):
        head = locked_head()
        seq, last_hash = head.last_seq, head.last_hash
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, last_hash
            event.hash = last_hash = event.compute_hash()
        head.last_seq, head.last_hash = seq, last_hash
        rows.execute_together(
            [rows.insert_statement(events, _EVENT_FIELDS), rows.update_statement(head, ("last_seq", "last_hash"))]
        )


def record(
    *,
    actor: Actor,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    summary: str = "",
) -> AuditEvent:
    """Append one event to the chain. Runs in the caller's transaction (or its own, when there is none); inside
    `batch()`, the event is appended when the batch ends."""
    if instance is not None:
        object_type = object_type or object_type_of(instance)
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)
    actor_obj: Any = actor if actor is not None and actor.is_authenticated else None  # a row of the user model
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor_obj,
        actor_username=actor_obj.get_username() if actor_obj else SYSTEM_ACTOR,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=str(object_repr)[:300],
        summary=str(summary)[:500],
        before=to_json(before),
        after=to_json(after),
    )
    pending = _batch.get()
    if pending is not None and pending.depth == _depth():
        pending.events.append(event)
    else:
        # No savepoint of its own: an event that cannot be written fails the caller's whole transaction.
        _append([event])
    return event


def save_audited(instance: models.Model, *, actor: Actor, summary: str = "", action: str | None = None) -> AuditEvent:
    """Save a model instance and record its before/after snapshot, both in one transaction."""
    with transaction.atomic():
        before = None
        if instance.pk is not None:
            previous = type(instance)._default_manager.filter(pk=instance.pk).first()
            before = snapshot(previous) if previous is not None else None
        instance.save()
        after = snapshot(instance)
        if action is None:
            action = "create" if before is None else "update"
        return record(actor=actor, action=action, instance=instance, before=before, after=after, summary=summary)
