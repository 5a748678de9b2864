"""Demo execution of the POA 2026 (P6), month by month through its cases as the demo people would do it: January to
September approved (pre-filled from the statistics, the lines without statistics typed, the deviations beyond the
tolerance with their causes, the comprobantes made, the oficio of notification issued and the case archived); March
reopened once by the Subdirección with its reason and approved again as revision 2; October registered and waiting at
the jefe's authorization; November open, its request for statistics in Estadística's inbox. Each step is done on its
own past day and hour, as real work would have been (the clock set to it while the services run: the case, the month,
its approved revisions, comprobantes, documents and audit events all tell the same dates). Idempotent: a month that
already has its case is left alone. A forecast run of the year (P5) lets the dashboard project the year's end."""

from __future__ import annotations

import random
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta

import time_machine
from django.db import transaction
from django.utils import timezone

from planea.core.workdays import add_working_days
from planea.documents.services import OficioContent
from planea.forecasting.execution import ForecastingError
from planea.forecasting.models import ForecastRun, RunStatus
from planea.forecasting.runs import start_run
from planea.forecasting.tasks import forecast_run_job
from planea.operations.models import OperationalPlan
from planea.org.models import Person
from planea.procedures import attachments, cases, step_requests
from planea.procedures.demo_timeline import (
    OVERDUE_BY,
    Moment,
    last_working_day,
    moment_on,
    step_done,
    working_days_back,
)
from planea.procedures.drive import supply_documents
from planea.procedures.manual import P6
from planea.procedures.models import Case, Definition, StepRequest, TaskStatus
from planea.procedures.oficio_drafts import draft_for
from planea.procedures.versions import current_definition

from . import comprobantes, month_case, months, prefill
from .executed import write
from .models import ExecutionMonth, Source
from .p6_case import NOTIFY, OFICIO_SLOT

PLAN = "POA-2026"
APPROVED_THROUGH = 9  # January–September
REGISTERED = 10  # October: registered, at the jefe's authorization
OPEN = 11  # November: its case started, waiting for Estadística
REOPENED = 3  # March: reopened once, approved again
STEPS = [str(n) for n in range(1, 11)]
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


class _Timeline:
    """The working days of one month's case and the moments its steps are done (procedures.demo_timeline's pace:
    most steps within their deadline, some late). Every action of the case runs with the clock set to its moment, so
    the case, the month, its approved revision, its comprobantes, its documents and its audit events tell the same
    dates."""

    def __init__(self, plan: OperationalPlan, number: int, last_step: str) -> None:
        definition = current_definition(P6.code)
        rng = random.Random(f"{plan.code}-{number}")  # the same demo every time
        clock = Moment(0, 8.5 + rng.random())
        self.start, self.done, self.reopened_on = clock, dict[str, Moment](), 0
        for step in STEPS[: STEPS.index(last_step) + 1]:
            if number == REOPENED and step == "7":  # the reopening and the second approval happen meanwhile
                self.reopened_on = clock.day + 1
                clock = Moment(clock.day + 2, 15.3)
            if number == OPEN:  # the month's request for its statistics, sent the day its case starts
                clock = self.done[step] = Moment(0, clock.hour + 0.3 + rng.random() / 2)
                break
            clock = self.done[step] = step_done(rng, definition.working_days(step), clock, clock)
        self.calendar = self._calendar(plan, number, definition)

    def _calendar(self, plan: OperationalPlan, number: int, definition: Definition) -> list[date]:
        """Working days from the case's first: in the weeks after the month for the approved months; the registered
        month's step 5 overdue today (OVERDUE_BY working days past due); the open month's case started yesterday, its
        request for the statistics due after the month ends. Never before the month began."""
        year, month = plan.start_year + number // 12, number % 12 + 1
        after_it = date(year, month, 1)
        if number <= APPROVED_THROUGH:
            first = add_working_days(after_it + timedelta(days=1), 0)
        else:
            today = last_working_day(timezone.localdate())
            lag = definition.working_days("5") + OVERDUE_BY if number == REGISTERED else 1
            last = max(self.done.values(), key=Moment.key)
            first = working_days_back(working_days_back(today, lag)[0], last.day)[0]
            earliest = after_it if number == REGISTERED else date(plan.start_year, number, 1)
            first = max(first, add_working_days(earliest, 0))
        last_day = max(m.day for m in self.done.values())
        return [add_working_days(first, day) for day in range(last_day + 4)]

    def moment(self, moment: Moment, minutes: int = 0) -> datetime:
        return moment_on(self.calendar, moment) + timedelta(minutes=minutes)

    def at(self, moment: Moment, minutes: int = 0) -> AbstractContextManager[object]:
        return time_machine.travel(self.moment(moment, minutes), tick=False)

    def before(self, step: str, minutes: int) -> AbstractContextManager[object]:
        """`minutes` before the step is done (never before it arrived)."""
        done = self.moment(self.done[step])
        arrived = self.moment(self.done[STEPS[STEPS.index(step) - 1]]) if step != "1" else self.moment(self.start)
        return time_machine.travel(max(done - timedelta(minutes=minutes), arrived + timedelta(minutes=1)), tick=False)


