"""The goal grid through Excel and the command line: a round trip keeps every value; a wrong file is refused with
its row and column named, and nothing is written."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from conftest import goal_cell
from planea.audit.models import AuditEvent
from planea.operations import goals
from planea.operations.goals_excel import export_goals, import_goals
from planea.spreadsheets.xlsx import ImportRejected
from planea.strategy.models import PlanStatus

pytestmark = pytest.mark.django_db


def edit(data: bytes, change) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def snapshot(plan):
    """(subproduct, cost center, month, programmed, current) of every stored cell."""
    current = goals.values_of(plan, attr="current")
    return sorted((s, c, m, planned, current[(s, c, y, m)]) for (s, c, y, m), planned in goals.values_of(plan).items())


def test_the_template_has_catalogs_validation_and_version(plans):
    data = export_goals(plans["poa"])
    wb = load_workbook(io.BytesIO(data))
    sheet = wb["Metas"]
    assert [c.value for c in sheet[1]][:6] == [
        "Código subproducto",
        "Subproducto",
        "Código centro de costo",
        "Centro de costo",
        "Ene",
        "Feb",
    ]
    assert wb["_planea"]["B1"].value == "metas_fisicas" and wb["_planea"]["B2"].value == 1
    assert wb["_planea"]["A4"].value == "plan" and wb["_planea"]["B4"].value == "POA-2026"
    assert wb["Catálogos"].sheet_state == "hidden"
    kinds = {v.type for v in sheet.data_validations.dataValidation}
    assert {"list", "whole"} <= kinds
    pairs = sum(s.cost_centers.count() for s in plans["pei"].subproducts.all())
    assert sheet.max_row == 1 + pairs  # one row per subproduct × cost center that delivers it
    rows = {(r[0].value, r[2].value): r for r in sheet.iter_rows(min_row=2)}
    valle_nuevo = rows[("P02-02", "0209")]
    months: list[Any] = [cell.value for cell in valle_nuevo[4:16]]
    assert sum(months) == 1_175_000


def test_export_import_round_trip_keeps_every_value(plans, demo, tmp_path):
    poa = plans["poa"]
    before = snapshot(poa)
    data = export_goals(poa)
    changed = edit(data, lambda wb: wb["Metas"].cell(row=2, column=5, value=wb["Metas"].cell(row=2, column=5).value))
    result = import_goals(changed, demo["jefe_planes_programas"])
    assert result.changed == 0 and snapshot(poa) == before

    def raise_january(wb):
        ws = wb["Metas"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "P02-02" and row[2].value == "0209":
                row[4].value = 123_456

    result = import_goals(edit(data, raise_january), demo["jefe_planes_programas"])
    assert result.changed == 1 and str(result).endswith("; 1 meta cambió.")
    goal = goal_cell(poa, plans["land"], "0209", 1)
    assert (goal.planned, goal.current) == (123_456, 123_456)
    again = export_goals(poa)
    assert snapshot(poa) == sorted(snapshot(poa))
    import_goals(again, demo["jefe_planes_programas"])
    assert goal_cell(poa, plans["land"], "0209", 1).planned == 123_456


def valle_nuevo_row(plan) -> int:
    """The sheet row of P02-02 × 0209 (Valle Nuevo)."""
    ws = load_workbook(io.BytesIO(export_goals(plan)))["Metas"]
    return next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "P02-02" and r[2].value == "0209")


def break_cell(row_code, column, value):
    def change(wb):
        ws = wb["Metas"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "P02-02" and row[2].value == row_code:
                row[column - 1].value = value
                return

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda wb: wb["_planea"].__setitem__("B2", 0), "la plantilla es de la versión 0 y la vigente es la 1"),
        (lambda wb: wb["Metas"].__setitem__("E1", "Enero"), "los encabezados no son los de la plantilla"),
        (break_cell("0209", 5, "mucho"), "Hoja «Metas», fila {row}, columna «Ene»: «mucho» no es un número."),
        (break_cell("0209", 6, -5), "fila {row}, columna «Feb»: no puede ser negativo."),
        (break_cell("0209", 7, 10.5), "fila {row}, columna «Mar»: debe ser un número entero."),
        # An error kept as a value (Paste Values of a failed formula) reads as empty: it must not become 0.
        (break_cell("0209", 5, "#N/A"), "fila {row}, columna «Ene»: la celda tiene un error de Excel"),
        (break_cell("0209", 6, "#DIV/0!"), "fila {row}, columna «Feb»: la celda tiene un error de Excel"),
        (
            break_cell("0209", 3, "9999"),
            "fila {row}, columna «Código centro de costo»: el centro de costo «9999» no existe.",
        ),
        (break_cell("0209", 3, "0101"), "el centro de costo 0101 no entrega el subproducto P02-02"),
        (break_cell("0209", 3, "0210"), "la combinación P02-02 × 0210 ya aparece en la fila"),
        (break_cell("0209", 1, "P99-99"), "el subproducto «P99-99» no existe"),
    ],
)
def test_bad_templates_are_refused_and_nothing_is_written(plans, demo, change, expected):
    poa = plans["poa"]
    before, events = snapshot(poa), AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        import_goals(edit(export_goals(poa), change), demo["jefe_planes_programas"])
    expected = expected.format(row=valle_nuevo_row(poa))
    assert any(expected in message for message in rejected.value.messages), rejected.value.messages
    assert snapshot(poa) == before and AuditEvent.objects.count() == events


def test_a_corrupt_file_and_a_foreign_workbook_are_refused(plans, demo):
    with pytest.raises(ImportRejected) as rejected:
        import_goals(b"PK\x03\x04 esto no es un libro", demo["jefe_planes_programas"])
    assert "no es un libro de Excel (.xlsx) válido" in rejected.value.messages[0]
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    with pytest.raises(ImportRejected) as rejected:
        import_goals(out.getvalue(), demo["jefe_planes_programas"])
    assert "no es una plantilla de metas de Planea" in rejected.value.messages[0]


def test_an_approved_plan_refuses_the_import(plans, demo):
    from planea.operations import lifecycle

    poa = plans["poa"]
    data = export_goals(poa)
    lifecycle.approve([poa], actor=demo["subdirector_planificacion"])
    with pytest.raises(ImportRejected) as rejected:
        import_goals(data, demo["jefe_planes_programas"])
    assert "Solicite una reprogramación" in rejected.value.messages[0]


def test_the_commands_export_and_import_and_refuse_with_row_errors(plans, tmp_path, capsys):
    path = tmp_path / "goals.xlsx"
    call_command("export_goals", "--plan", "POA-2026", "--output", str(path))
    ws = load_workbook(path)["Metas"]
    assert ws.max_row > 1 and [c.value for c in ws[1]][4:16] == [
        "Ene",
        "Feb",
        "Mar",
        "Abr",
        "May",
        "Jun",
        "Jul",
        "Ago",
        "Sep",
        "Oct",
        "Nov",
        "Dic",
    ]
    call_command("import_goals", str(path))
    assert "Importación completada" in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edit(path.read_bytes(), break_cell("0209", 5, "x")))
    before = snapshot(plans["poa"])
    with pytest.raises(CommandError) as error:
        call_command("import_goals", str(bad))
    assert "no se escribió nada" in str(error.value)
    assert f"fila {valle_nuevo_row(plans['poa'])}, columna «Ene»" in capsys.readouterr().err
    assert snapshot(plans["poa"]) == before
    with pytest.raises(CommandError):
        call_command("export_goals", "--plan", "POA-1999", "--output", str(path))


def test_an_area_template_holds_only_its_cost_centers(plans):
    from planea.org.models import OrgUnit

    data = export_goals(plans["poa"], OrgUnit.objects.get(code="10.02.U0"))
    codes = {r[2].value for r in load_workbook(io.BytesIO(data))["Metas"].iter_rows(min_row=2)}
    assert codes and all(code.startswith("02") for code in codes)
    assert plans["poa"].status == PlanStatus.DRAFT and goals


def test_a_large_change_is_audited_by_subproduct_in_one_compact_event(plans, demo, monkeypatch):
    """Beyond DETAIL_LIMIT cells (an import at national scale changes 72,000) the one event records, per
    subproduct, how many cells changed and the totals before and after, and the file's SHA-256."""
    import hashlib
    import json

    poa = plans["poa"]
    monkeypatch.setattr(goals, "DETAIL_LIMIT", 5)
    before = sum(goals.values_of(poa).values())

    def raise_all(wb):
        for row in wb["Metas"].iter_rows(min_row=2):
            if row[0].value == "P02-02":
                for cell in row[4:16]:
                    cell.value = (cell.value or 0) + 1

    data = edit(export_goals(poa), raise_all)
    result = import_goals(data, demo["jefe_planes_programas"], filename="metas.xlsx")
    event = AuditEvent.objects.filter(action="goals_imported").latest("seq")
    assert result.changed > 5 and event.after["cells_changed"] == result.changed
    assert event.after["cells_by_subproduct"] == {"P02-02": result.changed}
    assert event.before["totals"]["P02-02"] == before
    assert event.after["totals"]["P02-02"] == before + result.changed
    assert event.after["file"] == {"file": "metas.xlsx", "sha256": hashlib.sha256(data).hexdigest()}
    assert len(json.dumps(event.after)) < 1000 and event.summary.startswith(f"{result.changed} metas importadas")


