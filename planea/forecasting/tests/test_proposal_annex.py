"""P5 step 4: the annex of the proposal (annex.py, charts.py), its content on the fixture's known numbers, its PDF
read back inside the page at national scale, and the step that takes it with its oficio (proposal_case.py)."""

from datetime import date
from decimal import Decimal

import pytest

from planea.documents.services import OficioContent
from planea.forecasting import annex, charts, proposal_case
from planea.forecasting.comparison import AreaGroup, Comparison, Figures, Line, SubproductGroup, comparison
from planea.forecasting.proposal import Band, whole
from planea.operations import goals
from planea.procedures import attachments, cases
from planea.procedures.drive import step_through
from planea.procedures.errors import ProcedureError
from tests.pdf_layout import assert_fits_page, smallest_text

from .p5 import start_programming

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def programming(plans, demo, done_run):
    return start_programming(plans, demo, done_run)


def test_the_annex_prints_step_3s_comparison_of_each_center_against_its_pom_goal(plans, programming):
    programming.tolerance = Decimal(5)
    table = annex.annex_table(programming)
    assert (table.run_number, table.target_year, table.table.plan_code) == (programming.run.pk, 2026, "POA-2026")
    [section] = table.sections
    land = plans["land"]
    assert section.group.subproduct_code == land.code and section.group.unit == land.unit.name
    assert [line.cost_center_id for line in section.group.lines] == [
        line.cost_center_id for line in comparison(programming).lines
    ]
    # The fixture's run forecasts the POM goal at every center, 10 % more at the first (by code): one flag.
    assert table.flagged == 1
    pom = sum(v for (s, c, y, _m), v in goals.values_of(plans["pom"]).items() if s == land.pk and y == 2026)
    assert section.goal_monthly == (Decimal(pom) / 12).quantize(Decimal("0.01"))
    # The chart draws the forecast as it is; the total is the whole units of each line's months, added up.
    assert sum(whole(line.months[m].yhat) for line in section.group.lines for m in range(1, 13)) == (
        section.group.total.forecast.yhat
    )
    assert abs(sum(band.yhat for band in section.months) - section.group.total.forecast.yhat) <= 6 * 12
    programming.tolerance = Decimal(10)
    assert annex.annex_table(programming).flagged == 0  # 10.0 % is within ± 10 %


