"""Input catalog and matrix through Excel (all-or-nothing, Spanish row errors), ceilings and the consistency view."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from planea.operations import inputs
from planea.operations.ceilings import set_ceilings
from planea.operations.inputs_excel import (
    CATALOG_SPEC,
    export_catalog,
    export_matrix,
    import_catalog,
    import_matrix,
)
from planea.operations.models import InputCatalogItem, InputRequirement
from planea.org.models import OrgUnit
from planea.spreadsheets.imports import import_rows
from planea.spreadsheets.xlsx import ImportRejected

pytestmark = pytest.mark.django_db


def edit(data: bytes, sheet: str, change) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    change(wb[sheet])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_catalog_round_trip_and_refusals(plans, demo):
    actor = demo["subdireccion_tecnica_administrativa"]
    data = export_catalog()
    assert str(import_catalog(data, actor, "catalogo.xlsx")).startswith("2 filas: 0 nuevas, 0 actualizadas")

    def add_and_change(ws):
        ws.append(["122-0001", "Cartilla de pasaporte", "122", "cartilla", 118.5, "Sí", "Sí"])
        ws["E2"] = 43.25

    summary = import_catalog(edit(data, "Catálogo de insumos", add_and_change), actor, "catalogo.xlsx")
    assert (summary.created, summary.updated) == (1, 1)
    assert InputCatalogItem.objects.get(code="122-0001").unit_price == Decimal("118.50")

    def break_rows(ws):
        ws.append(["122-0002", "Etiqueta", "12", "etiqueta", -4, "", ""])
        ws.append(["122-0001", "Repetido", "122", "unidad", "caro", "", ""])

    with pytest.raises(ImportRejected) as rejected:
        import_catalog(edit(export_catalog(), "Catálogo de insumos", break_rows), actor, "malo.xlsx")
    text = "\n".join(rejected.value.messages)
    assert "columna «Renglón»: el renglón presupuestario tiene tres dígitos" in text
    assert "columna «Precio unitario (Q)»: no puede ser negativo." in text
    assert "«caro» no es un número" in text and "ya aparece en la fila" in text
    assert not InputCatalogItem.objects.filter(code="122-0002").exists()


def test_matrix_import_replaces_the_area_lines_at_catalog_prices(plans, demo):
    poa, land, fuel = plans["poa"], plans["land"], plans["fuel"]
    actor = demo["enlace_area"]
    data = export_matrix(poa)

    def lines(ws):
        ws["F2"] = 250
        ws.append(["10.02.U0", "P02-02", "241-0101", "", "Anual", 12])

    result = import_matrix(
        edit(data, "Matriz de insumos", lines),
        actor,
        plan=poa,
        filename="m.xlsx",
        allowed_units={land.responsible_units.first().pk},
    )
    assert result.lines == 2 and result.removed == 0
    assert InputRequirement.objects.get(plan=poa, item=fuel).quantity == Decimal(250)
    assert result.amount == Decimal("250") * Decimal("31.50") + 12 * Decimal("42.00")

    def bad(ws):
        ws.append(["10.01.U0", "P02-02", "241-0101", "", "Anual", 1])
        ws.append(["10.02.U0", "P02-02", "999-9999", "", "Ene", 1])
        ws.append(["10.02.U0", "P02-02", "241-0101", "", "Ene", 1.555])

    with pytest.raises(ImportRejected) as rejected:
        import_matrix(
            edit(data, "Matriz de insumos", bad), actor, plan=poa, allowed_units={land.responsible_units.first().pk}
        )
    text = "\n".join(rejected.value.messages)
    assert "la unidad 10.01.U0 no es de su área" in text
    assert "el insumo «999-9999» no está en el catálogo" in text
    assert "se programa para todo el año" in text and "admite como máximo 2 decimales" in text
    assert InputRequirement.objects.filter(plan=poa).count() == 2


def test_consistency_flags_ceilings_goals_without_inputs_and_inputs_without_goals(plans, demo):
    poa, land = plans["poa"], plans["land"]
    report = inputs.consistency(poa)
    assert [line.code for line in report.goals_without_inputs] == []
    set_ceilings(poa, {(land.product_id, None): Decimal("100.00")}, actor=demo["subdireccion_financiera"])
    InputRequirement.objects.create(
        plan=poa,
        org_unit=land.responsible_units.first(),
        subproduct=plans["pei"].subproducts.get(code="P06-01"),
        item=plans["fuel"],
        quantity=Decimal(1),
        unit_price=Decimal("31.50"),
    )
    report = inputs.consistency(poa)
    assert [line.code for line in report.over_ceiling] == ["P02"]
    assert report.over_ceiling[0].excess == Decimal("3150.00") - Decimal("100.00")
    assert [line.code for line in report.inputs_without_goals] == ["P06-01"]


def test_the_largest_amounts_the_columns_hold_keep_every_money_page_working(plans, client_as):
    """One matrix line at the largest quantity and price each column holds (on both databases): the pages that sum
    amounts read it back (an unbounded sum once broke six plan pages on SQLite)."""
    poa, land, fuel = plans["poa"], plans["land"], plans["fuel"]
    largest = Decimal("999999999999.99")
    InputRequirement.objects.filter(plan=poa).update(quantity=largest, unit_price=largest)
    client = client_as("jefe_planes_programas")
    for page in ("consistencia", "techos", "insumos", ""):
        response = client.get(f"/planes/{poa.pk}/{page}/" if page else f"/planes/{poa.pk}/")
        assert response.status_code == 200, page
    assert fuel.pk and land.pk


def test_the_liaison_reads_only_the_area_matrix_and_its_amounts(plans, client_as):
    poa, fuel = plans["poa"], plans["fuel"]
    airports = plans["pei"].subproducts.get(code="P02-01")
    InputRequirement.objects.create(
        plan=poa,
        org_unit=OrgUnit.objects.get(code="10.01.U0"),
        subproduct=airports,
        item=fuel,
        month=2,
        quantity=Decimal("1234"),
        unit_price=fuel.unit_price,
    )
    liaison, jefe = client_as("enlace_area"), client_as("jefe_planes_programas")
    assert "10.01.U0" not in liaison.get(f"/planes/{poa.pk}/insumos/").content.decode()
    matrix = jefe.get(f"/planes/{poa.pk}/insumos/").content.decode()
    assert "10.01.U0" in matrix and "1,234 galón" in matrix  # a quantity grouped by thousands, as every number
    amount = "38,871.00"  # 1,234 galones × Q31.50 of the airports' area
    ceilings = liaison.get(f"/planes/{poa.pk}/techos/").content.decode()
    assert amount not in ceilings and "P02-02" in ceilings and "P01-01" not in ceilings  # the area's rows only
    assert amount in jefe.get(f"/planes/{poa.pk}/techos/").content.decode()


def test_a_row_the_model_refuses_is_a_row_error_and_nothing_is_written(demo):
    """The last guard of every code-keyed import: what the checks let through and the model refuses names its row
    and column (it answered 500 before)."""
    rows = [
        {"code": "311-0001", "name": "Tóner", "budget_line": "311", "unit": "unidad", "unit_price": Decimal("5")},
        {"code": "311-0002", "name": "Tinta", "budget_line": "31", "unit": "frasco", "unit_price": Decimal("-1")},
    ]
    with pytest.raises(ImportRejected) as caught:
        import_rows(InputCatalogItem, rows, demo["jefe_planes_programas"], data=b"x", filename="c.xlsx",
                    sheet=CATALOG_SPEC, numbers=[2, 3])  # fmt: skip
    messages = caught.value.messages
    assert any(m.startswith("Hoja «Catálogo de insumos», fila 3, columna «Renglón»: el renglón") for m in messages)
    assert any("fila 3, columna «Precio unitario (Q)»" in m for m in messages)
    assert not InputCatalogItem.objects.filter(code__startswith="311-").exists()


def test_a_products_goals_are_added_up_only_when_its_subproducts_share_a_unit(plans, client_as):
    """P06 has documents (P06-01) and events (P06-02): its line shows no sum; P02 (persons) shows its sum."""
    from conftest import put_goal
    from planea.org.models import CostCenter

    poa, pei = plans["poa"], plans["pei"]
    offices = CostCenter.objects.get(code="0001")
    put_goal(poa, pei.subproducts.get(code="P06-01"), offices, 1, 24)
    put_goal(poa, pei.subproducts.get(code="P06-02"), offices, 1, 36)
    lines = {line.code: line for line in inputs.consistency(poa).lines}
    assert (lines["P06-01"].goals, lines["P06-02"].goals) == (24, 36)
    assert lines["P06"].goals is None and lines["P06"].unit == ""
    assert lines["P02"].goals == lines["P02-02"].goals and lines["P02"].unit == lines["P02-02"].unit
    page = client_as("jefe_planes_programas").get(f"/planes/{poa.pk}/consistencia/").content.decode()
    row = page.split("<code>P06</code>")[1].split("</tr>")[0]
    assert "60" not in row and "no se suman" in row
