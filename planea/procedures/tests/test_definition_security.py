"""No definition can run code: uploads holding Python in a condition, scripts, services, call activities, timers,
messages, loops, vendor extensions or a DOCTYPE are refused with the element named; and a definition already in the
database with such content (stored before these checks existed) runs nothing either, because every workflow uses
Planea's routing engine. An engine failure leaves the step as it was and answers in Spanish, never a 500."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.procedures import cases, errors, versions
from planea.procedures.bpmn import build
from planea.procedures.bpmn_reader import DefinitionError, validate
from planea.procedures.drive import ready, step_through
from planea.procedures.manual import P3
from planea.procedures.models import Case, Definition, TaskStatus
from planea.procedures.routing import ENGINE, condition_value

pytestmark = pytest.mark.django_db

DEFAULT_63 = 'decision == "6.2"'


def payload(marker: Path) -> str:
    return f"__import__('builtins').open(r'{marker}', 'w').write('x') >= 0 or decision == \"6.2\""


def with_condition(condition: str) -> str:
    return build(P3, version=2).replace(DEFAULT_63, condition.replace('"', "&quot;"))


def replace_task(xml: str, number: str, element: str, inner: str = "") -> str:
    """Turn the user task of step `number` into another element (keeping id, name and flows)."""
    task_id = "paso_" + number.replace(".", "_")
    start = xml.index(f'<bpmn:userTask id="{task_id}"')
    end = xml.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    original = xml[start:end]
    flows = "".join(re.findall(r"<bpmn:(?:incoming|outgoing)>[^<]*</bpmn:(?:incoming|outgoing)>", original))
    name = original.split('name="', 1)[1].split('"', 1)[0]
    return xml.replace(original, f'<bpmn:{element} id="{task_id}" name="{name}">{inner}{flows}</bpmn:{element}>')


def test_python_in_a_condition_is_refused_at_upload(demo, tmp_path):
    marker = tmp_path / "salida.txt"
    before = AuditEvent.objects.count()
    with pytest.raises(DefinitionError) as caught:
        versions.upload_version(
            code=P3.code, xml=with_condition(payload(marker)), actor=demo["administrador"], note="Revisión"
        )
    assert "no es válida: Planea solo acepta decision ==" in caught.value.problems[0]
    assert not marker.exists()
    assert Definition.objects.filter(code=P3.code).count() == 1
    assert AuditEvent.objects.count() == before


REFUSED = {
    "script task": ("scriptTask", "<bpmn:script>open('x','w')</bpmn:script>", "tarea de script"),
    "service task": ("serviceTask", "", "tarea de servicio"),
    "send task": ("sendTask", "", "tarea de envío"),
    "receive task": ("receiveTask", "", "tarea de recepción"),
    "business rule task": ("businessRuleTask", "", "tarea de reglas de negocio"),
    "call activity": ("callActivity", "", "actividad de llamada"),
    "multi-instance": (
        "userTask",
        '<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>__import__("os")</bpmn:loopCardinality>'
        "</bpmn:multiInstanceLoopCharacteristics>",
        "instancias múltiples",
    ),
    "vendor extension": (
        "userTask",
        '<bpmn:extensionElements><spiffworkflow:preScript xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/'
        'schema/1.0/core">import os</spiffworkflow:preScript></bpmn:extensionElements>',
        "La extensión «preScript»",
    ),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_elements_planea_does_not_drive_are_refused(kind):
    element, inner, message = REFUSED[kind]
    with pytest.raises(DefinitionError) as caught:
        validate(replace_task(build(P3, version=2), "4", element, inner).encode())
    assert message in "\n".join(caught.value.problems)


EVENTS = {
    "timer": '<bpmn:timerEventDefinition><bpmn:timeDuration>"PT1S"</bpmn:timeDuration></bpmn:timerEventDefinition>',
    "message": "<bpmn:messageEventDefinition />",
    "signal": "<bpmn:signalEventDefinition />",
    "conditional": "<bpmn:conditionalEventDefinition><bpmn:condition>1</bpmn:condition>"
    "</bpmn:conditionalEventDefinition>",
}


@pytest.mark.parametrize("kind", EVENTS)
def test_start_events_with_definitions_are_refused(kind):
    xml = build(P3, version=2).replace(
        '<bpmn:startEvent id="inicio" name="Inicio del procedimiento">',
        f'<bpmn:startEvent id="inicio" name="Inicio del procedimiento">{EVENTS[kind]}',
    )
    with pytest.raises(DefinitionError, match="Planea no lo ejecuta"):
        validate(xml.encode())


def test_a_condition_on_another_variable_and_a_doctype_are_refused():
    with pytest.raises(DefinitionError, match="no es válida"):
        validate(with_condition('otra == "6.2"').encode())
    doctype = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    xml = build(P3, version=2).replace("\n", "\n" + doctype, 1).replace("Archiva documento.", "&x;")
    with pytest.raises(DefinitionError, match="DOCTYPE"):
        validate(xml.encode())


def test_the_routing_engine_compares_and_runs_nothing():
    assert condition_value('decision == "9.1"') == "9.1"
    assert condition_value("decision=='end'") == "end"
    assert condition_value('decision == "9.1" or True') is None
    assert condition_value("__import__('os')") is None
    environment = ENGINE.environment
    assert environment.evaluate('decision == "6.1"', {"decision": "6.1"}) is True
    assert environment.evaluate('decision == "6.1"', {"decision": "6.2"}) is False
    with pytest.raises(ValueError):
        environment.evaluate("__import__('os').getpid()", {})
    with pytest.raises(ValueError):
        environment.execute("x = 1", {})


def stored_version(xml: str) -> Definition:
    """A version saved straight into the database, as one uploaded before these checks existed would be."""
    v1 = Definition.objects.get(code=P3.code, version=1)
    return Definition.objects.create(
        code=v1.code,
        version=2,
        name=v1.name,
        process_id=v1.process_id,
        bpmn_xml=xml,
        sha256=hashlib.sha256(xml.encode()).hexdigest(),
        steps=v1.steps,
        header=v1.header,
    )


def test_a_stored_definition_with_python_in_a_condition_runs_nothing(demo, tmp_path, client_as):
    marker = tmp_path / "salida.txt"
    stored_version(with_condition(payload(marker)))
    case = cases.start_case(code=P3.code, title="Informe", subject="2027", actor=demo["subdirector_planificacion"])
    step_through(case, until="6", issue_oficios=True)
    task = ready(case)[0]
    assert task.number == "6"
    client = client_as("subdirector_planificacion")
    revision = Case.objects.get(pk=case.pk).revision
    response = client.post(f"/pasos/{task.pk}/completar/", {f"c{task.pk}-decision": "6.1"})
    assert response.status_code == 400  # the case page again, the reason on top of the step's form
    assert "El motor de procedimientos no pudo avanzar" in response.content.decode()
    assert not marker.exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.READY
    assert Case.objects.get(pk=case.pk).revision == revision
    assert verify_chain().ok


def test_a_stored_definition_with_a_script_task_runs_nothing(demo, tmp_path):
    marker = tmp_path / "script.txt"
    script = f"<bpmn:script>open(r'{marker}', 'w').write('x')</bpmn:script>"
    stored_version(replace_task(build(P3, version=2), "2", "scriptTask", script))
    case = cases.start_case(code=P3.code, title="Informe", subject="2027", actor=demo["subdirector_planificacion"])
    first = ready(case)[0]
    with pytest.raises(errors.ProcedureError, match="el paso quedó como estaba"):
        step_through(case, until="2")
    assert not marker.exists()
    first.refresh_from_db()
    assert first.status == TaskStatus.READY


def test_an_upload_through_the_page_names_the_refused_element(client_as, demo):
    xml = replace_task(build(P3, version=2), "4", "scriptTask", "<bpmn:script>1</bpmn:script>")
    upload = SimpleUploadedFile("P3.bpmn", xml.encode(), content_type="application/xml")
    response = client_as("administrador").post(f"/procedimientos/{P3.code}/version/", {"file": upload, "note": "x"})
    assert response.status_code == 400
    assert "tarea de script" in response.content.decode()
    assert Definition.objects.filter(code=P3.code).count() == 1


def test_the_refusals_follow_the_chosen_language(client_as, settings):
    xml = replace_task(build(P3, version=2), "4", "scriptTask", "<bpmn:script>1</bpmn:script>")
    client = client_as("administrador")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = SimpleUploadedFile("P3.bpmn", xml.encode(), content_type="application/xml")
    page = client.post(f"/procedimientos/{P3.code}/version/", {"file": upload, "note": "x"}).content.decode()
    assert "(script task)" in page and "cannot be used: Planea does not run it" in page


HIDDEN = {
    "a task inside extension elements": (
        'name="4. Elabora',
        '<bpmn:extensionElements><bpmn:userTask id="oculto" name="0. Oculto"/></bpmn:extensionElements>',
    ),
    "a flow inside extension elements": (
        'name="4. Elabora',
        '<bpmn:extensionElements><bpmn:sequenceFlow id="atajo" sourceRef="decision_6" targetRef="fin">'
        '<bpmn:conditionExpression>decision == "6.1"</bpmn:conditionExpression></bpmn:sequenceFlow>'
        "</bpmn:extensionElements>",
    ),
    "a diagram flow inside the process": (
        None,
        '<bpmndi:sequenceFlow id="atajo" sourceRef="decision_6" targetRef="fin"/>',
    ),
}


@pytest.mark.parametrize("case", HIDDEN)
def test_elements_hidden_where_they_do_not_belong_are_refused(case):
    """SpiffWorkflow reads an element wherever it stands; Planea refuses one that is out of its place."""
    anchor, hidden = HIDDEN[case]
    xml = build(P3, version=2)
    if anchor is None:
        xml = xml.replace("</bpmn:process>", hidden + "</bpmn:process>")
    else:
        task_end = xml.index(">", xml.index(anchor)) + 1
        xml = xml[:task_end] + hidden + xml[task_end:]
    with pytest.raises(DefinitionError, match="no se puede usar: Planea no lo ejecuta"):
        validate(xml.encode())


def test_two_answers_of_one_decision_cannot_lead_to_the_same_place():
    # The default answer of step 6 is "6.1" (its target): a condition comparing with "6.1" would shadow it.
    with pytest.raises(DefinitionError, match="Dos salidas de la decisión del paso 6 responden al mismo valor «6.1»"):
        validate(with_condition('decision == "6.1"').encode())


def test_a_definition_in_utf16_without_its_mark_is_refused(client_as):
    xml = build(P3, version=2).replace("\n", '\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', 1)
    upload = SimpleUploadedFile("P3.bpmn", xml.encode("utf-16-le"), content_type="application/xml")
    response = client_as("administrador").post(f"/procedimientos/{P3.code}/version/", {"file": upload, "note": "x"})
    assert response.status_code == 400 and "no está en UTF-8" in response.content.decode()
    with pytest.raises(DefinitionError, match="UTF-8"):
        validate(xml.encode("utf-16-le"))
    assert Definition.objects.filter(code=P3.code).count() == 1


def test_the_stored_xml_is_served_under_a_sandbox(client_as):
    v1 = Definition.objects.get(code=P3.code, version=1)
    response = client_as("jefe_planes_programas").get(f"/procedimientos/definiciones/{v1.pk}/bpmn/")
    assert response.status_code == 200 and response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_case_stops_before_the_engine_loses_sight_of_its_steps(demo, monkeypatch):
    monkeypatch.setattr(cases, "MAX_STEPS_PER_CASE", 7)
    case = cases.start_case(code=P3.code, title="Informe", subject="2027", actor=demo["subdirector_planificacion"])
    with pytest.raises(errors.ProcedureError, match="ya lleva 7 pasos completados"):
        step_through(case, {"6": ["6.2", "6.2", "6.2"]}, issue_oficios=True)
    assert case.tasks.filter(status=TaskStatus.COMPLETED).count() == 7


LONG = {
    "process id": (
        lambda xml: xml.replace('id="Process_P3"', 'id="Process_' + "x" * 150 + '"'),
        "identificador del proceso",
    ),
    "step number": (lambda xml: xml.replace('name="7. Archiva', 'name="7.1.2.3.4.5. Archiva'), "número de paso"),
    "document name": (
        lambda xml: xml.replace(
            '<planea:document name="Informe"', '<planea:document name="' + "Informe " * 50 + '"', 1
        ),
        "El documento",
    ),
    "answer": (lambda xml: xml.replace(DEFAULT_63, 'decision == "' + "6" * 21 + '"'), "no es válida"),
}


@pytest.mark.parametrize("case", LONG)
def test_texts_longer_than_their_columns_are_refused_at_upload(case):
    """Each would have passed validation and answered 500 later, in a running case, on PostgreSQL."""
    change, message = LONG[case]
    with pytest.raises(DefinitionError, match=message):
        validate(change(build(P3, version=2)).encode())


def test_a_decision_that_leads_to_another_decision_is_refused():
    """The step table would show the second decision's id as a step (round three of the attack)."""
    xml = build(P3, version=2).replace(
        'targetRef="paso_6_1"', 'targetRef="decision_6"', 1
    )  # the default answer of step 6 loops into its own decision
    with pytest.raises(DefinitionError, match="lleva directamente a otra decisión"):
        validate(xml.encode())


def test_the_start_leads_to_a_step():
    xml = build(P3, version=2).replace(
        'sourceRef="inicio" targetRef="paso_1"', 'sourceRef="inicio" targetRef="decision_6"'
    )
    with pytest.raises(DefinitionError, match="lleva directamente a otra decisión"):
        validate(xml.encode())


def test_a_definition_whose_stored_bpmn_no_longer_matches_its_sha256_does_not_run(demo):
    v1 = Definition.objects.get(code=P3.code, version=1)
    altered = stored_version(v1.bpmn_xml.replace("</bpmn:definitions>", "<!-- cambiado --></bpmn:definitions>"))
    Definition.objects.filter(pk=altered.pk).update(sha256=v1.sha256)  # the XML changed behind its recorded hash
    with pytest.raises(errors.ProcedureError, match="El motor de procedimientos no pudo avanzar"):
        cases.start_case(code=P3.code, title="Informe", subject="2027", actor=demo["subdirector_planificacion"])
    assert not Case.objects.exists()
