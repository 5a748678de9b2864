"""The P5 case bound to its data (forecasting/programming.py, p5_case.py): started for a draft POA chosen from a
list, once per POA; step 1 shows the statistics of the POA's subproducts; step 2 waits for Estadística and a chosen
finished run; the case runs steps 1–8 through the services; who may do what."""

import pytest
from django.utils import timezone

from planea.audit.models import AuditEvent
from planea.forecasting import programming
from planea.forecasting.models import ForecastRun, Programming, RunStatus
from planea.procedures import cases
from planea.procedures.drive import ready, step_through, supply_documents
from planea.procedures.errors import ProcedureError
from planea.procedures.manual import P5
from planea.procedures.models import CaseStatus
from planea.statistics.models import StatisticsBatch
from planea.statistics.tests import rows as statistic_rows
from planea.strategy.models import PlanStatus

from .p5 import answer_statistics, at_step_3, started, walk

pytestmark = pytest.mark.django_db


def actions(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq").values_list("summary", flat=True))


def test_the_picker_lists_only_draft_annual_plans(plans, client_as):
    client = client_as("profesional_planes_programas")
    page = client.get("/programacion/").content.decode()
    assert "POA-2026 · " in page and "POM-2026-2030 · " not in page
    type(plans["poa"]).objects.filter(pk=plans["poa"].pk).update(status=PlanStatus.REVIEW)
    page = client.get("/programacion/").content.decode()
    assert "POA-2026 · " not in page
    response = client.post("/programacion/", {"plan": plans["poa"].pk})  # a POA not in the list is refused
    assert response.status_code == 400 and not Programming.objects.exists()
    response = client.post("/programacion/", {"plan": plans["pom"].pk})
    assert response.status_code == 400 and "Escoja una opción válida" in response.content.decode()


def test_a_case_starts_for_a_poa_once_while_it_is_open(plans, demo, client_as):
    client = client_as("profesional_planes_programas")
    response = client.post("/programacion/", {"plan": plans["poa"].pk})
    found = Programming.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/expedientes/{found.case.pk}/"
    assert found.plan == plans["poa"] and found.tolerance == 10 and found.run is None
    assert found.case.subject == "2026" and found.case.definition.key == P5.key
    assert found.case.title == "Programación de metas físicas del POA-2026"
    assert actions("p5_plan_linked") == [
        f"POA-2026 en programación de metas físicas por el expediente {found.case.number}"
    ]
    response = client.post("/programacion/", {"plan": plans["poa"].pk})
    page = response.content.decode()
    assert response.status_code == 400 and f"ya se programa en el expediente {found.case.number}" in page
    assert f'href="/expedientes/{found.case.pk}/"' in page and 'data-testid="existing-case"' in page
    assert Programming.objects.count() == 1
    with pytest.raises(programming.ProgrammingError) as refused:
        programming.start(plans["poa"], actor=demo["profesional_planes_programas"])
    assert refused.value.case == found.case
    found.case.status = CaseStatus.COMPLETED  # once the case concluded, the POA may be programmed again
    found.case.save(update_fields=["status"])
    again = programming.start(plans["poa"], actor=demo["profesional_planes_programas"])
    assert again.case != found.case


def test_only_the_profesional_starts_it_the_jefe_reads_the_list(plans, client_as):
    jefe = client_as("jefe_planes_programas")
    page = jefe.get("/programacion/").content.decode()
    assert 'data-testid="start-programming"' not in page  # step 1 is the profesional's
    response = jefe.post("/programacion/", {"plan": plans["poa"].pk})
    assert response.status_code == 400 and "no tiene el rol que inicia" in response.content.decode()
    assert client_as("enlace_area").get("/programacion/").status_code == 403
    assert client_as("estadistica").post("/programacion/", {"plan": plans["poa"].pk}).status_code == 403
    assert not Programming.objects.exists()


def test_step_1_shows_the_variables_of_the_poa_and_the_last_month_loaded(plans, demo, done_run, client_as):
    found = started(plans, demo)
    variable = done_run.series.first().variable
    batch = StatisticsBatch.objects.create(
        loaded_by=demo["estadistica"], loaded_at=timezone.now(), file_name="a.csv", sha256="0" * 64, rows=2
    )
    center = done_run.series.first().cost_center
    for month in (9, 10):
        statistic_rows.put(variable, 2025, month, 5, batch, cost_center=center)
    page = client_as("profesional_planes_programas").get(f"/expedientes/{found.case.pk}/").content.decode()
    assert 'data-testid="step-p5-statistics"' in page
    assert "CTRL-TERR Personas controladas en puestos terrestres" in page and "10/2025" in page
    assert "POA-2026 que programa este expediente" in page  # the links of the case
    step_through(found.case, until="2")
    page = client_as("profesional_planes_programas").get(f"/expedientes/{found.case.pk}/").content.decode()
    assert "Estadísticas de los subproductos del POA cargadas hasta 10/2025" in page
    assert "faltan meses" in page  # the tests run after October 2025


def test_step_2_waits_for_estadistica_and_a_chosen_finished_run(plans, demo, done_run, client_as):
    found = started(plans, demo)
    professional = demo["profesional_planes_programas"]
    step_through(found.case, until="2")
    task = ready(found.case)[0]
    page = client_as("profesional_planes_programas").get(f"/expedientes/{found.case.pk}/").content.decode()
    assert 'data-testid="statistics-pending"' in page and 'data-testid="choose-run"' not in page
    with pytest.raises(ProcedureError, match="Estadística no ha respondido"):
        programming.choose_run(found, done_run, actor=professional)
    with pytest.raises(ProcedureError, match="Estadística no ha respondido"):
        programming.start_forecast(found, actor=professional)
    with pytest.raises(ProcedureError, match="Estadística no ha respondido"):
        cases.complete(task, actor=professional)
    task.refresh_from_db()
    assert task.status == "ready"
    answer_statistics(found, demo)
    with pytest.raises(ProcedureError, match="Elija en el paso 2 una corrida de pronósticos terminada del año 2026"):
        cases.complete(task, actor=professional)
    page = client_as("profesional_planes_programas").get(f"/expedientes/{found.case.pk}/").content.decode()
    assert 'data-testid="statistics-answered"' in page and 'data-testid="choose-run"' in page
    other_year = ForecastRun.objects.create(
        target_year=2027,
        data_until=done_run.data_until,
        status=RunStatus.DONE,
        created_by=professional,
        created_at=timezone.now(),
        method_version="test",
    )
    running = ForecastRun.objects.create(
        target_year=2026,
        data_until=done_run.data_until,
        status=RunStatus.RUNNING,
        created_by=professional,
        created_at=timezone.now(),
        method_version="test",
    )
    with pytest.raises(ProcedureError, match="pronostica 2027"):
        programming.choose_run(found, other_year, actor=professional)
    with pytest.raises(ProcedureError, match="no ha terminado"):
        programming.choose_run(found, running, actor=professional)
    with pytest.raises(ProcedureError, match="corresponde al rol"):
        programming.choose_run(found, done_run, actor=demo["jefe_planes_programas"])
    client = client_as("profesional_planes_programas")
    response = client.post(f"/programacion/{found.pk}/corrida/", {"run": running.pk})  # not in the form's list
    assert response.status_code == 302 and Programming.objects.get().run is None
    response = client.post(f"/programacion/{found.pk}/corrida/", {"run": done_run.pk})
    assert response.status_code == 302 and Programming.objects.get().run == done_run
    event = AuditEvent.objects.get(action="p5_run_chosen")
    assert event.before == {"run": None} and event.after["run"] == done_run.pk
    assert f"pronósticos de la corrida {done_run.pk} (datos hasta 12/2025) para el POA-2026" in event.summary
    cases.complete(task, actor=professional)
    assert ready(found.case)[0].number == "3"
    with pytest.raises(ProcedureError, match="en el paso 2"):  # the run is chosen at step 2 only
        programming.choose_run(found, done_run, actor=professional)


def test_starting_a_forecast_from_step_2(plans, demo, dataset):
    found = started(plans, demo)
    step_through(found.case, until="2")
    answer_statistics(found, demo)
    run = programming.start_forecast(found, actor=demo["profesional_planes_programas"])
    assert run.target_year == 2026 and run.case == found.case


def test_the_case_runs_its_eight_steps_through_the_services(plans, demo, done_run):
    found = at_step_3(started(plans, demo), done_run, demo)
    done = walk(found, None, demo)
    assert done == ["3", "4", "5", "6", "7", "8"]
    found.refresh_from_db()
    assert found.case.status == CaseStatus.COMPLETED
    assert found.incorporated_by == demo["jefe_planes_programas"] and found.incorporated_at is not None
    assert len(actions("p5_goals_incorporated")) == 1


def test_a_p5_case_started_without_a_poa_runs_its_steps_and_may_link_one(plans, demo, client_as):
    professional = demo["profesional_planes_programas"]
    case = cases.start_case(code=P5.code, title="Metas 2026", subject="2026", actor=professional)
    client = client_as("profesional_planes_programas")
    page = client.get(f"/expedientes/{case.pk}/").content.decode()
    assert 'data-testid="step-p5-link"' in page and "POA-2026 · " in page
    assert (
        client_as("jefe_planes_programas")
        .post(f"/programacion/expedientes/{case.pk}/poa/", {"plan": plans["poa"].pk})
        .status_code
        == 403
    )
    response = client.post(f"/programacion/expedientes/{case.pk}/poa/", {"plan": plans["poa"].pk})
    assert response.status_code == 302
    assert Programming.objects.get(case=case).plan == plans["poa"]
    with pytest.raises(ProcedureError, match="ya tiene su POA"):
        programming.link(case, plans["poa"], actor=professional)
    legacy = cases.start_case(code=P5.code, title="Metas sin POA", subject="2027", actor=professional)
    task = ready(legacy)[0]
    supply_documents(task, professional)
    cases.complete(task, actor=professional)  # without a POA, the manual's steps as before
    with pytest.raises(ProcedureError, match="ya se programa en el expediente"):
        programming.link(legacy, plans["poa"], actor=professional)


def test_who_may_post_the_step_actions(plans, demo, done_run, client_as):
    found = started(plans, demo)
    step_through(found.case, until="2")
    answer_statistics(found, demo)
    for role in ("jefe_planes_programas", "estadistica", "enlace_area"):
        client = client_as(role)
        assert client.post(f"/programacion/{found.pk}/corrida/", {"run": done_run.pk}).status_code == 403
        assert client.post(f"/programacion/{found.pk}/pronosticar/").status_code == 403
    assert Programming.objects.get().run is None


def test_the_step_starts_a_run_of_the_poas_year_for_the_case(plans, demo, dataset, client_as):
    """Through runs.start_run: the run is queued for the POA's year, linked to the case, and the job starts."""
    from planea.jobs.models import Job

    found = started(plans, demo)
    step_through(found.case, until="2")
    client = client_as("profesional_planes_programas")
    response = client.post(f"/programacion/{found.pk}/pronosticar/")
    assert response.status_code == 302 and not ForecastRun.objects.exists()  # Estadística has not answered
    answer_statistics(found, demo)
    page = client.get(f"/expedientes/{found.case.pk}/").content.decode()
    assert "Iniciar una corrida de 2026" in page
    response = client.post(f"/programacion/{found.pk}/pronosticar/")
    run = ForecastRun.objects.get()
    assert response.status_code == 302 and (run.target_year, run.created_by, run.case) == (
        2026,
        demo["profesional_planes_programas"],
        found.case,
    )
    assert run.job is not None and Job.objects.filter(pk=run.job.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert f"Corrida {run.pk} de pronósticos 2026 iniciada" in page and 'data-testid="job-progress"' in page
