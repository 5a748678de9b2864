"""Requests a step sends to another role (P6 step 1 and P5 step 2 ask Estadística for data): sent when the step
arrives, a task in the role's inbox, answered on its page with a note and a file, audited, shown on the asking
step, and told by `is_answered`."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planea.audit.models import AuditEvent
from planea.procedures import cases, step_requests
from planea.procedures.drive import PDF, step_through
from planea.procedures.manual import P5, P6
from planea.procedures.models import StepRequest, StepRequestStatus

pytestmark = pytest.mark.django_db


def decisions(client):
    page = client.get("/").content.decode()
    marker = 'data-testid="inbox-decisions"'
    return page[page.index(marker) :] if marker in page else ""


@pytest.fixture
def p6(demo):
    jefe = demo["jefe_planes_programas"]
    return cases.start_case(code=P6.code, title="Ejecución de octubre", subject="Octubre", actor=jefe)


def test_step_1_of_p6_asks_estadistica_when_it_arrives(p6, demo):
    sent = StepRequest.objects.get(task__case=p6)
    step_1 = p6.tasks.get(number="1")
    assert (sent.task, sent.key, sent.role, sent.status) == (step_1, "statistics", "estadistica", "open")
    assert sent.due_date == step_1.due_date and "servicios prestados" in sent.asked
    event = AuditEvent.objects.get(action="step_request_sent", object_id=str(sent.pk))
    assert event.after["step"] == "1" and event.after["role"] == "estadistica"
    assert not step_requests.is_answered(p6, "1", "statistics")


def test_the_request_is_a_task_of_estadisticas_inbox_only(p6, client_as):
    sent = StepRequest.objects.get(task__case=p6)
    inbox = decisions(client_as("estadistica"))
    assert f'<a href="/solicitudes/{sent.pk}/">{p6.number}</a>' in inbox
    assert "Solicitud del paso 1" in inbox and sent.asked in inbox and sent.due_date.strftime("%d/%m/%Y") in inbox
    assert decisions(client_as("jefe_planes_programas")) == ""
    assert decisions(client_as("profesional_planes_programas")) == ""


def test_estadistica_answers_with_a_note_and_a_file(p6, client_as, demo):
    sent = StepRequest.objects.get(task__case=p6)
    client = client_as("estadistica")
    url = f"/solicitudes/{sent.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["may_answer"]
    assert 'data-testid="answer-form"' in page.content.decode()
    # a refused answer keeps the page, says why next to the field
    refused = client.post(url, {"answer": "   "})
    assert refused.status_code == 400 and "Este campo es obligatorio." in refused.content.decode()
    upload = SimpleUploadedFile("octubre.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"answer": "Cuadros de octubre por centro de costo.", "file": upload}, follow=True)
    assert "Respuesta enviada a quien la pidió." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == StepRequestStatus.ANSWERED and sent.answered_by == demo["estadistica"]
    assert sent.document.original_name == "octubre.pdf"
    assert step_requests.is_answered(p6, "1", "statistics")
    event = AuditEvent.objects.get(action="step_request_answered", object_id=str(sent.pk))
    assert event.after["answer"] == "Cuadros de octubre por centro de costo."
    download = client_as("jefe_planes_programas").get(f"{url}archivo/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert decisions(client) == ""
    # answered once
    again = client.post(url, {"answer": "Otra vez"})
    assert again.status_code == 400 and "Esta solicitud ya fue respondida." in again.content.decode()


def test_the_asking_step_shows_the_requests_state(p6, client_as):
    jefe = client_as("jefe_planes_programas")
    page = jefe.get(f"/expedientes/{p6.pk}/").content.decode()
    assert 'data-request-status="open"' in page and "Solicitud a Departamento de Estadística" in page
    sent = StepRequest.objects.get(task__case=p6)
    client_as("estadistica").post(f"/solicitudes/{sent.pk}/", {"answer": "Listo."})
    page = jefe.get(f"/expedientes/{p6.pk}/").content.decode()
    assert 'data-request-status="answered"' in page and "Respondida" in page


def test_only_who_holds_the_role_answers(p6, client_as):
    sent = StepRequest.objects.get(task__case=p6)
    client = client_as("profesional_planes_programas")
    page = client.get(f"/solicitudes/{sent.pk}/")
    assert page.status_code == 200 and not page.context["may_answer"]
    refused = client.post(f"/solicitudes/{sent.pk}/", {"answer": "Yo respondo."})
    assert refused.status_code == 400
    assert "Responde esta solicitud quien tiene el rol «Departamento de Estadística»." in refused.content.decode()
    sent.refresh_from_db()
    assert sent.is_open


def test_p5_step_2_asks_estadistica_and_the_other_steps_ask_nothing(demo):
    professional = demo["profesional_planes_programas"]
    case = cases.start_case(code=P5.code, title="Metas 2027", subject="2027", actor=professional)
    assert not StepRequest.objects.filter(task__case=case).exists()
    step_through(case, until="3")
    sent = StepRequest.objects.get(task__case=case)
    assert sent.task.number == "2" and sent.role == "estadistica" and "pronósticos" in sent.asked
    assert step_requests.asks_of(P5.code, "3") == () and step_requests.asks_of(P5.code, "99") == ()


def test_an_estadistica_inbox_costs_one_query_for_its_requests(p6, demo, django_assert_num_queries):
    person = demo["estadistica"]
    person.role_slugs()
    with django_assert_num_queries(1):
        assert len(step_requests.requests_to_answer(person)) == 1
    jefe = demo["jefe_planes_programas"]
    jefe.role_slugs()
    with django_assert_num_queries(0):
        assert step_requests.requests_to_answer(jefe) == []


def test_the_holders_of_the_role_get_an_email_with_the_page_to_answer(
    demo, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = cases.start_case(
            code=P6.code, title="Ejecución", subject="Noviembre", actor=demo["jefe_planes_programas"]
        )
    sent = StepRequest.objects.get(task__case=case)
    notices = [m for m in mailoutbox if "solicitud del paso 1" in m.subject]
    assert len(notices) == 1 and notices[0].to == [demo["estadistica"].email]
    assert f"/solicitudes/{sent.pk}/" in notices[0].body and sent.asked in notices[0].body


def test_a_request_left_unanswered_is_withdrawn_when_its_case_concludes(p6, demo, client_as):
    sent = StepRequest.objects.get(task__case=p6)
    step_through(p6, people=demo)  # the case runs to its end without Estadística's answer
    p6.refresh_from_db()
    sent.refresh_from_db()
    assert p6.status == "completed" and sent.status == StepRequestStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action="step_request_withdrawn", object_id=str(sent.pk)).count() == 1
    estadistica = client_as("estadistica")
    assert decisions(estadistica) == ""  # out of the inbox
    response = estadistica.post(f"/solicitudes/{sent.pk}/", {"answer": "Datos tardíos."})
    assert response.status_code == 400 and "la solicitud fue retirada" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == StepRequestStatus.WITHDRAWN and sent.answer == ""
    with pytest.raises(Exception, match="la solicitud fue retirada"):
        step_requests.answer(sent, actor=demo["estadistica"], note="Datos tardíos.")
    assert (
        "sin respuesta: el expediente concluyó"
        in client_as("jefe_planes_programas").get(f"/expedientes/{p6.pk}/").content.decode()
    )