def test_a_small_change_is_audited_cell_by_cell_with_codes(plans, demo):
    poa = plans["poa"]
    data = edit(export_goals(poa), break_cell("0209", 5, 4321))
    import_goals(data, demo["jefe_planes_programas"], filename="metas.xlsx")
    event = AuditEvent.objects.filter(action="goals_imported").latest("seq")
    assert event.after["cells"] == {"P02-02|0209|2026-01": 4321}
    assert list(event.before["cells"]) == ["P02-02|0209|2026-01"]


def test_a_template_does_not_undo_goals_someone_else_saved_after_its_download(plans, demo):
    """Goals saved by another person after the template was read are not silently put back: the rows the file
    would change are refused with who saved them, and nothing is written. Rows that hold what that person saved,
    and the importer's own later saves, import as usual."""
    poa, land, jefe = plans["poa"], plans["land"], demo["jefe_planes_programas"]
    january = goal_cell(poa, land, "0209", 1).planned
    downloaded = export_goals(poa)
    valle_nuevo = goals.grid_cost_centers(poa, land)[[c.code for c in goals.grid_cost_centers(poa, land)].index("0209")]
    goals.save_grid(poa, land, {(valle_nuevo.pk, 2026, 1): (january, 99_999)}, actor=demo["subdirector_planificacion"])
    before, events = snapshot(poa), AuditEvent.objects.count()

    # The file changes February of that row (January still holds the old value): importing would undo 99,999.
    stale = edit(downloaded, break_cell("0209", 6, 1234))
    with pytest.raises(ImportRejected) as refused:
        import_goals(stale, jefe)
    message = refused.value.messages[0]
    assert f"fila {valle_nuevo_row(poa)}" in message and "se guardaron en Planea después de descargar" in message
    assert str(demo["subdirector_planificacion"]) in message
    assert snapshot(poa) == before and AuditEvent.objects.count() == events

    # Left as downloaded, the row would still go back to the old January: refused too. Holding what the other
    # person saved, it imports with the file's other changes.
    with pytest.raises(ImportRejected):
        import_goals(edit(downloaded, break_cell("0210", 5, 777)), jefe)
    current = edit(edit(downloaded, break_cell("0209", 5, 99_999)), break_cell("0210", 5, 777))
    assert import_goals(current, jefe).changed == 1
    assert goal_cell(poa, land, "0209", 1).planned == 99_999

    # The importer's own saves after the download are theirs to overwrite (import, correct, import again).
    fresh = export_goals(poa)
    import_goals(edit(fresh, break_cell("0209", 6, 1)), jefe)
    assert import_goals(edit(fresh, break_cell("0209", 6, 2)), jefe).changed == 1
    assert goal_cell(poa, land, "0209", 2).planned == 2


