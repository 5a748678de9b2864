"""Demo programming of physical goals (P5) for the POA 2027: the profesional starts the case for the draft POA,
Estadística answers step 2's request (the demo statistics reach the last closed month), the forecast run for 2027
runs as a background job in the worker, is chosen and compared with the POM, step 4 sends the proposal with its
annex and oficio, step 5 is analysed, and the case stands at step 6 with the POA's empty lines pre-filled from the
forecast, for the jefe to adjust. Done by the demo people through the services the screens use. Idempotent."""

from __future__ import annotations

from planea.documents.services import OficioContent
from planea.operations.models import OperationalPlan
from planea.org.models import Person
from planea.procedures import attachments, cases, step_requests
from planea.procedures.demo_timeline import spread_over_past_weeks
from planea.procedures.drive import step_through
from planea.procedures.models import Case, StepRequest

from . import programming, proposal_case
from .models import Programming
from .tasks import forecast_run_job

PLAN = "POA-2027"
PROPOSAL = OficioContent(
    "Jefe del Departamento de Planes y Programas",
    "Subdirección de Planificación",
    "Propuesta de metas físicas 2027 a partir de los pronósticos",
    "Se traslada la propuesta de metas físicas del POA 2027 por subproducto y centro de costo, elaborada con los "
    "pronósticos de la corrida adjunta. Se acompaña el anexo con los cuadros y gráficos estadísticos, y la "
    "comparación con las metas del Plan Operativo Multianual.",
)


def people_of(case: Case) -> dict[str, Person]:
    roles = [step["role"] for step in case.definition.steps]
    return {p.username: p for p in Person.objects.filter(username__in=roles)}


def send_proposal(found: Programming, people: dict[str, Person]) -> None:
    """Step 4 as the profesional does it: the annex generated from the run, the oficio issued, the step done."""
    task = found.case.tasks.get(number="4", status="ready")
    actor = people["profesional_planes_programas"]
    proposal_case.generate_annex(task, actor=actor)
    attachments.attach_oficio(task, slot="Oficio", content=PROPOSAL, actor=actor)
    cases.complete(task, actor=actor)


def seed_programming() -> Programming | None:
    """The demo P5 case of the POA 2027 at step 6 (None when it exists already or there is no POA 2027)."""
    plan = OperationalPlan.objects.filter(code=PLAN).first()
    if plan is None or Programming.objects.filter(plan=plan).exists():
        return None
    professional = Person.objects.get(username="profesional_planes_programas")
    found = programming.start(plan, actor=professional)
    people = {**people_of(found.case), "estadistica": Person.objects.get(username="estadistica")}
    step_through(found.case, until="2", people=people)
    request = StepRequest.objects.get(task__case=found.case, task__number="2", key=programming.STATISTICS_REQUEST)
    step_requests.answer(
        request,
        actor=people["estadistica"],
        note="Estadísticas de atención cargadas hasta el último mes cerrado, por subproducto y centro de costo.",
    )
    run = programming.start_forecast(found, actor=professional)
    assert run.job is not None
    forecast_run_job.call(str(run.job.pk), run.pk)  # as the worker runs it (which then finds it done)
    run.refresh_from_db()
    found = programming.choose_run(found, run, actor=professional)
    step_through(found.case, until="4", people=people)
    send_proposal(found, people)
    step_through(found.case, until="6", people=people)
    spread_over_past_weeks(found.case, ended_working_days_ago=1)
    return found
