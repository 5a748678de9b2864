"""The month's execution in Excel and from the command line: exported with programada, vigente and ejecutada,
filled and imported back all or nothing; bad files named by row and column; an approved month refuses the import."""

import io
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from planea.execution import excel, executed, months
from planea.execution.models import DeviationCause, ExecutedGoal, ExecutionChange, ExecutionMonth, Source
from planea.operations import goals
from planea.spreadsheets.xlsx import ImportRejected

from .p6 import executed_as_goals

pytestmark = pytest.mark.django_db


def filled(data: bytes, values: Mapping[int, int | str | None], column: int = 8) -> bytes:
    """The workbook with the cell of `column` (8: Ejecutada, 9: Causa de la desviación) of sheet rows `values` set."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Ejecución"]
    for row, value in values.items():
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_export_fill_and_import_back_then_the_approved_month_refuses_it(poa, demo, tmp_path, capsys):
    path = tmp_path / "septiembre.xlsx"
    call_command("export_execution", "--plan", "POA-2026", "--month", "2026-01", "--output", str(path))
    sheet = load_workbook(path)["Ejecución"]
    header = [cell.value for cell in sheet[1]]
    assert header[:9] == [
        "Código subproducto",
        "Subproducto",
        "Unidad de medida",
        "Código centro de costo",
        "Centro de costo",
        "Programada",
        "Vigente",
        "Ejecutada",
        "Causa de la desviación",
    ]
    current = {(s, c): v for (s, c, _y, m), v in goals.values_of(poa, attr="current").items() if m == 1 and v}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(current) and all(row[7] is None for row in rows)
    values = {number: int(str(row[6] or 0)) + number for number, row in enumerate(rows, start=2)}
    path.write_bytes(filled(path.read_bytes(), values))
    call_command("import_execution", str(path))
    assert f"POA-2026, 01/2026: {len(rows)} valores cambiados." in capsys.readouterr().out
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
    exported = list(load_workbook(again)["Ejecución"].iter_rows(min_row=2, values_only=True))
    assert [row[7] for row in exported] == list(values.values())
    assert {row[8] for row in exported} == {"Diferencia de prueba."}
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


def test_an_import_writes_only_what_it_changes_with_the_file_as_its_note(poa, demo, tmp_path, capsys):
    profesional = demo["profesional_planes_programas"]
    written = executed_as_goals(poa, 3, demo)  # typed by a person
    (first, second, *_rest) = sorted(written)
    data = excel.export_month(poa, 3)  # its rows in the lines' order: the two first lines are rows 2 and 3
    changed = filled(data, {2: written[first] + 5, 3: None})  # one value changed, one cell emptied
    result = excel.import_month(changed, actor=profesional, filename="marzo.xlsx").written
    stored = executed.executed_of(poa, 3)
    assert result.changed == 1 and stored[first] == written[first] + 5 and stored[second] == written[second]
    kept = ExecutedGoal.objects.get(plan=poa, subproduct_id=second[0], cost_center_id=second[1])
    assert kept.source(3) == Source.TYPED  # an unchanged or empty cell leaves the person's value and its source
    change = ExecutionChange.objects.filter(source=Source.IMPORT).get()
    assert change.note == "Importado de «marzo.xlsx»"
    path = tmp_path / "marzo.xlsx"
    path.write_bytes(changed)
    with pytest.raises(CommandError, match="Importa la ejecución Planes y Programas"):
        call_command("import_execution", str(path), "--user", "segeplan")
    with pytest.raises(CommandError, match="no es un POA"):
        call_command("export_execution", "--plan", "POM-2026-2030", "--month", "2026-01", "--output", str(path))
    with pytest.raises(CommandError, match="La carpeta «/no/existe» no existe"):
        call_command("export_execution", "--plan", "POA-2026", "--month", "2026-01", "--output", "/no/existe/x.xlsx")


def test_causes_travel_in_the_template_beside_their_lines(poa, demo, tmp_path, capsys):
    profesional = demo["profesional_planes_programas"]
    written = executed_as_goals(poa, 4, demo)
    first, second = sorted(written)[:2]
    data = filled(excel.export_month(poa, 4), {2: written[first] * 2 + 10})  # far beyond the tolerance
    too_long = filled(
        data, {2: "Cierre del puesto por obras.", 3: "x" * 4001, 4: "Causa _x0000_ rara", 5: "=1+1"}, column=9
    )
    with pytest.raises(ImportRejected) as refused:
        excel.import_month(too_long, actor=profesional, filename="abril.xlsx")
    assert refused.value.messages == [
        "Hoja «Ejecución», fila 3, columna «Causa de la desviación»: La causa admite a lo sumo 4,000 caracteres; "
        "tiene 4,001.",
        "Hoja «Ejecución», fila 4, columna «Causa de la desviación»: el texto contiene un carácter nulo (NUL); "
        "escríbalo de nuevo.",
        "Hoja «Ejecución», fila 5, columna «Causa de la desviación»: la celda tiene una fórmula sin valor calculado; "
        "abra el archivo en Excel y guárdelo, o escriba el valor.",
    ]
    assert executed.executed_of(poa, 4)[first] == written[first] and not DeviationCause.objects.exists()
    path = tmp_path / "abril.xlsx"
    path.write_bytes(filled(data, {2: "  Cierre del puesto por obras.  ", 3: None}, column=9))
    call_command("import_execution", str(path))
    assert "POA-2026, 04/2026: 1 valor cambiado; 1 causa escrita." in capsys.readouterr().out
    month = ExecutionMonth.objects.get(plan=poa, month=4)
    assert months.needing_cause(month) == []  # the one line beyond the tolerance has its cause
    cause = DeviationCause.objects.get()
    assert (cause.subproduct_id, cause.cost_center_id, cause.text) == (*first[:2], "Cierre del puesto por obras.")
    call_command("import_execution", str(path))  # the same file again: nothing differs
    assert "0 valores cambiados." in capsys.readouterr().out
    months.register(month, actor=profesional)
    path.write_bytes(filled(excel.export_month(poa, 4), {3: "Otra causa."}, column=9))
    with pytest.raises(CommandError, match="ya no está abierto"):  # registered: not even a cause by import
        call_command("import_execution", str(path))
    assert DeviationCause.objects.count() == 1 and second[:2] not in months.causes_of(month)


def test_the_same_file_imported_twice_from_the_page_changes_nothing_the_second_time(poa, demo, client_as):
    written = executed_as_goals(poa, 5, demo)
    first = sorted(written)[0]
    data = filled(excel.export_month(poa, 5), {2: written[first] + 1})
    month = ExecutionMonth.objects.get(plan=poa, month=5)
    client = client_as("profesional_planes_programas")
    for said in ("1 valor cambiado.", "0 valores cambiados."):
        upload = SimpleUploadedFile("mayo.xlsx", data)
        sent = client.post(f"/ejecucion/meses/{month.pk}/importar/", {"file": upload}, follow=True)
        assert sent.status_code == 200 and f"Importación completada: {said}" in sent.content.decode()
    assert executed.executed_of(poa, 5)[first] == written[first] + 1


@time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=UTC), tick=False)
def test_a_file_of_a_month_not_begun_is_refused(poa, demo):
    workbook = load_workbook(io.BytesIO(filled(excel.export_month(poa, 6), {2: 5})))
    meta = workbook["_planea"]
    next(row for row in meta.iter_rows() if row[0].value == "mes")[1].value = "7"  # July, edited by hand
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportRejected, match="El mes 07/2026 del archivo aún no empieza"):
        excel.import_month(out.getvalue(), actor=demo["profesional_planes_programas"])
    assert not ExecutionMonth.objects.filter(plan=poa, month=7).exists() and not ExecutedGoal.objects.exists()
