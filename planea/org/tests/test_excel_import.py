"""Excel round trip of org units and cost centers; bad files are refused in Spanish and nothing is written."""

import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.org.models import CostCenter, OrgUnit, Person

pytestmark = pytest.mark.django_db

COST_HEADERS = ["Código", "Nombre", "Tipo", "Departamento", "Municipio", "Unidad organizativa", "Activo"]
UNIT_HEADERS = ["Código", "Nombre", "Tipo", "Código superior", "Activa"]


def xlsx(rows: Sequence[Sequence[object]], title: str = "Centros de costo") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, url: str, data: bytes, name: str = "datos.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def state() -> tuple[tuple[Any, ...], tuple[Any, ...], int]:
    return (
        tuple(
            CostCenter.objects.order_by("code").values_list(
                "code", "name", "kind", "department", "municipality", "org_unit__code", "active"
            )
        ),
        tuple(OrgUnit.objects.order_by("code").values_list("code", "name", "kind", "parent__code", "active")),
        AuditEvent.objects.count(),
    )


def test_export_then_import_changes_nothing(client_as):
    admin = client_as("administrador")
    before = state()
    for export_url, import_url in (
        ("/organizacion/centros-de-costo/excel/", "/organizacion/centros-de-costo/importar/"),
        ("/organizacion/unidades/excel/", "/organizacion/unidades/importar/"),
    ):
        exported = admin.get(export_url)
        assert exported.status_code == 200
        assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
        response = upload(admin, import_url, exported.content)
        assert response.status_code == 302
    after = state()
    assert after[:2] == before[:2]
    assert after[2] == before[2] + 2  # only the two import events, no row changed


def test_export_has_hidden_catalogs_and_dropdowns(client_as):
    data = client_as("administrador").get("/organizacion/centros-de-costo/excel/").content
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "Centros de costo"
    assert wb["Catálogos"].sheet_state == "hidden" and wb["_planea"].sheet_state == "hidden"
    assert wb["_planea"]["B1"].value == "cost_centers"
    ws = wb["Centros de costo"]
    assert [c.value for c in ws[1]] == COST_HEADERS
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert {"=lista_tipos_centro", "=lista_departamentos", "=lista_unidades"} <= formulas
    assert ws["A2"].value == "0001" and ws["A2"].number_format == "@"


def test_import_creates_and_updates_with_audit(client_as, demo):
    admin = client_as("administrador")
    data = xlsx(
        [
            COST_HEADERS,
            [
                "0216",
                "Puesto Fronterizo El Naranjo",
                "Puesto fronterizo terrestre",
                "Petén",
                "La Libertad",
                "10.02.U0",
                "Sí",
            ],
            ["0101", "Aeropuerto Internacional La Aurora", "Aeropuerto", "guatemala", "Guatemala", "10.01.U0", "No"],
        ]
    )
    response = upload(admin, "/organizacion/centros-de-costo/importar/", data)
    assert response.status_code == 302
    new = CostCenter.objects.get(code="0216")
    assert (new.kind, new.department, new.org_unit.code) == ("land_border", "17", "10.02.U0")
    assert CostCenter.objects.get(code="0101").active is False
    events = AuditEvent.objects.filter(object_type="org.costcenter").order_by("-seq")[:3]
    assert [e.action for e in events] == ["import", "import_update", "import_create"]
    assert events[1].before["active"] is True and events[1].after["active"] is False
    assert verify_chain().ok


def test_units_import_resolves_parents_in_the_same_file(client_as):
    admin = client_as("administrador")
    data = xlsx(
        [
            UNIT_HEADERS,
            ["11.04.U1", "Unidad de Gestión de Riesgos", "Unidad", "11.04.U0", "Sí"],
            ["11.04.U0", "Departamento de Proyectos", "Departamento", "11", "Sí"],
        ],
        title="Unidades",
    )
    assert upload(admin, "/organizacion/unidades/importar/", data).status_code == 302
    assert OrgUnit.objects.get(code="11.04.U1").parent.code == "11.04.U0"
    assert OrgUnit.objects.get(code="11.04.U0").parent.code == "11"


