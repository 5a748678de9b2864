"""Cases (expedientes): starting one and completing its steps, which moves it on through the engine. Each runs in
one transaction with its audit events; the case row is locked while a step completes, so two people completing the
same step cannot both succeed."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from functools import partial
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from SpiffWorkflow.bpmn import BpmnWorkflow

from planea.audit.services import batch, record, snapshot
from planea.core.workdays import add_working_days
from planea.documents.kinds import document_label
from planea.org.models import Person

from . import engine, notifications, signals, step_requests, task_rows
from .errors import ProcedureError
from .models import Case, CaseStatus, CaseTask, Definition, StepDocument, TaskStatus
from .people import holds_role
from .signals import Outcome
from .versions import current_definition
from .work import require_workable, role_unit

logger = logging.getLogger(__name__)
# SpiffWorkflow looks for a case's tasks at most 1,000 levels deep in its task tree, and every step taken (returns
# included) adds a level or two: past a few hundred steps it would stop seeing the case's steps. A case that long is
# not a case any more; Planea stops it well before, with a message.
MAX_STEPS_PER_CASE = 200


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


@transaction.atomic
@batch()
def start_case(*, code: str, title: str, subject: str, actor: Person) -> Case:
    definition = current_definition(code)
    unit = role_unit(actor, definition.steps[0]["role"])  # refuses a person without the role of step 1
    title, subject = title.strip(), subject.strip()
    if not _visible(title):
        raise ProcedureError(_("Escriba el título del expediente."))
    if not _visible(subject):
        raise ProcedureError(_("Indique a qué se refiere el expediente."))
    now = timezone.now()
    # Lock every version of the procedure: concurrent starts take their numbers one after the other.
    list(Definition.objects.select_for_update().filter(code=code).values_list("pk", flat=True))
    # The next number of the year's series: after the highest given (a case dated back, as the demo's, or numbered
    # in another year keeps its number; counting the year's cases would give one twice).
    prefix = f"{definition.key}-{now.year}-"
    last = Case.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    count = int(last.rsplit("-", 1)[1]) if last else 0
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


def _arriving_tasks(
    case: Case, workflow: BpmnWorkflow, actor: Person, history: Iterable[task_rows.Step]
) -> list[CaseTask]:
    """The inbox items of the steps the engine has just made ready (not yet written), given the case's steps so
    far: which the engine already made ready, and each number's last iteration and who did it."""
    known: set[UUID] = set()
    last: dict[str, tuple[int, int | None]] = {}
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


def _announce(case: Case, arrived: list[CaseTask], actor: Person, quiet: str = "") -> None:
    """Audit and notify the steps that arrived (written, with their keys), and send the requests they declare; step
    `quiet` is completed at once by the same person (a return step completed with its decision): nobody is notified
    of it."""
    for task in arrived:
        record(
            actor=actor,
            action="task_ready",
            instance=task,
            after={"step": task.number, "role": task.role, "due": task.due_date, "assignee": task.assignee_id},
            summary=_("Paso %(number)s listo en %(case)s") % {"number": task.number, "case": case.number},
        )
        if task.number != quiet:
            transaction.on_commit(partial(notifications.task_arrived, task))
    step_requests.send(arrived, actor)


def _visible(text: str) -> bool:
    """Whether `text` shows anything: spaces and invisible format characters (zero-width space…) alone do not."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


@transaction.atomic
@batch()
def complete(
    task: CaseTask,
    *,
    actor: Person,
    comment: str = "",
    decision: str = "",
    observations: str = "",
    return_to: str = "",
) -> CaseTask:
    """Complete a ready step: who, when, comment, decision and observations; then the engine moves the case on.
    A decision whose branch leads to a return step (P1 9 → 9.1) completes that step too, with the same
    observations, going back to `return_to` (one of its branches; nothing when it goes back to one step only)."""
    return _complete(
        task, actor=actor, comment=comment, decision=decision, observations=observations, return_to=return_to
    )


def _complete(
    task: CaseTask, *, actor: Person, comment: str, decision: str, observations: str, return_to: str
) -> CaseTask:
    task, attachments, history = task_rows.locked_for_completion(task.pk)
    require_workable(task, actor)
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
    missing = [slot["name"] for slot in task.required_slots_for(decision) if slot["name"] not in attached]
    if missing:
        raise ProcedureError(
            ngettext(
                "Falta el documento de soporte: %(documents)s. Cárguelo o emítalo antes de completar el paso.",
                "Faltan los documentos de soporte: %(documents)s. Cárguelos o emítalos antes de completar el paso.",
                len(missing),
            )
            % {"documents": ", ".join(f"«{document_label(name)}»" for name in missing)}
        )
    step = task.step
    label, target = "", ""
    if step["branches"]:
        chosen = next((b for b in step["branches"] if b["value"] == decision), None)
        if chosen is None:
            raise ProcedureError(
                _("Elija el resultado de la decisión «%(question)s».") % {"question": step["decision"]}
            )
        label, target = chosen["label"], chosen["to"]
        returns = case.definition.is_return(task.number, target)
    elif decision:
        raise ProcedureError(_("Este paso no es una decisión."))
    else:
        returns = case.definition.is_return_step(step)
    back = case.definition.return_step(task.number, target) if target else None
    if back is not None and back["branches"] and return_to not in {b["value"] for b in back["branches"]}:
        raise ProcedureError(_("Elija el paso al que se devuelve el documento."))
    if (returns or back is not None) and not _visible(observations):
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
    outcome = Outcome.RETURNED if returns else Outcome.ADVANCED
    if workflow.is_completed():
        case.status = CaseStatus.COMPLETED
        case.completed_at = now
        outcome = Outcome.CONCLUDED
    # The completer, as the next steps see the case (a step returned to goes back to who did it).
    history = [
        so_far._replace(completed_by_id=actor.pk) if so_far.engine_id == task.engine_id else so_far
        for so_far in history
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
        step_requests.withdraw_open(case, actor)
    _announce(case, arrived, actor, quiet=back["number"] if back else "")
    signals.step_completed.send(sender=Case, case=case, task=task, target=target, outcome=outcome, actor=actor)
    if back is not None:
        _complete_return_step(task, back, arrived, attachments, actor, observations, return_to)
    return task


def _complete_return_step(
    task: CaseTask,
    back: dict[str, Any],
    arrived: list[CaseTask],
    attachments: list[tuple[str, int]],
    actor: Person,
    observations: str,
    return_to: str,
) -> None:
    """Complete the return step a decision just led to, by the same person with the same observations: its
    documents, attached to the decision, are linked to it too."""
    returned = next(t for t in arrived if t.number == back["number"])
    if returned.assignee_id != actor.pk:  # it may have gone to whoever did it last time
        CaseTask.objects.filter(pk=returned.pk).update(assignee=actor)
    names = {doc["name"] for doc in back["documents"]}
    now = timezone.now()
    for slot, document in attachments:
        if slot in names:
            task_rows.add_link(
                StepDocument(task=returned, document_id=document, slot=slot, added_by=actor, added_at=now)
            )
    _complete(
        returned,
        actor=actor,
        comment="",
        decision=return_to if back["branches"] else "",
        observations=observations,
        return_to="",
    )


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