def test_a_template_that_does_not_say_when_its_goals_were_read_is_refused(plans, demo):
    undated = edit(export_goals(plans["poa"]), lambda wb: wb["_planea"].__setitem__("B6", ""))
    with pytest.raises(ImportRejected, match="no indica cuándo se leyeron sus metas"):
        import_goals(undated, demo["jefe_planes_programas"])


@pytest.mark.parametrize(
    ("read_at", "refusal"),
    [
        ("9999-12-31T23:59:59-23:59", "no indica cuándo se leyeron sus metas"),  # past the calendar in UTC
        ("0001-01-01T00:00:00+23:59", "no indica cuándo se leyeron sus metas"),
        ("9999-12-31T23:59:59.999999+00:00", "después de ahora"),  # would switch off the check of others' saves
    ],
)
def test_a_template_read_at_a_moment_no_template_holds_is_refused_in_spanish(plans, demo, client_as, read_at, refusal):
    """Found by the attacker trial of 26 Nov: the first two answered 500, the third let a file overwrite what
    others saved after it was downloaded."""
    poa = plans["poa"]
    forged = edit(export_goals(poa), lambda wb: wb["_planea"].__setitem__("B6", read_at))
    with pytest.raises(ImportRejected, match=refusal):
        import_goals(forged, demo["jefe_planes_programas"])
    upload = SimpleUploadedFile("metas.xlsx", forged)
    response = client_as("jefe_planes_programas").post(f"/planes/{poa.pk}/metas/importar/", {"file": upload})
    assert response.status_code == 400 and refusal in response.content.decode()


def test_a_template_for_an_area_that_does_not_exist_is_refused_not_the_whole_plan(plans, client_as):
    client = client_as("jefe_planes_programas")
    poa = plans["poa"]
    whole = client.get(f"/planes/{poa.pk}/metas/excel/")
    assert whole.status_code == 200 and whole["Content-Disposition"].endswith(f'metas-{poa.code}.xlsx"')
    for path in (f"/planes/{poa.pk}/metas/excel/", f"/planes/{poa.pk}/insumos/excel/"):
        refused = client.get(path, {"area": "99.99.X<b>"})
        assert refused.status_code == 400
        assert "No hay un área con el código «99.99.X&lt;b&gt;»." in refused.content.decode()
