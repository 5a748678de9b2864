"""Browser journey of a new POA that starts from the POM's annual goals instead of empty."""

import re

import pytest
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.operations import goals
from planea.operations.models import OperationalPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_poa_starts_from_the_poms_annual_goals(page, plans):
    sign_in(page, "jefe_planes_programas")
    page.goto("/planes/")
    page.get_by_label("Tipo").select_option("annual")
    page.get_by_label("Año inicial").fill("2027")
    page.locator("#id_strategic_plan").select_option(str(plans["pei"].pk))
    page.get_by_label("POM de referencia").select_option(str(plans["pom"].pk))
    page.get_by_label("Metas iniciales del POA").select_option("pom")
    screenshot(page, "new-poa-from-pom")
    page.get_by_role("button", name="Crear en borrador").click()
    expect(page.get_by_role("alert").filter(has_text="POA-2027 creado en borrador")).to_contain_text(
        re.compile(r"Empieza con [\d,]+ metas mensuales")
    )
    poa = OperationalPlan.objects.get(code="POA-2027")
    total = sum(v for (_s, _c, y, _m), v in goals.values_of(plans["pom"], attr="current").items() if y == 2027)
    assert total and sum(goals.values_of(poa).values()) == total