def test_a_percentage_beyond_999_is_printed_by_its_sign():
    band = Band(Decimal(99_999_999), Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    assert Figures(forecast=band, goal=1).percent_text == "> 999"
    assert Figures(forecast=Band(Decimal(110)), goal=100).percent_text == "10.0"
    assert Figures(goal=100).percent_text == "—"


def test_the_annex_rounds_the_percentage_as_the_comparison_page_does():
    # 51,760.8 against 52,416: −1.25 %, shown −1.3 % on the page (half up); the annex printed −1.2 (half to even).
    figures = Figures(forecast=Band(Decimal("51760.8")), goal=52_416)
    assert figures.percent == Decimal("-1.25")
    assert figures.percent_text == "−1.3"


def test_a_line_without_forecast_prints_dashes_not_none(demo):
    table = Comparison("POA-2027", 2027, "POM-2027-2031", None, Decimal(10))
    group = SubproductGroup(1, "P06-02", "Capacitaciones al personal migratorio", 6, "P06", "Dirección", "Evento")
    area = AreaGroup(1, "15", "Subdirección Técnica Administrativa")
    line = Line(goal=36, cost_center_code="0001", cost_center_name="Oficinas Centrales")
    line.flagged = line.flag(table.tolerance)
    area.lines.append(line)
    area.total.add(line)
    group.areas.append(area)
    group.total.add(area.total)
    group.flagged = group.total.flag(table.tolerance)
    table.subproducts.append(group)
    table.unit_totals.setdefault("Evento", Figures()).add(group.total)
    pages = assert_fits_page(
        annex.render_pdf(annex.Annex(1, 2027, date(2026, 10, 1), "1.0", "f" * 64, "P5-2026-0001", table))
    )
    text = "\n".join(page.text for page in pages)
    assert "sin pronóstico" in text and "None" not in text


def test_the_chart_draws_the_bands_the_forecast_and_the_goal_line():
    months = charts.month_bands([Band(Decimal(100), Decimal(90), Decimal(110), Decimal(80), Decimal(120))] * 12)
    svg = charts.band_chart(months, goal_monthly=Decimal(95), title="P02-02")
    assert svg.count("<polygon") == 2 and "<polyline" in svg and 'stroke-dasharray="4,3"' in svg
    assert "Meta POM ÷ 12" in svg and "Ene" in svg and "Dic" in svg
    assert f'font-size="{charts.MIN_TEXT}"' in svg
    assert charts.nice_step(1234) == 500 and charts.nice_step(0) == 1


def test_the_pdf_names_the_run_and_shows_table_and_chart(programming):
    pages = assert_fits_page(annex.build_pdf(programming))
    text = "\n".join(page.text for page in pages)
    run = programming.run
    assert f"Corrida de pronósticos n.º {run.pk}" in text and "Versión del método test" in text
    assert "Datos hasta diciembre de 2025" in text and "Huella de los datos" in text
    assert (
        "P02-02" in text and "Meta POM" in text and "IC 80 % mín." in text and "IC95%" in text and "MetaPOM÷12" in text
    )  # the chart (its spaces are not read back)
    assert all(page.landscape for page in pages)


def national_annex(subproducts, centers=60):
    """An annex of national size: 60 cost centers per subproduct, 8-digit forecasts, goals and intervals."""
    month = Band(*(Decimal(v) for v in (8_333_333, 7_000_000, 9_000_000, 6_000_000, 9_999_999)))
    year = Band(*(Decimal(v) for v in (99_999_999, 89_999_999, 99_999_999, 79_999_999, 99_999_999)))
    table = Comparison("POA-2027", 2027, "POM-2027-2031", None, Decimal(10))
    for s in range(subproducts):
        group = SubproductGroup(
            s,
            f"P{s // 5:02d}-{s:02d}",
            "Personas atendidas en el control migratorio de los puestos fronterizos",
            s // 5,
            f"P{s // 5:02d}",
            "Producto de servicios migratorios",
            "Persona",
        )
        area = AreaGroup(1, "10.02.U0", "Departamento de Control Migratorio Terrestre")
        for c in range(centers):
            line = Line(
                forecast=year,
                goal=12_345_678 + c,
                cost_center_code=f"{c:04d}",
                cost_center_name=f"Delegación de migración del puesto fronterizo n.º {c}",
                months=dict.fromkeys(range(1, 13), month),
            )
            line.flagged = line.flag(table.tolerance)
            area.lines.append(line)
            area.total.add(line)
        group.areas.append(area)
        group.total.add(area.total)
        group.flagged = group.total.flag(table.tolerance)
        table.subproducts.append(group)
        table.unit_totals.setdefault("Persona", Figures()).add(group.total)
    return annex.Annex(9999, 2027, date(2026, 6, 1), "1.0.0", "f" * 64, "11.01.U0.P5-2026-0001", table)


def test_the_pdf_prints_every_column_inside_the_page_at_national_scale(demo):
    # Six subproducts of 60 cost centers with 8-digit numbers: each subproduct's table and chart is laid out on
    # its own, so these are the pages of a 100-subproduct annex (measured: 100 × 60 prints the same way).
    table = national_annex(6)
    pages = assert_fits_page(annex.render_pdf(table))
    text = "\n".join(page.text for page in pages)
    assert "99,999,999" in text and "12,345,678" in text and "> 999" not in text
    total = table.sections[0].group.total
    assert f"{total.forecast_whole:,}" in text and f"{total.goal:,}" in text  # ten digits, on one line
    assert smallest_text(pages) >= charts.MIN_TEXT


def test_an_annex_alone_does_not_complete_step_4(plans, demo, programming):
    case = programming.case
    step_through(case, until="4", people=demo)
    task = case.tasks.get(number="4", status="ready")
    actor = demo["profesional_planes_programas"]
    proposal_case.generate_annex(task, actor=actor)
    with pytest.raises(ProcedureError, match="falta el oficio que lo traslada"):
        cases.complete(task, actor=actor)


def test_step_4_takes_the_annex_and_the_oficio_and_is_completed_only_with_both(plans, demo, programming):
    case = programming.case
    step_through(case, until="4", people=demo)
    task = case.tasks.get(number="4", status="ready")
    actor = demo["profesional_planes_programas"]
    oficio = attachments.attach_oficio(
        task,
        slot="Oficio",
        content=OficioContent("Lic. Jefe", "Jefe de Planes y Programas", "Propuesta", "Se adjunta el anexo."),
        actor=actor,
    )
    with pytest.raises(ProcedureError, match="falta el anexo de la propuesta"):
        cases.complete(task, actor=actor)
    document = proposal_case.generate_annex(task, actor=actor)
    assert document.kind == "cuadros_estadisticos" and document.original_name.startswith("anexo-propuesta-POA-2026")
    # Generated again (after a correction): the annex is replaced, the numbered oficio stays.
    again = proposal_case.generate_annex(task, actor=actor)
    annexes, oficios = proposal_case.slot_documents(task)
    assert [a.document for a in annexes] == [again] and [o.document for o in oficios] == [oficio]
    cases.complete(task, actor=actor)
    assert case.tasks.filter(number="5", status="ready").exists()


def test_only_step_4_of_a_p5_with_a_finished_run_generates_the_annex(plans, demo, programming):
    case = programming.case
    step_through(case, until="4", people=demo)
    earlier = case.tasks.get(number="1")
    with pytest.raises(ProcedureError, match="paso 4 del P5"):
        proposal_case.annex_programming(earlier)
    task = case.tasks.get(number="4", status="ready")
    programming.run = None
    programming.save()
    with pytest.raises(ProcedureError, match="corrida de pronósticos"):
        proposal_case.annex_programming(task)


def test_a_p5_case_without_programming_keeps_its_plain_documents(demo):
    case = cases.start_case(
        code="11.01.U0.P5", title="Sin programación", subject="2026", actor=demo["profesional_planes_programas"]
    )
    step_through(case, until="5", people=demo)  # step 4 with its uploaded oficio alone, as before
    assert case.tasks.filter(number="5", status="ready").exists()
