"""Operations on procedure definitions and cases. Each runs in one transaction with its audit event; the case row
is locked while a step completes, so two people completing the same step cannot both succeed."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from planea.audit.services import batch, record, snapshot
from planea.core.numbers import Bounds
from planea.core.workdays import add_working_days
from planea.documents.kinds import OFICIO_KINDS
from planea.documents.models import Document, Origin
from planea.documents.services import OficioContent, issue_oficio, store, store_upload
from planea.org.models import OrgUnit, Person

from . import engine, notifications, signals, task_rows
from .bpmn_reader import validate
from .definitions import definition_path
from .manual import PROCEDURES, Procedure
from .models import Case, CaseStatus, CaseTask, Definition, StepDocument, TaskStatus
from .people import can_assign, holds_role

logger = logging.getLogger(__name__)
DUE_DAYS_BOUNDS = Bounds(decimal_places=0, minimum=Decimal(1), maximum=Decimal(250))  # working days of one step
# SpiffWorkflow looks for a case's tasks at most 1,000 levels deep in its task tree, and every step taken (returns
# included) adds a level or two: past a few hundred steps it would stop seeing the case's steps. A case that long is
# not a case any more; Planea stops it well before, with a message.
MAX_STEPS_PER_CASE = 200


class ProcedureError(ValueError):
    """A refused operation; the message is Spanish and meant for the person who tried it."""


def _engine_failed(case_label: str, error: engine.EngineError) -> ProcedureError:
    """The engine could not move the case: logged for the administrator; the person is told, nothing is written."""
    logger.error("Engine error on %s: %s", case_label, error)
    return ProcedureError(
        _(
            "El motor de procedimientos no pudo avanzar %(case)s; el paso quedó como estaba y no se guardó nada. "
            "Avise a la persona administradora de Planea (la definición del procedimiento debe revisarse)."
        )
        % {"case": case_label}
    )


# ---------------------------------------------------------------- definitions


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
    *, code: str, xml: str, header: dict[str, Any], due_days: dict[str, int], actor: Any, note: str
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
def load_shipped_definitions(actor: Any = None) -> list[Definition]:
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
def upload_version(*, code: str, xml: str, actor: Any, note: str) -> Definition:
    """A revised BPMN becomes the next version of `code` (validated first); running cases keep theirs."""
    current = current_definition(code)
    if hashlib.sha256(xml.encode("utf-8")).hexdigest() == current.sha256:
        raise ProcedureError(
            _("El archivo es igual a la versión %(version)s vigente; no se creó una versión nueva.")
            % {"version": current.version}
        )
    return _new_version(code=code, xml=xml, header=current.header, due_days=current.due_days, actor=actor, note=note)


@transaction.atomic
def set_due_days(definition: Definition, due_days: dict[str, int], actor: Any) -> None:
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


# ---------------------------------------------------------------- cases


def _role_unit(actor: Any, role: str) -> OrgUnit:
    assignment = actor.role_assignments.filter(active=True, role=role).select_related("org_unit").first()
    if assignment is None:
        raise ProcedureError(_("Usted no tiene el rol que inicia este procedimiento."))
    return assignment.org_unit


@transaction.atomic
@batch()
def start_case(*, code: str, title: str, subject: str, actor: Any) -> Case:
    definition = current_definition(code)
    unit = _role_unit(actor, definition.steps[0]["role"])  # refuses a person without the role of step 1
    title, subject = title.strip(), subject.strip()
    if not title:
        raise ProcedureError(_("Escriba el título del expediente."))
    if not subject:
        raise ProcedureError(_("Indique a qué se refiere el expediente."))
    now = timezone.now()
    # Lock every version of the procedure: concurrent starts take their numbers one after the other.
    list(Definition.objects.select_for_update().filter(code=code).values_list("pk", flat=True))
    count = Case.objects.filter(definition__code=code, started_at__year=now.year).count()
    try:
        workflow = engine.start(definition)
    except engine.EngineError as error:
        raise _engine_failed(str(definition), error) from error
    case = Case.objects.create(
        definition=definition,
        number=f"{definition.key}-{now.year}-{count + 1:04d}",
        title=title[:200],
        subject=subject[:200],
        org_unit=unit,
        started_by=actor,
        started_at=now,
        state=engine.dump(workflow),
    )
    record(actor=actor, action="case_started", instance=case, after=snapshot(case, exclude=("state",)))
    arrived = _arriving_tasks(case, workflow, actor, history=())
    task_rows.add_tasks(arrived)
    _announce(case, arrived, actor)
    return case


def _arriving_tasks(case: Case, workflow: Any, actor: Any, history: Iterable[task_rows.Step]) -> list[CaseTask]:
    """The inbox items of the steps the engine has just made ready (not yet written), given the case's steps so
    far: which the engine already made ready, and each number's last iteration and who did it."""
    known, last = set(), {}
    for step_so_far in history:
        known.add(step_so_far.engine_id)
        if step_so_far.iteration >= last.get(step_so_far.number, (0, None))[0]:
            last[step_so_far.number] = (step_so_far.iteration, step_so_far.completed_by_id)
    arriving = []
    today = timezone.localdate()
    for spiff_task in engine.ready_tasks(workflow):
        if spiff_task.id in known:
            continue
        step = case.definition.step_by_task_id(spiff_task.task_spec.bpmn_id)
        previous = last.get(step["number"])
        assignee = actor if not known and holds_role(actor, step["role"], case.org_unit) else None
        if previous and previous[1] is not None:
            before = actor if previous[1] == getattr(actor, "pk", None) else Person.objects.get(pk=previous[1])
            if holds_role(before, step["role"], case.org_unit):
                assignee = before  # a returned step goes back to whoever did it before
        arriving.append(
            CaseTask(
                case=case,
                engine_id=spiff_task.id,
                task_id=step["task_id"],
                number=step["number"],
                name=step["name"][:300],
                role=step["role"],
                iteration=previous[0] + 1 if previous else 1,
                assignee=assignee,
                created_at=timezone.now(),
                due_date=add_working_days(today, case.definition.working_days(step["number"])),
            )
        )
    return arriving


