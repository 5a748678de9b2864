"""Browser journeys of the case page's forms refused: what the person typed stays, the section stays open, and the
error is next to its field and on screen, whether the step's panel is answered in place (HTMX) or the whole page is
(without JavaScript)."""

import re

import pytest
from playwright.sync_api import expect

from conftest import sign_in
from planea.procedures import cases
from planea.procedures.drive import step_through
from planea.procedures.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = ("Con base en los lineamientos de SEGEPLAN, se trasladan las instrucciones del PEI. " * 100)[:8000]


def p1_case(demo, until: str) -> Case:
    case = cases.start_case(
        code="11.01.U0.P1",
        title="Actualización del PEI 2027-2031",
        subject="Versión 2",
        actor=demo["subdirector_planificacion"],
    )
    step_through(case, until=until)
    return case


def current_step(page, number):
    step = page.locator(f'[data-testid="current-step"][data-step="{number}"]')
    expect(step).to_be_visible()
    return step


def fill_oficio_without_subject(step):
    item = step.locator('li[data-slot="Oficio de la Subdirección de Planificación"]')
    item.locator("summary").click()
    item.get_by_label("Destinatario", exact=False).first.fill("Lic. Marco Antonio Pérez Ajú")
    item.get_by_label("Cargo del destinatario").fill("Jefe del Departamento de Planes y Programas")
    item.get_by_label("Texto").fill(BODY)
    item.get_by_role("button", name="Emitir oficio").click()
    return item


def test_an_oficio_refused_keeps_its_8000_characters_open_with_the_error_in_view(page, demo):
    case = p1_case(demo, until="2")
    sign_in(page, "subdirector_planificacion")
    page.goto(f"/expedientes/{case.pk}/")
    item = fill_oficio_without_subject(current_step(page, "2"))

    error = item.locator("#id_o0-subject_errors")
    expect(error).to_have_text("Este campo es obligatorio.")
    expect(error).to_be_in_viewport()
    expect(item.locator("details")).to_have_attribute("open", "")
    expect(item.get_by_label("Texto")).to_have_value(BODY)
    expect(item.get_by_label("Cargo del destinatario")).to_have_value("Jefe del Departamento de Planes y Programas")
    expect(item.get_by_label("Asunto")).to_be_focused()
    assert page.url.endswith(f"/expedientes/{case.pk}/")  # answered in place: no reload

    # Corrected, it is issued from the same form.
    item.get_by_label("Asunto").fill("Traslado de lineamientos del PEI")
    item.get_by_role("button", name="Emitir oficio").click()
    expect(page.locator(".alert-success").first).to_contain_text("Se emitió el oficio SP-")


def test_without_javascript_the_refused_oficio_comes_back_the_same(browser, live_server, demo):
    case = p1_case(demo, until="2")
    context = browser.new_context(locale="en-US", base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "subdirector_planificacion")
        page.goto(f"/expedientes/{case.pk}/")
        item = fill_oficio_without_subject(current_step(page, "2"))
        item = page.locator('li[data-slot="Oficio de la Subdirección de Planificación"]')
        expect(item.locator("#id_o0-subject_errors")).to_have_text("Este campo es obligatorio.")
        expect(item.locator("details")).to_have_attribute("open", "")
        expect(item.get_by_label("Texto")).to_have_value(BODY)
    finally:
        context.close()


def test_a_return_without_observations_keeps_the_step_chosen_and_the_comment(page, demo):
    case = p1_case(demo, until="9")
    sign_in(page, "subdirector_planificacion")
    page.goto(f"/expedientes/{case.pk}/")
    step = current_step(page, "9")
    step.get_by_label("Sí, tiene observaciones").check()
    step.get_by_label(re.compile("Marco estratégico")).check()
    step.get_by_label("Comentario").fill("Revisado en reunión del 12 de octubre.")
    step.get_by_role("button", name="Completar paso 9").click()

    step = current_step(page, "9")
    error = step.locator('[id$="-observations_errors"]')
    expect(error).to_contain_text("Escriba las observaciones")
    expect(error).to_be_in_viewport()
    expect(step.get_by_label("Sí, tiene observaciones")).to_be_checked()
    expect(step.get_by_label(re.compile("Marco estratégico"))).to_be_checked()
    expect(step.get_by_label("Comentario")).to_have_value("Revisado en reunión del 12 de octubre.")
    expect(step.get_by_label(re.compile("^Observaciones"))).to_be_focused()


def test_a_step_completed_without_its_document_keeps_the_comment(page, demo):
    case = p1_case(demo, until="8")
    sign_in(page, "jefe_planes_programas")
    page.goto(f"/expedientes/{case.pk}/")
    step = current_step(page, "8")
    step.get_by_label("Comentario").fill("Se envía la versión revisada con el equipo.")
    step.get_by_role("button", name="Completar paso 8").click()

    form = current_step(page, "8").get_by_test_id("complete-form")
    error = form.get_by_role("alert")
    expect(error).to_contain_text("Falta el documento de soporte: «Documento»")
    expect(error).to_be_in_viewport()
    expect(form.get_by_label("Comentario")).to_have_value("Se envía la versión revisada con el equipo.")


def test_a_form_sent_on_a_step_keeps_what_was_typed_in_its_other_forms(page, demo):
    """Issuing the oficio answers the step's panel in place: the comment typed for completing the step stays."""
    case = p1_case(demo, until="2")
    sign_in(page, "subdirector_planificacion")
    page.goto(f"/expedientes/{case.pk}/")
    step = current_step(page, "2")
    step.get_by_label("Comentario").fill("Se envían los lineamientos a Planes y Programas.")
    item = fill_oficio_without_subject(step)  # refused: the panel answered again in place
    expect(item.locator("#id_o0-subject_errors")).to_have_text("Este campo es obligatorio.")
    expect(current_step(page, "2").get_by_label("Comentario")).to_have_value(
        "Se envían los lineamientos a Planes y Programas."
    )
    item.get_by_label("Asunto").fill("Traslado de lineamientos del PEI")  # then sent again, complete
    item.get_by_role("button", name="Emitir oficio").click()
    expect(page.locator(".alert-success").first).to_contain_text("Se emitió el oficio SP-")
    expect(current_step(page, "2").get_by_label("Comentario")).to_have_value(
        "Se envían los lineamientos a Planes y Programas."
    )


def test_an_oficio_refused_once_survives_another_form_of_the_step(page, demo):
    """The refused oficio is shown again with its text; completing the step (refused: the oficio is missing) answers
    the panel again, and the draft is still there, its section open."""
    case = p1_case(demo, until="2")
    sign_in(page, "subdirector_planificacion")
    page.goto(f"/expedientes/{case.pk}/")
    item = fill_oficio_without_subject(current_step(page, "2"))
    expect(item.locator("#id_o0-subject_errors")).to_have_text("Este campo es obligatorio.")
    current_step(page, "2").get_by_role("button", name="Completar paso 2").click()
    step = current_step(page, "2")
    expect(step.get_by_text("Falta el documento de soporte")).to_be_visible()
    oficio = step.locator('li[data-slot="Oficio de la Subdirección de Planificación"]')
    expect(oficio.locator("details")).to_have_attribute("open", "")
    expect(oficio.get_by_label("Texto")).to_have_value(BODY)
    expect(oficio.get_by_label("Cargo del destinatario")).to_have_value("Jefe del Departamento de Planes y Programas")