def _approve_again(month: ExecutionMonth, people: dict[str, Person], day: int, timeline: _Timeline) -> None:
    """March reopened by the Subdirección on working day `day` of its case, one value corrected with its note, and
    approved again (revision 2) the next day."""
    subdirector, profesional = people["subdirector_planificacion"], people["profesional_planes_programas"]
    with timeline.at(Moment(day, 9.2)):
        months.reopen(month, reason=REOPEN_REASON, actor=subdirector)
    (s, c), figures = next((k, f) for k, f in months.month_lines(month.plan, month.month).items() if f.current)
    with timeline.at(Moment(day, 9.7)):
        write(
            month.plan,
            {(s, c, month.month): (figures.executed or 0) + max(figures.current // 50, 1)},
            source=Source.TYPED,
            actor=profesional,
            note="Corrección con el reporte oficial del puesto.",
        )
        _write_causes(month, profesional)
    with timeline.at(Moment(day, 10.5)):
        months.register(month, actor=profesional)
    with timeline.at(Moment(day + 1, 11.0)):
        months.authorize(month, actor=people["jefe_planes_programas"])
    with timeline.at(Moment(day + 1, 15.0)):
        revision = months.approve(month, actor=subdirector)
    with timeline.at(Moment(day + 1, 15.2)):
        comprobantes.generate(revision, actor=subdirector)


def _run_month(plan: OperationalPlan, number: int, people: dict[str, Person]) -> Case:
    jefe, profesional = people["jefe_planes_programas"], people["profesional_planes_programas"]
    timeline = _Timeline(plan, number, "1" if number == OPEN else "4" if number == REGISTERED else STEPS[-1])
    with timeline.at(timeline.start), transaction.atomic():
        month = month_case.start(plan, number, actor=jefe)
    case = month.case
    assert case is not None

    def complete(step: str) -> None:
        with timeline.at(timeline.done[step]):
            _complete(case, people, step)

    complete("1")
    if number == OPEN:
        return case
    with timeline.before("2", minutes=50):
        request = StepRequest.objects.get(task__case=case, status="open")
        step_requests.answer(request, actor=people["estadistica"], note="Estadísticas del mes cargadas en Planea.")
    complete("2")  # pre-fills from the statistics
    month.refresh_from_db()
    with timeline.before("3", minutes=35):
        _fill_missing(month, profesional)
        _write_causes(month, profesional)
    for step in ("3", "4"):
        complete(step)
    if number == REGISTERED:
        return case
    for step in ("5", "6"):
        complete(step)
    month.refresh_from_db()
    revision = comprobantes.standing_revision(month)
    assert revision is not None
    with timeline.at(timeline.done["6"], minutes=12):  # the background job, as the worker runs it
        comprobantes.generate(revision, actor=people["subdirector_planificacion"])
    if number == REOPENED:
        _approve_again(month, people, timeline.reopened_on, timeline)
    for step in ("7", "8", "9", "10"):
        complete(step)
    return case


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
        _run_month(plan, number, people)
        made += 1
    _projection_run(plan, people["profesional_planes_programas"])
    return made


def _projection_run(plan: OperationalPlan, actor: Person) -> None:
    """A forecast run of the POA's year with the statistics to the last closed month, as the profesional starts it
    from the forecasts page: the dashboard projects the year's end with it (executed to date + the months left)."""
    if ForecastRun.objects.filter(target_year=plan.start_year, status=RunStatus.DONE).exists():
        return
    try:
        run = start_run(target_year=plan.start_year, actor=actor)
    except ForecastingError:  # the year is over or out of the forecasts' range: nothing left to project
        return
    assert run.job is not None
    forecast_run_job.call(str(run.job.pk), run.pk)  # as the worker runs it (which then finds it done)
