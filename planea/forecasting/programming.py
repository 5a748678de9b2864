"""The P5 case bound to its data (programación de metas físicas): a case started for a draft POA chosen from a list
(never typed), one open case per POA, and its working record `Programming` — the forecast run chosen at step 2 and
the tolerance of the step 3 comparison. Every write is one transaction and one audit event.

Step 2 waits for Estadística: the step sends the `estadistica` role a request to refresh the statistics up to the
last closed month (procedures/step_requests.py), and neither a forecast is started nor a run chosen until it is
answered. A P5 case started from the generic page (without a POA) runs as the manual's list of steps; linking a POA
to it (`link`) binds it to the data from then on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from planea.audit.services import record
from planea.operations.models import OperationalPlan, PlanKind
from planea.org.models import Person
from planea.procedures import cases, step_requests
from planea.procedures.errors import ProcedureError
from planea.procedures.manual import P5
from planea.procedures.models import Case, CaseStatus, CaseTask, TaskStatus
from planea.procedures.work import require_workable
from planea.strategy.models import PlanStatus

from . import runs
from .models import ForecastRun, Programming, RunStatus

FORECAST_STEP = "2"  # realiza pronósticos… con el apoyo del departamento de estadística
STATISTICS_REQUEST = "statistics"  # the key of step 2's request to Estadística (procedures/manual.py)
DEFAULT_TOLERANCE = Decimal(10)
STARTER_ROLE = P5.steps[0].role  # the profesional de Planes y Programas: step 1 is theirs


class ProgrammingError(ProcedureError):
    """A refused operation on a P5 programming; `case` is the case it points to (the open case of the POA when a
    second one is refused)."""

    def __init__(self, message: str, case: Case | None = None) -> None:
        super().__init__(message)
        self.case = case


def is_p5(case: Case) -> bool:
    return case.definition.key == P5.key


def draft_poas() -> QuerySet[OperationalPlan]:
    """The annual plans a P5 case may program: drafts, the latest year first; `in_programming` tells those that an
    open case already programs (the list says so; choosing one leads to that case)."""
    open_programming = Programming.objects.filter(plan=OuterRef("pk"), case__status=CaseStatus.OPEN)
    return (
        OperationalPlan.objects.filter(kind=PlanKind.ANNUAL, status=PlanStatus.DRAFT)
        .annotate(in_programming=Exists(open_programming))
        .order_by("-start_year", "code")
    )


def programming_of(case: Case) -> Programming | None:
    return (
        Programming.objects.select_related("plan__multiannual", "run", "case__definition", "incorporated_by")
        .filter(case=case)
        .first()
    )


def open_programming(plan: OperationalPlan) -> Programming | None:
    """The P5 programming of the POA whose case is still open, if any."""
    return (
        Programming.objects.select_related("case")
        .filter(plan=plan, case__status=CaseStatus.OPEN)
        .order_by("-created_at")
        .first()
    )


def _require_programmable(plan: OperationalPlan) -> None:
    if plan.kind != PlanKind.ANNUAL:
        raise ProgrammingError(_("Las metas físicas se programan en un POA; %(plan)s no lo es.") % {"plan": plan.code})
    if not plan.is_editable:
        raise ProgrammingError(
            _("%(plan)s no está en borrador (%(status)s): sus metas ya no se programan con el P5.")
            % {"plan": plan.code, "status": plan.get_status_display()}
        )
    existing = open_programming(plan)
    if existing is not None:
        raise ProgrammingError(
            _("%(plan)s ya se programa en el expediente %(case)s, en trámite.")
            % {"plan": plan.code, "case": existing.case.number},
            case=existing.case,
        )


@transaction.atomic
def start(plan: OperationalPlan, *, actor: Person) -> Programming:
    """Start a P5 case for the draft POA (its subject is the POA's year) and link it. The POA row is locked, so two
    people starting the programming of the same POA cannot both succeed."""
    plan = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
    _require_programmable(plan)
    case = cases.start_case(
        code=P5.code,
        title=_("Programación de metas físicas del %(plan)s") % {"plan": plan.code},
        subject=str(plan.start_year),
        actor=actor,
    )
    return _create(case, plan, actor=actor)


@transaction.atomic
def link(case: Case, plan: OperationalPlan, *, actor: Person) -> Programming:
    """Link a draft POA to a P5 case started without one (from the procedures' page): by a holder of the pending
    step's role, before the forecasts (step 2) are done."""
    case = Case.objects.select_for_update(of=("self",)).select_related("definition", "org_unit").get(pk=case.pk)
    if not is_p5(case):
        raise ProgrammingError(_("Solo un expediente del P5 programa metas físicas de un POA."))
    if case.status != CaseStatus.OPEN:
        raise ProgrammingError(_("El expediente %(case)s ya concluyó.") % {"case": case.number})
    if Programming.objects.filter(case=case).exists():
        raise ProgrammingError(_("El expediente %(case)s ya tiene su POA.") % {"case": case.number})
    task = _ready_task(case)
    if task is None or task.number not in ("1", FORECAST_STEP):
        raise ProgrammingError(_("El POA se vincula en los pasos 1 o 2, antes de los pronósticos."))
    require_workable(task, actor)
    plan = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
    _require_programmable(plan)
    return _create(case, plan, actor=actor)


def _create(case: Case, plan: OperationalPlan, *, actor: Person) -> Programming:
    programming = Programming.objects.create(
        case=case, plan=plan, tolerance=DEFAULT_TOLERANCE, created_by=actor, created_at=timezone.now()
    )
    record(
        actor=actor,
        action="p5_plan_linked",
        instance=programming,
        after={"case": case.number, "plan": plan.code, "year": plan.start_year, "tolerance": programming.tolerance},
        summary=_("%(plan)s en programación de metas físicas por el expediente %(case)s")
        % {"plan": plan.code, "case": case.number},
    )
    return programming


def _ready_task(case: Case, number: str | None = None) -> CaseTask | None:
    tasks = case.tasks.filter(status=TaskStatus.READY)
    if number is not None:
        tasks = tasks.filter(number=number)
    return tasks.order_by("created_at", "pk").first()


def statistics_answered(programming: Programming) -> bool:
    """Whether Estadística answered step 2's request (the statistics are up to the last closed month)."""
    return step_requests.is_answered(programming.case, FORECAST_STEP, STATISTICS_REQUEST)


def require_statistics(programming: Programming) -> None:
    if not statistics_answered(programming):
        raise ProgrammingError(
            _(
                "El Departamento de Estadística no ha respondido la solicitud del paso 2: los pronósticos se hacen "
                "cuando las estadísticas están actualizadas hasta el último mes cerrado."
            )
        )


def done_runs(programming: Programming) -> QuerySet[ForecastRun]:
    """The finished runs of the POA's year, the latest first: those step 2 may choose."""
    return ForecastRun.objects.filter(status=RunStatus.DONE, target_year=programming.plan.start_year).order_by(
        "-finished_at", "-pk"
    )


def runs_of_year(programming: Programming) -> QuerySet[ForecastRun]:
    """Every run of the POA's year (queued, running, failed too), the latest first, for step 2's list."""
    return ForecastRun.objects.filter(target_year=programming.plan.start_year).order_by("-created_at", "-pk")


def _locked(programming: Programming) -> Programming:
    return (
        Programming.objects.select_for_update(of=("self",))
        .select_related("case__definition", "case__org_unit", "plan")
        .get(pk=programming.pk)
    )


def _forecast_task(programming: Programming, actor: Person) -> CaseTask:
    task = _ready_task(programming.case, FORECAST_STEP)
    if task is None:
        raise ProgrammingError(_("Los pronósticos se hacen o eligen en el paso 2 del expediente."))
    require_workable(task, actor)
    return task


@transaction.atomic
def choose_run(programming: Programming, run: ForecastRun, *, actor: Person) -> Programming:
    """Step 2: the finished run of the POA's year that the case's comparison, oficio and goals rest on."""
    programming = _locked(programming)
    _forecast_task(programming, actor)
    require_statistics(programming)
    run = ForecastRun.objects.get(pk=run.pk)
    if run.status != RunStatus.DONE:
        raise ProgrammingError(
            _("La corrida %(run)s no ha terminado (%(status)s).") % {"run": run.pk, "status": run.get_status_display()}
        )
    if run.target_year != programming.plan.start_year:
        raise ProgrammingError(
            _("La corrida %(run)s pronostica %(year)s; el %(plan)s es de %(poa)s.")
            % {
                "run": run.pk,
                "year": run.target_year,
                "plan": programming.plan.code,
                "poa": programming.plan.start_year,
            }
        )
    before = programming.run_id
    if before == run.pk:
        return programming
    programming.run = run
    programming.save(update_fields=["run"])
    record(
        actor=actor,
        action="p5_run_chosen",
        instance=programming,
        before={"run": before},
        after={"run": run.pk, "target_year": run.target_year, "data_until": run.data_until, "sha256": run.input_sha256},
        summary=_("%(case)s: pronósticos de la corrida %(run)s (datos hasta %(until)s) para el %(plan)s")
        % {
            "case": programming.case.number,
            "run": run.pk,
            "until": run.data_until.strftime("%m/%Y"),
            "plan": programming.plan.code,
        },
    )
    return programming


def start_forecast(programming: Programming, *, actor: Person) -> ForecastRun:
    """Step 2: start a forecast run of the POA's year for this case, as a background job (forecasting/runs.py).
    Refused until Estadística answered step 2's request."""
    with transaction.atomic():
        programming = _locked(programming)
        _forecast_task(programming, actor)
        require_statistics(programming)
    return runs.start_run(target_year=programming.plan.start_year, actor=actor, case=programming.case)


def require_run(programming: Programming) -> ForecastRun:
    """The chosen run, finished: what completing step 2 (and every later step) needs."""
    run = programming.run
    if run is None or run.status != RunStatus.DONE:
        raise ProgrammingError(
            _("Elija en el paso 2 una corrida de pronósticos terminada del año %(year)s antes de continuar.")
            % {"year": programming.plan.start_year}
        )
    return run


def may_set_tolerance(programming: Programming, person: Any) -> bool:
    """The tolerance is the planners' (profesional and jefe of Planes y Programas), while the case is open."""
    return programming.case.status == CaseStatus.OPEN and bool(
        getattr(person, "is_authenticated", False)
        and person.role_slugs() & {"jefe_planes_programas", "profesional_planes_programas"}
    )


@transaction.atomic
def set_tolerance(programming: Programming, tolerance: Decimal, *, actor: Person) -> Programming:
    """The % of difference from the POM beyond which step 3 flags a line; audited with the earlier value."""
    programming = _locked(programming)
    if not may_set_tolerance(programming, actor):
        raise ProgrammingError(
            _("La tolerancia la fijan el jefe o los profesionales de Planes y Programas mientras el expediente sigue.")
        )
    if not Decimal(0) <= tolerance <= Decimal(100):
        raise ProgrammingError(_("La tolerancia es un porcentaje entre 0 y 100."))
    tolerance = tolerance.quantize(Decimal("0.01"))
    before = programming.tolerance
    if before == tolerance:
        return programming
    programming.tolerance = tolerance
    programming.save(update_fields=["tolerance"])
    record(
        actor=actor,
        action="p5_tolerance_changed",
        instance=programming,
        before={"tolerance": before},
        after={"tolerance": tolerance},
        summary=_("%(case)s: tolerancia de la comparación con el POM de %(before)s %% a %(after)s %%")
        % {"case": programming.case.number, "before": before, "after": tolerance},
    )
    return programming
