"""Physical goals (operations/goals.py) through the goal grid: totals, bad cells, the edit conflict, the liaison's
area, a POM's years and a national-size grid."""

import re

import pytest

from conftest import form_of, goal_cell, grid_url, put_goal
from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.operations import goals, lifecycle, totals
from planea.operations.models import PhysicalGoal
from planea.org.models import CostCenter

pytestmark = pytest.mark.django_db


def cell(plans, code="0209", month=1):
    return goal_cell(plans["poa"], plans["land"], code, month)


def test_the_grid_shows_row_cuatrimestre_and_year_totals(plans, client_as):
    page = client_as("profesional_planes_programas").get(grid_url(plans)).content.decode()
    assert "I cuatrimestre" in page and "Valle Nuevo" in page
    assert "1.175.000" in page or "1,175,000" in page  # Valle Nuevo's year (25 % of 4.7 million)
    assert "4.700.000" in page or "4,700,000" in page  # the grand total


def test_saving_the_grid_and_refusing_bad_cells(plans, client_as):
    client = client_as("profesional_planes_programas")
    data = form_of(client.get(grid_url(plans)).content.decode())
    target = f"c-{cell(plans).cost_center_id}-2026-1"
    response = client.post(
        f"/planes/{plans['poa'].pk}/metas/guardar/", {**data, "subproducto": plans["land"].pk, target: "-3"}
    )
    assert response.status_code == 400 and "Puesto Fronterizo Valle Nuevo — Ene: no puede ser negativo." in (
        response.content.decode()
    )
    assert cell(plans).planned != 3
    response = client.post(
        f"/planes/{plans['poa'].pk}/metas/guardar/", {**data, "subproducto": plans["land"].pk, target: "90,000"}
    )
    assert response.status_code == 302
    assert (cell(plans).planned, cell(plans).current) == (90_000, 90_000)
    saved = AuditEvent.objects.filter(action="goals_saved").latest("seq")
    assert saved.summary == "1 meta de P02-02 guardada en POA-2026"  # not «1 metas»
    # Cells posted with a subproduct the plan does not have (or none) are never saved into another subproduct.
    for other in ("99999", ""):
        response = client.post(f"/planes/{plans['poa'].pk}/metas/guardar/", {**data, "subproducto": other, target: "7"})
        assert response.status_code == 400 and "El subproducto de la cuadrícula no es de este plan" in (
            response.content.decode()
        )
    assert 7 not in goals.values_of(plans["poa"]).values()


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_grid_shows_its_cells_grouped_and_reads_them_back_as_shown(plans, demo, client_as, settings, language):
    """A cell shows 108,570 as every number of Planea does; posted back as shown, or typed that way, it is the
    number, in either language."""
    client = client_as("profesional_planes_programas")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(grid_url(plans)).content.decode()
    valle, pedro = cell(plans), cell(plans, "0210")
    a, b = f"c-{valle.cost_center_id}-2026-1", f"c-{pedro.cost_center_id}-2026-1"
    assert valle.planned >= 1000 and f'name="{a}" value="{valle.planned:,}"' in page
    shown = form_of(page)
    assert shown[a] == f"{valle.planned:,}" and shown[f"o-{a[2:]}"] == str(valle.planned)  # seen: as stored
    url = f"/planes/{plans['poa'].pk}/metas/guardar/"
    before = goals.values_of(plans["poa"])
    assert client.post(url, {**shown, "subproducto": plans["land"].pk}).status_code == 302
    assert goals.values_of(plans["poa"]) == before
    assert client.post(url, {**shown, "subproducto": plans["land"].pk, a: "123,456"}).status_code == 302
    assert cell(plans).planned == 123_456
    # Someone else changes a cell this page shows grouped and untouched; a refused save shows their value there,
    # not the page's old one (the grouped text is the number seen, not the person's change).
    put_goal(plans["poa"], plans["land"], CostCenter.objects.get(code="0210"), 1, 7)
    response = client.post(url, {**shown, "subproducto": plans["land"].pk, a: "-1"})
    assert response.status_code == 400 and f'name="{b}" value="7"' in response.content.decode()
    # Read only once approved, grouped all the same.
    lifecycle.approve([plans["poa"]], actor=demo["subdirector_planificacion"])
    page = client.get(grid_url(plans)).content.decode()
    assert re.search(rf'name="{a}" value="123,456"[^>]*readonly', page)


