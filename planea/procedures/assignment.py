"""Who has a pending step: a holder of its role takes it or lets it go, a coordinator assigns it to a holder."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.org.models import Person

from . import notifications, task_rows
from .errors import ProcedureError
from .models import CaseTask
from .people import can_assign, holds_role
from .work import require_ready, require_workable


@transaction.atomic
def claim(task: CaseTask, actor: Person) -> CaseTask:
    task = task_rows.locked_task(task.pk)
    require_workable(task, actor)
    if task.assignee_id == actor.pk:
        return task
    task.assignee = actor
    task.save(update_fields=["assignee"])
    record(actor=actor, action="task_claimed", instance=task, after={"assignee": actor.pk})
    return task


@transaction.atomic
def release(task: CaseTask, actor: Person) -> CaseTask:
    task = task_rows.locked_task(task.pk)
    require_ready(task)
    if task.assignee_id != actor.pk and not can_assign(actor):
        raise ProcedureError(_("Solo quien tiene el paso o quien coordina puede liberarlo."))
    before = task.assignee_id
    task.assignee = None
    task.save(update_fields=["assignee"])
    record(actor=actor, action="task_released", instance=task, before={"assignee": before}, after={"assignee": None})
    return task


@transaction.atomic
def assign(task: CaseTask, person: Person, actor: Person) -> CaseTask:
    task = task_rows.locked_task(task.pk)
    require_ready(task)
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
