"""Administration screens: create and edit org units, cost centers and people with roles; every change audited."""

import pytest

from planea.audit.models import AuditEvent
from planea.org.models import CostCenter, OrgUnit, Person

pytestmark = pytest.mark.django_db


def test_admin_creates_a_unit_and_edits_a_cost_center(client_as):
    admin = client_as("administrador")
    parent = OrgUnit.objects.get(code="11")
    response = admin.post(
        "/organizacion/unidades/nueva/",
        {
            "code": "11.04.U0",
            "name": "Departamento de Proyectos",
            "kind": "departamento",
            "parent": parent.pk,
            "active": "on",
        },
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="11.04.U0")
    assert unit.parent == parent and unit.institution.short_name == "IGM"
    assert AuditEvent.objects.filter(action="create", object_type="org.orgunit", object_id=str(unit.pk)).exists()

    center = CostCenter.objects.get(code="0102")
    data = {
        "code": "0102",
        "name": "Aeropuerto Internacional Mundo Maya (Flores)",
        "kind": "airport",
        "department": "17",
        "municipality": "Flores",
        "org_unit": center.org_unit_id,
        "active": "on",
    }
    assert admin.post(f"/organizacion/centros-de-costo/{center.pk}/", data).status_code == 302
    event = AuditEvent.objects.filter(object_type="org.costcenter", object_id=str(center.pk)).latest("seq")
    assert event.changed_fields() == [
        ("name", "Aeropuerto Internacional Mundo Maya", "Aeropuerto Internacional Mundo Maya (Flores)")
    ]


def test_form_errors_are_shown_in_spanish_and_nothing_is_saved(client_as):
    admin = client_as("administrador")
    before = AuditEvent.objects.count()
    response = admin.post(
        "/organizacion/centros-de-costo/nuevo/",
        {"code": "AB-1", "name": "", "kind": "airport", "department": "17", "municipality": "Flores"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "«AB-1» no es un código de centro de costo válido" in page
    assert "Este campo es obligatorio." in page
    assert "- Elija una opción -" in page and "Select an option" not in page
    assert AuditEvent.objects.count() == before
    cycle = admin.post(
        f"/organizacion/unidades/{OrgUnit.objects.get(code='11').pk}/",
        {
            "code": "11",
            "name": "Subdirección de Planificación",
            "kind": "subdireccion",
            "parent": OrgUnit.objects.get(code="11.01.U0").pk,
        },
    )
    assert cycle.status_code == 400
    assert OrgUnit.objects.get(code="11").parent.code == "02"


def test_admin_creates_a_person_with_roles(client_as):
    admin = client_as("administrador")
    unit = OrgUnit.objects.get(code="12.01.U0")
    data = {
        "username": "enlace_residencias",
        "first_name": "Rosa",
        "last_name": "Cojtí",
        "email": "",
        "position": "Enlace",
        "org_unit": unit.pk,
        "phone": "",
        "is_active": "on",
        "new_password": "Residencias-2026!",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-role": "enlace_area",
        "roles-0-org_unit": unit.pk,
        "roles-0-active": "on",
    }
    response = admin.post("/organizacion/personas/nueva/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(username="enlace_residencias")
    assert person.check_password("Residencias-2026!") and person.role_slugs() == {"enlace_area"}
    assert AuditEvent.objects.filter(object_type="org.roleassignment", action="create").exists()
    listing = admin.get("/organizacion/personas/?role=enlace_area").content.decode()
    assert "enlace_residencias" in listing and "Marco Antonio" not in listing


def test_new_person_needs_a_password(client_as):
    response = client_as("administrador").post(
        "/organizacion/personas/nueva/",
        {"username": "sinclave", "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "Escriba una contraseña inicial" in response.content.decode()


def test_the_user_name_is_explained_in_planeas_words(client_as):
    admin = client_as("administrador")
    form = admin.get("/organizacion/personas/nueva/").content.decode()
    assert "Hasta 150 caracteres: letras, números y los signos @ . + - _, sin espacios." in form
    assert "carácteres" not in form
    response = admin.post(
        "/organizacion/personas/nueva/",
        {"username": "rosa cojtí!", "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "new_password": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "El usuario solo puede tener letras, números y los signos @ . + - _, sin espacios." in page
    assert "Introdu" not in page  # neither Django's «Introduzca» nor its «Introduza»
    taken = admin.post(
        "/organizacion/personas/nueva/",
        {"username": "administrador", "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "new_password": "x"},
    )
    assert "Ya hay una persona con ese usuario; elija otro." in taken.content.decode()


def test_audit_page_filters(client_as):
    auditor = client_as("auditoria_interna")
    center = CostCenter.objects.get(code="0301")
    listing = auditor.get("/auditoria/?object=Puerto+Quetzal").content.decode()
    assert "Puerto Quetzal" in listing and "Creación" in listing and "centro de costo" in listing
    page = auditor.get("/auditoria/?object=Puerto+Quetzal&person=administrador").content.decode()
    assert "No hay eventos con esos filtros" in page
    bad = auditor.get("/auditoria/?desde=31-31-2026")
    assert bad.status_code == 400 and "escriba una fecha entre 1900 y 2100 como dd/mm/aaaa" in bad.content.decode()
    today = AuditEvent.objects.latest("seq").occurred_at.astimezone().strftime("%d/%m/%Y")
    assert "Puerto Quetzal" in auditor.get(f"/auditoria/?desde={today}&hasta={today}&object=0301").content.decode()
    event = AuditEvent.objects.filter(object_type="org.costcenter", object_id=str(center.pk)).first()
    detail = auditor.get(f"/auditoria/{event.pk}/").content.decode()
    assert event.hash in detail and "Puerto Quetzal" in detail
