"""Browser journeys of the POA goals: edit the grid from the keyboard and by pasting from Excel with live totals,
meet the edit conflict when two people change the same cell, and import an Excel template and see the totals."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import goal_cell, screenshot, sign_in
from planea.operations import goals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def goal(plans, code, month):
    return goal_cell(plans["poa"], plans["land"], code, month)


def open_grid(page, plans):
    page.goto(f"/planes/{plans['poa'].pk}/metas/?subproducto={plans['land'].pk}")
    expect(page.get_by_role("heading", name=re.compile("Metas físicas"))).to_be_visible()


def cell(page, plans, code, month):
    return page.locator(f'input[name="c-{goal(plans, code, month).cost_center_id}-2026-{month}"]')


def row_total(page, plans, code):
    return cell(page, plans, code, 1).locator("xpath=ancestor::tr").locator("[data-row-total]")


def test_edit_the_grid_from_the_keyboard_and_by_pasting(page, plans):
    sign_in(page, "profesional_planes_programas")
    open_grid(page, plans)
    first = cell(page, plans, "0209", 1)
    first.click()
    page.keyboard.type("1000")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("2000")
    page.keyboard.press("Enter")  # moves down to Pedro de Alvarado, February
    expect(cell(page, plans, "0210", 2)).to_be_focused()
    # A cell left shows its number grouped, as the totals do; entered again, it is plain digits to type over.
    expect(first).to_have_value("1,000")
    expect(cell(page, plans, "0209", 2)).to_have_value("2,000")
    first.focus()
    expect(first).to_have_value("1000")
    rest = sum(goal(plans, "0209", m).planned for m in range(3, 13))
    expect(row_total(page, plans, "0209")).to_have_text(f"{3000 + rest:,}")
    # A block copied from Excel (two rows, three months) lands from the focused cell on.
    cell(page, plans, "0210", 1).focus()
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData("text/plain", "10\\t20\\t30\\n40\\t50\\t60\\n");
            document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }"""
    )
    expect(cell(page, plans, "0211", 3)).to_have_value("60")
    expect(page.locator("[data-dirty-note]")).to_be_visible()
    # A goal past the column's bound is marked at once, as the server would refuse it, and counts in no total.
    too_large = cell(page, plans, "0211", 4)
    before = row_total(page, plans, "0211").inner_text()
    too_large.fill("3000000000")
    too_large.dispatch_event("input")
    expect(too_large).to_have_class(re.compile(r"\bis-invalid\b"))
    old = goal(plans, "0211", 4).planned
    expect(row_total(page, plans, "0211")).to_have_text(f"{int(before.replace(',', '')) - old:,}")
    too_large.fill(str(old))
    too_large.dispatch_event("input")
    expect(too_large).not_to_have_class(re.compile(r"\bis-invalid\b"))
    expect(row_total(page, plans, "0211")).to_have_text(before)
    screenshot(page, "grid-edited")
    page.get_by_role("button", name="Guardar metas").click()
    expect(page.locator(".alert-success")).to_contain_text("metas guardadas en P02-02")
    assert [goal(plans, "0209", m).planned for m in (1, 2)] == [1000, 2000]
    assert [goal(plans, "0210", m).planned for m in (1, 2, 3)] == [10, 20, 30]
    assert [goal(plans, "0211", m).planned for m in (1, 2, 3)] == [40, 50, 60]
    total = sum(goals.values_of(plans["poa"], [plans["land"].pk]).values())
    expect(page.locator("[data-grand-total]")).to_have_text(f"{total:,}")
    assert not page.csp_errors and not page.outside_requests


def test_two_people_change_the_same_cell_and_meet_the_conflict(page, browser, live_server, plans):
    sign_in(page, "profesional_planes_programas")
    open_grid(page, plans)
    other = browser.new_context(base_url=live_server.url).new_page()
    sign_in(other, "jefe_planes_programas")
    open_grid(other, plans)
    cell(other, plans, "0209", 1).fill("5555")
    other.get_by_role("button", name="Guardar metas").click()
    expect(other.locator(".alert-success")).to_be_visible()

    cell(page, plans, "0209", 1).fill("7777")
    cell(page, plans, "0210", 1).fill("8888")
    page.get_by_role("button", name="Guardar metas").click()
    expect(page.locator(".alert-warning")).to_contain_text("Otra persona guardó cambios en 1 celda que usted")
    expect(page.locator(".conflict-note")).to_contain_text("Marco Antonio Pérez Ajú: 5,555")
    expect(cell(page, plans, "0209", 1)).to_have_value("7,777")
    expect(cell(page, plans, "0210", 1)).to_have_value("8,888")
    assert goal(plans, "0209", 1).planned == 5555
    screenshot(page, "grid-conflict")
    page.get_by_role("button", name="Guardar metas").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert (goal(plans, "0209", 1).planned, goal(plans, "0210", 1).planned) == (7777, 8888)
    # The browser logs the 409 answer itself; nothing else may appear in the console.
    assert not [e for e in page.csp_errors if "409 (Conflict)" not in e] and not page.outside_requests


