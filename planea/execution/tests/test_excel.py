"""The month's execution in Excel and from the command line: exported with programada, vigente and ejecutada,
filled and imported back all or nothing; bad files named by row and column; an approved month refuses the import."""

import io
from collections.abc import Mapping

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from planea.execution import excel, executed, months
from planea.execution.models import ExecutedGoal, ExecutionMonth, Source
from planea.operations import goals

pytestmark = pytest.mark.django_db


def filled(data: bytes, values: Mapping[int, int | str]) -> bytes:
    """The workbook with the Ejecutada cell (column 8) of sheet rows `values` set."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Ejecución"]
    for row, value in values.items():
        sheet.cell(row=row, column=8, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_export_fill_and_import_back_then_the_approved_month_refuses_it(poa, demo, tmp_path, capsys):
    path = tmp_path / "septiembre.xlsx"
    call_command("export_execution", "--plan", "POA-2026", "--month", "2026-01", "--output", str(path))
    sheet = load_workbook(path)["Ejecución"]
    header = [cell.value for cell in sheet[1]]
    assert header[:8] == [
        "Código subproducto",
        "Subproducto",
        "Unidad de medida",
        "Código centro de costo",
        "Centro de costo",
        "Programada",
        "Vigente",
        "Ejecutada",
    ]
    current = {(s, c): v for (s, c, _y, m), v in goals.values_of(poa, attr="current").items() if m == 1 and v}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(current) and all(row[7] is None for row in rows)
    values = {number: int(str(row[6] or 0)) + number for number, row in enumerate(rows, start=2)}
    path.write_bytes(filled(path.read_bytes(), values))
    call_command("import_execution", str(path))
    assert f"{len(rows)} valores cambiaron" in capsys.readouterr().out
    stored = executed.executed_of(poa, 1)
    assert sorted(stored.values()) == sorted(values.values())
    assert {row.source(1) for row in ExecutedGoal.objects.filter(plan=poa)} == {Source.IMPORT}
    month = ExecutionMonth.objects.get(plan=poa, month=1)
    months.register(month, actor=demo["profesional_planes_programas"])
    for s, c, _m in stored:
        months.write_cause(month, (s, c), "Diferencia de prueba.", actor=demo["profesional_planes_programas"])
    months.authorize(month, actor=demo["jefe_planes_programas"])
    months.approve(month, actor=demo["subdirector_planificacion"])
    again = tmp_path / "otra.xlsx"
    call_command("export_execution", "--plan", "POA-2026", "--month", "2026-01", "--output", str(again))
    assert [row[7] for row in load_workbook(again)["Ejecución"].iter_rows(min_row=2, values_only=True)] == list(
        values.values()
    )
    again.write_bytes(filled(again.read_bytes(), {2: 1}))
    with pytest.raises(CommandError, match="ya no está abierto"):
        call_command("import_execution", str(again))
    assert sorted(executed.executed_of(poa, 1).values()) == sorted(values.values())


def test_a_bad_file_names_its_rows_and_writes_nothing(poa, demo, tmp_path):
    data = excel.export_month(poa, 2)
    bad = filled(data, {2: "muchos", 3: -4})
    path = tmp_path / "malo.xlsx"
    path.write_bytes(bad)
    with pytest.raises(CommandError) as refused:
        call_command("import_execution", str(path))
    message = str(refused.value)
    assert "fila 2, columna «Ejecutada»: «muchos» no es un número" in message
    assert "fila 3, columna «Ejecutada»: no puede ser negativo" in message
    assert not ExecutedGoal.objects.exists()
    path.write_bytes(b"PK\x03\x04 no es un libro")
    with pytest.raises(CommandError, match="No se importó nada"):
        call_command("import_execution", str(path))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--plan", "POA-1999", "--month", "1999-01"], "no es un POA"),
        (["--plan", "POA-2026", "--month", "2026-13"], "El mes debe escribirse como 2026-09"),
        (["--plan", "POA-2026", "--month", "2025-01"], "dentro del año del POA-2026"),
    ],
)
def test_export_refuses_a_plan_or_month_it_does_not_know(poa, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_execution", *arguments, "--output", str(tmp_path / "x.xlsx"))
