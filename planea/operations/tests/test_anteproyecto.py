"""The anteproyectos (operations/anteproyecto.py and the P2 step 9 that produces them): goal tables of the POA and its
POM, the files built from them, and the step that alone generates them, through the service and through the pages
(the PDF, made by the task worker, in test_document_jobs.py); and the printed PDF read back: every column inside the
page at national-scale numbers."""

import io
from decimal import Decimal

import pytest
from django.db import transaction
from openpyxl import load_workbook

from planea.audit.models import AuditEvent
from planea.operations import anteproyecto, case_link, goals
from planea.operations.models import InputRequirement, PhysicalGoal
from planea.procedures.drive import step_through
from planea.procedures.errors import ProcedureError
from tests.pdf_layout import assert_fits_page, smallest_text

pytestmark = pytest.mark.django_db


def test_the_tables_hold_the_goals_of_the_poa_and_its_pom(plans):
    poa, pom, land = plans["poa"], plans["pom"], plans["land"]
    assert anteproyecto.plans_of(poa) == [poa, pom]
    [table] = anteproyecto.goal_tables(poa)
    assert table.subproduct == land and table.columns[:2] == ["Ene", "Feb"] and len(table.columns) == 12 + 3
    stored = goals.values_of(poa)
    assert table.total == sum(stored.values()) > 0
    for center, cells, total in table.rows:
        assert total == sum(cells[:12]) == sum(v for (_s, c, _y, _m), v in stored.items() if c == center.pk)
        assert sum(cells[12:]) == total  # the three cuatrimestres add up to the year
    [pom_table] = anteproyecto.goal_tables(pom)
    assert pom_table.columns == [str(year) for year in range(2026, 2031)]
    workbook = load_workbook(io.BytesIO(anteproyecto.build_xlsx(poa)))
    assert len(workbook.sheetnames) >= 2


def test_the_files_download_from_the_plan_of_a_poa(plans, client_as):
    poa, pom = plans["poa"], plans["pom"]
    client = client_as("jefe_planes_programas")
    response = client.get(f"/planes/{poa.pk}/anteproyecto.xlsx")
    assert response.status_code == 200 and b"".join(response)[:4] == b"PK\x03\x04"
    assert 'filename="anteproyecto-POA-2026.xlsx"' in response["Content-Disposition"]
    page = client.get(f"/planes/{poa.pk}/anteproyecto.pdf").content.decode()
    assert "Generar el PDF en segundo plano" in page  # never made inside the request
    assert client.get(f"/planes/{pom.pk}/anteproyecto.pdf").status_code == 404  # a POM's go with its POA


def test_only_step_9_of_the_p2_generates_them_from_a_plan_with_goals(plans, demo, client_as):
    poa = plans["poa"]
    case = case_link.start_case(poa, actor=demo["subdirector_planificacion"])
    step_through(case, until="9", people=demo)
    earlier = case.tasks.exclude(number="9").earliest("pk")
    with pytest.raises(ProcedureError, match="Los anteproyectos se elaboran en el paso 9 del P2."):
        case_link.generation_plan(earlier)
    task = case.tasks.get(number="9", status="ready")
    goals_kept = list(PhysicalGoal.objects.filter(plan=poa))
    PhysicalGoal.objects.filter(plan=poa).delete()
    response = client_as("jefe_planes_programas").post(f"/pasos/{task.pk}/anteproyectos/", follow=True)
    assert "El POA-2026 no tiene metas físicas todavía." in response.content.decode()
    assert not task.attachments.exists()
    PhysicalGoal.objects.bulk_create(goals_kept)
    documents = case_link.generate_anteproyectos(task, actor=demo["jefe_planes_programas"])
    assert [d.original_name for d in documents] == ["anteproyecto-POA-2026-v1.pdf", "anteproyecto-POA-2026-v1.xlsx"]
    # Asked again (after a correction, or twice): the step holds the new generation only, the earlier one stays stored.
    again = case_link.generate_anteproyectos(task, actor=demo["jefe_planes_programas"])
    assert sorted(task.attachments.values_list("document_id", flat=True)) == sorted(d.pk for d in again)
    poa.refresh_from_db()
    assert {link.document_id for link in case_link.anteproyecto_documents(poa)} == {d.pk for d in again}
    event = AuditEvent.objects.get(action="task_documents_replaced")
    assert event.before["documents"] == sorted(d.pk for d in documents)


