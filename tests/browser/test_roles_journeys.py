"""Browser journeys of the roles that had nothing to do: the director's overview, and Estadística answering the
request a P6 case sent it."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.procedures import cases
from planea.procedures.drive import PDF
from planea.procedures.manual import P6
from planea.procedures.models import StepRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_director_reads_the_overview_and_opens_the_overdue_cases(page, plans, demo):
    late = cases.start_case(
        code=P6.code, title="Ejecución de agosto", subject="Agosto", actor=demo["jefe_planes_programas"]
    )
    late.tasks.update(due_date=dt.date(2020, 1, 31))
    sign_in(page, "director_general")
    overview = page.get_by_test_id("overview")
    expect(overview).to_be_visible()
    expect(page.get_by_test_id("overview-plans").get_by_role("link", name=plans["poa"].code)).to_be_visible()
    row = page.locator('[data-procedure="P6"]')
    expect(row.get_by_test_id("open-cases")).to_have_text("1")
    expect(page.get_by_test_id("overview-execution")).to_be_visible()
    screenshot(page, "home-director-overview")
    row.get_by_test_id("overdue-cases").click()
    expect(page).to_have_url(re.compile(r"/expedientes/\?procedimiento=.*plazo=vencido"))
    expect(page.get_by_role("link", name=late.number)).to_be_visible()
    expect(page.locator("#f-overdue")).to_be_checked()
    assert page.csp_errors == [] and page.outside_requests == []


def test_estadistica_answers_the_request_of_a_p6_case(page, demo, tmp_path):
    case = cases.start_case(
        code=P6.code, title="Ejecución de octubre", subject="Octubre", actor=demo["jefe_planes_programas"]
    )
    sign_in(page, "estadistica")
    decisions = page.get_by_test_id("inbox-decisions")
    expect(decisions).to_contain_text("Información estadística de los servicios prestados")
    decisions.get_by_role("link", name=case.number).click()
    expect(page.get_by_test_id("request-status")).to_have_text("Pendiente")
    page.get_by_role("button", name="Enviar respuesta").click()  # nothing written: refused next to the field
    expect(page.locator("#id_answer_errors")).to_be_visible()
    file = tmp_path / "octubre.pdf"
    file.write_bytes(PDF)
    page.get_by_label("Respuesta").fill("Cuadros de octubre por centro de costo.")
    page.get_by_label("Archivo (opcional)").set_input_files(str(file))
    page.get_by_role("button", name="Enviar respuesta").click()
    expect(page.get_by_text("Respuesta enviada a quien la pidió.")).to_be_visible()
    expect(page.get_by_test_id("request-status")).to_have_text("Respondida")
    expect(page.get_by_role("link", name="octubre.pdf")).to_be_visible()
    screenshot(page, "step-request-answered")
    page.goto("/")
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()
    assert StepRequest.objects.get(task__case=case).answer == "Cuadros de octubre por centro de costo."
    # the asking step shows it answered to the one who asked
    page.context.clear_cookies()
    sign_in(page, "jefe_planes_programas")
    page.goto(f"/expedientes/{case.pk}/")
    expect(page.locator('[data-request-status="answered"]')).to_contain_text("Respondida")
    # the one console error is the refused answer's status (400), on purpose
    assert [e for e in page.csp_errors if "400" not in e] == [] and page.outside_requests == []
