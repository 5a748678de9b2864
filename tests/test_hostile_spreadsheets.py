"""Every import endpoint against the hostile corpus (`hostile_files`): each file gets a Spanish 400 in a small page,
nothing is written, the audit chain stays intact; and the reader's own defences: the memory limit of the parsing
child, formula cells saved without a value, echoed values cut short."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.core.numbers import Bounds
from planea.jobs.models import Job, JobStatus
from planea.operations.goals_excel import export_goals, spec_for
from planea.operations.models import InputCatalogItem, InputRequirement, PhysicalGoal
from planea.org.models import CostCenter, OrgUnit
from planea.spreadsheets.xlsx import (
    MAX_ISSUES,
    Column,
    ImportRejected,
    RowChecker,
    SheetRow,
    SheetSpec,
    open_workbook,
    read_sheet,
)
from planea.statistics.models import StatisticsBatch, StatisticYear
from tests.hostile_files import (
    WORKBOOK_RELS,
    corpus,
    relocated_sheet,
    sheet_xml,
    two_sheets_of_one_name,
    workbook_xml,
    xlsx,
)

pytestmark = pytest.mark.django_db

COUNTED = (
    OrgUnit,
    CostCenter,
    PhysicalGoal,
    InputCatalogItem,
    InputRequirement,
    StatisticsBatch,
    StatisticYear,
    AuditEvent,
)
# Words one of which every refusal carries: the message names the file, a sheet, a part, a row or a limit.
SPANISH = ("archivo", "hoja", "parte", "fila", "máximo", "libro", "celda")


def hostile_uploads(title: str) -> Iterator[tuple[str, SimpleUploadedFile]]:
    for name, data in corpus(title).items():
        yield name, SimpleUploadedFile(f"{name[:30]}.xlsx", data, content_type="application/octet-stream")


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def endpoints(plans: dict[str, object]) -> dict[str, tuple[str, str, str]]:
    """Import endpoint → (URL, role that may use it, title of its data sheet)."""
    poa = plans["poa"]
    return {
        "unidades": (reverse("org:unit_import"), "administrador", "Unidades"),
        "centros de costo": (reverse("org:costcenter_import"), "administrador", "Centros de costo"),
        "metas": (reverse("operations:goals_import", args=[poa.pk]), "jefe_planes_programas", "Metas"),  # type: ignore[attr-defined]
        "catálogo": (
            reverse("operations:catalog_import"),
            "subdireccion_tecnica_administrativa",
            "Catálogo de insumos",
        ),
        "matriz": (reverse("operations:matrix_import", args=[poa.pk]), "jefe_planes_programas", "Matriz de insumos"),  # type: ignore[attr-defined]
        "estadísticas": (reverse("statistics:upload"), "estadistica", "Estadísticas"),
    }


@pytest.mark.parametrize("endpoint", ["unidades", "centros de costo", "metas", "catálogo", "matriz", "estadísticas"])
def test_every_hostile_file_is_refused_in_spanish_with_nothing_written(plans, client_as, endpoint, settings):
    settings.PLANEA_IMPORT_INLINE_BYTES = 1024**3  # every file inside the request (the worker's path is below)
    url, role, title = endpoints(plans)[endpoint]
    client = client_as(role)
    before = counts()
    problems = []
    for name, upload in hostile_uploads(title):
        response = client.post(url, {"file": upload})
        page = response.content.decode()
        errors = page.split('data-testid="import-errors"', 1)[-1] if response.status_code == 400 else ""
        if response.status_code != 400:
            problems.append(f"{name}: answered {response.status_code}")
        elif not any(word in errors.lower() for word in SPANISH):
            problems.append(f"{name}: no Spanish message in {errors[:300]!r}")
        elif len(page) > 200_000:
            problems.append(f"{name}: a page of {len(page):,} characters")
        if counts() != before:
            problems.append(f"{name}: wrote {counts()} (before {before})")
    assert not problems, "\n".join(problems)
    assert verify_chain().ok


@pytest.mark.parametrize("endpoint", ["metas", "matriz", "estadísticas"])
def test_every_hostile_file_fails_its_background_job_in_spanish_with_nothing_written(
    plans, client_as, endpoint, settings, django_capture_on_commit_callbacks
):
    """The same corpus through the task worker: each job ends failed with a Spanish message, nothing written but
    the job's own start and failure events."""
    settings.PLANEA_IMPORT_INLINE_BYTES = 0
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    url, role, title = endpoints(plans)[endpoint]
    client = client_as(role)
    before = counts()
    problems = []
    for name, upload in hostile_uploads(title):
        jobs = Job.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"file": upload})
        if response.status_code == 400 and Job.objects.count() == jobs:  # refused by the upload's own checks
            if not any(word in response.content.decode().lower() for word in SPANISH):
                problems.append(f"{name}: no Spanish message on the upload form")
            continue
        job = Job.objects.latest("created_at")
        fragment = client.get(f"/trabajos/{job.pk}/avance/").content.decode()
        if response.status_code != 302 or job.status != JobStatus.FAILED:
            problems.append(f"{name}: answered {response.status_code}, job {job.status}")
        elif not any(word in " ".join(job.result["issues"]).lower() for word in SPANISH):
            problems.append(f"{name}: no Spanish message in {job.result!r}")
        elif len(fragment) > 200_000 or "Falló" not in fragment or 'data-testid="import-errors"' not in fragment:
            problems.append(f"{name}: a progress fragment of {len(fragment):,} characters")
        written = {k: v for k, v in counts().items() if k != "AuditEvent"}
        if written != {k: v for k, v in before.items() if k != "AuditEvent"}:
            problems.append(f"{name}: wrote {counts()} (before {before})")
    assert not problems, "\n".join(problems)
    jobs = Job.objects.count()
    assert AuditEvent.objects.count() - before["AuditEvent"] == 2 * jobs  # job_start and job_failed, nothing else
    assert verify_chain().ok