def download_template(page, plans, *, signed_in=False):
    """The goals template of the POA, downloaded from the plan page by the head of Planes y Programas."""
    if not signed_in:
        sign_in(page, "jefe_planes_programas")
    page.goto(f"/planes/{plans['poa'].pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Metas a Excel").click()
    return load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))


def test_import_a_template_and_see_the_totals(page, plans, tmp_path):
    wb = download_template(page, plans)
    ws = wb["Metas"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "P02-02" and row[2].value == "0209":
            row[4].value = 0
            row[5].value = "muchos"
    bad = tmp_path / "metas-con-error.xlsx"
    wb.save(bad)
    page.goto(f"/planes/{plans['poa'].pk}/metas/importar/")
    page.locator('input[type="file"]').set_input_files(str(bad))
    page.get_by_role("button", name="Revisar e importar").click()
    expect(page.get_by_text(re.compile(r"columna «Feb»: «muchos» no es un número"))).to_be_visible()
    assert goal(plans, "0209", 1).planned != 0
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "P02-02" and row[2].value == "0209":
            row[5].value = 0
    expected = 4_700_000 - goal(plans, "0209", 1).planned - goal(plans, "0209", 2).planned
    good = tmp_path / "metas.xlsx"
    wb.save(good)
    page.locator('input[type="file"]').set_input_files(str(good))
    page.get_by_role("button", name="Revisar e importar").click()
    expect(page.locator(".alert-success")).to_contain_text("2 metas cambiaron")
    assert (goal(plans, "0209", 1).planned, goal(plans, "0209", 2).planned) == (0, 0)
    row = page.locator("table.totals").first.get_by_role("row", name=re.compile("P02-02"))
    expect(row.locator("td").last).to_have_text(f"{expected:,}")
    screenshot(page, "poa-totals")
    # The browser logs the refused file's 400 answer itself; nothing else may appear in the console.
    assert not [e for e in page.csp_errors if "400 (Bad Request)" not in e] and not page.outside_requests


def test_a_large_template_is_imported_in_the_background_with_progress(page, plans, tmp_path, settings):
    """Past PLANEA_IMPORT_INLINE_BYTES the upload answers at once with the job's page; the progress bar follows the
    worker, and the end shows every row error (nothing written) or the summary with the way back to the plan."""
    from django.core.management import call_command

    settings.PLANEA_IMPORT_INLINE_BYTES = 0
    wb = download_template(page, plans)
    ws = wb["Metas"]
    target = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "P02-02" and r[2].value == "0209")
    target[4].value, target[5].value = 111, "muchos"
    bad = tmp_path / "metas-con-error.xlsx"
    wb.save(bad)
    page.goto(f"/planes/{plans['poa'].pk}/metas/importar/")
    page.locator('input[type="file"]').set_input_files(str(bad))
    page.get_by_role("button", name="Revisar e importar").click()
    expect(page.get_by_role("heading", name="Trabajo en segundo plano")).to_be_visible()
    expect(page.get_by_test_id("job-status")).to_have_text("En cola")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(page.get_by_test_id("job-status")).to_have_text("Falló")  # the component polls every second
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("No se importó nada: se encontró 1 error.")
    expect(errors).to_contain_text("columna «Feb»: «muchos» no es un número")
    assert goal(plans, "0209", 1).planned != 111
    page.get_by_test_id("job-retry").click()  # back to the upload page, to send the corrected file
    expect(page).to_have_url(re.compile(rf"/planes/{plans['poa'].pk}/metas/importar/$"))

    target[5].value = 222
    good = tmp_path / "metas.xlsx"
    wb.save(good)
    page.locator('input[type="file"]').set_input_files(str(good))
    page.get_by_role("button", name="Revisar e importar").click()
    expect(page.get_by_test_id("job-status")).to_have_text("En cola")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(page.get_by_test_id("job-status")).to_have_text("Terminado")
    expect(page.get_by_test_id("job-message")).to_contain_text("2 metas cambiaron")
    expect(page.get_by_test_id("job-retry")).to_have_count(0)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    screenshot(page, "goals-import-job")
    page.get_by_test_id("job-next").click()
    expect(page).to_have_url(re.compile(rf"/planes/{plans['poa'].pk}/$"))
    assert (goal(plans, "0209", 1).planned, goal(plans, "0209", 2).planned) == (111, 222)
    assert not page.csp_errors and not page.outside_requests


def test_open_the_totals_by_cost_center_on_the_plan_page(page, plans):
    sign_in(page, "jefe_planes_programas")
    page.goto(f"/planes/{plans['poa'].pk}/?medida=programada")
    fold = page.get_by_test_id("centers-fold")
    expect(fold.locator("table")).to_have_count(0)  # read only when the section is opened
    fold.locator("summary").click()
    row = fold.locator("tbody tr", has_text="0209 ")
    year = sum(goal(plans, "0209", m).planned for m in range(1, 13))
    expect(row.locator("td").last).to_have_text(f"{year:,}")
    screenshot(page, "plan-totals-by-cost-center")
    fold.locator("summary").click()
    fold.locator("summary").click()  # closing and opening again does not read them twice
    expect(fold.locator("table")).to_have_count(1)
    assert not page.csp_errors and not page.outside_requests


