"""The series page of a variable at a cost center, an area or the institution (totals are sums of the cost-center
values): the table with revised values marked, the chart's data, the level selector, and the excluded periods that
Estadística and Planes y Programas mark and remove (audited; a refused form keeps what was typed)."""

import json
import re

import pytest

from planea.audit.models import AuditEvent
from planea.org.models import CostCenter
from planea.statistics import series
from planea.statistics.loading import load_csv
from planea.statistics.models import ExcludedPeriod, StatisticalVariable, Treatment
from planea.strategy.models import UnitOfMeasure

from .conftest import csv_of

pytestmark = pytest.mark.django_db


def table_of(html: str) -> dict[str, str]:
    """month (2024-01) → the text of its cell in the table of values."""
    cells = re.findall(r'data-month="(\d{4}-\d{2})">(.*?)</td>', html, re.S)
    return {month: re.sub(r"<[^>]+>", "", text).strip() for month, text in cells}


def test_the_page_at_each_level_shows_the_sums_and_the_year_totals(loaded, client_as):
    client = client_as("profesional_planes_programas")
    center = client.get("/estadisticas/series/CTRL/?centro=0201").content.decode()
    area = client.get("/estadisticas/series/CTRL/?area=10.02.U0").content.decode()
    institution = client.get("/estadisticas/series/CTRL/").content.decode()
    assert table_of(center)["2024-01"].startswith("105") and table_of(center)["2024-02"] == "110"
    assert table_of(area)["2024-01"].startswith("145") and table_of(area)["2024-02"] == "155"
    assert table_of(institution)["2024-01"].startswith("1,145") and table_of(institution)["2024-02"] == "1,355"
    assert "Centro de costo 0201" in center and "Área 10.02.U0" in area and "Toda la institución" in institution
    # year totals, and how many months a partial year has
    assert re.search(r"2,500<span[^>]*> \(2 meses\)", institution)
    assert re.search(r"1,470<span[^>]*> \(1 mes\)", institution)
    chart = json.loads(re.search(r'<script id="series-data" type="application/json">(.*?)</script>', area).group(1))
    assert chart["labels"][:3] == ["2024-01", "2024-02", "2024-03"] and chart["values"][:3] == [145.0, 155.0, None]
    assert [y["year"] for y in chart["years"]] == [2024, 2025] and chart["years"][1]["values"][0] == 170.0


def test_the_level_selector_lists_areas_and_centers_with_data(loaded, client_as):
    html = client_as("profesional_planes_programas").get("/estadisticas/series/CTRL/?area=10.02.U0").content.decode()
    assert '<option value="10.02.U0" selected>' in html and '<option value="0101">' in html


def test_the_area_liaison_reads_only_the_series_of_their_area(loaded, client_as):
    """The liaison of 10.02.U0 reads its area and its centers (0201, 0202), not La Aurora (0101, of 10.01.U0), nor
    the institution's total, which adds the other areas' centers: asking for it leads to their area."""
    client = client_as("enlace_area")
    for address in (
        "/estadisticas/series/CTRL/?centro=0101",
        "/estadisticas/series/CTRL/?area=10.01.U0",
        "/estadisticas/series/CTRL/csv/?centro=0101",
        "/estadisticas/series/CTRL/csv/?area=10.01.U0",
    ):
        assert client.get(address).status_code == 403, address
    for address in ("/estadisticas/series/CTRL/", "/estadisticas/series/CTRL/csv/"):
        response = client.get(address)
        assert response.status_code == 302 and response["Location"].endswith("?area=10.02.U0"), address
    html = client.get("/estadisticas/series/CTRL/?area=10.02.U0").content.decode()
    assert '<option value="10.02.U0" selected>' in html and '<option value="0201">' in html
    assert '<option value="0101">' not in html and "Toda la institución</option>" not in html
    assert client.get("/estadisticas/series/CTRL/?centro=0201").status_code == 200


def test_a_revised_value_is_marked_with_its_earlier_value_and_batches(loaded, client_as):
    html = client_as("estadistica").get("/estadisticas/series/CTRL/?centro=0201").content.decode()
    cell = re.search(r'data-month="2024-01">(.*?)</td>', html, re.S).group(1)
    assert "dato revisado" in cell and 'title="Dato revisado. Antes: 100 (primera.csv' in cell
    assert "dato revisado" not in re.search(r'data-month="2024-02">(.*?)</td>', html, re.S).group(1)
    details = re.search(r'<details class="mb-3" data-testid="revisions">(.*?)</details>', html, re.S).group(1)
    assert "Datos revisados en 1 mes" in details
    assert "ahora 105" in details and "revision.csv" in details and "antes 100" in details and "primera.csv" in details
    # the area's total carries the revision of its center
    area = client_as("estadistica").get("/estadisticas/series/CTRL/?area=10.02.U0").content.decode()
    assert 'title="Dato revisado. Antes: 0201 100' in area


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?centro=9999", "No hay un centro de costo con el código «9999»."),
        ("?area=99.99.U9", "No hay un área con el código «99.99.U9»."),
    ],
)
def test_an_unknown_level_is_refused_in_spanish(loaded, client_as, query, message):
    response = client_as("estadistica").get(f"/estadisticas/series/CTRL/{query}")
    assert response.status_code == 400 and message in response.content.decode()


