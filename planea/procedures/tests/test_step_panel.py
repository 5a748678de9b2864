"""The panel of a pending step on the case page: its forms (take, release, assign, attach, issue an oficio) answer
HTMX with the panel alone, read again, with the message; without JavaScript the same forms post and redirect."""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planea.org.models import Person
from planea.procedures import cases
from planea.procedures.bpmn_reader import DefinitionError, read, validate
from planea.procedures.definitions import definition_path
from planea.procedures.drive import PDF, ready, step_through
from planea.procedures.manual import P6
from planea.procedures.models import CaseTask

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def step_2_of_p6(demo: dict[str, Person]) -> CaseTask:
    """Step 2 of a new P6 case: pending, taken by nobody, for the planning professional."""
    case = cases.start_case(code=P6.code, title="Ejecución", subject="Octubre", actor=demo["jefe_planes_programas"])
    step_through(case, until="2")
    task = ready(case)[0]
    assert task.number == "2" and task.assignee is None
    return task


def answer_of(response: Any, task: CaseTask, status: int = 200) -> tuple[str, str]:
    """The step's panel and the case's history of an answer that is those two parts of the page and nothing else
    (the history swapped out of band, where the page has it)."""
    assert response.status_code == status
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html and "Historial del expediente" not in html
    panel, start, history = html.partition('<ol id="historial"')
    assert start and history.startswith(' class="list-group mb-4" data-testid="timeline" hx-swap-oob="true">')
    panel = panel.strip()
    assert panel.startswith(f'<section class="card mb-3 border-primary" id="paso-{task.pk}"')
    assert panel.endswith("</section>") and history.strip().endswith("</ol>")
    return panel, history


def panel_of(response: Any, task: CaseTask, status: int = 200) -> str:
    """The step's panel of an answer to HTMX."""
    return answer_of(response, task, status)[0]


def test_taking_and_releasing_a_step_answer_the_panel_to_htmx(client_as, demo):
    task = step_2_of_p6(demo)
    professional = client_as("profesional_planes_programas")
    html = panel_of(professional.post(f"/pasos/{task.pk}/tomar/", **HX), task)
    assert "Tomó el paso 2." in html and "Liberar" in html and "Tomar el paso" not in html
    task.refresh_from_db()
    assert task.assignee == demo["profesional_planes_programas"]
    html = panel_of(professional.post(f"/pasos/{task.pk}/liberar/", **HX), task)
    assert "El paso 2 quedó disponible para su rol." in html and "Tomar el paso" in html
    # the message was shown in the panel: the next page does not show it again
    assert "quedó disponible" not in professional.get(f"/expedientes/{task.case_id}/").content.decode()


def test_assigning_a_step_answers_the_panel_to_htmx(client_as, demo):
    task = step_2_of_p6(demo)
    person = demo["profesional_planes_programas"]
    response = client_as("jefe_planes_programas").post(
        f"/pasos/{task.pk}/asignar/", {f"a{task.pk}-person": person.pk}, **HX
    )
    assert f"Paso 2 asignado a {person}." in panel_of(response, task)


def test_attaching_a_document_answers_the_panel_with_it(client_as, demo):
    task = step_2_of_p6(demo)
    professional = client_as("profesional_planes_programas")
    upload = SimpleUploadedFile("avance.pdf", PDF, content_type="application/pdf")
    response = professional.post(f"/pasos/{task.pk}/documento/", {"s0-slot": "Documento", "s0-file": upload}, **HX)
    html = panel_of(response, task)
    assert "Documento «avance.pdf» agregado." in html and "avance.pdf</a>" in html
    assert 'data-testid="missing-document"' not in html


def test_a_refusal_is_shown_in_the_panel(client_as, demo):
    task = step_2_of_p6(demo)
    upload = SimpleUploadedFile("virus.exe", b"MZ....")
    response = client_as("profesional_planes_programas").post(
        f"/pasos/{task.pk}/documento/", {"s0-slot": "Documento", "s0-file": upload}, **HX
    )
    html = panel_of(response, task, 400)
    assert response["Planea-Refused-Form"] == "1"  # planea.js swaps it in, as an answer that succeeded
    assert "no es de un tipo permitido" in html.split('id="id_s0-file_errors"')[1]
    assert not task.attachments.exists()


