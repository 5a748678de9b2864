"""P5 step 3 (forecasting/comparison.py): per subproduct and cost center, the forecast of the POA's year against
the POM goal of that year, the difference, the % and the flag beyond the tolerance, with the totals of area,
subproduct and unit; the page, its tolerance form and its workbook."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from planea.audit.models import AuditEvent
from planea.forecasting import comparison, programming
from planea.forecasting.comparison import Flag
from planea.operations.models import PhysicalGoal

from .p5 import at_step_3, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def chosen(plans, demo, done_run):
    return at_step_3(started(plans, demo), done_run, demo)


def pom_goals(plans):
    return {
        g.cost_center_id: g.value("current", 0)
        for g in PhysicalGoal.objects.filter(plan=plans["pom"], subproduct=plans["land"], year=2026)
    }


def test_the_forecast_of_the_year_against_the_pom_goal(plans, chosen):
    table = comparison.comparison(chosen)
    goals = pom_goals(plans)
    assert table.plan_code == "POA-2026" and table.pom_code == "POM-2026-2030" and table.year == 2026
    (group,) = table.subproducts
    assert group.subproduct_code == "P02-02" and group.unit == plans["land"].unit.name
    lines = sorted(group.lines, key=lambda line: line.cost_center_code)
    assert {line.cost_center_id for line in lines} == set(goals)
    first, *others = lines
    goal, forecast, percent = first.goal, first.forecast, first.percent
    assert goal is not None and forecast is not None and percent is not None
    assert goal == goals[first.cost_center_id]
    # the fixture: the POM goal of the year spread evenly over the months (to the cent), +10 % at the first center
    month = (Decimal(goal) * Decimal("1.1") / 12).quantize(Decimal("0.01"))
    assert forecast.yhat == month * 12 and forecast.lo80 < forecast.yhat < forecast.hi80
    assert first.difference == month * 12 - goal
    assert sorted(first.months) == list(range(1, 13)) and sum(b.yhat for b in first.months.values()) == forecast.yhat
    assert first.variables == ["CTRL-TERR"] and first.models == ["AutoETS"] and first.subproduct_id == plans["land"].pk
    assert percent == ((month * 12 - goal) * 100 / goal).quantize(Decimal("0.01"))
    assert abs(percent - 10) < Decimal("0.1")
    assert first.flagged == (Flag.ABOVE if percent > 10 else Flag.WITHIN)  # at the default tolerance, 10 %
    for line in others:
        assert line.percent is not None and abs(line.percent) < Decimal("0.1") and line.flagged == Flag.WITHIN
    total = group.total.forecast
    assert total is not None and group.total.goal == sum(goals.values())
    assert total.yhat == sum(line.forecast.yhat for line in lines if line.forecast)
    assert total.hi80 == sum(line.forecast.hi80 for line in lines if line.forecast)  # the sum of the bounds
    assert sum(area.total.goal or 0 for area in group.areas) == group.total.goal
    assert table.unit_totals[group.unit].goal == group.total.goal


def test_the_flag_follows_the_tolerance(plans, demo, chosen):
    jefe = demo["jefe_planes_programas"]
    chosen = programming.set_tolerance(chosen, Decimal(5), actor=jefe)
    table = comparison.comparison(chosen)
    first = min(table.lines, key=lambda line: line.cost_center_code)
    assert first.flagged == Flag.ABOVE and table.flagged_lines() == [first]
    chosen = programming.set_tolerance(chosen, Decimal(15), actor=jefe)
    assert comparison.comparison(chosen).flagged_lines() == []
    assert list(
        AuditEvent.objects.filter(action="p5_tolerance_changed").order_by("seq").values_list("before", "after")
    ) == [
        ({"tolerance": "10.00"}, {"tolerance": "5.00"}),
        ({"tolerance": "5.00"}, {"tolerance": "15.00"}),
    ]


def test_lines_without_a_goal_or_without_a_forecast_say_so(plans, chosen, client_as):
    goal = PhysicalGoal.objects.filter(plan=plans["pom"], subproduct=plans["land"], year=2026).order_by(
        "cost_center__code"
    )[1]
    PhysicalGoal.objects.filter(pk=goal.pk).update(current_0=0, planned_0=0)
    passports = plans["pei"].subproducts.get(code="P01-01")
    PhysicalGoal.objects.create(
        plan=plans["pom"], subproduct=passports, cost_center=goal.cost_center, year=2026, planned_0=500, current_0=600
    )
    table = comparison.comparison(chosen)
    flags = {(line.cost_center_id, group.subproduct_code): line for group in table.subproducts for line in group.lines}
    no_goal = flags[(goal.cost_center_id, "P02-02")]
    assert no_goal.goal is None and no_goal.percent is None and no_goal.flagged == Flag.NO_GOAL
    no_forecast = flags[(goal.cost_center_id, "P01-01")]
    assert no_forecast.forecast is None and no_forecast.goal == 600 and no_forecast.pom_planned == 500
    assert no_forecast.flagged == Flag.NO_FORECAST and no_forecast.difference == -600
    assert [g.subproduct_code for g in table.subproducts] == ["P01-01", "P02-02"]  # by product, then code
    assert table.flagged_lines() == []  # neither is a tolerance flag
    # The page's summary said «Todas las líneas dentro de la tolerancia» above two lines marked «Sin pronóstico» and
    # «Sin meta en el POM» (the annex of step 4 counts them as marked lines).
    page = client_as("profesional_planes_programas").get(f"/programacion/{chosen.pk}/comparacion/").content.decode()
    assert "Todas las líneas dentro de la tolerancia" not in page
    assert "Ninguna línea fuera de la tolerancia" in page and "2 líneas sin pronóstico o sin meta en el POM" in page


def test_the_page_flags_with_an_icon_and_words_and_keeps_a_refused_tolerance(plans, chosen, client_as):
    client = client_as("profesional_planes_programas")
    url = f"/programacion/{chosen.pk}/comparacion/"
    response = client.post(f"/programacion/{chosen.pk}/tolerancia/", {"tolerance": "5"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert 'data-flag="por_encima"' in page and "Por encima" in page and "1 línea fuera de la tolerancia" in page
    assert "conservador" in page and "Meta vigente del POM" in page and plans["land"].unit.name in page
    for typed, message in (("cinco", "número"), ("150", "100"), ("", "obligatorio")):
        response = client.post(f"/programacion/{chosen.pk}/tolerancia/", {"tolerance": typed})
        page = response.content.decode()
        assert response.status_code == 400 and 'id="tolerance_errors"' in page and message in page
        assert f'name="tolerance" id="id_tolerance" value="{typed}"' in page
    chosen.refresh_from_db()
    assert chosen.tolerance == 5
    jefe = client_as("jefe_planes_programas")
    assert jefe.post(f"/programacion/{chosen.pk}/tolerancia/", {"tolerance": "15"}).status_code == 302
    assert 'data-flag="por_encima"' not in jefe.get(url).content.decode()
    assert client_as("enlace_area").get(url).status_code == 403
    assert (
        client_as("estadistica").post(f"/programacion/{chosen.pk}/tolerancia/", {"tolerance": "1"}).status_code == 403
    )


def test_step_3_shows_the_flags_and_the_workbook_holds_the_table(plans, demo, chosen, client_as):
    programming.set_tolerance(chosen, Decimal(5), actor=demo["profesional_planes_programas"])
    client = client_as("profesional_planes_programas")
    page = client.get(f"/expedientes/{chosen.case.pk}/").content.decode()
    assert 'data-testid="step-p5-comparison"' in page and "1 de " in page and "difiere del POM en más de 5" in page
    response = client.get(f"/programacion/{chosen.pk}/comparacion.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "conservador" in rows[2][0]
    flagged = [row for row in rows[4:] if row[11] == "Por encima de la tolerancia"]
    assert len(flagged) == 1 and flagged[0][1].startswith("P02-02") and 9.9 < flagged[0][10] < 10.1
    assert any(row[4] == "Total del subproducto" for row in rows)
    # figures grouped by thousands and the % with one decimal, as on the page; titles and names stay in sight
    first = list(sheet.iter_rows(min_row=5, max_row=5))[0]
    assert [c.number_format for c in first[5:10]] == ["#,##0"] * 5 and first[10].number_format == '0.0" %"'
    assert sheet.freeze_panes == "F5"


def test_a_variable_keeps_measuring_its_subproduct_in_a_new_pei_version(plans, demo, done_run):
    """The run's variable points at P02-02 of another PEI version (a copy with the same code): the comparison of
    the POA still finds its forecasts, by code in the POA's own PEI."""
    from planea.statistics.models import StatisticalVariable
    from planea.strategy.versions import new_version

    land = plans["land"]
    version = new_version(plans["pei"], actor=demo["jefe_planes_programas"], reason="Revisión de medio término.")
    copy = version.subproducts.get(code=land.code)
    StatisticalVariable.objects.filter(subproduct=land).update(subproduct=copy)
    found = at_step_3(started(plans, demo), done_run, demo)
    lines = comparison.comparison(found).lines
    assert lines and all(line.forecast is not None for line in lines)
