"""Browser journeys of the layouts: on a 1366×768 screen the goal grid, the POA summary and the PEI's results chain
show the whole year and its totals without scrolling sideways (the menu gives way, and can be hidden or shown, as
the person leaves it); on a 390-px phone the procedures list and the inbox keep to the screen."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.operations import goals
from planea.operations.demo import goal_values
from planea.procedures import cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def national_goals(plans, demo):
    """Every subproduct of the POA with the demo's national goals: a year of six-digit months, totals in millions."""
    poa = plans["poa"]
    with transaction.atomic():
        goals.write(
            goals.lock_plan(poa),
            goal_values(poa),
            actor=demo["jefe_planes_programas"],
            action="goals_imported",
            summary="%(n)s",
        )


def no_page_scroll(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"the page is {width} px wide on a {viewport}-px screen"


def in_view(page, locator, what):
    """`locator` is on screen from left to right, and so is everything its table holds: neither the page nor the
    table's own frame scrolls sideways."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None and box["width"] > 0, what
    viewport = page.viewport_size["width"]
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport, f"{what} is off screen: {box}"
    frame = locator.evaluate(
        "e => { const f = e.closest('.table-responsive'); return f ? [f.scrollWidth, f.clientWidth] : [0, 0]; }"
    )
    assert frame[0] <= frame[1], f"the table of {what} scrolls sideways ({frame[0]} px in {frame[1]})"


def shot(page, name):
    """A screenshot of the whole page from its top, where the sticky bar and headers sit."""
    page.evaluate("window.scrollTo(0, 0)")
    return screenshot(page, name)


def header(table, name):
    return table.locator("thead th").filter(has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))


def test_the_year_and_its_totals_fit_a_1366_screen(page, plans, demo):
    national_goals(plans, demo)
    poa = plans["poa"]
    page.set_viewport_size(LAPTOP)
    sign_in(page, "jefe_planes_programas")

    page.goto(f"/planes/{poa.pk}/metas/?subproducto={plans['land'].pk}")
    grid = page.locator("[data-goal-grid]")
    expect(page.locator("#menu-principal")).to_be_hidden()  # gives way to the year on a screen this size
    for name in ("Dic", "Total"):
        in_view(page, header(grid, name), f"the goal grid's column {name}")
    in_view(page, grid.locator("[data-grand-total]"), "the goal grid's grand total")
    last = grid.locator("tbody tr").first.locator("input[name^='c-']").last
    in_view(page, last, "December's cell")
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", last.input_value())  # six-digit goals, grouped
    no_page_scroll(page)
    grid_shot = shot(page, "layout-1366-goal-grid")

    page.goto(f"/planes/{poa.pk}/")
    summary = page.locator("table.totals")
    for name in ("Dic", "Total"):
        in_view(page, header(summary, name), f"the POA summary's column {name}")
    for unit_total in summary.locator("[data-unit-total]").all():
        in_view(page, unit_total.locator("td").last, "a unit's year total")
    no_page_scroll(page)
    summary_shot = shot(page, "layout-1366-poa-summary")
    # The folded totals by cost center show that they open; opened, they keep each unit of measure apart.
    fold = page.get_by_test_id("centers-fold")
    opener = fold.locator("summary")
    expect(opener.locator(".bi-chevron-right")).to_be_visible()
    expect(opener.locator("[data-closed-hint]")).to_be_visible()
    expect(opener.locator("[data-closed-hint]")).to_have_text("(haga clic para abrir)")
    opener.click()
    centers = fold.locator("table.totals")
    expect(centers.locator("tbody[data-unit='persona'] [data-unit-total]")).to_contain_text("Total (persona)")
    expect(centers.locator("tbody[data-unit='documento'] [data-unit-total]")).to_contain_text("Total (documento)")
    expect(opener.locator("[data-closed-hint]")).to_be_hidden()
    in_view(page, header(centers, "Total"), "the total by cost center")
    no_page_scroll(page)

    page.goto(f"/pei/{plans['pei'].pk}/")
    chain = page.get_by_test_id("results-chain")
    for name in ("2030", "Responsable"):
        in_view(page, header(chain, name), f"the PEI chain's column {name}")
    for row in chain.locator("tbody tr[id^='indicador-']").all():
        in_view(page, row.locator("td[data-year='2030']"), "a 2030 target")
        in_view(page, row.get_by_test_id("responsible"), "a responsible unit")
        code = row.locator("th code").first
        assert code.evaluate("e => e.getClientRects().length") == 1  # «IND-04» never broken across lines
    expect(chain.locator("tr", has_text="IND-04")).to_contain_text("7,800,000")  # targets grouped by thousands
    no_page_scroll(page)
    chain_shot = shot(page, "layout-1366-pei-chain")
    print("\nscreenshots:", grid_shot, summary_shot, chain_shot)
    assert not page.csp_errors and not page.outside_requests


def test_the_menu_can_be_hidden_and_shown_and_stays_as_left(page, plans):
    page.set_viewport_size(LAPTOP)
    sign_in(page, "jefe_planes_programas")
    menu, toggle = page.locator("#menu-principal"), page.locator("[data-menu-toggle]")
    expect(menu).to_be_visible()  # a page without a table of the whole year keeps it
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_accessible_name("Mostrar menú")
    page.goto("/procedimientos/")
    expect(menu).to_be_hidden()  # remembered on the next page, without a flash (the server reads the choice)
    assert "menu-collapsed" in page.locator("body").get_attribute("class")
    toggle.click()
    expect(menu).to_be_visible()
    page.goto(f"/planes/{plans['poa'].pk}/metas/?subproducto={plans['land'].pk}")
    expect(menu).to_be_visible()  # shown on purpose: kept even beside the year's table
    no_page_scroll(page)  # which then scrolls in its own frame, its cost centers held
    first_column = page.locator("[data-goal-grid] tbody th.cc").first
    left = first_column.bounding_box()["x"]
    moved = page.locator(".goal-grid-wrap").evaluate(
        "frame => { frame.scrollLeft = frame.scrollWidth; return frame.scrollLeft; }"
    )
    assert moved > 0 and abs(first_column.bounding_box()["x"] - left) < 1
    toggle.click()
    expect(menu).to_be_hidden()
    assert not page.csp_errors and not page.outside_requests


def test_on_a_phone_the_procedures_list_and_the_inbox_keep_to_the_screen(page, demo):
    case = cases.start_case(
        code="11.01.U0.P1",
        title="Actualización del PEI 2027-2031",
        subject="Versión 2",
        actor=demo["subdirector_planificacion"],
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "subdirector_planificacion")
    row = page.locator(f'tr[data-case="{case.number}"]').first
    expect(row).to_be_visible()
    table = row.locator("xpath=ancestor::table")
    in_view(page, header(table, "Vence"), "the inbox's deadline column")
    in_view(page, row.locator("td").nth(-2), "the step's deadline")
    in_view(page, row.get_by_test_id("timeliness"), "the step's timeliness")
    no_page_scroll(page)
    # nor does the table scroll inside its frame (a state badge cut at the frame's edge: «En riesg»)
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
    shot(page, "layout-390-inbox")

    page.goto("/procedimientos/")
    register = page.get_by_test_id("procedure-register")
    expect(register).to_be_visible()
    no_page_scroll(page)
    in_view(page, header(register, "En trámite"), "the open cases column")
    p1 = register.locator('tr[data-code="11.01.U0.P1"]')
    in_view(page, p1.get_by_role("link", name="11.01.U0.P1"), "the procedure's code")
    in_view(page, p1.get_by_role("link", name="Iniciar expediente").locator("visible=true"), "the start of a case")
    shot(page, "layout-390-procedures")
    assert not page.csp_errors and not page.outside_requests
