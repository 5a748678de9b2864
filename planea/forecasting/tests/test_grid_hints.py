"""P5 step 6: the POA's goal grid shows under each cell the forecast of the month and its 80 % interval while a P5
case with a chosen run programs it (operations/grid_hints.py, forecasting/grid_hints.py), and marks a goal outside
the interval; nothing of the kind otherwise."""

import re
from decimal import Decimal

import pytest
from django.db import transaction

from planea.forecasting.models import ForecastValue
from planea.operations import goals, grid, grid_hints
from planea.org.models import CostCenter

from .p5 import start_programming

pytestmark = pytest.mark.django_db


def _grid(client, plan, land):
    response = client.get(f"/planes/{plan.pk}/metas/?subproducto={land.pk}")
    assert response.status_code == 200
    return response.content.decode()


def test_no_hints_without_a_p5_case(plans, client_as):
    page = _grid(client_as("jefe_planes_programas"), plans["poa"], plans["land"])
    assert "data-hint" not in page and "Mostrar pronóstico" not in page
    assert grid_hints.hints_for(plans["poa"], plans["land"]) is None


def test_no_hints_before_the_run_is_chosen(plans, demo, client_as):
    start_programming(plans, demo, None)
    assert "data-hint" not in _grid(client_as("jefe_planes_programas"), plans["poa"], plans["land"])


def test_the_forecast_and_its_interval_beside_each_cell_of_a_poa_under_p5(plans, demo, done_run, client_as):
    poa, land = plans["poa"], plans["land"]
    programming = start_programming(plans, demo, done_run)
    center = CostCenter.objects.get(code="0201")
    january = ForecastValue.objects.get(series__run=done_run, series__cost_center=center, month=1)
    february = ForecastValue.objects.get(series__run=done_run, series__cost_center=center, month=2)
    # January far above its interval, February at its forecast.
    cells = {
        (land.pk, center.pk, 2026, 1): int(january.hi80) + 1000,
        (land.pk, center.pk, 2026, 2): int(february.yhat),
    }
    with transaction.atomic():
        goals.write(goals.lock_plan(poa), cells, actor=None, action="goals_imported", summary="%(n)s")
    page = _grid(client_as("jefe_planes_programas"), poa, land)
    forecast_centers = done_run.series.count()
    assert page.count("data-hint") == forecast_centers * 12
    assert "Mostrar pronóstico" in page and f"corrida n.º {done_run.pk}, {programming.case.number}" in page
    # the way back to the case whose step 6 sent the jefe here
    back = f'href="/expedientes/{programming.case_id}/" data-testid="grid-hints-case">'
    assert back in page and f"Volver al expediente {programming.case.number}" in page
    jan = re.search(rf'<div class="goal-hint( out)?" id="h-{center.pk}-1"[^>]*>(.*?)</div>', page)
    feb = re.search(rf'<div class="goal-hint( out)?" id="h-{center.pk}-2"[^>]*>(.*?)</div>', page)
    assert jan and feb
    assert jan.group(1) == " out" and "fuera" in jan.group(2) and "bi-exclamation-triangle-fill" in jan.group(2)
    assert feb.group(1) is None and "fuera" not in feb.group(2)
    yhat = f"{int(january.yhat.to_integral_value()):,}"
    band = f"{int(january.lo80.to_integral_value()):,}–{int(january.hi80.to_integral_value()):,}"
    assert f"≈{yhat}" in jan.group(2) and band in jan.group(2)
    assert f'aria-describedby="h-{center.pk}-1"' in page  # read with the cell by a screen reader


def test_the_pom_grid_and_a_finished_case_show_none(plans, demo, done_run, client_as):
    programming = start_programming(plans, demo, done_run)
    client = client_as("jefe_planes_programas")
    assert "data-hint" not in _grid(client, plans["pom"], plans["land"])
    programming.case.status = "completed"
    programming.case.save(update_fields=["status"])
    assert "data-hint" not in _grid(client, plans["poa"], plans["land"])


def test_hint_html_marks_only_values_outside():
    hint = grid_hints.Hint(Decimal("100.4"), Decimal("90"), Decimal("110"), "corrida n.º 1")
    inside = grid.hint_html("h-1-1", hint, 100, ",")
    outside = grid.hint_html("h-1-1", hint, 111, ",")
    assert "out" not in inside and "≈100" in inside and "90–110" in inside
    assert 'class="goal-hint out"' in outside and "fuera" in outside


def test_a_goal_equal_to_the_bound_shown_is_inside():
    # The band is printed in whole units: 5,508 under «4,955–5,508» must not be marked «fuera» because the stored
    # upper bound is 5,507.6.
    hint = grid_hints.Hint(Decimal("5231.2"), Decimal("4954.6"), Decimal("5507.6"), "corrida n.º 1")
    shown = grid.hint_html("h-1-1", hint, 5508, ",")
    assert "4,955–5,508" in shown and "out" not in shown
    assert "fuera" in grid.hint_html("h-1-1", hint, 5509, ",") and "fuera" in grid.hint_html("h-1-1", hint, 4954, ",")
