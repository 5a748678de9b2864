"""Whether a step can be worked on: it is still pending, and the person holds its role and it is not taken by
someone else; and the unit in which a person holds a role. Every operation on a step checks these first."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from planea.org.models import OrgUnit, Person

from .errors import ProcedureError
from .models import CaseTask, TaskStatus
from .people import holds_role


def role_unit(actor: Person, role: str) -> OrgUnit:
    """The unit of the person's active assignment to `role`."""
    assignment = actor.role_assignments.filter(active=True, role=role).select_related("org_unit").first()
    if assignment is None:
        raise ProcedureError(_("Usted no tiene el rol que inicia este procedimiento."))
    return assignment.org_unit


def require_ready(task: CaseTask) -> None:
    """ProcedureError unless the step is still pending."""
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


def require_worker(task: CaseTask, actor: Person) -> None:
    """ProcedureError unless `actor` holds the step's role and the step is not assigned to someone else."""
    if not holds_role(actor, task.role, task.case.org_unit):
        raise ProcedureError(
            _("Este paso corresponde al rol «%(role)s»; usted no lo tiene.") % {"role": task.get_role_display()}
        )
    if task.assignee_id not in (None, actor.pk):
        raise ProcedureError(_("Este paso está asignado a %(person)s.") % {"person": task.assignee})


def require_workable(task: CaseTask, actor: Person) -> None:
    """ProcedureError unless the step is still pending and `actor` may work on it: what every operation on a step
    checks, for work that starts before it (a document built by the task worker)."""
    require_ready(task)
    require_worker(task, actor)
