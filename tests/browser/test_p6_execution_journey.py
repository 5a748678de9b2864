"""Browser journey of a month of execution (P6): the profesional finds the line that strays from its goal, writes
its cause and registers the month at step 4; the jefe authorizes it at step 5; the subdirector approves it at step 6,
which locks it; the comprobante PDF is downloaded once the worker made it; and the dashboard shows the new figures."""

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.execution import month_case
from planea.execution.analysis import month_lines
from planea.execution.executed import write
from planea.execution.models import ExecutionMonth, MonthStatus, Source
from planea.operations import lifecycle
from planea.operations.tests.test_import_jobs import run_worker
from planea.procedures import cases, step_requests
from planea.procedures.drive import supply_documents
from planea.procedures.models import StepRequest
from planea.statistics.loading import load_csv
from planea.statistics.models import StatisticalVariable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def complete_step(page: Any, number: str) -> None:
    step = page.locator(f'[data-testid="current-step"][data-step="{number}"]')
    step.get_by_role("button", name=f"Completar paso {number}").click()
    expect(page.get_by_test_id("step-completed")).to_contain_text(f"Paso {number} completado.")


def switch_to(page: Any, username: str) -> None:
    """Sign out from the menu, as a person leaving the shared computer, and sign in as `username`."""
    page.get_by_test_id("user-name").click()
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_label("Usuario")).to_be_visible()
    sign_in(page, username)


def test_a_month_is_registered_justified_authorized_approved_and_shown(page, plans, demo):
    poa, land = plans["poa"], plans["land"]
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    poa.refresh_from_db()
    StatisticalVariable.objects.create(code="CTRL-TERR", name="Control terrestre", unit=land.unit, subproduct=land)
    lines = month_lines(poa, 1)
    (first, figures), *rest = sorted(lines.items())
    center = land.cost_centers.get(pk=first[1]).code
    csv = f"variable,centro_costo,mes,valor\nCTRL-TERR,{center},2026-01,{figures.current // 2}\n"
    load_csv(csv.encode(), file_name="enero.csv", actor=demo["estadistica"])
    january = month_case.start(poa, 1, actor=demo["jefe_planes_programas"])
    case = january.case
    for number, role in (("1", "jefe_planes_programas"), ("2", "profesional_planes_programas")):
        task = case.tasks.get(number=number, status="ready")
        supply_documents(task, demo[role])
        if number == "2":
            request = StepRequest.objects.get(task__case=case)
            step_requests.answer(request, actor=demo["estadistica"], note="Enero cargado.")
        cases.complete(task, actor=demo[role], comment="", decision="", observations="", return_to="")
    others = {(s, c, 1): f.current for (s, c), f in rest}  # the other lines as their goals
    write(poa, others, source=Source.TYPED, actor=demo["profesional_planes_programas"])
    supply_documents(case.tasks.get(number="3", status="ready"), demo["profesional_planes_programas"])

    sign_in(page, "profesional_planes_programas")
    page.goto(f"/ejecucion/meses/{january.pk}/")
    expect(page.get_by_test_id("month-needing-cause")).to_contain_text("1 línea se desvía más de la tolerancia")
    page.get_by_label(f"Causa de la desviación de P02-02 en {center}").fill("Cierre parcial del puesto por obras.")
    page.get_by_role("button", name="Guardar los cambios de esta página").click()
    expect(page.locator(".alert-success").first).to_contain_text("1 cambio guardado.")
    expect(page.get_by_test_id("month-needing-cause")).to_have_count(0)
    screenshot(page, "p6-causa-escrita")
    page.goto(f"/expedientes/{case.pk}/")
    expect(page.get_by_test_id("step-p6-3")).to_contain_text("Todas las desviaciones tienen su causa.")
    complete_step(page, "3")
    complete_step(page, "4")
    expect(page.get_by_test_id("case-links")).to_contain_text("Registrado")

    switch_to(page, "jefe_planes_programas")
    page.goto(f"/expedientes/{case.pk}/")
    supply_documents(case.tasks.get(number="5", status="ready"), demo["jefe_planes_programas"])
    page.reload()
    complete_step(page, "5")

    switch_to(page, "subdirector_planificacion")
    page.goto(f"/expedientes/{case.pk}/")
    complete_step(page, "6")
    january.refresh_from_db()
    assert january.status == MonthStatus.APPROVED
    run_worker()  # the comprobantes' job
    page.goto(f"/ejecucion/meses/{january.pk}/")
    expect(page.get_by_test_id("month-locked")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar CE-POA-2026-01-R1-00").click()
    path = download.value.path()
    assert open(path, "rb").read(4) == b"%PDF"
    assert download.value.suggested_filename == "CE-POA-2026-01-R1-00.pdf"

    page.goto(f"/ejecucion/tablero/?poa={poa.pk}&hasta=1")
    total = page.get_by_test_id("dashboard-total")
    executed = sum(f.current for _k, f in rest) + figures.current // 2
    expect(total).to_contain_text(f"{executed:,} ejecutado")
    expect(page.get_by_test_id("dashboard-rows")).to_contain_text("P02")
    screenshot(page, "p6-tablero")
    assert ExecutionMonth.objects.get(pk=january.pk).revisions.count() == 1
    assert page.outside_requests == []
