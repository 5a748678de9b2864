"""Writing checked spreadsheet rows: create or update by code, each change audited with before/after, and one event
naming the file and its SHA-256, all in one transaction (all-or-nothing)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from planea.audit.services import Actor, record, snapshot

from .xlsx import CellIssue, ImportRejected, SheetSpec


class Progress(Protocol):
    """Hears how far a long import has come: step `done` of `total`, and what it is doing."""

    def __call__(self, done: int, total: int, message: str, /) -> None: ...


def no_progress(done: int, total: int, message: str, /) -> None:
    """The Progress of work nobody follows (an import inside a request, a command)."""


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
    model: type[Model],
    rows: list[dict[str, Any]],
    actor: Actor,
    summary: ImportSummary,
    resolve: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    *,
    sheet: SheetSpec | None = None,
    numbers: list[int] | None = None,
) -> None:
    """Create or update each row by code, in order, auditing every change with its before/after values. A row the
    model refuses (`full_clean`) becomes a row error of `sheet` naming its row (`numbers`) and column; then nothing
    is written (the caller's transaction rolls back)."""
    existing = model._default_manager.in_bulk([r["code"] for r in rows], field_name="code")  # a unique code
    issues: list[CellIssue] = []
    headers = {c.key: c.header for c in sheet.columns} if sheet else {}
    for index, data in enumerate(rows):
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
        try:
            obj.full_clean(validate_unique=False)
        except ValidationError as error:
            row = numbers[index] if numbers else None
            for field, messages in error.message_dict.items():
                column = headers.get(field.removesuffix("_id"), field if field != NON_FIELD_ERRORS else None)
                # Model messages are sentences of their own; after "…, columna «X»:" they go on in lower case.
                issues.extend(
                    CellIssue(sheet.title if sheet else "", row, column, m[:1].lower() + m[1:]) for m in messages
                )
            continue
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
        existing[data["code"]] = obj
    if issues:
        raise ImportRejected(issues)


def import_rows(
    model: type[Model],
    rows: list[dict[str, Any]],
    actor: Actor,
    *,
    data: bytes,
    filename: str,
    resolve: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    sheet: SheetSpec | None = None,
    numbers: list[int] | None = None,
) -> ImportSummary:
    """Write checked rows and one event naming the file (with its SHA-256), all in one transaction."""
    summary = ImportSummary()
    with transaction.atomic():
        apply_rows(model, rows, actor, summary, resolve=resolve, sheet=sheet, numbers=numbers)
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