def test_an_unknown_variable_is_not_found(loaded, client_as):
    assert client_as("estadistica").get("/estadisticas/series/NADA/").status_code == 404


def test_the_catalog_links_each_variable_with_its_last_month(loaded, client_as):
    unit = UnitOfMeasure.objects.get(name="Persona")
    StatisticalVariable.objects.create(code="VACIA", name="Sin datos", unit=unit, per_cost_center=False)
    html = client_as("director_general").get("/estadisticas/").content.decode()
    assert 'href="/estadisticas/series/CTRL/"' in html and "2025-01" in html
    assert 'href="/estadisticas/series/VACIA/"' in html and "sin datos" in html
    assert "Estadísticas" in client_as("director_general").get("/").content.decode()  # the menu entry


def mark(client, query="?centro=0201", **fields):
    data = {
        "periodo-first": "2020-03",
        "periodo-last": "2021-12",
        "periodo-treatment": Treatment.EXCLUDE,
        "periodo-reason": "Pandemia de COVID-19",
        **{f"periodo-{k}": v for k, v in fields.items()},
    }
    return client.post(f"/estadisticas/series/CTRL/periodos/{query}", data)


def test_a_marked_period_is_audited_shown_and_removed(loaded, client_as, demo):
    client = client_as("profesional_planes_programas")
    response = mark(client)
    assert response.status_code == 302 and response["Location"] == "/estadisticas/series/CTRL/?centro=0201#periodos"
    period = ExcludedPeriod.objects.get()
    assert (period.variable, period.cost_center.code) == (loaded["variable"], "0201")
    assert (period.first_year, period.first_month, period.last_year, period.last_month) == (2020, 3, 2021, 12)
    assert period.marked_by == demo["profesional_planes_programas"]
    event = AuditEvent.objects.get(action="statistics_period_marked")
    assert "2020-03 a 2021-12" in event.summary and "CTRL, 0201" in event.summary
    html = client.get("/estadisticas/series/CTRL/?centro=0201").content.decode()
    periods = re.search(r'data-testid="periods">(.*?)</table>', html, re.S).group(1)
    assert "2020-03 – 2021-12" in periods and "Pandemia de COVID-19" in periods and "Excluir esos meses" in periods
    # «Quitar» asks first: the next forecasts will read those months as normal ones
    assert 'data-confirm="¿Quitar el periodo atípico 2020-03 … 2021-12? Los próximos pronósticos' in periods
    # a mark of one center does not apply to the totals above it
    assert "Pandemia" not in client.get("/estadisticas/series/CTRL/").content.decode()

    response = client.post(f"/estadisticas/series/CTRL/periodos/{period.pk}/quitar/?centro=0201")
    assert response.status_code == 302 and not ExcludedPeriod.objects.exists()
    removed = AuditEvent.objects.get(action="statistics_period_removed")
    assert removed.before["reason"] == "Pandemia de COVID-19"


def test_a_mark_for_every_variable_and_center_applies_to_the_totals(loaded, client_as):
    client = client_as("jefe_planes_programas")
    assert mark(client, all_variables="on", all_centers="on", treatment=Treatment.BREAK).status_code == 302
    period = ExcludedPeriod.objects.get()
    assert period.variable is None and period.cost_center is None and period.treatment == Treatment.BREAK
    assert series.exclusions_for(loaded["variable"]) == [period]
    assert series.exclusions_for(loaded["variable"], CostCenter.objects.get(code="0101")) == [period]
    # at the institution there is no «this center» choice: the mark is for every center
    response = mark(client, query="", first="2023-01", last="2023-06")
    assert response.status_code == 302
    assert ExcludedPeriod.objects.filter(first_year=2023).get().cost_center is None


