"""Browser journey of a PEI modification: from the approved version a new draft is made, a frame is written in the
rich-text editor, and the comparison marks what changed."""

import re

import pytest
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.strategy.models import StrategicPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_modify_the_pei_in_the_rich_text_editor_and_compare(page, plans):
    sign_in(page, "jefe_planes_programas")
    page.goto(f"/pei/{plans['pei'].pk}/")
    expect(page.get_by_text("Versión aprobada: es de solo lectura")).to_be_visible()
    page.get_by_label("Motivo de la modificación").fill("Alineación con la Política Migratoria 2023-2032")
    page.get_by_role("button", name="Crear nueva versión").click()
    expect(page.locator(".alert-success")).to_contain_text("v2")
    page.get_by_role("link", name="Editar encabezado y marcos").click()
    editor = page.locator(".ql-editor").nth(1)  # the conceptual frame, second rich-text field
    editor.click()
    page.keyboard.type("Problema central: cobertura limitada de servicios migratorios.")
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+B")
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator(".alert-success")).to_contain_text("Cambios guardados")
    draft = StrategicPlan.objects.get(code=plans["pei"].code, version=2)
    assert (
        draft.conceptual_frame
        == "<p><strong>Problema central: cobertura limitada de servicios migratorios.</strong></p>"
    )
    page.get_by_role("link", name="Comparar con otra versión").click()
    row = page.get_by_role("row", name=re.compile("Marco conceptual"))
    expect(row).to_have_class(re.compile("diff-changed"))
    expect(row.locator("ins")).to_contain_text("cobertura limitada")
    screenshot(page, "pei-compare")
    assert not page.csp_errors and not page.outside_requests