def test_a_step_no_longer_pending_sends_htmx_to_the_whole_case_page(client_as, demo):
    task = step_2_of_p6(demo)
    step_through(task.case, until="3")  # someone else completed step 2 meanwhile
    response = client_as("profesional_planes_programas").post(f"/pasos/{task.pk}/tomar/", **HX)
    assert response["HX-Redirect"] == f"/expedientes/{task.case_id}/"


def test_without_htmx_the_same_forms_post_and_redirect(client_as, demo):
    task = step_2_of_p6(demo)
    professional = client_as("profesional_planes_programas")
    page = professional.get(f"/expedientes/{task.case_id}/").content.decode()
    for action in ("tomar", "documento", "completar"):
        url = f"/pasos/{task.pk}/{action}/"
        (form,) = re.findall(rf'<form [^>]*action="{url}"[^>]*>', page)
        assert 'method="post"' in form and f'hx-post="{url}"' in form
        assert f'hx-target="#paso-{task.pk}"' in form and 'hx-swap="outerHTML"' in form
    response = professional.post(f"/pasos/{task.pk}/tomar/")
    assert response.status_code == 302 and response["Location"] == f"/expedientes/{task.case_id}/#paso-{task.pk}"
    assert "Tomó el paso 2." in professional.get(response["Location"]).content.decode()


def test_the_history_below_the_panel_follows_what_the_panel_did(client_as, demo):
    task = step_2_of_p6(demo)
    person = demo["profesional_planes_programas"]
    _panel, history = answer_of(client_as("profesional_planes_programas").post(f"/pasos/{task.pk}/tomar/", **HX), task)
    assert f"Asignado a {person}" in history
    _panel, history = answer_of(
        client_as("profesional_planes_programas").post(f"/pasos/{task.pk}/liberar/", **HX), task
    )
    assert "Asignado a" not in history


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_document_slots_are_labelled_without_the_manuals_period_or_a_repeated_type(client_as, demo):
    p1 = cases.start_case(code="11.01.U0.P1", title="PEI", subject="v2", actor=demo["subdirector_planificacion"])
    step_through(p1, until="8")
    text = visible_text(client_as("jefe_planes_programas").get(f"/expedientes/{p1.pk}/").content.decode())
    assert "Documento · lo produce este paso" in text and "Documento · Documento" not in text
    p4 = cases.start_case(code="11.01.U0.P4", title="Taller", subject="2027", actor=demo["subdirector_planificacion"])
    step_through(p4, until="6")
    html = client_as("jefe_planes_programas").get(f"/expedientes/{p4.pk}/").content.decode()
    assert ">Formato para entrega de información</strong>" in html and "información.</strong>" not in html
    assert 'data-slot="formato para entrega de información."' in html  # the slot itself keeps the manual's name


def test_a_definition_names_the_offices_an_oficio_goes_to_and_refuses_too_many():
    xml = definition_path(P6).read_text(encoding="utf-8")
    (document,) = read(xml.encode()).steps[8]["documents"]
    assert document["copies"] == ["Dirección General", "Subdirección Financiera", "Auditoría Interna"]
    many = "|".join(f"Oficina {n}" for n in range(11))
    with pytest.raises(DefinitionError, match="«Oficio» va con 14 copias; el máximo es 10"):
        validate(xml.replace('copies="Dirección General', f'copies="{many}|Dirección General').encode())