def test_two_people_editing_at_once_meet_a_conflict_and_nothing_is_lost(plans, client_as):
    first, second = client_as("profesional_planes_programas"), client_as("jefe_planes_programas")
    seen_first = form_of(first.get(grid_url(plans)).content.decode())
    seen_second = form_of(second.get(grid_url(plans)).content.decode())
    valle, pedro = cell(plans), cell(plans, "0210")
    a, b = f"c-{valle.cost_center_id}-2026-1", f"c-{pedro.cost_center_id}-2026-1"
    url = f"/planes/{plans['poa'].pk}/metas/guardar/"
    assert first.post(url, {**seen_first, "subproducto": plans["land"].pk, a: "111"}).status_code == 302
    # The second person changed the same cell and another one: a conflict, nothing written, their values kept.
    response = second.post(url, {**seen_second, "subproducto": plans["land"].pk, a: "222", b: "333"})
    page = response.content.decode()
    assert response.status_code == 409 and "Otra persona guardó cambios" in page
    assert "Guardado por" in page and 'value="222"' in page and 'value="333"' in page
    assert (cell(plans).planned, cell(plans, "0210").planned) == (111, pedro.planned)
    # Saving again from the page they now see overrides deliberately and keeps both changes.
    assert second.post(url, {**form_of(page), "subproducto": plans["land"].pk}).status_code == 302
    assert (cell(plans).planned, cell(plans, "0210").planned) == (222, 333)
    # Cells changed by only one of them merge without a conflict.
    seen = form_of(first.get(grid_url(plans)).content.decode())
    other = f"c-{pedro.cost_center_id}-2026-2"
    second.post(url, {**seen, "subproducto": plans["land"].pk, other: "7"})
    assert first.post(url, {**seen, "subproducto": plans["land"].pk, a: "444"}).status_code == 302
    assert (cell(plans).planned, cell(plans, "0210", 2).planned) == (444, 7)
    assert verify_chain().ok


def test_the_liaison_reads_the_area_until_approval_and_the_institution_after(plans, demo, client_as):
    client = client_as("enlace_area")
    poa = plans["poa"]
    airports = plans["pei"].subproducts.get(code="P02-01")
    put_goal(poa, airports, CostCenter.objects.get(code="0101"), 1, 9)
    own = client.get(f"/planes/{poa.pk}/metas/?subproducto={plans['land'].pk}").content.decode()
    assert "Valle Nuevo" in own and 'name="c-' in own
    other = client.get(f"/planes/{poa.pk}/metas/?subproducto={airports.pk}").content.decode()
    assert "La Aurora" not in other  # another area's draft goals
    summary = client.get(f"/planes/{poa.pk}/").content.decode()
    centers = client.get(f"/planes/{poa.pk}/centros/").content.decode()
    assert 'data-testid="area-only"' in summary and 'data-testid="area-only"' in centers
    assert "La Aurora" not in centers and "Valle Nuevo" in centers
    assert client.get(f"/planes/{poa.pk}/consistencia/").status_code == 403
    assert client.get(f"/planes/{poa.pk}/anteproyecto.pdf").status_code == 403
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    other = client.get(f"/planes/{poa.pk}/metas/?subproducto={airports.pk}").content.decode()
    assert "La Aurora" in other and "readonly" in other  # approved: public, read-only
    assert "puede pegar" not in other  # a read-only grid does not offer to paste
    summary = client.get(f"/planes/{poa.pk}/").content.decode()
    centers = client.get(f"/planes/{poa.pk}/centros/").content.decode()
    assert 'data-testid="area-only"' not in summary and "La Aurora" in centers


