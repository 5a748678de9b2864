"""Browser journey of P1 across two people: the jefe sends the PEI for review, the subdirector returns it to step 6
with observations, the jefe corrects, and the case goes through the SEGEPLAN ficha técnica to step 12."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.procedures import cases
from planea.procedures.drive import PDF, step_through
from planea.procedures.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.get_by_test_id("user-name").click()
    page.get_by_role("button", name="Cerrar sesión").click()


def current_step(page, number):
    step = page.locator(f'[data-testid="current-step"][data-step="{number}"]')
    expect(step).to_be_visible()
    return step


def upload(page, step, slot, tmp_path: Path, name):
    file = tmp_path / name
    file.write_bytes(PDF)
    item = step.locator(f'li[data-slot="{slot}"]')
    item.locator('input[type="file"]').set_input_files(str(file))
    item.get_by_role("button", name="Cargar").click()
    # The message that names the file, not whichever status region comes first on the page (a busy machine may
    # still be showing another one).
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).filter(has_text=name).first).to_be_visible()


def issue_oficio(page, step, slot, subject):
    item = step.locator(f'li[data-slot="{slot}"]')
    item.locator("summary").click()
    item.locator("input[name$='-addressee']").fill("Licda. Claudia Villatoro")
    item.get_by_label("Cargo del destinatario").fill("Sectorialista de SEGEPLAN")
    item.get_by_label("Asunto").fill(subject)
    item.get_by_label("Texto").fill("Remitimos el PEI para la emisión de la ficha técnica.\n\nAtentamente.")
    item.get_by_role("button", name="Emitir oficio").click()
    expect(page.locator(".alert-success").first).to_contain_text("Se emitió el oficio SP-")


def complete(page, step, number, decision=None, observations=None):
    step = current_step(page, number)
    if decision:
        step.get_by_label(decision).check()
    if observations:
        step.get_by_label(re.compile("^Observaciones")).fill(observations)
    step.get_by_role("button", name=f"Completar paso {number}").click()
    expect(page.get_by_test_id("step-completed")).to_contain_text(f"Paso {number} completado.")


def test_p1_review_loop_and_segeplan_to_step_12(page, demo, tmp_path):
    case = cases.start_case(
        code="11.01.U0.P1",
        title="Actualización del PEI 2027-2031",
        subject="Versión 2",
        actor=demo["subdirector_planificacion"],
    )
    step_through(case, until="8")  # steps 1 to 7 already done by their people

    # The jefe sends the PEI for review (step 8) from the inbox.
    sign_in(page, "jefe_planes_programas")
    row = page.get_by_test_id("inbox-available").locator(f'tr[data-case="{case.number}"]')
    expect(row).to_contain_text("Envía y solicita la revisión")
    row.get_by_role("link", name=case.number).click()
    step = current_step(page, "8")
    upload(page, step, "Documento", tmp_path, "PEI-2027-2031-borrador.pdf")
    screenshot(page, "p1-01-jefe-envia-a-revision")
    complete(page, step, "8")
    expect(current_step(page, "9")).to_contain_text("Subdirector(a) de Planificación")
    expect(page.get_by_test_id("not-your-step")).to_be_visible()
    sign_out(page)

    # The subdirector returns it to step 6 (Marco estratégico) with observations.
    sign_in(page, "subdirector_planificacion")
    page.get_by_test_id("inbox-available").get_by_role("link", name=case.number).click()
    # One decision: the answer, the document with its marks, the step it goes back to and the observations.
    step = current_step(page, "9")
    upload(page, step, "Documento", tmp_path, "PEI-observaciones.pdf")
    step = current_step(page, "9")
    step.get_by_label("Sí, tiene observaciones").check()
    step.get_by_label(re.compile("Marco estratégico")).check()
    step.get_by_role("button", name="Completar paso 9").click()
    expect(step.locator('[id$="-observations_errors"]')).to_contain_text("Escriba las observaciones")
    expect(step.get_by_label(re.compile("Marco estratégico"))).to_be_checked()
    step.get_by_label(re.compile("^Observaciones")).fill("La visión no se alinea con la PGG.")
    step.get_by_role("button", name="Completar paso 9").click()
    expect(page.get_by_test_id("step-completed")).to_contain_text("Paso 9 completado.")
    expect(page.get_by_test_id("return-loops")).to_contain_text("Del paso 9.1 al paso 6")
    expect(page.locator("#diagrama[data-ready='1']")).to_be_visible()
    screenshot(page, "p1-02-subdirector-devuelve-al-paso-6")
    sign_out(page)

    # The jefe sees step 6 again (2nd time), corrects and sends it back through 7 and 8.
    sign_in(page, "jefe_planes_programas")
    row = page.get_by_test_id("inbox-mine").locator(f'tr[data-case="{case.number}"]')
    expect(row).to_contain_text("2.ª vez")
    row.get_by_role("link", name=case.number).click()
    expect(page.get_by_test_id("timeline")).to_contain_text("La visión no se alinea con la PGG.")
    complete(page, current_step(page, "6"), "6")
    complete(page, current_step(page, "7"), "7")
    step = current_step(page, "8")
    upload(page, step, "Documento", tmp_path, "PEI-2027-2031-corregido.pdf")
    complete(page, step, "8")
    sign_out(page)

    # The subdirector accepts, sends it to SEGEPLAN, receives the ficha técnica and moves to step 12.
    sign_in(page, "subdirector_planificacion")
    page.goto(f"/expedientes/{case.pk}/")
    complete(page, current_step(page, "9"), "9", decision="No tiene observaciones")
    step = current_step(page, "9.2")
    issue_oficio(page, step, "Oficio de solicitud", "Solicitud de ficha técnica del PEI 2027-2031")
    complete(page, step, "9.2")
    step = current_step(page, "10")
    upload(page, step, "Documento", tmp_path, "observaciones-segeplan.pdf")
    complete(page, step, "10", decision="Conforme a la metodología")
    step = current_step(page, "10.1")
    upload(page, step, "Ficha Técnica", tmp_path, "ficha-tecnica-segeplan.pdf")
    complete(page, step, "10.1")
    step = current_step(page, "11")
    issue_oficio(page, step, "Oficio de Traslado del documento al Director del IGM", "Traslado del PEI para aprobación")
    complete(page, step, "11")
    expect(current_step(page, "12")).to_contain_text("Se traslada el PEI Aprobado")
    expect(page.locator("#diagrama[data-ready='1'] .paso-actual")).to_have_count(1)
    expect(page.locator("#diagrama .paso-completado").first).to_be_visible()
    screenshot(page, "p1-03-en-el-paso-12")

    case = Case.objects.get(pk=case.pk)
    numbers = list(case.tasks.order_by("created_at", "pk").values_list("number", flat=True))
    assert numbers[7:] == ["8", "9", "9.1", "6", "7", "8", "9", "9.2", "10", "10.1", "11", "12"]
    assert not [e for e in page.csp_errors if "400 (Bad Request)" not in e]  # the refusal at 9, shown again
    assert page.outside_requests == []
