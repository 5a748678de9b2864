"""The execution pages as people use them: the months list starts a month's case from lists (a second one for the
same month names the first); the month page writes values and causes all or none, keeping what was typed beside
each error; the dashboard drills down with lights, projections and the heat map; the four-monthly report is made of
approved months only, and its Excel and PDF say which months they cover."""

import pytest
from openpyxl import load_workbook

from planea.audit.models import AuditEvent
from planea.execution import four_monthly, months, tasks
from planea.execution.models import DeviationCause, ExecutionMonth, MonthStatus
from planea.jobs.models import Job
from planea.operations import goals
from tests.pdf_layout import assert_fits_page

from .p6 import current_goals, executed_as_goals, through_approval

pytestmark = pytest.mark.django_db


def test_a_month_case_is_started_from_lists_and_only_once(poa, client_as):
    client = client_as("jefe_planes_programas")
    page = client.get("/ejecucion/meses/")
    assert page.status_code == 200 and b'data-testid="start-month"' in page.content
    started = client.post("/ejecucion/meses/", {"plan": poa.pk, "month": 9})
    month = ExecutionMonth.objects.get(plan=poa, month=9)
    assert started.status_code == 302 and started["Location"] == f"/expedientes/{month.case_id}/"
    again = client.post("/ejecucion/meses/", {"plan": poa.pk, "month": 9})
    assert again.status_code == 400 and "ya tiene su expediente" in again.content.decode()
    assert f'href="/expedientes/{month.case_id}/"'.encode() in again.content
    typed = client.post("/ejecucion/meses/", {"plan": poa.pk, "month": "septiembre"})
    assert typed.status_code == 400 and ExecutionMonth.objects.filter(plan=poa).count() == 1
    assert client_as("enlace_area").post("/ejecucion/meses/", {"plan": poa.pk, "month": 10}).status_code == 403


