"""Browser journey of P5 step 6: the goal grid of a POA under a P5 case shows the forecast and its 80 % interval under
each cell, and a mark where the goal is outside it, and still shows the whole year and its totals on a 1366×768
screen without scrolling sideways; «Mostrar pronóstico» hides and shows them."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import sign_in
from planea.forecasting.models import Programming
from planea.forecasting.tests.conftest import build_done_run
from planea.procedures import cases
from planea.procedures.manual import P5

from .test_layout_journeys import LAPTOP, header, in_view, national_goals, no_page_scroll, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_forecast_beside_each_cell_fits_a_1366_screen(page, plans, demo):
    national_goals(plans, demo)  # six-digit months: most cells fall outside a forecast made from the POM
    run = build_done_run(plans, demo)
    actor = demo["profesional_planes_programas"]
    case = cases.start_case(code=P5.code, title="Programación 2026", subject="2026", actor=actor)
    Programming.objects.create(case=case, plan=plans["poa"], run=run, created_by=actor, created_at=timezone.now())
    page.set_viewport_size(LAPTOP)
    sign_in(page, "jefe_planes_programas")
    page.goto(f"/planes/{plans['poa'].pk}/metas/?subproducto={plans['land'].pk}")
    grid = page.locator("[data-goal-grid]")
    hints = grid.locator("[data-hint]")
    expect(hints.first).to_be_visible()
    expect(grid.locator(".goal-hint.out").first).to_contain_text("fuera")
    for name in ("Dic", "Total"):
        in_view(page, header(grid, name), f"the goal grid's column {name}")
    in_view(page, grid.locator("[data-grand-total]"), "the goal grid's grand total")
    in_view(page, grid.locator("tbody tr").first.locator("[data-hint]").last, "December's forecast")
    no_page_scroll(page)
    shot(page, "p5-goal-grid-forecast-1366")
    page.get_by_label("Mostrar pronóstico").uncheck()
    expect(hints.first).to_be_hidden()
    page.get_by_label("Mostrar pronóstico").check()
    expect(hints.first).to_be_visible()
