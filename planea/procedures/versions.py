"""Definition versions: version 1 of each procedure from the shipped BPMN files, a revised BPMN as the next version,
and the working days of each step. A stored version never changes: running cases keep the one they started with."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.core.numbers import Bounds
from planea.org.models import Person

from .bpmn_reader import validate
from .definitions import definition_path
from .errors import ProcedureError
from .manual import PROCEDURES, Procedure
from .models import Definition

DUE_DAYS_BOUNDS = Bounds(decimal_places=0, minimum=Decimal(1), maximum=Decimal(250))  # working days of one step


def header_of(procedure: Procedure) -> dict[str, Any]:
    return {
        "name": procedure.name,
        "description": procedure.description,
        "objective": procedure.objective,
        "users": list(procedure.users),
        "indicators": list(procedure.indicators),
        "required_documents": list(procedure.required_documents),
        "policies": list(procedure.policies),
        "edition": procedure.edition,
        "subject": procedure.subject,
    }


def _new_version(
    *, code: str, xml: str, header: dict[str, Any], due_days: dict[str, int], actor: Person | None, note: str
) -> Definition:
    read = validate(xml.encode("utf-8"))
    latest = Definition.objects.select_for_update().filter(code=code).aggregate(v=Max("version"))["v"] or 0
    numbers = {step["number"] for step in read.steps}
    definition = Definition.objects.create(
        code=code,
        version=latest + 1,
        name=header.get("name") or read.process_name,
        process_id=read.process_id,
        bpmn_xml=xml,
        sha256=hashlib.sha256(xml.encode("utf-8")).hexdigest(),
        steps=read.steps,
        header=header,
        due_days={number: days for number, days in due_days.items() if number in numbers},
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        actor=actor,
        action="definition_version_created",
        instance=definition,
        after={"version": definition.version, "sha256": definition.sha256, "steps": len(read.steps), "note": note},
        summary=f"{code} versión {definition.version}",
    )
    return definition


@transaction.atomic
def load_shipped_definitions(actor: Person | None = None) -> list[Definition]:
    """Version 1 of every procedure, from the BPMN files shipped with Planea, when it is not loaded yet."""
    created = []
    for procedure in PROCEDURES:
        if Definition.objects.filter(code=procedure.code).exists():
            continue
        created.append(
            _new_version(
                code=procedure.code,
                xml=definition_path(procedure).read_text(encoding="utf-8"),
                header=header_of(procedure),
                due_days={},
                actor=actor,
                note=_("Versión inicial del manual (%(edition)s)") % {"edition": procedure.edition},
            )
        )
    return created


def latest_definitions() -> list[Definition]:
    latest: dict[str, Definition] = {}
    for definition in Definition.objects.order_by("code", "-version").defer("bpmn_xml"):
        latest.setdefault(definition.code, definition)
    return list(latest.values())


def current_definition(code: str) -> Definition:
    definition = Definition.objects.filter(code=code).order_by("-version").first()
    if definition is None:
        raise ProcedureError(_("El procedimiento %(code)s no está cargado.") % {"code": code})
    return definition


@transaction.atomic
def upload_version(*, code: str, xml: str, actor: Person, note: str) -> Definition:
    """A revised BPMN becomes the next version of `code` (validated first); running cases keep theirs."""
    current = current_definition(code)
    if hashlib.sha256(xml.encode("utf-8")).hexdigest() == current.sha256:
        raise ProcedureError(
            _("El archivo es igual a la versión %(version)s vigente; no se creó una versión nueva.")
            % {"version": current.version}
        )
    return _new_version(code=code, xml=xml, header=current.header, due_days=current.due_days, actor=actor, note=note)


@transaction.atomic
def set_due_days(definition: Definition, due_days: dict[str, int], actor: Person) -> None:
    before = dict(definition.due_days)
    numbers = {step["number"] for step in definition.steps}
    definition.due_days = {n: int(d) for n, d in due_days.items() if n in numbers and int(d) > 0}
    Definition.objects.filter(pk=definition.pk).update(due_days=definition.due_days)
    record(
        actor=actor,
        action="definition_due_days_changed",
        instance=definition,
        before=before,
        after=definition.due_days,
        summary=_("Plazos de %(definition)s") % {"definition": definition},
    )