BAD_FILES = {
    "wrong columns": (
        xlsx(
            [
                ["Código", "Nombre", "Clase", "Departamento", "Municipio", "Unidad organizativa"],
                ["0216", "El Naranjo", "Aeropuerto", "Petén", "La Libertad", "10.02.U0"],
            ]
        ),
        ["fila 1", "faltan las columnas «Tipo», «Activo»", "sobran las columnas «Clase»"],
    ),
    "text in codes": (
        xlsx(
            [
                COST_HEADERS,
                ["0216", "El Naranjo", "Puesto fronterizo terrestre", "Petén", "La Libertad", "10.02.U0", ""],
                ["Aeropuerto", "Otro", "Aeropuerto", "Petén", "Flores", "10.01.U0", "Sí"],
            ]
        ),
        ["Hoja «Centros de costo», fila 3, columna «Código»: «Aeropuerto» no es un código de centro de costo válido"],
    ),
    "duplicate codes": (
        xlsx(
            [
                COST_HEADERS,
                ["0216", "El Naranjo", "Puesto fronterizo terrestre", "Petén", "La Libertad", "10.02.U0", ""],
                ["0216", "Bethel 2", "Puesto fronterizo terrestre", "Petén", "La Libertad", "10.02.U0", ""],
            ]
        ),
        ["fila 3, columna «Código»: el valor «0216» ya aparece en la fila 2"],
    ),
    "unknown references": (
        xlsx([COST_HEADERS, ["0216", "El Naranjo", "Garita", "Narnia", "La Libertad", "99.99.U0", "quizá"]]),
        [
            "columna «Tipo»: «Garita» no es un valor válido",
            "columna «Departamento»: «Narnia» no es un departamento",
            "columna «Unidad organizativa»: no existe una unidad con código «99.99.U0»",
            "columna «Activo»: escriba Sí o No",
        ],
    ),
    "corrupt file": (
        b"PK\x03\x04esto no es un libro de Excel" * 20,
        ["no es un .xlsx válido o está dañado"],  # refused by the upload check, next to the file field
    ),
    "wrong sheet": (
        xlsx([COST_HEADERS], title="Hoja1"),
        ["el libro no tiene la hoja «Centros de costo» (hojas encontradas: Hoja1)"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_cost_center_files_are_refused_and_nothing_is_written(client_as, case):
    data, expected = BAD_FILES[case]
    admin = client_as("administrador")
    before = state()
    response = upload(admin, "/organizacion/centros-de-costo/importar/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "No se importó nada" in page or case == "corrupt file"
    for fragment in expected:
        assert fragment in page, fragment
    assert state() == before


def test_unit_file_with_a_cycle_is_refused(client_as):
    admin = client_as("administrador")
    before = state()
    data = xlsx(
        [UNIT_HEADERS, ["11", "Subdirección de Planificación", "Subdirección", "11.01.U0", "Sí"]], title="Unidades"
    )
    response = upload(admin, "/organizacion/unidades/importar/", data)
    assert response.status_code == 400
    assert "la dependencia forma un ciclo (11 → 11.01.U0 → 11)" in response.content.decode()
    assert state() == before


def test_a_chain_of_units_deeper_than_an_institution_is_refused_quickly_and_still_listed(client_as):
    """Found by the attacker trial of 26 Nov: a chain of 3,000 units, each the parent of the next, held a worker
    for minutes (every cycle check walked the whole chain) and, once saved, the unit list answered 500 for
    everyone (its walk recursed once per level)."""
    from planea.org.models import MAX_UNIT_DEPTH

    admin = client_as("administrador")
    before = state()

    def code(n: int) -> str:
        return f"{50 + n // 100:02d}.{n % 100:02d}"

    chain = [[code(n), f"Unidad {n}", "Unidad", code(n - 1) if n else "11.01.U0", "Sí"] for n in range(3000)]
    response = upload(admin, "/organizacion/unidades/importar/", xlsx([UNIT_HEADERS, *chain], title="Unidades"))
    assert response.status_code == 400 and f"a más de {MAX_UNIT_DEPTH} niveles de la raíz" in response.content.decode()
    assert state() == before
    # A chain left by an older version (or written by hand) is listed, deepest units included.
    parent = OrgUnit.objects.get(code="11.01.U0")
    for n in range(1200):
        parent = OrgUnit.objects.create(
            institution=parent.institution,
            code=f"{30 + n // 100:02d}.{n % 100:02d}.01",
            name=f"U {n}",
            kind="unidad",
            parent=parent,
        )
    page = admin.get("/organizacion/unidades/")
    assert page.status_code == 200 and "41.99.01" in page.content.decode()


def test_units_need_the_institution_first(db):
    from planea.org.excel import import_units
    from planea.spreadsheets.xlsx import ImportRejected

    data = xlsx([UNIT_HEADERS, ["01", "Dirección General", "Dirección General", "", "Sí"]], title="Unidades")
    events = AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        import_units(data, Person(username="administrador"), "unidades.xlsx")
    assert "registre primero los datos de la institución" in rejected.value.messages[0]
    assert not OrgUnit.objects.exists() and AuditEvent.objects.count() == events


def test_a_unit_template_is_refused_where_cost_centers_are_expected(client_as):
    admin = client_as("administrador")
    units_file = admin.get("/organizacion/unidades/excel/").content
    response = upload(admin, "/organizacion/centros-de-costo/importar/", units_file)
    assert response.status_code == 400
    assert "plantilla de «org_units»" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("centros.csv", b"codigo,nombre\n1,a\n", "no es de un tipo permitido"),
        ("centros.xlsx", b"", "está vacío"),
        ("centros.xlsx", b"%PDF-1.7 no es excel", "no es un .xlsx válido"),
    ],
)
def test_uploads_are_checked_for_type_and_content(client_as, name, data, message):
    admin = client_as("administrador")
    before = state()
    response = upload(admin, "/organizacion/centros-de-costo/importar/", data, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before


def test_oversized_upload_is_refused(client_as, settings):
    settings.MAX_UPLOAD_MB = 0
    admin = client_as("administrador")
    response = upload(admin, "/organizacion/centros-de-costo/importar/", xlsx([COST_HEADERS]))
    assert response.status_code == 400
    assert "el máximo es 0 MB" in response.content.decode()


def test_export_escapes_formulas(client_as, demo):
    center = CostCenter.objects.get(code="0101")
    center.name = '=HYPERLINK("http://example.com")'
    center.save()
    data = client_as("administrador").get("/organizacion/centros-de-costo/excel/").content
    ws = load_workbook(io.BytesIO(data))["Centros de costo"]
    names = [row[1].value for row in ws.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://example.com")' in names
