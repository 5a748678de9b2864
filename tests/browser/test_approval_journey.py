"""Browser journey of a POA's visto bueno (P2 step 10) when its inputs exceed a ceiling: the Subdirector sees the
consistency report on the step, is refused "Está bien" until the observations are acknowledged with a reason,
acknowledges them, gives the visto bueno, and the plan reads "Con visto bueno" (not "Aprobado")."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.operations import case_link
from planea.operations.ceilings import set_ceilings
from planea.procedures.drive import step_through, supply_documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_visto_bueno_of_a_plan_over_its_ceiling_is_acknowledged_first(page, plans, demo):
    poa, land = plans["poa"], plans["land"]
    set_ceilings(poa, {(land.product_id, None): Decimal("100.00")}, actor=demo["subdireccion_financiera"])
    case = case_link.start_case(poa, actor=demo["subdirector_planificacion"])
    step_through(case, until="10", people=demo)
    supply_documents(case.tasks.get(number="10", status="ready"), demo["subdirector_planificacion"])

    sign_in(page, "subdirector_planificacion")
    page.goto(f"/expedientes/{case.pk}/")
    step = page.locator('[data-testid="current-step"][data-step="10"]')
    check = step.get_by_test_id("step-consistency")
    expect(check).to_contain_text("insumos Q 3,050.00 por encima de los techos")
    expect(check).to_contain_text("P02")

    step.get_by_role("radio", name="Está bien (paso 10.1)").check()
    step.get_by_role("button", name="Completar paso 10").click()
    expect(page.locator(".alert-danger").first).to_contain_text("Reconózcalas en este paso")
    step = page.locator('[data-testid="current-step"][data-step="10"]')
    screenshot(page, "p2-10-consistencia-por-reconocer")

    step.get_by_label("Motivo para continuar pese a las observaciones").fill(
        "La Subdirección Financiera ajusta el techo de P02 en la presentación del presupuesto."
    )
    step.get_by_role("button", name="Reconocer las observaciones").click()
    expect(page.locator(".alert-success").first).to_contain_text("Observaciones de consistencia reconocidas")
    step = page.locator('[data-testid="current-step"][data-step="10"]')
    expect(step.get_by_test_id("consistency-acknowledged")).to_contain_text("ajusta el techo de P02")

    step.get_by_role("radio", name="Está bien (paso 10.1)").check()
    step.get_by_role("button", name="Completar paso 10").click()
    expect(page.get_by_test_id("step-completed")).to_contain_text("Paso 10 completado.")
    presenting = page.locator('[data-testid="current-step"][data-step="10.1"]')
    expect(presenting.get_by_test_id("consistency-acknowledged")).to_be_visible()
    expect(page.get_by_test_id("case-links")).to_contain_text("Con visto bueno")
    screenshot(page, "p2-10-1-visto-bueno-reconocido")

    page.goto(f"/planes/{poa.pk}/")
    expect(page.locator("h1").locator("..")).to_contain_text("Con visto bueno")
    expect(page.get_by_text("Plan aprobado:")).to_have_count(0)
    assert [e for e in page.csp_errors if "400 (Bad Request)" not in e] == []  # the refusal at 10, shown again
    assert page.outside_requests == []