def _announce(case: Case, arrived: list[CaseTask], actor: Any) -> None:
    """Audit and notify the steps that arrived (written, with their keys)."""
    for task in arrived:
        record(
            actor=actor,
            action="task_ready",
            instance=task,
            after={"step": task.number, "role": task.role, "due": task.due_date, "assignee": task.assignee_id},
            summary=_("Paso %(number)s listo en %(case)s") % {"number": task.number, "case": case.number},
        )
        transaction.on_commit(lambda task=task: notifications.task_arrived(task))


def _require_ready(task: CaseTask) -> None:
    if task.status == TaskStatus.COMPLETED:
        raise ProcedureError(
            _("El paso %(number)s ya fue completado por %(person)s el %(when)s. Actualice la página.")
            % {
                "number": task.number,
                "person": task.completed_by,
                "when": date_format(timezone.localtime(task.completed_at), "DATETIME_FORMAT"),
            }
        )
    if task.status != TaskStatus.READY:
        raise ProcedureError(_("El paso %(number)s ya no está pendiente.") % {"number": task.number})


def _require_worker(task: CaseTask, actor: Any) -> None:
    if not holds_role(actor, task.role, task.case.org_unit):
        raise ProcedureError(
            _("Este paso corresponde al rol «%(role)s»; usted no lo tiene.") % {"role": task.get_role_display()}
        )
    if task.assignee_id not in (None, actor.pk):
        raise ProcedureError(_("Este paso está asignado a %(person)s.") % {"person": task.assignee})


def require_workable(task: CaseTask, actor: Any) -> None:
    """ProcedureError unless the step is still pending and `actor` may work on it: what every operation on a step
    checks, for work that starts before it (a document built by the task worker)."""
    _require_ready(task)
    _require_worker(task, actor)


@transaction.atomic
def claim(task: CaseTask, actor: Any) -> CaseTask:
    task = task_rows.locked_task(task.pk)
    _require_ready(task)
    _require_worker(task, actor)
    if task.assignee_id == actor.pk:
        return task
    task.assignee = actor
    task.save(update_fields=["assignee"])
    record(actor=actor, action="task_claimed", instance=task, after={"assignee": actor.pk})
    return task


@transaction.atomic
def release(task: CaseTask, actor: Any) -> CaseTask:
    task = task_rows.locked_task(task.pk)
    _require_ready(task)
    if task.assignee_id != actor.pk and not can_assign(actor):
        raise ProcedureError(_("Solo quien tiene el paso o quien coordina puede liberarlo."))
    before = task.assignee_id
    task.assignee = None
    task.save(update_fields=["assignee"])
    record(actor=actor, action="task_released", instance=task, before={"assignee": before}, after={"assignee": None})
    return task


