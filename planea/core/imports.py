"""Writing checked spreadsheet rows: create or update by code, each change audited with before/after, and one event
naming the file and its SHA-256, all in one transaction (all-or-nothing)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from planea.audit.services import record, snapshot


def yes_no(value: bool) -> str:
    return "Sí" if value else "No"


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return _("%(total)s filas: %(created)s nuevas, %(updated)s actualizadas, %(unchanged)s sin cambios.") % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def apply_rows(
    model: type,
    rows: list[dict[str, Any]],
    actor: Any,
    summary: ImportSummary,
    resolve: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    """Create or update each row by code, in order, auditing every change with its before/after values."""
    existing = {obj.code: obj for obj in model.objects.filter(code__in=[r["code"] for r in rows])}
    for data in rows:
        data = resolve(data) if resolve else data
        obj = existing.get(data["code"])
        before = snapshot(obj) if obj is not None else None
        if obj is None:
            obj = model(**data)
        else:
            for key, value in data.items():
                setattr(obj, key, value)
        if before == snapshot(obj):
            summary.unchanged += 1
            continue
        obj.full_clean(validate_unique=False)
        obj.save()
        if before is None:
            summary.created += 1
        else:
            summary.updated += 1
        record(
            actor=actor,
            action="import_create" if before is None else "import_update",
            instance=obj,
            before=before,
            after=snapshot(obj),
        )
        existing[obj.code] = obj


def import_rows(
    model: type,
    rows: list[dict[str, Any]],
    actor: Any,
    *,
    data: bytes,
    filename: str,
    resolve: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> ImportSummary:
    """Write checked rows and one event naming the file (with its SHA-256), all in one transaction."""
    summary = ImportSummary()
    with transaction.atomic():
        apply_rows(model, rows, actor, summary, resolve=resolve)
        record(
            actor=actor,
            action="import",
            object_type=f"{model._meta.app_label}.{model._meta.model_name}",
            object_repr=filename,
            summary=_("Importación de %(what)s desde «%(file)s» (SHA-256 %(digest)s): %(summary)s")
            % {
                "what": model._meta.verbose_name_plural,
                "file": filename,
                "digest": file_digest(data)[:16],
                "summary": summary,
            },
        )
    return summary
