"""Browser journeys of issue 9: the administrator uploads a definition with a script and sees it refused with the
element named; planning staff import a hostile spreadsheet and see a Spanish message, nothing written; the area
liaison works on a draft plan that shows only the area, and saves their goals."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import goal_cell, screenshot, sign_in
from planea.operations.models import PhysicalGoal
from planea.org.models import CostCenter
from planea.procedures.bpmn import build
from planea.procedures.manual import P3
from planea.procedures.models import Definition
from tests.hostile_files import corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_definition_with_a_script_is_refused_with_the_element_named(page, demo, tmp_path):
    xml = build(P3, version=2).replace(
        "</bpmn:process>",
        '<bpmn:scriptTask id="oculta" name="Tarea oculta"><bpmn:script>1</bpmn:script>'
        "</bpmn:scriptTask></bpmn:process>",
    )
    path = tmp_path / "P3-revisado.bpmn"
    path.write_text(xml, encoding="utf-8")
    sign_in(page, "administrador")
    page.goto(f"/procedimientos/{P3.code}/")
    page.get_by_label("Definición BPMN 2.0 (.bpmn)").set_input_files(str(path))
    page.get_by_label("Motivo de la nueva versión").fill("Automatizar el archivo")
    page.get_by_role("button", name="Validar y cargar").click()
    errors = page.get_by_test_id("version-errors")
    expect(errors).to_contain_text("El elemento «scriptTask» (tarea de script) en «Tarea oculta» no se puede usar")
    expect(errors).to_be_in_viewport()  # far down the page, brought into view and focused
    expect(errors).to_be_focused()
    expect(page.get_by_label("Motivo de la nueva versión")).to_have_value("Automatizar el archivo")
    screenshot(page, "definition-refused")
    assert Definition.objects.filter(code=P3.code).count() == 1
    # The only console line is the browser's own note of the 400 answer.
    assert all("status of 400" in e for e in page.csp_errors) and not page.outside_requests


def test_a_hostile_spreadsheet_is_refused_in_spanish(page, plans, tmp_path):
    path = tmp_path / "metas.xlsx"
    path.write_bytes(corpus("Metas")["declared dimension A1:XFD1048576"])
    before = PhysicalGoal.objects.count()
    sign_in(page, "jefe_planes_programas")
    page.goto(f"/planes/{plans['poa'].pk}/metas/importar/")
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Revisar e importar").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("No se importó nada")
    expect(errors).to_contain_text("llega hasta la fila 1,048,576; el máximo es 100,000 filas de datos")
    screenshot(page, "import-hostile-refused")
    assert PhysicalGoal.objects.count() == before


def test_the_liaison_sees_the_area_of_a_draft_plan_and_saves_its_goals(page, plans):
    poa, land = plans["poa"], plans["land"]
    aurora = CostCenter.objects.get(code="0101")
    PhysicalGoal.objects.create(
        plan=poa, subproduct=plans["pei"].subproducts.get(code="P02-01"), cost_center=aurora, year=2026
    )
    sign_in(page, "enlace_area")
    page.goto(f"/planes/{poa.pk}/")
    expect(page.get_by_test_id("area-only")).to_contain_text("usted ve las metas de los centros de costo de su área")
    expect(page.get_by_text("La Aurora")).to_have_count(0)
    expect(page.get_by_role("link", name="Consistencia")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Editar metas")).click()
    page.goto(f"/planes/{poa.pk}/metas/?subproducto={land.pk}")
    valle_nuevo = CostCenter.objects.get(code="0209")
    page.locator(f'input[name="c-{valle_nuevo.pk}-2026-4"]').fill("4321")
    page.get_by_role("button", name="Guardar metas").click()
    expect(page.locator(".alert-success")).to_contain_text("1 meta guardada en P02-02")
    screenshot(page, "liaison-grid-saved")
    assert goal_cell(poa, land, valle_nuevo, 4).planned == 4321
    assert not page.csp_errors and not page.outside_requests