@transaction.atomic
def assign(task: CaseTask, person: Any, actor: Any) -> CaseTask:
    task = task_rows.locked_task(task.pk)
    _require_ready(task)
    if not can_assign(actor):
        raise ProcedureError(_("Solo la Subdirección de Planificación o la jefatura asignan pasos."))
    if not holds_role(person, task.role, task.case.org_unit):
        raise ProcedureError(
            _("%(person)s no tiene el rol «%(role)s» que pide este paso.")
            % {"person": person, "role": task.get_role_display()}
        )
    before = task.assignee_id
    task.assignee = person
    task.save(update_fields=["assignee"])
    record(
        actor=actor,
        action="task_reassigned" if before else "task_assigned",
        instance=task,
        before={"assignee": before},
        after={"assignee": person.pk},
        summary=_("Paso %(number)s de %(case)s asignado a %(person)s")
        % {"number": task.number, "case": task.case.number, "person": person},
    )
    transaction.on_commit(lambda: notifications.task_arrived(task))
    return task


def _visible(text: str) -> bool:
    """Whether `text` shows anything: spaces and invisible format characters (zero-width space…) alone do not."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def _check_slot(task: CaseTask, slot: str) -> dict[str, Any]:
    for doc in task.step["documents"]:
        if doc["name"] == slot:
            return doc
    raise ProcedureError(
        _("El paso %(number)s no pide el documento «%(slot)s».") % {"number": task.number, "slot": slot[:100]}
    )


def _workable_slot(task: CaseTask, slot: str, actor: Any) -> tuple[CaseTask, dict[str, Any]]:
    """The task, locked, ready and workable by `actor`, and the document of the step named `slot`."""
    task = task_rows.locked_task(task.pk)
    _require_ready(task)
    _require_worker(task, actor)
    return task, _check_slot(task, slot)


def _attach(task: CaseTask, document: Document, slot: str, actor: Any) -> StepDocument:
    link = StepDocument(task=task, document=document, slot=slot, added_by=actor, added_at=timezone.now())
    task_rows.add_link(link)
    record(
        actor=actor,
        action="task_document_attached",
        instance=task,
        after={"document": document.pk, "slot": slot, "sha256": document.sha256},
        summary=_("%(slot)s agregado al paso %(number)s de %(case)s")
        % {"slot": slot, "number": task.number, "case": task.case.number},
    )
    return link


@transaction.atomic
@batch()
def attach_upload(task: CaseTask, *, slot: str, upload: UploadedFile, actor: Any) -> Document:
    """Attach a file the caller has checked with `core.uploads.check_upload`."""
    task, doc = _workable_slot(task, slot, actor)
    document = store_upload(upload, kind=doc["kind"], title=f"{slot} · {task.case.number}", actor=actor)
    _attach(task, document, slot, actor)
    return document


@transaction.atomic
@batch()
def attach_oficio(task: CaseTask, *, slot: str, content: OficioContent, actor: Any) -> Document:
    """Issue an oficio from the person's unit (numbered, rendered to PDF) and attach it to the step."""
    task, doc = _workable_slot(task, slot, actor)
    if doc["kind"] not in OFICIO_KINDS or doc["use"] != "produce":
        raise ProcedureError(_("«%(slot)s» no es un oficio que emita este paso; cárguelo.") % {"slot": slot})
    unit = _role_unit(actor, task.role)
    content = OficioContent(**{**content.__dict__, "reference": content.reference or task.case.number})
    document = issue_oficio(content=content, unit=unit, actor=actor, kind=doc["kind"], title=content.subject)
    _attach(task, document, slot, actor)
    return document


@transaction.atomic
@batch()
def attach_generated(task: CaseTask, *, slot: str, content: bytes, filename: str, title: str, actor: Any) -> Document:
    """Attach a document Planea produced from its data (an anteproyecto, a report) to the step's slot."""
    task, doc = _workable_slot(task, slot, actor)
    if doc["use"] != "produce":
        raise ProcedureError(_("«%(slot)s» no es un documento que produzca este paso.") % {"slot": slot})
    document = store(
        content=content, filename=filename, kind=doc["kind"], title=title, actor=actor, origin=Origin.GENERATED
    )
    _attach(task, document, slot, actor)
    return document


