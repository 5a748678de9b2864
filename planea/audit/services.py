"""Writing audit events. Call `record` inside the same `transaction.atomic()` block as the change it describes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import AuditEvent, AuditHead

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
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        data[field.name] = getattr(instance, field.attname)
    return to_json(data)


def object_type_of(instance: models.Model) -> str:
    return f"{instance._meta.app_label}.{instance._meta.model_name}"


def locked_head() -> AuditHead:
    """The chain head, locked until the caller's transaction ends; created once, safely under concurrency."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1)
        except IntegrityError:
            pass  # another writer created it first; lock theirs
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    summary: str = "",
) -> AuditEvent:
    """Append one event to the chain. Runs in the caller's transaction (or its own, when there is none)."""
    if instance is not None:
        object_type = object_type or object_type_of(instance)
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    # No savepoint of its own: an event that cannot be written fails the caller's whole transaction.
    with transaction.atomic(savepoint=False):
        head = locked_head()
        event = AuditEvent(
            seq=head.last_seq + 1,
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
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        AuditHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


def save_audited(instance: models.Model, *, actor: Any, summary: str = "", action: str | None = None) -> AuditEvent:
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
