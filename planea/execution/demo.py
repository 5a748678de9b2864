"""Demo execution of the POA 2026 (P6), month by month through its cases as the demo people would do it: January to
September approved (pre-filled from the statistics, the lines without statistics typed, the deviations beyond the
tolerance with their causes, the comprobantes made, the oficio of notification issued and the case archived); March
reopened once by the Subdirección with its reason and approved again as revision 2; October registered and waiting
at the jefe's authorization; November open, its request for statistics in Estadística's inbox. Each case is then
spread over the past weeks as real work would be. Idempotent: a month that already has its case is left alone."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from planea.core.workdays import working_days_between
from planea.documents.services import OficioContent
from planea.operations.models import OperationalPlan
from planea.org.models import Person
from planea.procedures import attachments, cases, step_requests
from planea.procedures.demo_timeline import spread_over_past_weeks
from planea.procedures.drive import supply_documents
from planea.procedures.models import Case, StepRequest, TaskStatus
from planea.procedures.oficio_drafts import draft_for

from . import comprobantes, month_case, months, prefill
from .executed import write
from .models import ExecutionMonth, Source
from .p6_case import NOTIFY, OFICIO_SLOT

PLAN = "POA-2026"
APPROVED_THROUGH = 9  # January–September
REGISTERED = 10  # October: registered, at the jefe's authorization
OPEN = 11  # November: its case started, waiting for Estadística
REOPENED = 3  # March: reopened once, approved again
CAUSES = (
    "Cierre temporal del puesto por trabajos de remozamiento; el flujo se atendió en el puesto vecino.",
    "Mayor afluencia por temporada de vacaciones y eventos regionales, no prevista en la programación.",
    "Falla del sistema de registro durante varios días; se atendió con registro manual posterior.",
    "Reasignación de personal a otra sede por la jornada de emisión extraordinaria.",
    "Cambio en la frecuencia de vuelos de las aerolíneas durante el mes.",
)
REOPEN_REASON = (
    "El puesto fronterizo reportó tarde los registros de la última semana de marzo: se corrigen las cifras con el "
    "reporte oficial del puesto."
)


def _people() -> dict[str, Person]:
    return {p.username: p for p in Person.objects.filter(is_active=True)}


def _complete(case: Case, people: dict[str, Person], number: str) -> None:
    task = case.tasks.get(number=number, status=TaskStatus.READY)
    actor = people[task.role]
    if number == NOTIFY:
        draft = draft_for(task, OFICIO_SLOT)
        content = OficioContent(draft["addressee"], draft["addressee_position"], draft["subject"], draft["body"])
        attachments.attach_oficio(task, slot=OFICIO_SLOT, content=content, actor=actor)
    else:
        supply_documents(task, actor, issue_oficios=True)
    cases.complete(task, actor=actor, comment="", decision="", observations="", return_to="")


def _fill_missing(month: ExecutionMonth, actor: Person) -> None:
    """The lines the statistics do not measure (documents, plans): typed as their current goal, a few short."""
    lines = months.month_lines(month.plan, month.month)
    missing = {
        (s, c, month.month): f.current - (f.current // 5 if (s + c + month.month) % 7 == 0 else 0)
        for (s, c), f in lines.items()
        if f.executed is None
    }
    if missing:
        write(month.plan, missing, source=Source.TYPED, actor=actor, note="Registro del área (no hay estadística).")


def _write_causes(month: ExecutionMonth, actor: Person) -> None:
    for index, line in enumerate(months.needing_cause(month)):
        months.write_cause(month, line, CAUSES[(index + month.month) % len(CAUSES)], actor=actor)


def _approve_again(month: ExecutionMonth, people: dict[str, Person]) -> None:
    """March reopened by the Subdirección, one value corrected with its note, and approved again (revision 2)."""
    months.reopen(month, reason=REOPEN_REASON, actor=people["subdirector_planificacion"])
    (s, c), figures = next((k, f) for k, f in months.month_lines(month.plan, month.month).items() if f.current)
    profesional = people["profesional_planes_programas"]
    write(
        month.plan,
        {(s, c, month.month): (figures.executed or 0) + max(figures.current // 50, 1)},
        source=Source.TYPED,
        actor=profesional,
        note="Corrección con el reporte oficial del puesto.",
    )
    _write_causes(month, profesional)
    months.register(month, actor=profesional)
    months.authorize(month, actor=people["jefe_planes_programas"])
    revision = months.approve(month, actor=people["subdirector_planificacion"])
    comprobantes.generate(revision, actor=people["subdirector_planificacion"])


def _run_month(plan: OperationalPlan, number: int, people: dict[str, Person]) -> Case:
    jefe, profesional = people["jefe_planes_programas"], people["profesional_planes_programas"]
    with transaction.atomic():
        month = month_case.start(plan, number, actor=jefe)
    case = month.case
    assert case is not None
    _complete(case, people, "1")
    if number == OPEN:
        return case
    request = StepRequest.objects.get(task__case=case, status="open")
    step_requests.answer(request, actor=people["estadistica"], note="Estadísticas del mes cargadas en Planea.")
    _complete(case, people, "2")  # pre-fills from the statistics
    month.refresh_from_db()
    _fill_missing(month, profesional)
    _write_causes(month, profesional)
    _complete(case, people, "3")
    _complete(case, people, "4")
    if number == REGISTERED:
        return case
    _complete(case, people, "5")
    _complete(case, people, "6")
    month.refresh_from_db()
    revision = comprobantes.standing_revision(month)
    assert revision is not None
    comprobantes.generate(revision, actor=people["subdirector_planificacion"])
    if number == REOPENED:
        _approve_again(month, people)
    for step in ("7", "8", "9", "10"):
        _complete(case, people, step)
    return case


def _working_days_since(day: date) -> int:
    return max(1, working_days_between(day, timezone.localdate()))


def seed_execution() -> int:
    """Run the demo months that have no case yet; returns how many were made."""
    plan = OperationalPlan.objects.filter(code=PLAN, status="approved").first()
    if plan is None or not prefill.statistics_of(plan, 1)[0]:
        return 0
    people = _people()
    made = 0
    for number in range(1, OPEN + 1):
        if ExecutionMonth.objects.filter(plan=plan, month=number, case__isnull=False).exists():
            continue
        case = _run_month(plan, number, people)
        # A month's case ends in the second half of the next month (its steps take the weeks before).
        following = date(plan.start_year + number // 12, number % 12 + 1, 25)
        ended = _working_days_since(following) if number <= APPROVED_THROUGH else 1
        spread_over_past_weeks(case, ended_working_days_ago=ended, overdue=number == REGISTERED)
        _dates_from_case(plan, number, case)
        made += 1
    return made


def _dates_from_case(plan: OperationalPlan, number: int, case: Case) -> None:
    """The month's registration, authorization and approval at the times its steps 4, 5 and 6 were done."""
    done = dict(case.tasks.filter(completed_at__isnull=False).values_list("number", "completed_at"))
    month = ExecutionMonth.objects.get(plan=plan, month=number)
    if month.revision > 1:
        return  # approved again from its page after the reopening: its own times
    fields = {}
    for step, field in (("4", "registered_at"), ("5", "authorized_at"), ("6", "approved_at")):
        if step in done and getattr(month, field) is not None:
            fields[field] = done[step]
    if fields:
        ExecutionMonth.objects.filter(pk=month.pk).update(**fields)
