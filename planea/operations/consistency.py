"""The consistency of a POA at its approval: the P2 steps that carry it to approval (10, the visto bueno; 10.1 and
11 after it) show the same report as the plan's consistency page (inputs.consistency), and the visto bueno ("Está
bien" at step 10) is refused while the report has observations that nobody acknowledged. An acknowledgement is
explicit and recorded — who, when, at which step, the figures seen and why the plan goes on — with its audit
event; it holds only while the figures are the ones acknowledged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.org.models import Person
from planea.procedures import step_checks
from planea.procedures.errors import ProcedureError
from planea.procedures.manual import P2
from planea.procedures.models import CaseTask, TaskStatus
from planea.procedures.people import can_work_on
from planea.procedures.work import require_workable

from . import inputs
from .models import ConsistencyAcknowledgement, OperationalPlan, PlanKind

APPROVAL_STEP = "10"  # the Subdirector's visto bueno: where an inconsistent plan needs an acknowledgement
SHOWN_AT = frozenset({APPROVAL_STEP, "10.1", "11"})  # the steps that carry the plan to its approval
MAX_NOTE = 2000


def plan_of(task: CaseTask) -> OperationalPlan | None:
    """The POA the step's P2 case carries (its inputs and ceilings are the ones checked)."""
    if task.case.definition.key != P2.key:
        return None
    return OperationalPlan.objects.filter(case_id=task.case_id, kind=PlanKind.ANNUAL).first()


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def figures(report: inputs.Consistency) -> dict[str, Any]:
    """What an acknowledgement records of the report: totals and every observation with its amounts (as text)."""
    return {
        "problems": report.problems,
        "total_amount": _amount(report.total_amount),
        "total_ceiling": _amount(report.total_ceiling),
        "over_ceiling": [
            {
                "code": line.code,
                "amount": _amount(line.amount),
                "ceiling": _amount(line.ceiling),
                "excess": str(line.excess),
            }
            for line in report.over_ceiling
        ],
        "ceilings_above_product": [
            {"code": line.code, "ceiling": _amount(line.ceiling), "subproducts": _amount(total)}
            for line, total in report.ceilings_above_product
        ],
        "goals_without_inputs": [line.code for line in report.goals_without_inputs],
        "inputs_without_goals": [line.code for line in report.inputs_without_goals],
    }


def acknowledgement(task: CaseTask, report: inputs.Consistency) -> ConsistencyAcknowledgement | None:
    """The step's last acknowledgement, if it acknowledged the figures of `report` (a change since voids it)."""
    last = ConsistencyAcknowledgement.objects.filter(task=task).select_related("acknowledged_by").first()
    return last if last is not None and last.figures == figures(report) else None


@transaction.atomic
def acknowledge(task: CaseTask, *, actor: Person, note: str) -> ConsistencyAcknowledgement:
    """Record that the plan of the step goes on to its visto bueno with the observations of its consistency report."""
    task = CaseTask.objects.select_for_update().select_related("case__definition", "case__org_unit").get(pk=task.pk)
    require_workable(task, actor)
    poa = plan_of(task)
    if poa is None or task.number != APPROVAL_STEP:
        raise ProcedureError(_("Las inconsistencias del POA se reconocen en el paso 10 del P2, al dar el visto bueno."))
    report = inputs.consistency(poa)
    if not report.problems:
        raise ProcedureError(_("Metas, insumos y techos son consistentes: no hay nada que reconocer."))
    note = note.strip()
    if not note:
        raise ProcedureError(_("Escriba por qué el plan sigue adelante pese a las observaciones de consistencia."))
    if len(note) > MAX_NOTE:
        raise ProcedureError(
            _("El motivo puede tener hasta %(max)s caracteres; el escrito tiene %(n)s.")
            % {"max": f"{MAX_NOTE:,}", "n": f"{len(note):,}"}
        )
    seen = figures(report)
    item = ConsistencyAcknowledgement.objects.create(
        plan=poa, task=task, acknowledged_by=actor, acknowledged_at=timezone.now(), figures=seen, note=note
    )
    record(
        actor=actor,
        action="consistency_acknowledged",
        instance=poa,
        after={"case": task.case.number, "step": task.number, "figures": seen, "note": note},
        summary=ngettext(
            "%(plan)s: %(person)s reconoce %(n)s observación de consistencia al dar el visto bueno",
            "%(plan)s: %(person)s reconoce %(n)s observaciones de consistencia al dar el visto bueno",
            report.problems,
        )
        % {"plan": poa.code, "person": actor, "n": report.problems},
    )
    return item


def require_acknowledged(task: CaseTask, *, actor: Person) -> None:
    """Refuse the visto bueno of an inconsistent plan whose figures nobody acknowledged at this step."""
    poa = plan_of(task)
    if poa is None:
        return
    report = inputs.consistency(poa)
    if report.problems and acknowledgement(task, report) is None:
        raise ProcedureError(
            _(
                "La consistencia de %(plan)s tiene observaciones (%(over)s por encima de los techos). Reconózcalas "
                "en este paso, con su motivo, antes de dar el visto bueno, o devuelva los anteproyectos."
            )
            % {"plan": poa.code, "over": _over_text(report)}
        )


def _over_text(report: inputs.Consistency) -> str:
    excess = sum((line.excess for line in report.over_ceiling if not line.is_product), Decimal(0))
    if not excess:
        excess = sum((line.excess for line in report.over_ceiling), Decimal(0))
    return f"Q {excess:,.2f}"


@step_checks.register
def approval_check(task: CaseTask, user: Any) -> step_checks.StepCheck | None:
    """The consistency report on the steps that carry a POA to approval, with its acknowledgement."""
    if task.status != TaskStatus.READY or task.number not in SHOWN_AT:
        return None
    poa = plan_of(task)
    if poa is None:
        return None
    report = inputs.consistency(poa)
    approval = task.case.tasks.filter(number=APPROVAL_STEP).order_by("-iteration").first()
    acknowledged = acknowledgement(approval, report) if approval is not None and report.problems else None
    at_approval = task.number == APPROVAL_STEP
    return step_checks.StepCheck(
        "operations/_step_consistency.html",
        {
            "plan": poa,
            "report": report,
            "over": _over_text(report),
            "acknowledged": acknowledged,
            "needs_acknowledgement": at_approval and bool(report.problems) and acknowledged is None,
            "can_acknowledge": at_approval and can_work_on(user, task),
            "max_note": MAX_NOTE,
        },
    )