def test_the_goals_command_refuses_a_hostile_file_with_its_message(plans, tmp_path, capsys):
    path = tmp_path / "metas.xlsx"
    path.write_bytes(corpus("Metas")["declared dimension A1:XFD1048576"])
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_goals", str(path))
    assert str(caught.value) == "Importación rechazada: 1 error; no se escribió nada."
    assert "La hoja «Metas» llega hasta la fila 1,048,576" in capsys.readouterr().err
    assert counts() == before


def test_the_parsing_child_has_a_memory_limit(settings):
    small = xlsx("Metas", sheet_xml([("A1", "Código"), ("A2", "1")]))
    assert open_workbook(small).tables["Metas"] == [["Código"], ["1"]]
    # Within every declared limit, but more than the child may use: the child dies, the worker answers.
    cells = [(f"{column}{row}", "texto de prueba") for row in range(1, 20_001) for column in "ABCDEFGHIJKLMNOP"]
    settings.PLANEA_XLSX_MEMORY_MB = 48
    assert open_workbook(small).tables["Metas"][1] == ["1"]
    with pytest.raises(ImportRejected, match="necesita más memoria o tiempo de los permitidos"):
        open_workbook(xlsx("Metas", sheet_xml(cells)))


def goals_file(plans: dict[str, object], change: Callable[[object], None]) -> bytes:
    wb = load_workbook(io.BytesIO(export_goals(plans["poa"])))  # type: ignore[arg-type]
    change(wb["Metas"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_formula_saved_without_its_value_is_refused_not_read_as_zero(plans, client_as):
    poa = plans["poa"]

    def formula(sheet: object) -> None:
        sheet["E2"] = "=1+1"  # type: ignore[index]  # openpyxl writes the formula and no calculated value
        sheet["F3"] = -5  # type: ignore[index]  # another problem, reported together with it

    client, data = client_as("jefe_planes_programas"), goals_file(plans, formula)
    before = counts()
    response = client.post(f"/planes/{poa.pk}/metas/importar/", {"file": SimpleUploadedFile("metas.xlsx", data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "fila 2, columna «Ene»: la celda tiene una fórmula sin valor calculado" in page
    assert "fila 3, columna «Feb»: no puede ser negativo" in page
    assert counts() == before


def test_a_formula_with_its_value_is_read_as_the_value(plans):
    data = goals_file(plans, lambda sheet: None)
    sheet = sheet_xml([("A1", "x")]).replace(
        b"<sheetData>",
        b'<sheetData><row r="2"><c r="B2"><f>1+1</f><v>2</v></c><c r="C2"><f>1+2</f></c></row>',
    )
    wb = open_workbook(xlsx("Hoja", sheet))
    assert wb.tables["Hoja"][1][1] == 2.0
    assert wb.formulas_without_value == {"Hoja": {(2, 3)}}
    # Planea's own template computes the row total with a formula (no value until Excel opens it): that column is
    # of kind "formula" and is ignored on import, so the file is read.
    assert {column for _row, column in open_workbook(data).formulas_without_value["Metas"]} == {17}
    assert read_sheet(data, spec_for(plans["poa"]))


def test_echoed_values_are_cut_short(plans, client_as):
    poa = plans["poa"]
    long_code = "X" * 400_000

    def huge(sheet: object) -> None:
        sheet["A2"] = long_code  # type: ignore[index]

    response = client_as("jefe_planes_programas").post(
        f"/planes/{poa.pk}/metas/importar/", {"file": SimpleUploadedFile("metas.xlsx", goals_file(plans, huge))}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "no existe" in page
    assert "X" * 59 + "…" in page and "X" * 61 not in page
    assert len(page) < 100_000


# A formula cell whose value python-calamine does not take, however the markup is written. A cell that cannot be
# placed, or XML that is not well formed, refuses the whole file; otherwise the cell is reported at B2.
FORMULA_WITHOUT_VALUE = {
    "a cell without position after a cell with a value": b'<row r="2"><c r="A2"><v>5</v></c><c><f>1+1</f></c></row>',
    "a tab before the position": b'<row r="2"><c r="A2"><v>5</v></c><c\tr="B2"><f>1+1</f></c></row>',
    "single quotes around the position": b"<row r='2'><c r='A2'><v>5</v></c><c r='B2'><f>1+1</f></c></row>",
    # Round two: markup that text patterns took for the cell's value.
    "a value in a comment": b'<row r="2"><c r="B2"><f>1+1</f><!--<v>7</v>--></c></row>',
    "a value in a processing instruction": b'<row r="2"><c r="B2"><f>1+1</f><?x <v>7?></c></row>',
    "an attribute that looks like a closing": b'<row r="2"><c r="B2" x="/>"><f>1+1</f></c></row>',
    "closing tags of another prefix": b'<row r="2"><x:c xmlns:x="urn:x" r="B2"><x:f>1+1</x:f></y:c></row>',
    # Round three: a value the XML holds but python-calamine does not read.
    "a value in a CDATA section": b'<row r="2"><c r="B2"><f>1+1</f><v><![CDATA[5]]></v></c></row>',
    "a value by character reference": b'<row r="2"><c r="B2"><f>1+1</f><v>&#53;</v></c></row>',
    "a second, empty value": b'<row r="2"><c r="B2"><f>1+1</f><v>5</v><v></v></c></row>',
    # Round four: the formula's cell is looked for a few tags back, then by walking every tag.
    "a formula far from its cell's start tag": b'<row r="2"><c r="B2"><a/><b/><d/><e/><g/><f>1+1</f></c></row>',
}


@pytest.mark.parametrize("case", FORMULA_WITHOUT_VALUE)
def test_a_formula_without_a_value_the_reader_takes_is_never_read_as_empty(case):
    sheet = sheet_xml([("A1", "x")]).replace(b"</sheetData>", FORMULA_WITHOUT_VALUE[case] + b"</sheetData>")
    try:
        workbook = open_workbook(xlsx("Hoja", sheet))
    except ImportRejected as refused:
        assert any(m in refused.messages[0] for m in ("tiene fórmulas sin valor calculado", "no es un libro de Excel"))
    else:
        assert workbook.formulas_without_value == {"Hoja": {(2, 2)}}


def test_prefixed_and_relocated_sheets_are_scanned_too():
    prefixed = (
        b'<x1:worksheet xmlns:x1="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x1:sheetData>'
        b'<x1:row r="2"><x1:c r="G2"><x1:f>1+1</x1:f></x1:c></x1:row></x1:sheetData></x1:worksheet>'
    )
    assert open_workbook(xlsx("Hoja", prefixed)).formulas_without_value == {"Hoja": {(2, 7)}}
    relocated = relocated_sheet("Hoja", prefixed, "/xl/data/hoja.xml")
    assert open_workbook(relocated).formulas_without_value == {"Hoja": {(2, 7)}}


def test_a_nul_in_a_cell_is_a_row_error_not_a_stored_character(plans, client_as):
    data = goals_file(plans, lambda sheet: sheet.__setitem__("C2", "0209_x0000_"))
    client, before = client_as("jefe_planes_programas"), counts()
    response = client.post(
        f"/planes/{plans['poa'].pk}/metas/importar/", {"file": SimpleUploadedFile("metas.xlsx", data)}
    )
    assert response.status_code == 400 and "carácter nulo (NUL)" in response.content.decode()
    assert counts() == before


def test_positions_and_rows_beyond_the_cell_limit_are_refused_in_the_child():
    """Millions of positions, or rows written without any, are refused by the parsing child: the worker never
    holds them (round two: 1.8 GB and 664 MB in the web process)."""
    many_positions = sheet_xml([("A1", "x")]).replace(b"</sheetData>", b"r='A1'" * 2_000_001 + b"</sheetData>")
    with pytest.raises(ImportRejected, match="tiene más de 1,000,000 celdas"):
        open_workbook(xlsx("Hoja", many_positions))
    unplaced = sheet_xml([]).replace(b"<sheetData>", b"<sheetData>" + b'<row><c t="b"><v>1</v></c></row>' * 1_000_001)
    with pytest.raises(ImportRejected, match="tiene más de 1,000,000 celdas"):
        open_workbook(xlsx("Hoja", unplaced))


def test_a_nul_in_the_template_plan_code_is_no_plan(plans, client_as):
    wb = load_workbook(io.BytesIO(goals_file(plans, lambda sheet: None)))
    meta = wb["_planea"]
    for row in meta.iter_rows():
        if row[0].value == "plan":
            row[1].value = f"{row[1].value}_x0000_"
    out = io.BytesIO()
    wb.save(out)
    response = client_as("jefe_planes_programas").post(
        f"/planes/{plans['poa'].pk}/metas/importar/", {"file": SimpleUploadedFile("metas.xlsx", out.getvalue())}
    )
    assert response.status_code == 400 and "no indica el plan" in response.content.decode()


def test_a_file_with_too_many_problems_stops_being_checked():
    spec = SheetSpec("prueba", 1, "Hoja", (Column("Valor", "value", kind="int"),))
    check = RowChecker(spec)
    with pytest.raises(ImportRejected) as caught:
        for number in range(2, 5_000):
            check.text(SheetRow(number, {"value": "x\x00"}), "value")
    assert len(caught.value.issues) == MAX_ISSUES
    assert caught.value.messages[-1].startswith(
        "Se muestran los primeros 200 problemas. Se dejó de revisar el archivo al llegar a 1,000"
    )


def test_two_sheets_of_one_name_are_refused_before_any_check_by_name():
    """Round four: the formula checks were kept by sheet name, so a second sheet of the same name hid the first
    one's formula without value, and a goal was imported as 0."""
    with pytest.raises(ImportRejected, match="El libro tiene dos hojas llamadas «Metas», lo que Excel no permite"):
        open_workbook(two_sheets_of_one_name("Metas"))
    with pytest.raises(ImportRejected, match="dos hojas llamadas «metas»"):  # Excel compares names ignoring case
        open_workbook(two_sheets_of_one_name("Metas", second="metas"))


@pytest.mark.parametrize(
    ("position", "refusal"),
    [
        ("BL2", None),  # the last column a template may use
        ("A100001", None),  # and the last row
        ("A0100001", None),  # leading zeros are the same row
        ("AZ7", None),
        ("BM1", "llega hasta la columna BM"),
        ("CA3", "llega hasta la columna CA"),
        ("AAA3", "llega hasta la columna AAA"),
        ("A100002", "llega hasta la fila 100,002"),
        ("b0200000", "llega hasta la fila 200,000"),
        ("A1000000", "llega hasta la fila 1,000,000"),
        ("A99999999", "llega hasta la fila 99,999,999"),  # eight digits: refused as such, not read to exhaustion
    ],
)
def test_positions_past_the_limits_are_found_as_excel_writes_them_and_otherwise(position, refusal):
    """Positions written as Excel writes them (r="A1") are screened by one search; written otherwise (r='A1',
    r = "A1") each is read. Both ways refuse the same positions with the same figures."""
    excel = sheet_xml([("A1", "x"), (position, "y")])
    for sheet in (excel, excel.replace(f'r="{position}"'.encode(), f"r = '{position}'".encode())):
        if refusal is None:
            assert open_workbook(xlsx("Hoja", sheet)).tables["Hoja"][0][0] == "x"
        else:
            with pytest.raises(ImportRejected, match=refusal):
                open_workbook(xlsx("Hoja", sheet))


def test_a_child_is_kept_ready_for_the_next_file_and_never_reused(settings):
    """After a file, the worker keeps one child started ahead; each file gets a fresh one, and a change of limits
    discards the kept child."""
    from planea.spreadsheets import xlsx_children

    small = xlsx("Metas", sheet_xml([("A1", "Código"), ("A2", "1")]))
    open_workbook(small)
    kept = xlsx_children._ready
    assert kept is not None and kept.process.poll() is None
    open_workbook(small)
    assert kept.process.returncode == 0  # it read that file and ended
    assert xlsx_children._ready is not None and xlsx_children._ready is not kept
    settings.PLANEA_XLSX_MEMORY_MB = 512
    previous = xlsx_children._ready
    assert open_workbook(small).tables["Metas"][1] == ["1"]
    assert previous.process.returncode is not None  # started under other limits: killed, not handed the file
    assert xlsx_children._ready.limits.memory_mb == 512
    xlsx_children._release()
    assert xlsx_children._ready is None


def _with_cells(extra: bytes) -> bytes:
    return sheet_xml([("A1", "x")]).replace(b"</sheetData>", b'<row r="2">' + extra + b"</row></sheetData>")


def test_a_position_inside_another_attributes_value_is_no_position():
    """A formula cell whose only r="…" sits inside another attribute's value says not where it is: refused, as
    the general scan refuses it (the reader would place it at the next column, empty, and a goal would be 0)."""
    fake = _with_cells(b"""<c foo=' r="Z9"'><f>1+1</f></c>""")
    with pytest.raises(ImportRejected, match="tiene fórmulas sin valor calculado"):
        open_workbook(xlsx("Hoja", fake))
    real = _with_cells(b"""<c foo=' r="Z9"' r="B2"><f>1+1</f></c>""")
    assert open_workbook(xlsx("Hoja", real)).formulas_without_value == {"Hoja": {(2, 2)}}


def test_a_flagged_cell_is_checked_even_when_the_row_reads_as_whole_numbers():
    spec = SheetSpec("t", 1, "Hoja", (Column("Ene", "m1", kind="int"), Column("Feb", "m2", kind="int")))
    check = RowChecker(spec)
    row = SheetRow(2, {"m1": 5, "m2": 7}, errors=frozenset({"m1"}))  # an error cell and a value at one position
    assert check.integers(row, ["m1", "m2"], Bounds()) == [None, 7]
    assert "error de Excel" in check.issues[0].message


def test_checks_and_reader_name_the_same_sheets_whatever_the_namespaces():
    sheet = _with_cells(b'<c r="B2" t="e"><v>#N/A</v></c>')
    # Relationships written without their namespace: the sheet is still «Hoja», and its error cell is found.
    bare_rels = WORKBOOK_RELS.replace(b' xmlns="http://schemas.openxmlformats.org/package/2006/relationships"', b"")
    workbook = open_workbook(xlsx("Hoja", sheet, xl__rels__workbook_dot_xml_dot_rels=bare_rels))
    assert workbook.error_cells == {"Hoja": {(2, 2)}}
    # A sheet naming two parts (r:id and q:id) is ambiguous: refused.
    two_ids = workbook_xml("Hoja").replace(b'r:id="rId1"', b'r:id="rId1" xmlns:q="urn:nope" q:id="rId2"')
    with pytest.raises(ImportRejected, match="no es un libro de Excel"):
        open_workbook(xlsx("Hoja", sheet, xl__workbook_dot_xml=two_ids))


def test_xml_parts_in_utf16_and_positions_spaced_out_are_refused():
    utf16 = workbook_xml("Hoja").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    with pytest.raises(ImportRejected, match="no es un libro de Excel"):
        open_workbook(xlsx("Hoja", sheet_xml([("A1", "x")]), xl__workbook_dot_xml=utf16))
    spaced = _with_cells(b'<c r  =  "XFD2" t="inlineStr"><is><t>y</t></is></c>')
    with pytest.raises(ImportRejected, match="llega hasta la columna XFD"):
        open_workbook(xlsx("Hoja", spaced))
    zeros = _with_cells(b'<c r="A00000001048576" t="inlineStr"><is><t>y</t></is></c>')
    with pytest.raises(ImportRejected, match="llega hasta la fila 1,048,576"):
        open_workbook(xlsx("Hoja", zeros))


def test_scans_stay_linear_on_tags_built_to_repeat_them(settings):
    """A cell with thousands of attributes followed by thousands of formula tags, and a text of a million
    «t="e"», are read within a CPU limit of a few seconds (each took the child's whole 20 s)."""
    settings.PLANEA_XLSX_SECONDS = 4
    attributes = b"".join(b' a%d="1"' % n for n in range(6000))
    many_formulas = _with_cells(b'<c r="B2"' + attributes + b">" + b"<f/>" * 6000 + b"<v>1</v></c>")
    assert open_workbook(xlsx("Hoja", many_formulas)).tables["Hoja"][1][1] == 1
    error_text = _with_cells(b'<c r="B2" t="inlineStr"><is><t>' + b' t="e"' * 1_000_000 + b"</t></is></c>")
    with pytest.raises(ImportRejected, match="más de 32,767 caracteres"):  # refused for its length, not its time
        open_workbook(xlsx("Hoja", error_text))


def test_a_kept_child_whose_folder_was_cleaned_away_is_not_handed_a_file():
    from planea.spreadsheets import xlsx_children

    small = xlsx("Metas", sheet_xml([("A1", "Código"), ("A2", "1")]))
    open_workbook(small)
    kept = xlsx_children._ready
    assert kept is not None
    kept.folder.cleanup()  # as a cleaner of /tmp would
    assert open_workbook(small).tables["Metas"][1] == ["1"]
    assert kept.process.poll() is not None


def test_markup_the_tags_cannot_place_is_found_past_any_number_of_lookalikes():
    """Comments, declarations and processing instructions send a sheet to the XML parser; they are looked for by
    their rare second byte, and a part full of that byte («!!!», «¿?») is still searched to its end."""
    from planea.spreadsheets.xlsx_archive import _find_pair

    for xml in (b"a!b?" * 500 + b"<!-- x -->", b"!" * 5000 + b"<?pi?>", b"<c>!</c>" * 70 + b"<!x", b"<!", b"?<?"):
        for pair in (b"<!", b"<?"):
            for start in (0, 1, 7):
                assert _find_pair(xml, pair, start) == xml.find(pair, start), (xml[:20], pair, start)
    commented = _with_cells(b'<c r="B2"><f>1+1</f><v>2</v></c>' + b"<!-- " + b"!" * 200 + b" -->")
    assert open_workbook(xlsx("Hoja", commented)).tables["Hoja"][1][1] == 2


def test_a_doctype_whose_start_ends_a_chunk_is_refused_all_the_same():
    """«<!» as the last bytes of the first megabyte inflated, «DOCTYPE» at the start of the next, which holds no «!»
    of its own: the part is refused as declaring a DOCTYPE (the attacker trial of 26 Nov found it read)."""
    from planea.spreadsheets.xlsx_archive import CHUNK

    sheet = sheet_xml([("A1", "x")])
    start = sheet.index(b"<sheetData")
    padded = sheet[:start] + b" " * (CHUNK - 2 - start) + b'<!DOCTYPE x SYSTEM "http://127.0.0.1:1/x">' + sheet[start:]
    assert padded[CHUNK - 2 : CHUNK] == b"<!" and b"!" not in padded[CHUNK:]
    with pytest.raises(ImportRejected, match="declara un DOCTYPE o entidades"):
        open_workbook(xlsx("Hoja", padded))
