"""The statistics template of a year: generated with the catalogs, the version and the values already loaded; filled
and loaded back through the same batch as the CSV; every bad cell named by sheet, row and column, nothing written."""

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from planea.spreadsheets.xlsx import ImportRejected
from planea.statistics.excel import export_template, read_template
from planea.statistics.models import StatisticalVariable, StatisticRevision, StatisticsBatch, StatisticYear
from planea.strategy.models import UnitOfMeasure

pytestmark = pytest.mark.django_db
TODAY = (2026, 4)  # January to March 2026 are closed


@pytest.fixture
def variables(plans):
    land = plans["land"]  # P02-02, delivered by the land posts
    passports = UnitOfMeasure.objects.get_or_create(name="Documento")[0]
    return (
        StatisticalVariable.objects.create(
            code="CTRL-TERR", name="Personas en puestos terrestres", unit=land.unit, subproduct=land
        ),
        StatisticalVariable.objects.create(code="PAS-EMIT", name="Pasaportes", unit=passports, per_cost_center=False),
    )


def filled(year: int, changes: dict[tuple[int, int], Any]) -> bytes:
    """The template of `year` with cells changed: (row, column) → value, as a person would in Excel."""
    workbook = load_workbook(io.BytesIO(export_template(year)))
    sheet = workbook["Estadísticas"]
    for (row, column), value in changes.items():
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_template_has_a_row_per_variable_and_center_and_loads_back(variables, demo):
    workbook = load_workbook(io.BytesIO(export_template(2026)))
    sheet = workbook["Estadísticas"]
    rows = [[cell.value for cell in row[:4]] for row in sheet.iter_rows(min_row=2)]
    land_centers = sorted(c.code for c in variables[0].subproduct.cost_centers.all())
    assert [r[2] for r in rows if r[0] == "CTRL-TERR"] == land_centers
    assert [r for r in rows if r[0] == "PAS-EMIT"] == [["PAS-EMIT", "Pasaportes", None, None]]
    assert workbook["_planea"].sheet_state == "hidden" and sheet.data_validations.dataValidation  # dropdowns
    data = filled(2026, {(2, 5): 65142, (2, 6): "51,183", (len(rows) + 1, 5): 46136})
    result = load_xlsx_in(data, demo)
    assert (result.created, result.revised) == (3, 0)
    first_center = land_centers[0]
    assert StatisticYear.objects.get(cost_center__code=first_center).value(2) == Decimal(51183)
    # downloaded again, it carries what was loaded; a changed value is a revision
    again = load_workbook(io.BytesIO(export_template(2026)))["Estadísticas"]
    assert again.cell(row=2, column=5).value == 65142
    result = load_xlsx_in(filled(2026, {(2, 5): 65200}), demo)
    assert (result.created, result.revised, result.unchanged) == (0, 1, 2)
    assert StatisticRevision.objects.get().value == Decimal(65142)


def load_xlsx_in(data, demo):
    from planea.statistics import excel

    return excel.load(read_template(data, today=TODAY), file_name="2026.xlsx", data=data, actor=demo["estadistica"])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({(2, 1): "NO-EXISTE", (2, 5): 5}, "Hoja «Estadísticas», fila 2, columna «Código variable»: «NO-EXISTE»"),
        ({(2, 3): "9999", (2, 5): 5}, "fila 2, columna «Código centro de costo»: «9999» no es un centro de costo."),
        ({(2, 5): "mucho"}, "fila 2, columna «Ene»"),
        ({(2, 5): -3}, "fila 2, columna «Ene»: no puede ser negativo."),
        ({(300, 5): 5}, "fila 300, columna «Código variable»: falta el código de la variable."),
        ({(2, 9): 40}, "fila 2, columna «May»: el mes aún no ha terminado; se cargan meses cerrados."),
        ({(3, 1): "CTRL-TERR", (3, 3): "", (3, 5): 4}, "fila 3, columna «Código centro de costo»: la variable"),
    ],
)
def test_a_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_written(variables, demo, changes, message):
    with pytest.raises(ImportRejected) as rejected:
        load_xlsx_in(filled(2026, {(4, 5): 7, **changes}), demo)
    assert any(message in text for text in rejected.value.messages), rejected.value.messages
    assert not StatisticsBatch.objects.exists()


def test_a_repeated_row_another_template_and_an_old_version_are_refused(variables, demo):
    first = load_workbook(io.BytesIO(export_template(2026)))["Estadísticas"]
    code, center = first.cell(row=2, column=1).value, first.cell(row=2, column=3).value
    with pytest.raises(ImportRejected, match="repite la fila 2"):
        load_xlsx_in(filled(2026, {(3, 1): code, (3, 3): center, (3, 5): 1}), demo)
    workbook = load_workbook(io.BytesIO(export_template(2026)))
    workbook["_planea"]["B2"] = 0
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportRejected, match="la plantilla es de la versión 0"):
        load_xlsx_in(out.getvalue(), demo)
    with pytest.raises(ImportRejected):
        read_template(b"PK\x03\x04 not really a workbook")


def test_the_command_takes_a_template_too(variables, demo, tmp_path, capsys):
    path = tmp_path / "2025.xlsx"
    path.write_bytes(filled(2025, {(2, 5): 10, (2, 6): 11}))
    call_command("import_statistics", str(path))
    assert "2 datos: 2 nuevos" in capsys.readouterr().out
    path.write_bytes(filled(2025, {(2, 5): -1}))
    with pytest.raises(CommandError, match="columna «Ene»: no puede ser negativo"):
        call_command("import_statistics", str(path))
    assert [row.months() for row in StatisticYear.objects.order_by("cost_center__code")] == [{1: 10, 2: 11}]
