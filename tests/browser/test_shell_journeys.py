"""Browser journeys of the shell in Debian's Chromium: every role's home, the demo job, a bad import."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.org.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", Role.values)
def test_each_role_signs_in_and_sees_its_home(page, demo, role):
    sign_in(page, role)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("page-title")).to_have_text("Bandeja")
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()
    expect(page.locator(f'[data-role="{role}"]')).to_be_visible()
    expect(page.get_by_test_id("user-name")).to_have_text(demo[role].get_full_name())
    expect(page.locator("html")).to_have_attribute("lang", "es")
    screenshot(page, f"home-{role}")
    assert page.csp_errors == []
    assert page.outside_requests == []


def test_keyboard_user_can_skip_to_content_and_sign_out(page, demo):
    sign_in(page, "jefe_planes_programas")
    expect(page.get_by_test_id("page-title")).to_be_visible()
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Saltar al contenido")
    expect(skip).to_be_focused()
    page.get_by_role("button", name=re.compile("Marco Antonio")).click()
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(re.compile(r"/ingresar/$"))


def test_wrong_password_then_lockout(page, demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(page, "estadistica", "equivocada")
        expect(page.get_by_test_id("login-error")).to_contain_text("El usuario o la contraseña no son correctos.")
    sign_in(page, "estadistica", "equivocada")
    expect(page.get_by_test_id("locked-out")).to_have_text("Acceso bloqueado temporalmente")


def test_demo_job_progress_end_to_end(page, demo):
    sign_in(page, "auditoria_interna")
    page.get_by_role("link", name="Bitácora de auditoría").click()
    expect(page.get_by_role("heading", name="Bitácora de auditoría")).to_be_visible()
    page.get_by_test_id("verify-chain").click()
    progress = page.get_by_test_id("job-progress")
    expect(progress).to_have_attribute("data-status", "queued")
    expect(page.get_by_test_id("job-status")).to_have_text("En cola")
    screenshot(page, "job-queued")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # The HTMX component polls every second and swaps itself when the worker is done.
    expect(progress).to_have_attribute("data-status", "succeeded", timeout=10_000)
    expect(page.get_by_test_id("job-status")).to_have_text("Terminado")
    expect(page.get_by_test_id("job-message")).to_contain_text("Cadena íntegra")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    screenshot(page, "job-done")
    assert page.csp_errors == []


def test_admin_sees_row_errors_for_a_bad_import(page, demo, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Centros de costo"
    ws.append(["Código", "Nombre", "Tipo", "Departamento", "Municipio", "Unidad organizativa", "Activo"])
    ws.append(["Aurora", "Aeropuerto", "Aeropuerto", "Guatemala", "Guatemala", "10.01.U0", "Sí"])
    path = tmp_path / "centros.xlsx"
    wb.save(path)
    sign_in(page, "administrador")
    page.get_by_role("link", name="Centros de costo").click()
    page.get_by_role("link", name="Importar desde Excel").click()
    page.get_by_label("Archivo de Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Revisar e importar").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("No se importó nada")
    expect(errors).to_contain_text("Hoja «Centros de costo», fila 2, columna «Código»: «Aurora» no es un código")
    screenshot(page, "import-errors")


def test_english_can_be_chosen(page, demo):
    sign_in(page, "director_general")
    page.get_by_label("Idioma").select_option("en")
    expect(page.get_by_test_id("page-title")).to_have_text("Inbox")
    expect(page.locator("html")).to_have_attribute("lang", "en")


UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""


def test_pages_have_labelled_controls_and_load_nothing_from_outside(page, demo):
    sign_in(page, "administrador")
    for path in (
        "/",
        "/organizacion/unidades/",
        "/organizacion/centros-de-costo/",
        "/organizacion/personas/",
        "/organizacion/personas/nueva/",
        "/organizacion/centros-de-costo/importar/",
        "/auditoria/",
        "/cuenta/contrasena/",
    ):
        page.goto(path)
        assert page.evaluate(UNLABELLED) == [], path
    assert page.csp_errors == []
    assert page.outside_requests == []
