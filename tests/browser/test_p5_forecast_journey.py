"""Browser journey of P5 on real statistics: the profesional runs the forecast from step 2 (the job's progress bar
follows the worker), chooses the run and compares it with the POM; the jefe adjusts a goal in the grid beside its
forecast and interval, and incorporates the goals into the POA at step 7."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.forecasting import programming
from planea.forecasting.models import ForecastRun, Programming, RunStatus
from planea.forecasting.tests.p5 import answer_statistics, through_step_4
from planea.operations.demo import GOALS
from planea.operations.models import PhysicalGoal
from planea.procedures.drive import step_through
from planea.statistics.demo import seed_statistics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_profesional_forecasts_and_the_jefe_adjusts_and_incorporates(page, plans, demo):
    # The land posts' statistics from 2015 to the last closed month, as the demo loads them.
    seed_statistics(statistician=demo["estadistica"], goals={"P02-02": GOALS["P02-02"]})
    sign_in(page, "profesional_planes_programas")
    page.goto("/programacion/")
    page.get_by_label("POA que se programa").select_option(str(plans["poa"].pk))
    page.get_by_role("button", name="Iniciar el expediente P5").click()
    found = Programming.objects.get()
    step_through(found.case, until="2")
    answer_statistics(found, demo)
    page.reload()
    page.get_by_role("button", name="Iniciar una corrida de 2026").click()
    expect(page.get_by_role("heading", name="Trabajo en segundo plano")).to_be_visible()
    expect(page.get_by_test_id("job-progress").locator("progress")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(page.get_by_test_id("job-status")).to_have_text("Terminado", timeout=20_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    screenshot(page, "p5-forecast-job")
    run = ForecastRun.objects.get()
    assert run.status == RunStatus.DONE and run.series_count > 0
    page.get_by_test_id("job-next").click()
    expect(page).to_have_url(re.compile(rf"/pronosticos/{run.pk}/"))

    page.goto(f"/expedientes/{found.case.pk}/")
    page.get_by_test_id("choose-run").get_by_role("button", name="Elegir la corrida").click()
    expect(page.get_by_test_id("chosen-run")).to_contain_text(f"Corrida elegida: {run.pk}")
    page.get_by_role("button", name="Completar paso 2").click()
    page.get_by_role("link", name="Ver la comparación por subproducto y centro de costo").click()
    table = page.get_by_test_id("comparison-table")
    expect(table).to_contain_text("P02-02")
    expect(table).to_contain_text("Meta vigente del POM")
    screenshot(page, "p5-forecast-comparison")

    through_step_4(found, demo)
    step_through(found.case, until="6", people=demo)
    page.context.clear_cookies()
    sign_in(page, "jefe_planes_programas")
    page.goto(f"/expedientes/{found.case.pk}/")
    page.get_by_role("link", name="Abrir la cuadrícula de metas").click()
    page.goto(page.url.split("?")[0] + f"?subproducto={plans['land'].pk}")
    goal = PhysicalGoal.objects.filter(plan=plans["poa"], subproduct=plans["land"]).order_by("cost_center__code")[0]
    cell = page.locator(f'input[name="c-{goal.cost_center_id}-2026-3"]')
    hint = cell.locator("xpath=ancestor::td").locator("[data-hint]")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("–")  # the 80 % interval beside the cell
    cell.fill("4321")
    page.get_by_role("button", name="Guardar metas").click()
    expect(page.locator(".alert-success")).to_contain_text("1 meta guardada en P02-02")
    screenshot(page, "p5-forecast-grid")

    page.goto(f"/expedientes/{found.case.pk}/")
    page.get_by_role("button", name="Completar paso 6").click()
    expect(page.get_by_test_id("step-p5-incorporate")).to_be_visible()
    page.get_by_role("button", name="Completar paso 7").click()
    expect(page.get_by_test_id("case-links")).to_contain_text("incorporadas el")
    found.refresh_from_db()
    goal.refresh_from_db()
    assert found.incorporated_by == demo["jefe_planes_programas"] and goal.value("planned", 3) == 4321
    assert programming.programming_of(found.case) == found
    assert not page.csp_errors and not page.outside_requests