def test_a_stale_template_does_not_undo_what_someone_else_saved(page, plans, demo, tmp_path):
    """The head downloads the template; meanwhile the subdirector saves Valle Nuevo's January in the grid. The
    head's file, which would put the old January back, is refused naming the row and who saved it; downloaded
    again, the same change imports and the subdirector's value stays."""
    wb = download_template(page, plans)
    january = goal(plans, "0209", 1)
    goals.save_grid(
        plans["poa"],
        plans["land"],
        {(january.cost_center_id, 2026, 1): (january.planned, 123_456)},
        actor=demo["subdirector_planificacion"],
    )
    for row in wb["Metas"].iter_rows(min_row=2):
        if row[0].value == "P02-02" and row[2].value == "0209":
            row[5].value = 777  # February
    stale = tmp_path / "metas-viejas.xlsx"
    wb.save(stale)
    page.goto(f"/planes/{plans['poa'].pk}/metas/importar/")
    expect(page.get_by_text(re.compile("descargó la plantilla, esa fila se rechaza"))).to_be_visible()
    page.locator('input[type="file"]').set_input_files(str(stale))
    page.get_by_role("button", name="Revisar e importar").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("se guardaron en Planea después de descargar la plantilla")
    expect(errors).to_contain_text(str(demo["subdirector_planificacion"]))
    february = goal(plans, "0209", 2).planned
    assert goal(plans, "0209", 1).planned == 123_456 and february != 777  # nothing written
    fresh = download_template(page, plans, signed_in=True)
    for row in fresh["Metas"].iter_rows(min_row=2):
        if row[0].value == "P02-02" and row[2].value == "0209":
            row[5].value = 777
    current = tmp_path / "metas.xlsx"
    fresh.save(current)
    page.goto(f"/planes/{plans['poa'].pk}/metas/importar/")
    page.locator('input[type="file"]').set_input_files(str(current))
    page.get_by_role("button", name="Revisar e importar").click()
    expect(page.locator(".alert-success")).to_contain_text("1 meta cambió")
    assert (goal(plans, "0209", 1).planned, goal(plans, "0209", 2).planned) == (123_456, 777)


def test_pick_another_subproduct_in_place_and_keep_unsaved_changes_until_asked(page, plans):
    """The picker swaps the table without reloading the page (HTMX); with a change not saved it asks first, and a
    refusal keeps the change and the subproduct on screen. The address follows the subproduct without adding to the
    history: the back button leaves the grid, where the page's own guard asks about changes not saved."""
    land, airports = plans["land"], plans["pei"].subproducts.get(code="P02-01")
    sign_in(page, "profesional_planes_programas")
    open_grid(page, plans)
    page.evaluate("window.sameGridPage = true")  # gone if the page were loaded again
    shown = page.locator('#grid-table input[name="subproducto"]')
    first = cell(page, plans, "0209", 1)
    first.fill("4321")
    first.dispatch_event("input")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator("#pick-sub").select_option(str(airports.pk))
    expect(page.locator("#pick-sub")).to_have_value(str(land.pk))
    assert questions and "Hay cambios sin guardar en esta cuadrícula" in questions[0]
    expect(first).to_have_value("4321")  # as typed: the cell was not left
    expect(shown).to_have_value(str(land.pk))
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#pick-sub").select_option(str(airports.pk))
    expect(shown).to_have_value(str(airports.pk))
    expect(page).to_have_url(re.compile(rf"subproducto={airports.pk}"))
    assert page.evaluate("window.sameGridPage") is True
    assert goal(plans, "0209", 1).planned != 4321  # discarded, as asked
    assert not page.csp_errors and not page.outside_requests
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"/metas/"))


def test_a_save_the_server_refuses_says_so_and_keeps_what_was_typed(page, plans):
    """A save refused before it reaches the grid (here a stale form token, as after signing in again in another tab:
    403) is not swapped in: the page says why above the table, the typed value stays and is still guarded."""
    sign_in(page, "profesional_planes_programas")
    open_grid(page, plans)
    first = cell(page, plans, "0209", 1)
    first.fill("4321")
    first.dispatch_event("input")
    page.evaluate(
        """() => {
          document.body.setAttribute("hx-headers", '{"X-CSRFToken": "caducado"}');
          document.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach((i) => { i.value = "caducado"; });
        }"""
    )
    page.get_by_role("button", name="Guardar metas").click()
    notice = page.locator("[data-request-failed-notice]")
    expect(notice).to_contain_text("La acción no se completó (error 403)")
    expect(first).to_have_value("4,321")
    assert goal(plans, "0209", 1).planned != 4321
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator("#pick-sub").select_option(str(plans["pei"].subproducts.get(code="P02-01").pk))
    assert questions  # still guarded: picking another subproduct asks first
    expect(first).to_have_value("4,321")