def test_the_month_page_writes_values_and_causes_all_or_none(poa, demo, client_as):
    executed_as_goals(poa, 1, demo)
    month = ExecutionMonth.objects.get(plan=poa, month=1)
    (line, goal), (other, _goal) = list(current_goals(poa, 1).items())[:2]
    client = client_as("profesional_planes_programas")
    url = f"/ejecucion/meses/{month.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and f'name="e-{line[0]}-{line[1]}"'.encode() in page.content
    bad = client.post(
        url + "guardar/",
        {f"e-{line[0]}-{line[1]}": "12,5", f"e-{other[0]}-{other[1]}": str(goal // 2), "nota": ""},
    )
    text = bad.content.decode()
    assert bad.status_code == 400 and 'value="12,5"' in text and f'id="e-{line[0]}-{line[1]}_errors"' in text
    assert "escriba los decimales con punto (12.5)" in text
    assert months.month_lines(poa, 1)[other].executed != goal // 2  # nothing written
    filtered = client.post(url + "guardar/?subproducto=P02-02&pagina=1", {f"e-{line[0]}-{line[1]}": "-3"})
    assert filtered.status_code == 400 and 'value="-3"' in filtered.content.decode()  # the page it was typed on
    corrected = {f"e-{line[0]}-{line[1]}": str(goal // 2)}
    no_note = client.post(url + "guardar/", corrected)
    assert no_note.status_code == 400 and "Escriba una nota" in no_note.content.decode()
    saved = client.post(url + "guardar/?subproducto=P02-02", corrected | {"nota": "Conteo corregido por el puesto."})
    assert saved.status_code == 302 and months.month_lines(poa, 1)[line].executed == goal // 2
    assert saved["Location"] == url + "?subproducto=P02-02"
    page = client.get(url)
    assert f'name="c-{line[0]}-{line[1]}"'.encode() in page.content  # beyond the tolerance: its cause asked
    client.post(url + "guardar/", {f"c-{line[0]}-{line[1]}": "Cierre por obras."})
    assert DeviationCause.objects.get(execution_month=month).text == "Cierre por obras."
    assert client_as("enlace_area").post(url + "guardar/", corrected).status_code == 403


def test_a_reopened_month_is_approved_again_from_its_page(poa, demo, client_as):
    month = through_approval(poa, 1, demo)
    importing = client_as("profesional_planes_programas").get(f"/ejecucion/meses/{month.pk}/importar/", follow=True)
    assert importing.redirect_chain == [(f"/ejecucion/meses/{month.pk}/", 302)]  # said before a file is chosen
    assert "Enero de 2026 está aprobado: sus cifras no cambian" in importing.content.decode()
    (line, goal), *_rest = current_goals(poa, 1).items()
    stale = client_as("profesional_planes_programas").post(  # a page left open while the month was approved
        f"/ejecucion/meses/{month.pk}/guardar/", {f"e-{line[0]}-{line[1]}": str(goal + 7)}
    )
    text = stale.content.decode()
    assert stale.status_code == 400 and "Enero de 2026 está aprobado" in text and "Escriba una nota" not in text
    sub = client_as("subdirector_planificacion")
    refused = sub.post(f"/ejecucion/meses/{month.pk}/reabrir/", {"reason": ""})
    assert refused.status_code == 400 and 'id="id_reason_errors"' in refused.content.decode()
    sub.post(f"/ejecucion/meses/{month.pk}/reabrir/", {"reason": "El puesto reportó tarde."})
    month.refresh_from_db()
    assert month.status == MonthStatus.OPEN and month.revision == 2
    assert client_as("jefe_planes_programas").post(f"/ejecucion/meses/{month.pk}/registrar/").status_code == 403
    client_as("profesional_planes_programas").post(f"/ejecucion/meses/{month.pk}/registrar/")
    client_as("jefe_planes_programas").post(f"/ejecucion/meses/{month.pk}/autorizar/")
    sub.post(f"/ejecucion/meses/{month.pk}/aprobar/")
    month.refresh_from_db()
    assert month.status == MonthStatus.APPROVED and month.revisions.count() == 2
    page = sub.get(f"/ejecucion/meses/{month.pk}/").content.decode()
    assert "El puesto reportó tarde." in page and "Revisión 1" in page and "Revisión 2" in page


def test_the_dashboard_drills_down_with_lights_projection_and_heat_map(poa, demo, client_as, plans):
    through_approval(poa, 1, demo)
    executed_as_goals(poa, 2, demo, factor=0.5)
    client = client_as("director_general")
    page = client.get("/ejecucion/tablero/", {"poa": poa.pk, "hasta": 2})
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="dashboard-rows"' in text and "P02" in text
    assert "bi-exclamation-triangle-fill" in text and "en riesgo" in text  # 75 % of the goal to date: amber
    assert 'data-testid="dashboard-heat"' in text and "50 %" in text and "100 %" in text
    assert "Ejecución de enero a febrero de 2026 contra la meta vigente, por producto" in text
    assert "Incluye meses aún sin aprobar (febrero de 2026)" in text
    drilled = client.get("/ejecucion/tablero/", {"poa": poa.pk, "hasta": 2, "producto": "P02"}).content.decode()
    assert "P02-02" in drilled and "Subproducto" in drilled
    centers = client.get(
        "/ejecucion/tablero/", {"poa": poa.pk, "hasta": 2, "producto": "P02", "subproducto": "P02-02", "area": "x"}
    )
    assert centers.status_code == 200  # an unknown area shows nothing, not an error
    assert client.get("/ejecucion/tablero/", {"poa": "x", "hasta": "99", "producto": "<b>"}).status_code == 200


def test_the_four_monthly_report_is_made_of_approved_months(poa, demo, client_as):
    through_approval(poa, 1, demo)
    executed_as_goals(poa, 2, demo)
    report = four_monthly.report(poa, 1)
    assert report.months == [1] and report.pending == [2, 3, 4]
    client = client_as("jefe_planes_programas")
    page = client.get("/ejecucion/informes/", {"poa": poa.pk, "periodo": 1}).content.decode()
    assert "Meses aprobados que cubre: 01/2026." in page and "Pendientes de aprobación" in page
    workbook = load_workbook(
        __import__("io").BytesIO(client.get("/ejecucion/informes/informe.xlsx", {"poa": poa.pk, "periodo": 1}).content)
    )
    sheet = workbook.active
    assert "01/2026" in sheet["A2"].value
    started = client.post("/ejecucion/informes/informe-pdf/", {"poa": poa.pk, "periodo": 1})
    job = Job.objects.get(kind="p6_report")
    assert started.status_code == 302 and started["Location"] == f"/trabajos/{job.pk}/"
    twice = client.post("/ejecucion/informes/informe-pdf/", {"poa": poa.pk, "periodo": 1})
    assert twice["Location"] == started["Location"]  # a double click: the same job
    director = client_as("director_general")
    theirs = director.post("/ejecucion/informes/informe-pdf/", {"poa": poa.pk, "periodo": 1})
    assert theirs["Location"] != started["Location"] and director.get(theirs["Location"]).status_code == 200
    tasks.four_monthly_pdf_job.call(str(job.pk), poa.pk, 1)  # as the worker runs it
    job.refresh_from_db()
    with job.document.file.open("rb") as stream:
        pdf = stream.read()
    text = " ".join(line.text for page in assert_fits_page(pdf) for line in page.lines)
    assert "Cuatrimestre 1 (enero–abril) de 2026" in text
    assert client.get("/ejecucion/informes/", {"poa": poa.pk, "periodo": 7}).status_code == 400


def test_the_history_of_a_line_shows_each_change_with_its_source_and_note(poa, demo, client_as):
    executed_as_goals(poa, 1, demo)
    month = ExecutionMonth.objects.get(plan=poa, month=1)
    (line, goal), (other, _goal) = list(current_goals(poa, 1).items())[:2]
    client = client_as("profesional_planes_programas")
    client.post(
        f"/ejecucion/meses/{month.pk}/guardar/",
        {f"e-{line[0]}-{line[1]}": str(goal + 1), "nota": "Reporte del puesto."},
    )
    profesional = demo["profesional_planes_programas"]
    months.write_cause(month, line, "Cierre por obras.", actor=profesional)
    months.write_cause(month, line, "Cierre por obras del puesto.", actor=demo["jefe_planes_programas"])
    months.write_cause(month, line, "", actor=profesional)
    months.write_cause(month, other, "Otra línea.", actor=profesional)
    page = client.get(f"/ejecucion/meses/{month.pk}/historial/", {"linea": f"{line[0]}-{line[1]}"}).content.decode()
    values, causes = page.split('data-testid="cause-history"')
    assert "Reporte del puesto." in values and "Escrito por una persona" in values
    assert values.count("<tr>") == 1 + 2  # the header, the first value and its correction
    assert causes.count("<tr>") == 1 + 3 and "Otra línea." not in causes  # written, rewritten, removed
    rewritten = 'Cierre por obras.</td><td class="text-break" data-label="Después">Cierre por obras del puesto.</td>'
    assert rewritten in causes and "(quitada)" in causes  # before and after side by side
    assert demo["jefe_planes_programas"].get_full_name() in causes
    everything = client.get(f"/ejecucion/meses/{month.pk}/historial/", {"linea": "x-<script>"}).content.decode()
    assert everything.count("<tr>") > 3 and "<script>" not in everything and "Otra línea." in everything


def test_a_registered_month_is_sent_back_with_its_reason_and_registered_again(poa, demo, client_as):
    executed_as_goals(poa, 1, demo)
    month = ExecutionMonth.objects.get(plan=poa, month=1)
    months.register(month, actor=demo["profesional_planes_programas"])
    url = f"/ejecucion/meses/{month.pk}/"
    assert client_as("subdirector_planificacion").post(url + "devolver/", {"reason": "x"}).status_code == 302
    month.refresh_from_db()
    assert month.status == MonthStatus.REGISTERED  # the subdirector sends back an authorized month, not this one
    jefe = client_as("jefe_planes_programas")
    empty = jefe.post(url + "devolver/", {"reason": "  "})
    assert empty.status_code == 400 and 'id="id_reason_errors"' in empty.content.decode()
    jefe.post(url + "devolver/", {"reason": "Falta el reporte del puesto de Tecún Umán."})
    month.refresh_from_db()
    assert month.status == MonthStatus.OPEN and month.revision == 1
    page = client_as("profesional_planes_programas").get(url).content.decode()
    assert "Falta el reporte del puesto de Tecún Umán." in page and "Registrar el mes" in page
    client_as("profesional_planes_programas").post(url + "registrar/")
    month.refresh_from_db()
    assert month.status == MonthStatus.REGISTERED


def test_a_cause_is_removed_with_an_empty_box_and_a_long_one_is_refused_at_its_line(poa, demo, client_as):
    executed_as_goals(poa, 1, demo, factor=0.5)
    month = ExecutionMonth.objects.get(plan=poa, month=1)
    (line, _goal), *_ = current_goals(poa, 1).items()
    field = f"c-{line[0]}-{line[1]}"
    client = client_as("profesional_planes_programas")
    url = f"/ejecucion/meses/{month.pk}/guardar/"
    long = client.post(url, {field: "x" * 4001})
    assert long.status_code == 400 and f'id="{field}_errors"' in long.content.decode()
    assert "La causa admite a lo sumo 4,000 caracteres; tiene 4,001." in long.content.decode()
    client.post(url, {field: "Cierre por obras."})
    assert DeviationCause.objects.filter(execution_month=month).count() == 1
    client.post(url, {field: ""})
    assert not DeviationCause.objects.filter(execution_month=month).exists()
    assert AuditEvent.objects.filter(action="execution_cause_removed").count() == 1


def test_the_report_has_the_annual_goal_and_the_accumulated_and_an_area_liaison_reads_their_area(poa, demo, client_as):
    through_approval(poa, 1, demo)
    report = four_monthly.report(poa, 1)
    annual = {(s, c): 0 for (s, c) in current_goals(poa, 1)}
    for (s, c, _y, _m), value in goals.values_of(poa, attr="current").items():
        annual[(s, c)] = annual.get((s, c), 0) + value
    (line,) = report.lines
    assert line.annual_current == sum(annual.values()) and line.accumulated == line.executed
    enlace = client_as("enlace_area").get("/ejecucion/informes/", {"poa": poa.pk, "periodo": 1}).content.decode()
    assert "El informe reúne los centros de costo de su área." in enlace


def test_odd_digits_in_the_dashboard_address_are_ignored(poa, client_as):
    client = client_as("director_general")
    for query in ({"hasta": "²"}, {"poa": "①"}, {"hasta": "١١"}, {"poa": "9" * 40}, {"hasta": "0"}):
        assert client.get("/ejecucion/tablero/", query).status_code == 200


def test_a_dashboard_through_month_zero_shows_the_year_to_date(poa, demo, client_as):
    executed_as_goals(poa, 1, demo)
    page = client_as("director_general").get("/ejecucion/tablero/", {"poa": poa.pk, "hasta": 0}).content.decode()
    assert "Aún no hay meses registrados" not in page and "Ejecución de enero de 2026 contra la meta vigente" in page


def test_the_report_page_opens_on_the_cuatrimestre_of_the_latest_approved_month(poa, demo, client_as):
    for month in range(1, 6):
        through_approval(poa, month, demo)
    page = client_as("jefe_planes_programas").get("/ejecucion/informes/").content.decode()
    assert "Cuatrimestre 2 (mayo–agosto) de 2026" in page and "Meses aprobados que cubre: 05/2026." in page


def test_the_projection_counts_the_registered_months_and_forecasts_the_rest(poa, demo, statistics, client_as):
    from datetime import date

    from django.utils import timezone

    from planea.execution import dashboard
    from planea.forecasting.models import ForecastRun, ForecastValue, RunStatus, SeriesForecast, SeriesLevel
    from planea.statistics.models import StatisticalVariable

    january = sum(v for (_s, _c, m), v in executed_as_goals(poa, 1, demo).items() if m == 1)
    months.register(ExecutionMonth.objects.get(plan=poa, month=1), actor=demo["profesional_planes_programas"])
    executed_as_goals(poa, 2, demo, factor=0.5)  # February still open, with its values typed so far
    run = ForecastRun.objects.create(
        target_year=2026,
        data_until=date(2026, 1, 1),
        status=RunStatus.RUNNING,
        created_by=demo["profesional_planes_programas"],
        created_at=timezone.now(),
        method_version="prueba",
    )
    variable = StatisticalVariable.objects.get(code="CTRL-TERR-E")
    lines = {c for (_s, c) in current_goals(poa, 1)}
    for center in lines:
        series = SeriesForecast.objects.create(
            run=run, variable=variable, level=SeriesLevel.COST_CENTER, cost_center_id=center, model="prueba"
        )
        ForecastValue.objects.bulk_create(
            ForecastValue(series=series, month=m, base=10, yhat=10, lo80=8, hi80=12, lo95=6, hi95=14)
            for m in range(1, 13)
        )
    ForecastRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=timezone.now())
    for through in (1, 2):  # what the dashboard shows does not change what the year is projected to
        (projection,) = dashboard.dashboard(poa, through=through).projections
        assert projection.executed == january  # the registered months; February, still open, is forecast
        assert (projection.forecast, projection.low, projection.high) == (
            110 * len(lines),
            88 * len(lines),
            132 * len(lines),
        )
    page = client_as("director_general").get("/ejecucion/tablero/", {"poa": poa.pk, "hasta": 2}).content.decode()
    assert "Lo ejecutado de enero a enero de 2026 (los meses registrados)" in page
