"""The case screens through HTTP: start, inbox, step actions, role refusals, documents, register, indicators,
manual PDF — with Spanish messages and no 500 on bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from planea.documents.models import Document
from planea.org.models import Person, RoleAssignment
from planea.procedures import cases, manual_pdf, versions
from planea.procedures.bpmn import build
from planea.procedures.drive import PDF, ready, step_through, supply_documents
from planea.procedures.manual import P3
from planea.procedures.models import Case, CaseStatus, TaskStatus

pytestmark = pytest.mark.django_db


def start_p1(client):
    response = client.post("/procedimientos/11.01.U0.P1/iniciar/", {"title": "PEI 2027-2031", "subject": "Versión 2"})
    assert response.status_code == 302
    return Case.objects.get(title="PEI 2027-2031")


def test_start_case_then_upload_and_complete_step_1(client_as, demo):
    sub = client_as("subdirector_planificacion")
    case = start_p1(sub)
    task = ready(case)[0]
    assert task.assignee == demo["subdirector_planificacion"]
    page = sub.get(f"/expedientes/{case.pk}/").content.decode()
    assert "Oficio Dirección General" in page and 'data-testid="missing-document"' in page
    response = sub.post(f"/pasos/{task.pk}/completar/", {}, follow=True)
    assert "Falta el documento de soporte: «Oficio Dirección General»" in response.content.decode()
    upload = SimpleUploadedFile("oficio DG.pdf", PDF, content_type="application/pdf")
    response = sub.post(
        f"/pasos/{task.pk}/documento/", {"s0-slot": "Oficio Dirección General", "s0-file": upload}, follow=True
    )
    assert "Documento «oficio DG.pdf» agregado." in response.content.decode()
    response = sub.post(f"/pasos/{task.pk}/completar/", {f"c{task.pk}-comment": "Recibido"})
    assert response.status_code == 302 and "completado=1" in response["Location"]
    assert [t.number for t in ready(case)] == ["2"]
    document = Document.objects.get(original_name="oficio DG.pdf")
    download = sub.get(f"/expedientes/{case.pk}/documentos/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_bad_uploads_are_refused_with_a_message(client_as, demo):
    sub = client_as("subdirector_planificacion")
    case = start_p1(sub)
    task = ready(case)[0]
    for name, content, message in [
        ("virus.exe", b"MZ....", "no es de un tipo permitido"),
        ("falso.pdf", b"hola", "no es un .pdf válido"),
        ("vacio.pdf", b"", "El archivo enviado está vacío."),
    ]:
        upload = SimpleUploadedFile(name, content)
        response = sub.post(
            f"/pasos/{task.pk}/documento/", {"s0-slot": "Oficio Dirección General", "s0-file": upload}, follow=True
        )
        assert response.status_code == 400  # the case page again, the refusal next to the file
        html = response.content.decode()
        assert message in html.split('id="id_s0-file_errors"')[1].split("</div></div>")[0], name
    assert not task.attachments.exists()


def test_issue_an_oficio_with_its_correlative(client_as, demo):
    sub = client_as("subdirector_planificacion")
    case = start_p1(sub)
    step_through(case, until="2")
    task = ready(case)[0]
    data = {
        "o0-slot": "Oficio de la Subdirección de Planificación",
        "o0-addressee": "Lic. Marco Antonio Pérez Ajú",
        "o0-addressee_position": "Jefe del Departamento de Planes y Programas",
        "o0-subject": "Traslado de lineamientos del PEI",
        "o0-body": "Le traslado los lineamientos de SEGEPLAN.\n\nAtentamente.",
    }
    response = sub.post(f"/pasos/{task.pk}/oficio/", data, follow=True)
    document = task.attachments.get().document
    assert document.number == f"SP-0001-{document.created_at.year}"
    assert f"Se emitió el oficio {document.number}." in response.content.decode()
    assert document.file.read().startswith(b"%PDF")
    response = sub.post(f"/pasos/{task.pk}/oficio/", {**data, "o0-subject": ""})
    assert response.status_code == 400  # the case page again, with what was typed and the error next to the field
    html = response.content.decode()
    assert 'id="id_o0-subject_errors" data-scroll-into-view><div>Este campo es obligatorio.</div>' in html
    assert 'value="Lic. Marco Antonio Pérez Ajú"' in html and "Le traslado los lineamientos de SEGEPLAN." in html


def test_profesional_cannot_complete_a_subdirector_step(client_as, demo):
    case = start_p1(client_as("subdirector_planificacion"))
    task = ready(case)[0]
    prof = client_as("profesional_planes_programas")
    page = prof.get(f"/expedientes/{case.pk}/").content.decode()
    assert 'data-testid="not-your-step"' in page and 'data-testid="complete-form"' not in page
    response = prof.post(f"/pasos/{task.pk}/completar/", {})
    assert response.status_code == 400 and 'data-testid="step-refusal"' in response.content.decode()
    assert (
        "Este paso corresponde al rol «Subdirector(a) de Planificación»; usted no lo tiene."
        in response.content.decode()
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.READY
    assert client_as("auditoria_interna").post(f"/pasos/{task.pk}/completar/", {}).status_code == 403


def test_inbox_shows_ready_steps_by_role_with_timeliness(client_as, demo):
    case = cases.start_case(
        code="11.01.U0.P6", title="Ejecución octubre", subject="Octubre 2026", actor=demo["jefe_planes_programas"]
    )
    step_through(case, until="2")
    page = client_as("profesional_planes_programas").get("/").content.decode()
    assert 'data-testid="inbox-available"' in page and case.number in page and "A tiempo" in page
    assert case.number not in client_as("subdirector_planificacion").get("/").content.decode()
    task = ready(case)[0]
    task.due_date = task.due_date.replace(year=task.due_date.year - 1)
    task.save(update_fields=["due_date"])
    assert "Vencido" in client_as("profesional_planes_programas").get("/").content.decode()


def test_inbox_row_escapes_text_links_the_step_and_names_who_took_it(client_as, demo):
    title = '<script>alert("x")</script> ' + "Ejecución " * 10
    case = cases.start_case(
        code="11.01.U0.P6", title=title, subject="Octubre 2026", actor=demo["jefe_planes_programas"]
    )
    step_through(case, until="2")
    task = ready(case)[0]
    task.name = "Revisar " + "el informe " * 10
    task.assignee = demo["profesional_planes_programas"]
    task.save(update_fields=["name", "assignee"])
    page = client_as("profesional_planes_programas").get("/").content.decode()
    mine = page[page.index('data-testid="inbox-mine"') :]
    assert f'href="/expedientes/{case.pk}/#paso-{task.pk}"' in mine
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in mine
    assert f"{task.number} · {task.name[:69]}…" in mine and task.name not in mine
    assert task.due_date.strftime("%d/%m/%Y") in mine
    colleague = Person.objects.create(username="colega", first_name="Ana", last_name="Colega")
    held = demo["profesional_planes_programas"].role_assignments.get(role=task.role)
    RoleAssignment.objects.create(person=colleague, role=task.role, org_unit=held.org_unit)
    client = Client()
    client.force_login(colleague)
    other = client.get("/").content.decode()
    taken = other[other.index('data-testid="inbox-others"') :]
    assert case.number in taken and f"lo tiene {demo['profesional_planes_programas']}" in taken


def test_a_decision_that_sends_back_takes_observations_and_the_return_step_in_one_form(client_as, demo):
    sub = client_as("subdirector_planificacion")
    case = start_p1(sub)
    step_through(case, until="9")
    task = ready(case)[0]
    url, p = f"/pasos/{task.pk}/completar/", f"c{task.pk}-"
    page = sub.get(f"/expedientes/{case.pk}/").content.decode()
    assert 'data-testid="return-step"' in page and "¿A qué paso se devuelve?" in page
    assert "Marco estratégico (paso 6)" in page and 'data-testid="slot-when"' in page  # 9.1's document, here
    response = sub.post(url, {})
    assert response.status_code == 400 and "Elija el resultado de la decisión." in response.content.decode()

    html = sub.post(url, {p + "decision": "9.1", p + "comment": "Revisado"}).content.decode()
    assert "Escriba las observaciones" in html.split(f'id="id_{p}observations_errors"')[1]
    assert "Elija el paso al que se devuelve" in html.split(f'id="id_{p}return_to_errors"')[1]
    assert ">\nRevisado</textarea>" in html and ready(case)[0].pk == task.pk
    data = {p + "decision": "9.1", p + "return_to": "6", p + "observations": "Ajustar la visión"}
    html = sub.post(url, data).content.decode()
    assert "Falta el documento de soporte: «Documento»" in html and ready(case)[0].pk == task.pk
    sub.post(f"/pasos/{task.pk}/documento/", {"s0-slot": "Documento", "s0-file": SimpleUploadedFile("obs.pdf", PDF)})
    response = sub.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("?completado=9")
    returned = case.tasks.get(number="9.1")
    assert returned.decision == "6" and returned.observations == "Ajustar la visión"
    assert [a.slot for a in returned.attachments.all()] == ["Documento"]
    assert [t.number for t in ready(case)] == ["6"]
    page = sub.get(f"/expedientes/{case.pk}/").content.decode()
    assert "Ajustar la visión" in page and "Del paso 9.1 al paso 6" in page and 'data-testid="return-loops"' in page


@pytest.mark.parametrize(
    ("code", "number", "branch", "back", "to"),
    [
        ("11.01.U0.P1", "10", "10.2", "10.2", "7"),
        ("11.01.U0.P2", "10", "10.2", "10.2", "9"),
        ("11.01.U0.P3", "6", "6.2", "6.2", "5"),
    ],
)
def test_every_decision_through_a_return_step_is_one_form(client_as, demo, code, number, branch, back, to):
    sub = client_as("subdirector_planificacion")
    case = cases.start_case(code=code, title="Revisión", subject="2027", actor=demo["subdirector_planificacion"])
    step_through(case, until=number, issue_oficios=True)
    task = ready(case)[0]
    supply_documents(task, demo["subdirector_planificacion"], decision=branch)
    url, p = f"/pasos/{task.pk}/completar/", f"c{task.pk}-"
    html = sub.post(url, {p + "decision": branch}).content.decode()
    assert "Escriba las observaciones" in html.split(f'id="id_{p}observations_errors"')[1]
    fixed = not case.definition.step(back)["branches"]
    assert (f"el documento se devuelve al paso {to}:" in html) == fixed
    data = {p + "decision": branch, p + "observations": "Corregir"} | ({} if fixed else {p + "return_to": to})
    assert sub.post(url, data).status_code == 302
    assert [t.number for t in ready(case)] == [to]
    assert case.tasks.get(number=back).observations == "Corregir"


def test_claim_and_assign_through_the_screen(client_as, demo):
    case = cases.start_case(
        code="11.01.U0.P6", title="Ejecución", subject="Octubre", actor=demo["jefe_planes_programas"]
    )
    step_through(case, until="2")
    task = ready(case)[0]
    client_as("profesional_planes_programas").post(f"/pasos/{task.pk}/tomar/")
    task.refresh_from_db()
    assert task.assignee == demo["profesional_planes_programas"]
    jefe = client_as("jefe_planes_programas")
    response = jefe.post(f"/pasos/{task.pk}/asignar/", {f"a{task.pk}-person": demo["estadistica"].pk}, follow=True)
    assert "Elija a una persona con el rol del paso." in response.content.decode()
    assert client_as("profesional_planes_programas").post(f"/pasos/{task.pk}/asignar/", {}).status_code == 403


def test_register_detail_indicators_and_manual_pdf(client_as, demo):
    case = cases.start_case(
        code="11.01.U0.P6", title="Ejecución", subject="Septiembre", actor=demo["jefe_planes_programas"]
    )
    step_through(case)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.COMPLETED
    jefe = client_as("jefe_planes_programas")
    register = jefe.get("/procedimientos/").content.decode()
    for n in range(1, 7):
        assert f"11.01.U0.P{n}" in register
    detail = jefe.get("/procedimientos/11.01.U0.P1/").content.decode()
    assert "Contar con un Plan Estratégico Institucional" in detail and "Marco Lógico" in detail
    indicators = jefe.get("/indicadores/").content.decode()
    assert "Reportes generados" in indicators and "Plan aprobado" in indicators
    assert "Generar el manual" in jefe.get("/procedimientos/manual.pdf").content.decode()  # test_manual_pdf.py
    xml = jefe.get(f"/procedimientos/definiciones/{case.definition.pk}/bpmn/")
    assert xml.status_code == 200 and b"bpmn:definitions" in xml.content
    assert jefe.get("/procedimientos/P9/").status_code == 404
    assert client_as("segeplan").get("/expedientes/").status_code == 403


def test_indicators_count_the_cases_concluded_in_the_year(demo):
    from django.utils import timezone

    from planea.procedures.indicators import indicators_for_year

    for month in ("Agosto", "Septiembre"):
        case = cases.start_case(
            code="11.01.U0.P6", title=f"Ejecución {month}", subject=month, actor=demo["jefe_planes_programas"]
        )
        step_through(case)
    cases.start_case(
        code="11.01.U0.P6", title="Ejecución octubre", subject="Octubre", actor=demo["jefe_planes_programas"]
    )
    year = timezone.localdate().year
    rows = {row["definition"].code: row for row in indicators_for_year(year)}
    assert (
        rows["11.01.U0.P6"]["value"] == 2 and rows["11.01.U0.P6"]["open"] == 1 and rows["11.01.U0.P6"]["started"] == 3
    )
    assert rows["11.01.U0.P6"]["on_time_pct"] == 100
    assert rows["11.01.U0.P1"]["value"] == 0
    assert indicators_for_year(year - 1)[5]["value"] == 0


def test_the_manual_is_rendered_once_for_what_it_is_made_of(client_as, demo, monkeypatch):
    """Rendering takes seconds (by the task worker); any staff member can ask for it: it is kept until a definition
    or the letterhead changes (an attack made each request take over a minute with long definitions)."""
    renders = []
    original = manual_pdf.render_manual

    def counted(progress=None) -> bytes:
        renders.append(1)
        return original()

    monkeypatch.setattr(manual_pdf, "render_manual", counted)
    client = client_as("enlace_area")
    first = manual_pdf.cached_manual()
    assert client.get("/procedimientos/manual.pdf").content == first and len(renders) == 1
    xml = build(P3, version=2).replace("Archiva documento.", "Archiva el documento.")
    versions.upload_version(code=P3.code, xml=xml, actor=demo["administrador"], note="Redacción")
    assert "Generar el manual" in client.get("/procedimientos/manual.pdf").content.decode()
    manual_pdf.cached_manual()
    assert len(renders) == 2


def test_an_over_long_comment_is_refused_by_name(client_as, demo):
    sub = client_as("subdirector_planificacion")
    case = start_p1(sub)
    step_through(case, until="9")
    task = ready(case)[0]
    response = sub.post(
        f"/pasos/{task.pk}/completar/", {f"c{task.pk}-decision": "9.1", f"c{task.pk}-comment": "x" * 5001}
    )
    errors = response.content.decode().split(f'id="id_c{task.pk}-comment_errors"')[1]
    assert response.status_code == 400 and "Escriba como máximo 5000 caracteres (tiene 5001)" in errors
    assert ready(case)[0].pk == task.pk  # the step stays pending


def test_observations_of_invisible_characters_do_not_send_a_document_back(client_as, demo):
    sub = client_as("subdirector_planificacion")
    case = start_p1(sub)
    step_through(case, until="9")
    task = ready(case)[0]
    supply_documents(task, Person.objects.get(username="subdirector_planificacion"), decision="9.1")
    p = f"c{task.pk}-"
    response = sub.post(
        f"/pasos/{task.pk}/completar/",
        {p + "decision": "9.1", p + "return_to": "6", p + "observations": "\u200b \u2060"},  # 9 → 9.1 → 6
    )
    assert response.status_code == 400 and "Escriba las observaciones" in response.content.decode()
    assert ready(case)[0].pk == task.pk


def test_a_document_id_past_the_largest_is_not_found(client_as, demo):
    sub = client_as("subdirector_planificacion")
    case = start_p1(sub)
    assert sub.get(f"/expedientes/{case.pk}/documentos/99999999999999999999/").status_code == 404


def test_the_step_form_limits_what_it_takes(client_as, demo):
    sub = client_as("subdirector_planificacion")
    case = start_p1(sub)
    step_through(case, until="9")
    page = sub.get(f"/expedientes/{case.pk}/").content.decode()
    assert page.count('maxlength="5000"') == 2  # observations and comment