def test_an_oficio_goes_with_its_closing_and_a_copy_to_each_office(client_as, demo):
    case = cases.start_case(code=P6.code, title="Ejecución", subject="Octubre", actor=demo["jefe_planes_programas"])
    step_through(case, until="9")
    task = ready(case)[0]
    jefe = client_as("jefe_planes_programas")
    form = jefe.get(f"/expedientes/{case.pk}/").content.decode()
    assert 'name="o0-closing"' in form and ">\nAtentamente,</textarea>" in form and 'name="o0-copies"' in form
    # the manual's step 9 goes to three offices: the form already names them
    assert ">\nDirección General\nSubdirección Financiera\nAuditoría Interna</textarea>" in form
    data = {
        "o0-slot": "Oficio",
        "o0-addressee": "Lic. Carlos Morales",
        "o0-addressee_position": "Director General",
        "o0-subject": "Comprobantes de ejecución de octubre",
        "o0-body": "Se trasladan los comprobantes de ejecución.",
        "o0-closing": "Atentamente,",
        "o0-copies": "Dirección General\r\nSubdirección Financiera\r\n\r\nAuditoría Interna\r\n",
    }
    assert jefe.post(f"/pasos/{task.pk}/oficio/", data).status_code == 302
    details = task.attachments.get().document.details
    assert details["copies"] == ["Dirección General", "Subdirección Financiera", "Auditoría Interna"]
    assert details["closing"] == "Atentamente,"
    response = jefe.post(
        f"/pasos/{task.pk}/oficio/", {**data, "o0-copies": "\n".join(f"Oficina {n}" for n in range(11))}
    )
    assert response.status_code == 400 and "a lo sumo 10 copias" in response.content.decode()


def test_a_step_completed_meanwhile_says_why_nothing_was_done_without_javascript(client_as, demo):
    task = step_2_of_p6(demo)
    professional = client_as("profesional_planes_programas")
    step_through(task.case, until="3")  # someone else completed step 2 meanwhile
    response = professional.post(f"/pasos/{task.pk}/completar/", {f"c{task.pk}-comment": "Listo"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "El paso 2 ya fue completado por" in html and 'data-step="3"' in html


def p6_oficio_step(demo):
    """Step 9 of a P6 case, where the notification oficio is issued."""
    case = cases.start_case(code=P6.code, title="Ejecución", subject="Octubre", actor=demo["jefe_planes_programas"])
    step_through(case, until="9")
    return ready(case)[0]


def oficio_data(**fields):
    """The fields of step 9's oficio form, `fields` in place of the usual ones."""
    usual = {
        "slot": "Oficio",
        "addressee": "Lic. Carlos Morales",
        "addressee_position": "Director General",
        "subject": "Comprobantes de ejecución de octubre",
        "body": "Se trasladan los comprobantes de ejecución.",
        "closing": "Atentamente,",
    }
    return {f"o0-{name}": value for name, value in {**usual, **fields}.items()}


def test_control_characters_pasted_into_an_oficio_never_reach_its_pdf(client_as, demo):
    """A word processor's line break (vertical tab) and page break become new lines, stray escapes are dropped: the
    PDF prints no empty boxes and its text reads back (before, the whole regular-font text was lost)."""
    from tests.pdf_layout import assert_fits_page

    task = p6_oficio_step(demo)
    data = oficio_data(
        addressee="Lic. Carlos\x0bMorales",  # one line: a pasted break is a space
        subject="Comprobantes\x07 de octubre\x1b",
        body="Se trasladan\x0blos comprobantes.\x0cSegunda página\u2028del texto.\n\n\uf0b7\tPrimer comprobante\ue000",
        closing="Atentamente,\x7f",
        copies="Auditoría Interna",
    )
    assert client_as("jefe_planes_programas").post(f"/pasos/{task.pk}/oficio/", data).status_code == 302
    document = task.attachments.get().document
    assert document.details["closing"] == "Atentamente,"
    text = "\n".join(page.text for page in assert_fits_page(document.file.read()))
    for words in ("Lic. Carlos Morales", "Comprobantes de octubre", "Se trasladan", "los comprobantes.", "del texto."):
        assert words in text, words
    assert "• Primer comprobante" in text.replace("\t", " ")  # a bullet pasted from Word (U+F0B7) prints as one


def test_a_field_too_long_says_its_limit_in_planeas_words(client_as, demo):
    task = p6_oficio_step(demo)
    data = oficio_data(closing="A" * 301)
    response = client_as("jefe_planes_programas").post(f"/pasos/{task.pk}/oficio/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "Escriba como máximo 300 caracteres (tiene 301)." in page
    assert "Asegúrese" not in page  # Django's own wording said «menos de 300», though 300 are allowed
