"""Browser journey of the statistics: Estadística downloads the template of a year, fills it with one bad cell,
uploads it and reads the row error (sheet, row, column) on the job page, fixes it, uploads again and reads the
summary, then opens the series page and sees the chart and the value; the page reads on a phone too."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import screenshot, sign_in
from planea.statistics.models import StatisticalVariable, StatisticYear
from planea.strategy.models import UnitOfMeasure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def variable(demo):
    unit = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    return StatisticalVariable.objects.create(code="CTRL-TERR", name="Personas controladas", unit=unit)


def upload(page, path):
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Revisar y cargar").click()
    expect(page.get_by_role("heading", name="Trabajo en segundo plano")).to_be_visible()
    expect(page.get_by_test_id("job-status")).to_have_text("En cola")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_load_a_template_with_a_bad_cell_fix_it_and_see_the_series(page, variable, tmp_path, settings):
    settings.PLANEA_IMPORT_INLINE_BYTES = 0  # through the task worker, with the job page
    year = timezone.localdate().year - 1
    sign_in(page, "estadistica")
    page.get_by_role("link", name="Estadísticas").click()
    page.get_by_role("link", name="Cargar estadísticas").click()
    expect(page.get_by_role("heading", name="Cargar estadísticas")).to_be_visible()
    page.get_by_label("Año").select_option(str(year))
    with page.expect_download() as download:
        page.get_by_test_id("template-download").click()
    assert download.value.suggested_filename == f"estadisticas-{year}.xlsx"
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = workbook["Estadísticas"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "CTRL-TERR" and r[2].value == "0201")
    row[4].value, row[5].value = 65142, "muchos"
    bad = tmp_path / "estadisticas-con-error.xlsx"
    workbook.save(bad)

    upload(page, bad)
    expect(page.get_by_test_id("job-status")).to_have_text("Falló")  # the component polls every second
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("No se importó nada: se encontró 1 error.")
    expect(errors).to_contain_text(f"Hoja «Estadísticas», fila {row[0].row}, columna «Feb»: «muchos» no es un número")
    assert not StatisticYear.objects.exists()
    page.get_by_test_id("job-retry").click()
    expect(page).to_have_url(re.compile(r"/estadisticas/cargar/$"))

    row[5].value = 51183
    good = tmp_path / "estadisticas.xlsx"
    workbook.save(good)
    upload(page, good)
    expect(page.get_by_test_id("job-status")).to_have_text("Terminado")
    expect(page.get_by_test_id("job-message")).to_contain_text("2 datos: 2 nuevos, 0 revisados")
    page.get_by_test_id("job-next").click()
    batches = page.get_by_test_id("batches")
    expect(batches).to_contain_text("estadisticas.xlsx")
    expect(batches).not_to_contain_text("estadisticas-con-error.xlsx")  # nothing was loaded from the bad file

    page.get_by_role("link", name="Estadísticas").first.click()
    page.get_by_role("link", name="Personas controladas").click()
    expect(page.get_by_test_id("series-level")).to_have_text("Toda la institución")
    page.get_by_label("Centro de costo").select_option("0201")
    page.get_by_test_id("level-selector").get_by_role(
        "button", name="Ver"
    ).last.click()  # the cost-center form (the area one shows only with areas to choose)
    expect(page.get_by_test_id("series-level")).to_contain_text("Centro de costo 0201")
    expect(page.locator(f'[data-month="{year}-01"]')).to_have_text("65,142")
    expect(page.locator(f'[data-month="{year}-02"]')).to_have_text("51,183")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-seasonal'))")
    drawn = "id => { const c = Chart.getChart(document.getElementById(id)); return c ? c.data.datasets.length : 0; }"
    assert page.evaluate(drawn, "chart-series") == 1
    assert page.evaluate(drawn, "chart-seasonal") == 1
    expect(page.get_by_test_id("chart-series")).to_be_visible()
    screenshot(page, "statistics-series")

    # a span marked as atypical appears in the table and the chart keeps drawing
    form = page.get_by_test_id("period-form")
    form.get_by_label("Primer mes").fill(f"{year}-02")
    form.get_by_label("Último mes").fill(f"{year}-02")
    form.get_by_label("Motivo").fill("Conteo incompleto en febrero")
    form.get_by_role("button", name="Marcar periodo").click()
    expect(page.get_by_test_id("periods")).to_contain_text("Conteo incompleto en febrero")
    expect(page.locator(f'[data-month="{year}-02"]')).to_have_class(re.compile("cell-excluded"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_test_id("chart-series")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
    screenshot(page, "statistics-series-phone")
    assert not page.csp_errors and not page.outside_requests