@transaction.atomic
@batch()
def complete(task: CaseTask, *, actor: Any, comment: str = "", decision: str = "", observations: str = "") -> CaseTask:
    """Complete a ready step: who, when, comment, decision and observations; then the engine moves the case on."""
    task, attachments, history = task_rows.locked_for_completion(task.pk)
    _require_ready(task)
    _require_worker(task, actor)
    case = task.case
    if case.revision >= MAX_STEPS_PER_CASE:  # the revision counts the steps completed
        raise ProcedureError(
            _(
                "El expediente %(case)s ya lleva %(n)s pasos completados, el máximo que Planea sigue en un "
                "expediente. Concluya el trámite en un expediente nuevo."
            )
            % {"case": case.number, "n": MAX_STEPS_PER_CASE}
        )
    attached = {slot for slot, _document in attachments}
    missing = [slot["name"] for slot in task.required_slots if slot["name"] not in attached]
    if missing:
        raise ProcedureError(
            _("Falta el documento de soporte: %(documents)s. Cárguelo o emítalo antes de completar el paso.")
            % {"documents": ", ".join(f"«{name}»" for name in missing)}
        )
    step = task.step
    branches = step["branches"]
    label = ""
    if branches:
        chosen = next((b for b in branches if b["value"] == decision), None)
        if chosen is None:
            raise ProcedureError(
                _("Elija el resultado de la decisión «%(question)s».") % {"question": step["decision"]}
            )
        label = chosen["label"]
        if case.definition.is_return(task.number, chosen["to"]) and not _visible(observations):
            raise ProcedureError(_("Escriba las observaciones por las que el documento se devuelve."))
    elif decision:
        raise ProcedureError(_("Este paso no es una decisión."))
    elif case.definition.is_return_step(step) and not _visible(observations):
        raise ProcedureError(_("Escriba las observaciones por las que el documento se devuelve."))
    try:
        workflow = engine.restore(case.definition, case.state)
        engine.complete(workflow, task.engine_id, decision)
    except engine.EngineError as error:
        raise _engine_failed(case.number, error) from error
    now = timezone.now()
    task.status = TaskStatus.COMPLETED
    task.completed_at = now
    task.completed_by = actor
    if task.assignee_id is None:
        task.assignee = actor
    task.comment = comment.strip()
    task.decision = decision
    task.decision_label = label
    task.observations = observations.strip()
    before = {"revision": case.revision, "status": case.status}
    case.state = engine.dump(workflow)
    case.revision += 1
    if workflow.is_completed():
        case.status = CaseStatus.COMPLETED
        case.completed_at = now
    # The completer, as the next steps see the case (a step returned to goes back to who did it).
    history = [
        step._replace(completed_by_id=actor.pk) if step.engine_id == task.engine_id else step for step in history
    ]
    arrived = _arriving_tasks(case, workflow, actor, history)
    task_rows.save_completion(task, case, arrived)
    record(
        actor=actor,
        action="task_completed",
        instance=task,
        before=before,
        after={
            "revision": case.revision,
            "status": case.status,
            "decision": decision,
            "observations": task.observations,
            "comment": task.comment,
            "documents": [document for _slot, document in attachments],
        },
        summary=_("Paso %(number)s de %(case)s completado%(decision)s")
        % {"number": task.number, "case": case.number, "decision": f": {label}" if label else ""},
    )
    if case.status == CaseStatus.COMPLETED:
        record(actor=actor, action="case_completed", instance=case, after={"completed_at": now})
    _announce(case, arrived, actor)
    target = next((b["to"] for b in branches if b["value"] == decision), "") if branches else ""
    signals.step_completed.send(sender=Case, case=case, task=task, target=target, actor=actor)
    return task


def return_loops(case: Case, tasks: Iterable[CaseTask] | None = None) -> list[dict[str, Any]]:
    """How many times each return loop of the case ran: (from step, to step, label, times)."""
    counts: dict[tuple[str, str], dict[str, Any]] = {}
    for task in tasks if tasks is not None else case.tasks.all():
        if task.status != TaskStatus.COMPLETED:
            continue
        step = case.definition.step_by_task_id(task.task_id)
        if task.decision:
            branch = next((b for b in step["branches"] if b["value"] == task.decision), None)
            target, label = (branch["to"], branch["label"]) if branch else ("", "")
        elif len(step["next"]) == 1:
            target, label = step["next"][0], step["name"]
        else:
            continue
        if target and case.definition.is_return(task.number, target):
            entry = counts.setdefault(
                (task.number, target), {"from": task.number, "to": target, "label": label, "times": 0}
            )
            entry["times"] += 1
    return list(counts.values())


@transaction.atomic
def notify_overdue(today: Any = None) -> int:
    """Send one overdue notice per ready step past its due date; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for task in (
        CaseTask.objects.select_for_update(of=("self",))
        .filter(status=TaskStatus.READY, due_date__lt=today, overdue_notified=False)
        .select_related("case__org_unit", "assignee")
    ):
        task.overdue_notified = True
        task.save(update_fields=["overdue_notified"])
        record(actor=None, action="task_overdue_notified", instance=task, after={"due": task.due_date})
        transaction.on_commit(lambda task=task: notifications.task_overdue(task))
        sent += 1
    return sent
