"""P5 step 5: the proposal against the money (money.py) on the fixture's known numbers, and its page."""

from decimal import Decimal

import pytest
from django.db import transaction

from planea.forecasting import money
from planea.forecasting.models import ForecastValue
from planea.forecasting.proposal import whole
from planea.operations import goals
from planea.operations.ceilings import set_ceilings
from planea.operations.models import InputRequirement, PhysicalGoal

from .p5 import start_programming, through_step_4

pytestmark = pytest.mark.django_db


@pytest.fixture
def programming(plans, demo, done_run):
    return start_programming(plans, demo, done_run)


def _expected(plans, done_run):
    """The fixture's numbers: matrix Q 3,150.00 (100 gallons × Q 31.50), the POA's programmed land posts, the run's
    forecast of the year as the goals take it."""
    land = plans["land"]
    planned = sum(v for (s, _c, _y, _m), v in goals.values_of(plans["poa"]).items() if s == land.pk)
    # the whole units the goal cells would take, month by month (one variable per center in the fixture)
    months = ForecastValue.objects.filter(series__run=done_run).values_list("yhat", flat=True)
    forecast = Decimal(sum(whole(yhat) for yhat in months))
    return planned, forecast


def test_unit_cost_and_proposal_cost_against_a_ceiling_that_covers(plans, demo, done_run, programming):
    planned, forecast = _expected(plans, done_run)
    report = money.money_report(programming)
    [product] = report.products
    [land] = product.subproducts
    assert land.code == "P02-02" and land.matrix_amount == Decimal("3150.00") and land.planned == planned
    assert land.forecast == forecast
    assert land.unit_cost == Decimal("3150.00") / planned
    assert land.cost == (forecast * Decimal("3150.00") / planned).quantize(Decimal("0.01"))
    assert land.ceiling is None and product.ceiling == Decimal("5000.00")  # the fixture's product ceiling
    assert land.cost < product.ceiling and not product.uncovered and not report.uncovered_subproducts
    assert report.total_cost == land.cost and report.total_shortfall == 0


def test_a_ceiling_that_cannot_cover_is_flagged_with_its_shortfall(plans, demo, done_run, programming):
    land = plans["land"]
    set_ceilings(
        plans["poa"],
        {(land.product_id, land.pk): Decimal("1000.00"), (land.product_id, None): Decimal("2000.00")},
        actor=demo["subdireccion_financiera"],
    )
    report = money.money_report(programming)
    [product] = report.products
    [sub] = product.subproducts
    assert sub.cost is not None
    assert sub.uncovered and sub.shortfall == sub.cost - Decimal("1000.00") > 0
    assert product.uncovered and product.shortfall == sub.cost - Decimal("2000.00")
    assert report.uncovered_subproducts == [sub] and report.uncovered_products == [product]
    assert report.total_shortfall == max(product.shortfall, sub.shortfall)
    page = _page(demo, programming)
    assert 'data-testid="money-uncovered"' in page and "1 subproducto que el presupuesto no cubre" in page
    shortfall = f"Q {sub.shortfall:,.2f}"
    assert shortfall in page
    # the amounts say «(Q)» in their column titles, not «Q» in each cell (it broke apart from the figure);
    # the forecast shows its two decimals on every row
    assert "Costo de la propuesta (Q)" in page and "Faltante (Q)" in page
    row = page[page.index('data-code="P02-02"') :]
    row = row[: row.index("</tr>")]
    assert f'<td class="text-end">{sub.cost:,.2f}</td>' in row and "Q " not in row
    assert f'<td class="text-end">{sub.forecast:,.2f}</td>' in row


def _page(demo, programming):
    from django.test import Client

    client = Client()
    client.force_login(demo["jefe_planes_programas"])
    response = client.get(f"/programacion/{programming.pk}/metas-financieras/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_missing_unit_cost_is_said_not_taken_as_zero(plans, demo, programming):
    InputRequirement.objects.filter(plan=plans["poa"]).delete()
    [sub] = money.money_report(programming).subproducts
    assert sub.matrix_amount is None and sub.unit_cost is None and sub.cost is None
    assert sub.missing == "sin matriz de insumos: no hay costo unitario" and not sub.uncovered
    page = _page(demo, programming)
    assert 'data-testid="money-missing"' in page and "sin matriz de insumos" in page
    assert "incompleto" in page  # the product's sum leaves the subproduct out, and says so


def test_no_programmed_goals_no_unit_cost(plans, demo, programming):
    poa = plans["poa"]
    zero = {key: 0 for key in goals.values_of(poa)}
    with transaction.atomic():
        goals.write(goals.lock_plan(poa), zero, actor=None, action="goals_imported", summary="%(n)s")
    [sub] = money.money_report(programming).subproducts
    assert sub.planned == 0 and sub.unit_cost is None and "sin metas programadas" in sub.missing
    assert PhysicalGoal.objects.filter(plan=poa).exists()


def test_step_5_shows_the_summary_and_links_the_page(plans, demo, programming):
    case = programming.case
    through_step_4(programming, demo)
    from django.test import Client

    client = Client()
    client.force_login(demo["jefe_planes_programas"])
    page = client.get(f"/expedientes/{case.pk}/").content.decode()
    assert 'data-testid="money-summary"' in page
    assert f'href="/programacion/{programming.pk}/metas-financieras/"' in page