def test_the_liaison_saves_a_grid_that_also_shows_other_areas(plans, client_as):
    """The read-only rows of other areas are posted with the grid; only the cells the liaison changed are checked."""
    mixed = plans["land"]
    mine = CostCenter.objects.get(code="0209")
    theirs = CostCenter.objects.get(code="0101")  # an airport, of another area: a row because it holds a goal
    put_goal(plans["poa"], mixed, theirs, 1, 7)
    client = client_as("enlace_area")
    url = f"/planes/{plans['poa'].pk}/metas/?subproducto={mixed.pk}"
    # A page that shows the other area's row read-only (an older page, or another client) posts it unchanged.
    data = {**form_of(client.get(url).content.decode()), f"c-{theirs.pk}-2026-1": "7", f"o-{theirs.pk}-2026-1": "7"}
    save = f"/planes/{plans['poa'].pk}/metas/guardar/"
    response = client.post(save, {**data, "subproducto": mixed.pk, f"c-{mine.pk}-2026-3": "1,234"})
    assert response.status_code == 302
    assert goal_cell(plans["poa"], mixed, mine, 3).planned == 1234
    data = form_of(client.get(url).content.decode())
    response = client.post(
        save, {**data, "subproducto": mixed.pk, f"c-{theirs.pk}-2026-3": "5", f"o-{theirs.pk}-2026-3": "0"}
    )
    assert (
        response.status_code == 400 and "No puede registrar metas de ese centro de costo" in response.content.decode()
    )
    assert goal_cell(plans["poa"], mixed, theirs, 1).planned == 7


def test_after_a_refused_save_the_subproduct_picker_still_opens_the_grid(plans, client_as):
    """The refused save is shown at the save address, which only takes POST: the picker must not submit there."""
    client = client_as("profesional_planes_programas")
    data = form_of(client.get(grid_url(plans)).content.decode())
    target = f"c-{cell(plans).cost_center_id}-2026-1"
    page = client.post(
        f"/planes/{plans['poa'].pk}/metas/guardar/", {**data, "subproducto": plans["land"].pk, target: "abc"}
    ).content.decode()
    assert f'<form method="get" action="/planes/{plans["poa"].pk}/metas/"' in page


def test_the_liaison_picks_among_the_area_subproducts_of_a_draft(plans, client_as):
    page = client_as("enlace_area").get(f"/planes/{plans['poa'].pk}/metas/").content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>(P\d\d-\d\d)', page)
    assert options == ["P02-02", "P03-04"]  # the land posts and the border worker cards, both of the area
    assert 'data-testid="area-only"' in page and "NaN" not in page


def test_a_national_size_grid_of_sixty_cost_centers_saves_from_the_screen(plans, client_as):
    land = plans["land"]
    model = land.cost_centers.first()
    extra = [
        CostCenter.objects.create(
            code=f"9{n:03d}",
            name=f"Delegación {n}",
            kind=model.kind,
            department=model.department,
            municipality=model.municipality,
            org_unit=model.org_unit,
        )
        for n in range(60 - land.cost_centers.count())
    ]
    # The approved PEI does not change: the extra rows are cost centers that already hold a goal of the subproduct.
    PhysicalGoal.objects.bulk_create(
        PhysicalGoal(plan=plans["poa"], subproduct=land, cost_center=c, year=2026, planned_1=1, current_1=1)
        for c in extra
    )
    client = client_as("profesional_planes_programas")
    data = form_of(client.get(grid_url(plans)).content.decode())
    assert len(data) == 60 * 12 * 2  # every cell posts its value and the value seen: 1,440 fields and two more
    target = f"c-{extra[-1].pk}-2026-12"
    response = client.post(
        f"/planes/{plans['poa'].pk}/metas/guardar/", {**data, "subproducto": land.pk, target: "4321"}
    )
    assert response.status_code == 302
    assert goal_cell(plans["poa"], land, extra[-1], 12).planned == 4321


def test_a_bad_value_is_shown_on_its_cell_however_its_name_was_written(plans, client_as):
    client = client_as("profesional_planes_programas")
    data = form_of(client.get(grid_url(plans)).content.decode())
    center = cell(plans).cost_center_id
    outsider = CostCenter.objects.exclude(pk__in=plans["land"].cost_centers.all()).first()
    posted = {**data, "subproducto": plans["land"].pk, f"c-0{center}-2026-1": "abc", f"c-{outsider.pk}-2026-2": "x"}
    response = client.post(f"/planes/{plans['poa'].pk}/metas/guardar/", posted)
    page = response.content.decode()
    assert response.status_code == 400 and "Puesto Fronterizo Valle Nuevo — Ene: «abc» no es un número." in page
    assert re.search(rf'name="c-{center}-2026-1" value="[^"]*"[^>]*title="Ene: «abc» no es un número', page)
    assert "una celda de un centro de costo que esta cuadrícula no muestra — Feb: «x» no es un número." in page


