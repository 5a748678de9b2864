"""Text reaches Planea's database only as ASCII-coded codes and without NUL characters: a NUL in any query or form
field is a Spanish 400 (PostgreSQL would refuse it with a 500 wherever it landed), and codes written with fullwidth
or Arabic-Indic digits are refused instead of becoming look-alike duplicates."""

import pytest
from django.test import Client

from planea.audit.models import AuditEvent
from planea.org.models import CostCenter, OrgUnit
from planea.strategy import versions as strategy

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_a_query_or_a_form_is_refused_in_spanish(client_as):
    client = client_as("jefe_planes_programas")
    response = client.get("/organizacion/centros-de-costo/", {"q": "Aurora\x00"})
    assert response.status_code == 400 and "carácter nulo (NUL)" in response.content.decode()
    before = AuditEvent.objects.count()
    response = client_as("administrador").post(
        "/organizacion/centros-de-costo/nuevo/",
        {"code": "9999", "name": "Sede\x00", "kind": "airport", "department": "17", "municipality": "Flores"},
    )
    assert response.status_code == 400 and "carácter nulo (NUL)" in response.content.decode()
    assert not CostCenter.objects.filter(code="9999").exists()
    assert AuditEvent.objects.count() == before + 1  # the administrator's sign-in, nothing else


@pytest.mark.parametrize("code", ["０２０９", "٠٢٠٩", "02٠9"])
def test_codes_with_digits_of_other_scripts_are_refused(client_as, code):
    response = client_as("administrador").post(
        "/organizacion/centros-de-costo/nuevo/",
        {"code": code, "name": "Puesto", "kind": "land", "department": "17", "municipality": "Flores"},
    )
    assert response.status_code == 400 and "no es un código de centro de costo válido" in response.content.decode()
    unit = client_as("administrador").post(
        "/organizacion/unidades/nueva/", {"code": f"1{code[:1]}.01.U0", "name": "Unidad", "kind": "departamento"}
    )
    assert unit.status_code == 400
    assert not CostCenter.objects.filter(name="Puesto").exists() and not OrgUnit.objects.filter(name="Unidad").exists()


def test_pei_codes_are_ascii(plans, demo, client_as):
    draft = strategy.new_version(plans["pei"], actor=demo["jefe_planes_programas"], reason="Ajuste")
    response = client_as("jefe_planes_programas").post(
        f"/pei/{draft.pk}/resultado/nuevo/", {"code": "ＲＩ-０１", "level": "institutional", "name": "Duplicado"}
    )
    assert response.status_code == 400 and "Use letras sin tilde, dígitos" in response.content.decode()
    assert not draft.results.filter(name="Duplicado").exists()


def test_a_session_cookie_with_a_nul_is_forgotten_and_a_path_with_one_refused(client_as):
    anonymous = Client()
    anonymous.cookies["sessionid"] = "\x00abcdefghijk"
    assert anonymous.get("/ingresar/").status_code == 200
    response = client_as("jefe_planes_programas").get("/procedimientos/a%00b/")
    assert response.status_code == 400 and "carácter nulo (NUL)" in response.content.decode()


def test_nul_characters_in_headers_never_reach_the_database(demo):
    client = Client(HTTP_USER_AGENT="Mozilla\x00/5.0", HTTP_ACCEPT="text/html\x00")
    assert client.post("/ingresar/", {"username": "jefe_planes_programas", "password": "mala"}).status_code == 200
    assert client.post("/ingresar/", {"username": "jefe_planes_programas", "password": "planea2026"}).status_code == 302


def test_pasted_control_and_symbol_font_characters_are_made_printable():
    from planea.core.middleware import printable_text

    assert printable_text("Plan\x0bEstratégico\x1b[0m") == "Plan Estratégico[0m"  # one line: a break is a space
    assert printable_text("Uno\r\ndos\x0btres\x0ccuatro\u2028cinco") == "Uno\r\ndos\ntres\ncuatro\ncinco"
    assert printable_text("\uf0b7 Primero\n\uf0a7 Segundo\ue000") == "• Primero\n▪ Segundo"
    assert printable_text("Ñandú — «texto» ✓ 😀") == "Ñandú — «texto» ✓ 😀"  # printable text is left alone


def test_a_form_address_opened_rather_than_sent_says_so_and_links_to_its_page(client_as):
    client = client_as("profesional_planes_programas")
    response = client.get("/ejecucion/informes/informe-pdf/")
    text = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "Esta dirección recibe formularios" in text and 'href="/ejecucion/informes/"' in text
