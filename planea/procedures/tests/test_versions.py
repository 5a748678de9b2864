"""Definition versions: bpmnlint on every definition, validation of revised uploads, and the upload screen."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from planea.audit.models import AuditEvent
from planea.procedures import versions
from planea.procedures.bpmn import build
from planea.procedures.bpmn_reader import DefinitionError, validate
from planea.procedures.definitions import definition_path
from planea.procedures.manual import P1, P3, PROCEDURES
from planea.procedures.models import Definition

BPMNLINT = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "bpmnlint"


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BPMNLINT), str(path)], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.key)
def test_shipped_definitions_pass_bpmnlint(procedure):
    assert BPMNLINT.exists(), "bpmnlint falta: ejecute scripts/setup --dev"
    result = lint(definition_path(procedure))
    assert result.returncode == 0, result.stdout + result.stderr


def test_bpmnlint_catches_a_broken_definition(tmp_path):
    broken = tmp_path / "roto.bpmn"
    broken.write_text(
        re.sub(r"<bpmn:incoming>flujo_inicio</bpmn:incoming>", "", build(P3))
        .replace('<bpmn:sequenceFlow id="flujo_inicio" sourceRef="inicio" targetRef="paso_1"></bpmn:sequenceFlow>', "")
        .replace("<bpmn:outgoing>flujo_inicio</bpmn:outgoing>", "")
    )
    result = lint(broken)
    assert result.returncode != 0 and "no-disconnected" in result.stdout


BROKEN = {
    "not xml": ("<bpmn:definitions", "no es XML válido"),
    "no lane": ("LANE", "no está en ningún carril"),
    "foreign lane": ("ROLE", "no corresponde a ningún rol"),
    "no default": ("DEFAULT", "no tiene un flujo por defecto"),
    "duplicate number": ("NUMBER", "El paso 5 aparece dos veces"),
}


def broken_xml(kind: str) -> str:
    xml = build(P1, version=2)
    if kind == "not xml":
        return xml[:400]
    if kind == "no lane":
        return xml.replace("<bpmn:flowNodeRef>paso_5</bpmn:flowNodeRef>", "")
    if kind == "foreign lane":
        return xml.replace(
            'id="lane_jefe_planes_programas" name="Jefe(a) de Planes y Programas"', 'id="lane_x" name="Tesorería"'
        )
    if kind == "no default":
        return xml.replace(' default="flujo_decision_9_9_1"', "")
    return xml.replace('name="6. Realiza', 'name="5. Realiza')


@pytest.mark.django_db
@pytest.mark.parametrize("kind", BROKEN)
def test_revised_definitions_are_validated_before_they_become_versions(demo, kind):
    before = AuditEvent.objects.count()
    with pytest.raises(DefinitionError) as caught:
        versions.upload_version(code=P1.code, xml=broken_xml(kind), actor=demo["administrador"], note="x")
    assert BROKEN[kind][1] in "\n".join(caught.value.problems)
    assert Definition.objects.filter(code=P1.code).count() == 1
    assert AuditEvent.objects.count() == before


def test_conditions_must_compare_the_decision_and_flows_must_join_existing_elements():
    xml = build(P1).replace('decision == "9.2"', "decision ==")
    with pytest.raises(DefinitionError) as caught:
        validate(xml.encode())
    assert caught.value.problems[0].startswith(
        "La condición «decision ==» del flujo No tiene observaciones no es válida"
    )
    assert len(caught.value.problems) == 1
    xml = build(P1).replace('sourceRef="paso_12" targetRef="fin"', 'sourceRef="paso_12" targetRef="nada"')
    with pytest.raises(DefinitionError, match=r"une un elemento que no existe en el proceso \(«nada»\)"):
        validate(xml.encode())


@pytest.mark.django_db
def test_admin_uploads_a_revision_on_the_procedure_page(client_as, demo):
    admin = client_as("administrador")
    xml = build(P1, version=2).replace(
        "Realiza o modifica Marco Conceptual.", "Realiza o actualiza el Marco Conceptual."
    )
    upload = SimpleUploadedFile("P1-rev.bpmn", xml.encode(), content_type="application/xml")
    response = admin.post(f"/procedimientos/{P1.code}/version/", {"file": upload, "note": "Ajuste de redacción"})
    assert response.status_code == 302
    v2 = Definition.objects.get(code=P1.code, version=2)
    assert v2.step("5")["activity"] == "Realiza o actualiza el Marco Conceptual."
    assert v2.note == "Ajuste de redacción" and v2.created_by == demo["administrador"]
    page = admin.get(f"/procedimientos/{P1.code}/").content.decode()
    assert "Versión 2" in page and "Ajuste de redacción" in page
    bad = SimpleUploadedFile("P1.bpmn", broken_xml("no default").encode())
    response = admin.post(f"/procedimientos/{P1.code}/version/", {"file": bad, "note": "x"})
    assert response.status_code == 400
    assert "no tiene un flujo por defecto" in response.content.decode()
    assert Definition.objects.filter(code=P1.code).count() == 2
    assert client_as("jefe_planes_programas").post(f"/procedimientos/{P1.code}/version/", {}).status_code == 403


@pytest.mark.django_db
def test_admin_sets_working_days_per_step(client_as, demo):
    admin = client_as("administrador")
    p6 = Definition.objects.get(code="11.01.U0.P6")
    response = admin.post(f"/procedimientos/definiciones/{p6.pk}/plazos/", {"days_4": "10", "days_2": ""})
    assert response.status_code == 302
    p6.refresh_from_db()
    assert p6.due_days == {"4": 10} and p6.working_days("4") == 10 and p6.working_days("2") == 5
    response = admin.post(f"/procedimientos/definiciones/{p6.pk}/plazos/", {"days_4": "diez"}, follow=True)
    assert "Paso 4: el plazo debe ser un número entero" in response.content.decode()


def test_an_identical_upload_makes_no_version_and_the_refusal_page_keeps_its_links(client_as):
    admin = client_as("administrador")
    same = SimpleUploadedFile("P1.bpmn", definition_path(P1).read_bytes(), content_type="application/xml")
    response = admin.post(f"/procedimientos/{P1.code}/version/", {"file": same, "note": "Otra vez"})
    page = response.content.decode()
    assert response.status_code == 400 and "es igual a la versión 1 vigente" in page
    assert Definition.objects.filter(code=P1.code).count() == 1
    # The page is shown at the upload address (POST only): its links and the form point to real pages.
    assert f'href="/procedimientos/{P1.code}/?version=1"' in page
    assert f'action="/procedimientos/{P1.code}/version/#nueva-version"' in page