def test_a_step_9_of_another_area_or_role_is_refused_before_anything_is_built(plans, demo, client_as, monkeypatch):
    poa = plans["poa"]
    case = case_link.start_case(poa, actor=demo["subdirector_planificacion"])
    step_through(case, until="9", people=demo)
    task = case.tasks.get(number="9", status="ready")
    built = []

    def build_pdf(plan):
        built.append(plan)
        return b""

    monkeypatch.setattr(anteproyecto, "build_pdf", build_pdf)
    # The area liaison's scope does not hold the case: refused as every other action on a step of it.
    assert client_as("enlace_area").post(f"/pasos/{task.pk}/anteproyectos/").status_code == 403
    # Step 9 is the head of planning's: another role is told so, and no document is built first.
    response = client_as("estadistica").post(f"/pasos/{task.pk}/anteproyectos/", follow=True)
    assert "Este paso corresponde al rol" in response.content.decode()
    assert built == [] and not task.attachments.exists()


def _national_scale(plan, value):
    """Every goal of the plan set to `value`: a subproduct's monthly total of 10 centers is seven digits, its annual
    total eight."""
    cells = {key: value for key in goals.values_of(plan)}
    with transaction.atomic():
        goals.write(goals.lock_plan(plan), cells, actor=None, action="goals_imported", summary="%(n)s")


def test_the_pdf_prints_every_month_cuatrimestre_and_total_inside_the_page_at_national_scale(plans):
    poa, pom = plans["poa"], plans["pom"]
    _national_scale(poa, 99_999)
    _national_scale(pom, 9_999_999)
    # Inputs of a national plan: amounts of hundreds of millions of quetzales.
    InputRequirement.objects.filter(plan=poa).update(quantity=Decimal("9999999"), unit_price=Decimal("99999.99"))
    [table] = anteproyecto.goal_tables(poa)
    assert table.total >= 1_000_000  # seven digits and more
    pages = assert_fits_page(anteproyecto.build_pdf(poa))
    assert all(page.landscape for page in pages)
    text = "\n".join(page.text for page in pages)
    assert "Cuatrimestres" in text and "III" in text and "Dic" in text
    # The annual total of the subproduct and of its first cost center, on one line each.
    assert f"{table.total:,}" in text and f"{table.rows[0][2]:,}" in text
    assert f"{table.totals[-1]:,}" in text  # the III cuatrimestre's total
    [pom_table] = anteproyecto.goal_tables(pom)
    assert f"{pom_table.total:,}" in text
    assert "Q 999,999,800,000.01" in text  # the input's amount (9,999,999 × Q 99,999.99), on one line
    goal_pages = [page for page in pages if "Metas físicas programadas" in page.text]
    assert smallest_text(goal_pages) >= anteproyecto.SMALLEST_TEXT


def test_small_numbers_print_larger(plans):
    _national_scale(plans["poa"], 7)
    layout = anteproyecto.table_layout(anteproyecto.goal_tables(plans["poa"]))
    _national_scale(plans["poa"], 99_999)
    national = anteproyecto.table_layout(anteproyecto.goal_tables(plans["poa"]))
    assert layout.font_size == anteproyecto.LARGEST_TEXT > national.font_size >= anteproyecto.SMALLEST_TEXT
    assert sum(national.number_widths) + national.center_width <= anteproyecto.PRINTABLE_WIDTH