def test_excluded_months_are_marked_in_the_table_and_the_chart(loaded, client_as):
    client = client_as("estadistica")
    mark(client, first="2024-02", last="2024-02", reason="Conteo incompleto")
    html = client.get("/estadisticas/series/CTRL/?centro=0201").content.decode()
    assert re.search(
        r'cell-excluded"[^>]*data-month="2024-02">110<span class="visually-hidden"> \(periodo atípico\)', html
    )
    chart = json.loads(re.search(r'type="application/json">(.*?)</script>', html).group(1))
    assert chart["spans"] == [{"from": 1, "to": 1, "break": False, "label": chart["spans"][0]["label"]}]
    assert chart["years"][0]["excluded"][:3] == [False, True, False]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"first": "2021-12", "last": "2020-03"}, "last", "El último mes es anterior al primero."),
        ({"first": "2099-01", "last": "2099-02"}, "first", "Ese mes aún no empieza"),
        ({"last": "2100-12"}, "last", "Marque como mucho hasta diciembre del año próximo."),
        ({"first": "marzo"}, "first", "«marzo» no es un mes como 2020-03."),
        ({"reason": "   "}, "reason", "Escriba el motivo"),
    ],
)
def test_a_refused_mark_keeps_what_was_typed_with_the_error_by_its_field(loaded, client_as, fields, field, message):
    response = mark(client_as("estadistica"), **fields)
    html = response.content.decode()
    assert response.status_code == 400 and not ExcludedPeriod.objects.exists()
    errors = re.search(rf'id="id_periodo-{field}_errors"[^>]*>(.*?)</div></div>', html, re.S).group(1)
    assert message in errors
    typed = {"first": "2020-03", "last": "2021-12", **fields}
    for name in ("first", "last"):
        assert f'value="{typed[name]}"' in html
    assert "Corrija los datos marcados; no se guardó nada." in html


def test_the_same_span_marked_twice_is_refused(loaded, client_as):
    client = client_as("estadistica")
    assert mark(client).status_code == 302
    response = mark(client, reason="Otra vez")
    html = response.content.decode()
    assert response.status_code == 400 and ExcludedPeriod.objects.count() == 1
    assert "Ese mismo periodo (2020-03 a 2021-12) ya está marcado para CTRL, 0201." in html
    assert "Otra vez" in html  # the reason typed is kept
    # the same months for every center are another mark
    assert mark(client, all_centers="on").status_code == 302


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("estadistica", True),
        ("profesional_planes_programas", True),
        ("jefe_planes_programas", True),
        ("subdirector_planificacion", False),
        ("enlace_area", False),
        ("director_general", False),
    ],
)
def test_who_may_mark_and_remove(loaded, client_as, role, allowed):
    client = client_as(role)
    page = client.get("/estadisticas/series/CTRL/?centro=0201").content.decode()
    assert ('data-testid="period-form"' in page) is allowed
    assert mark(client).status_code == (302 if allowed else 403)
    if not allowed:
        mark(client_as("estadistica"))
    period = ExcludedPeriod.objects.get()
    assert client.post(f"/estadisticas/series/CTRL/periodos/{period.pk}/quitar/").status_code == (
        302 if allowed else 403
    )
    assert ExcludedPeriod.objects.exists() is not allowed


def test_a_span_may_go_on_into_the_coming_months(loaded, client_as):
    from planea.statistics.loading import current_month

    year, month = current_month()
    response = mark(
        client_as("estadistica"), first=f"{year}-{month:02d}", last=f"{year + 1}-06", reason="Puesto cerrado"
    )
    assert response.status_code == 302
    assert ExcludedPeriod.objects.get().last_year == year + 1


def test_an_institution_wide_variable_has_one_level(demo, client_as):
    unit = UnitOfMeasure.objects.get_or_create(name="Documento")[0]
    StatisticalVariable.objects.create(code="PAS", name="Pasaportes", unit=unit, per_cost_center=False)
    load_csv(b"variable,centro_costo,mes,valor\nPAS,,2025-01,46136\n", file_name="p.csv", actor=demo["estadistica"])
    client = client_as("estadistica")
    html = client.get("/estadisticas/series/PAS/").content.decode()
    assert table_of(html)["2025-01"] == "46,136"
    assert 'data-testid="level-selector"' not in html and "periodo-all_centers" not in html
    response = client.get("/estadisticas/series/PAS/?centro=0201")
    assert response.status_code == 400 and "PAS es de toda la institución" in response.content.decode()


def test_the_series_downloads_as_a_two_column_csv(loaded, client_as):
    response = client_as("enlace_area").get("/estadisticas/series/CTRL/csv/?area=10.02.U0")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="serie-CTRL-10.02.U0.csv"' in response["Content-Disposition"]
    assert response.content.decode() == "mes,valor\n2024-01,145\n2024-02,155\n2025-01,170\n"
    html = client_as("enlace_area").get("/estadisticas/series/CTRL/?area=10.02.U0").content.decode()
    assert 'href="/estadisticas/series/CTRL/csv/?area=10.02.U0"' in html


def test_the_area_selector_is_left_out_when_one_area_has_every_center(demo, client_as):
    """With every center of the series in one area, that area's total is the institution's: the selector would
    offer only «Toda la institución», so it is not shown; the center selector is."""
    unit = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    StatisticalVariable.objects.create(code="TERR", name="Personas en puestos terrestres", unit=unit)
    rows = [("0201", "2024-01", 100), ("0202", "2024-01", 40)]
    load_csv(csv_of(rows).replace(b"CTRL,", b"TERR,"), file_name="terr.csv", actor=demo["estadistica"])
    html = client_as("estadistica").get("/estadisticas/series/TERR/").content.decode()
    assert 'id="level-area"' not in html and 'id="level-center"' in html