def test_a_pom_grid_saves_a_year_into_its_row_and_its_totals_follow(plans, client_as):
    """A POM's goals are one column (the whole year) of a row per year: the grid shows a column per year, a saved
    year lands in that year's row, and the plan page totals it by year; the POA is compared with its year."""
    pom, poa, land = plans["pom"], plans["poa"], plans["land"]
    client = client_as("profesional_planes_programas")
    url = f"/planes/{pom.pk}/metas/?subproducto={land.pk}"
    valle = CostCenter.objects.get(code="0209")
    data = form_of(client.get(url).content.decode())
    assert {name for name in data if name.startswith(f"c-{valle.pk}-")} == {
        f"c-{valle.pk}-{year}-0" for year in range(2026, 2031)
    }
    before = goals.values_of(pom)
    response = client.post(
        f"/planes/{pom.pk}/metas/guardar/", {**data, "subproducto": land.pk, f"c-{valle.pk}-2028-0": "123,456"}
    )
    assert response.status_code == 302
    after = goals.values_of(pom)
    assert after[(land.pk, valle.pk, 2028, 0)] == 123_456
    assert {k: v for k, v in after.items() if k != (land.pk, valle.pk, 2028, 0)} == {
        k: v for k, v in before.items() if k != (land.pk, valle.pk, 2028, 0)
    }
    assert goal_cell(pom, land, valle, 0, year=2028).current == 123_456  # a draft: current follows programmed
    lines = {line.key: line for line in totals.by_subproduct(pom, "planned")}
    by_year = [
        sum(v for (s, _c, y, _m), v in after.items() if s == land.pk and y == year) for year in range(2026, 2031)
    ]
    assert lines[land.pk].values == by_year and lines[land.pk].total == sum(by_year)
    comparison = {c.code: c for c in totals.poa_against_pom(poa)}
    assert comparison[land.code].pom == by_year[0]  # the POA of 2026 against the POM's 2026


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_to_htmx_the_grid_answers_its_table_alone_and_a_plain_request_the_whole_page(plans, demo, client_as):
    client = client_as("profesional_planes_programas")
    airports = plans["pei"].subproducts.get(code="P02-01")
    response = client.get(f"/planes/{plans['poa'].pk}/metas/?subproducto={airports.pk}", **HTMX)
    table = response.content.decode()
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    assert table.lstrip().startswith('<div id="grid-table"') and table.rstrip().endswith("</div>")
    assert "<html" not in table and "data-goal-grid" in table and f'name="subproducto" value="{airports.pk}"' in table
    assert 'id="pick-sub"' not in table  # the picker stays on the page
    page = client.get(f"/planes/{plans['poa'].pk}/metas/?subproducto={airports.pk}").content.decode()
    assert "<html" in page and 'id="pick-sub"' in page and 'hx-get="/planes/' in page
    assert page.count('<div id="grid-table"') == 1 and "data-goal-grid" in page
    restored = client.get(grid_url(plans), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX).content.decode()
    assert "<html" in restored  # a return through history asks for the whole page
    lifecycle.approve([plans["poa"]], actor=demo["subdirector_planificacion"])
    table = client_as("jefe_planes_programas").get(grid_url(plans), **HTMX).content.decode()
    assert 'id="grid-reprogram" hx-swap-oob="true"' in table and f"?subproducto={plans['land'].pk}" in table


def test_to_htmx_a_save_answers_the_table_saved_refused_or_in_conflict(plans, client_as):
    client, other = client_as("profesional_planes_programas"), client_as("jefe_planes_programas")
    url = f"/planes/{plans['poa'].pk}/metas/guardar/"
    seen = form_of(client.get(grid_url(plans)).content.decode())
    target = f"c-{cell(plans).cost_center_id}-2026-1"
    response = client.post(url, {**seen, "subproducto": plans["land"].pk, target: "abc"}, **HTMX)
    table = response.content.decode()
    assert response.status_code == 400 and "<html" not in table and "«abc» no es un número" in table
    assert "Corrija las celdas marcadas; no se guardó nada." in table  # the message goes with the table
    response = client.post(url, {**seen, "subproducto": plans["land"].pk, target: "123"}, **HTMX)
    table = response.content.decode()
    assert response.status_code == 200 and "<html" not in table and "1 meta guardada en P02-02." in table
    assert cell(plans).planned == 123 and 'value="123"' in table
    assert other.post(url, {**seen, "subproducto": plans["land"].pk, target: "456"}, **HTMX).status_code == 409
    assert client.post(url, {**seen, "subproducto": plans["land"].pk, target: "456"}).status_code == 409
