"""Append-only, hash-chained audit events.

Each event stores the SHA-256 of its own content together with the hash of the event before it, so editing,
deleting or reordering any row breaks the chain from that row on (`manage.py audit_verify` finds it).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Los eventos de auditoría no se modifican.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Los eventos de auditoría no se eliminan.")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("número"), unique=True)
    occurred_at = models.DateTimeField(_("fecha y hora"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("persona"),
    )
    actor_username = models.CharField(_("usuario"), max_length=150)
    action = models.CharField(_("acción"), max_length=60, db_index=True)
    object_type = models.CharField(_("tipo de objeto"), max_length=100, db_index=True, blank=True)
    object_id = models.CharField(_("identificador"), max_length=64, db_index=True, blank=True)
    object_repr = models.CharField(_("objeto"), max_length=300, blank=True)
    summary = models.CharField(_("descripción"), max_length=500, blank=True)
    before = models.JSONField(_("antes"), null=True, blank=True)
    after = models.JSONField(_("después"), null=True, blank=True)
    prev_hash = models.CharField(_("hash anterior"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("eventos de auditoría")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Los eventos de auditoría no se modifican.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Los eventos de auditoría no se eliminan.")

    @property
    def actor_name(self) -> str:
        """Who did it, by name (select_related("actor") when listing); the user name kept with the event when the
        person has no name or is gone."""
        return (self.actor.get_full_name() if self.actor else "") or self.actor_username

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical_payload(self).encode("utf-8")).hexdigest()

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every key whose value differs, in a stable order."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


def canonical_payload(event: AuditEvent) -> str:
    """The exact text that is hashed: every recorded field plus the previous hash, as canonical JSON."""
    return json.dumps(
        {
            "seq": event.seq,
            "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": event.actor_id,
            "actor_username": event.actor_username,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "object_repr": event.object_repr,
            "summary": event.summary,
            "before": event.before,
            "after": event.after,
            "prev_hash": event.prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


class AuditHead(models.Model):
    """One row that points at the newest event. Writers lock it, so the chain never forks."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("cabeza de la cadena")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
