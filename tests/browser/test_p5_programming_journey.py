"""Browser journey of a P5 programming: the profesional starts it for a draft POA chosen from the list, waits for
Estadística at step 2, chooses the finished run, compares with the POM and tightens the tolerance until the first
cost center (+10 %) is flagged with an icon and words."""

import pytest
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.forecasting import programming
from planea.forecasting.models import Programming
from planea.forecasting.tests.conftest import build_done_run
from planea.forecasting.tests.p5 import answer_statistics, walk
from planea.procedures.drive import step_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_profesional_programs_the_poa_from_the_forecast(page, plans, demo):
    run = build_done_run(plans, demo)
    sign_in(page, "profesional_planes_programas")
    page.goto("/programacion/")
    page.get_by_label("POA que se programa").select_option(str(plans["poa"].pk))
    page.get_by_role("button", name="Iniciar el expediente P5").click()
    expect(page.get_by_test_id("step-p5-statistics")).to_be_visible()
    found = Programming.objects.get()
    step_through(found.case, until="2")
    page.reload()
    expect(page.get_by_test_id("statistics-pending")).to_be_visible()
    answer_statistics(found, demo)
    page.reload()
    expect(page.get_by_test_id("statistics-answered")).to_be_visible()
    page.get_by_test_id("choose-run").get_by_role("button", name="Elegir la corrida").click()
    expect(page.get_by_test_id("chosen-run")).to_contain_text(f"Corrida elegida: {run.pk}")
    screenshot(page, "p5-step-2")
    page.get_by_role("button", name="Completar paso 2").click()
    expect(page.get_by_test_id("step-p5-comparison")).to_be_visible()
    page.get_by_role("link", name="Ver la comparación por subproducto y centro de costo").click()
    expect(page.get_by_test_id("flagged-count")).to_contain_text("Todas las líneas dentro de la tolerancia")
    page.get_by_label("Tolerancia (%)").fill("5")
    page.get_by_role("button", name="Guardar la tolerancia").click()
    expect(page.get_by_test_id("flagged-count")).to_contain_text("1 línea fuera de la tolerancia")
    expect(page.locator('[data-flag="por_encima"]').first).to_contain_text("Por encima")
    screenshot(page, "p5-comparison")


def test_the_jefe_incorporates_the_goals_into_the_poa(page, plans, demo):
    run = build_done_run(plans, demo)
    found = programming.start(plans["poa"], actor=demo["profesional_planes_programas"])
    step_through(found.case, until="2")
    answer_statistics(found, demo)
    programming.choose_run(found, run, actor=demo["profesional_planes_programas"])
    walk(found, "7", demo)
    sign_in(page, "jefe_planes_programas")
    page.goto(f"/expedientes/{found.case.pk}/")
    expect(page.get_by_test_id("step-p5-incorporate")).to_contain_text("Al completar este paso se incorporan")
    screenshot(page, "p5-step-7")
    page.get_by_role("button", name="Completar paso 7").click()
    expect(page.get_by_test_id("step-completed")).to_be_visible()
    expect(page.get_by_test_id("case-links")).to_contain_text("incorporadas el")
    found.refresh_from_db()
    assert found.incorporated_by == demo["jefe_planes_programas"]
