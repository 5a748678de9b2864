"""Excel export and all-or-nothing import of org units and cost centers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from planea.spreadsheets.imports import ImportSummary, import_rows, yes_no
from planea.spreadsheets.xlsx import (
    CellIssue,
    Column,
    ImportRejected,
    RowChecker,
    SheetSpec,
    build_workbook,
    read_sheet,
    shown,
)

from .geography import Department, department_from_text
from .models import (
    MAX_UNIT_DEPTH,
    CostCenter,
    CostCenterKind,
    Institution,
    OrgUnit,
    OrgUnitKind,
    Person,
    too_deep,
    validate_cost_center_code,
    validate_org_unit_code,
)

UNIT_SPEC = SheetSpec(
    template="org_units",
    version=1,
    title="Unidades",
    columns=(
        Column("Código", "code", 14, kind="code"),
        Column("Nombre", "name", 50),
        Column("Tipo", "kind", 22, catalog="tipos_unidad"),
        Column("Código superior", "parent", 16, kind="code", required=False),
        Column("Activa", "active", 10, kind="bool", required=False),
    ),
)

COST_CENTER_SPEC = SheetSpec(
    template="cost_centers",
    version=1,
    title="Centros de costo",
    columns=(
        Column("Código", "code", 12, kind="code"),
        Column("Nombre", "name", 45),
        Column("Tipo", "kind", 32, catalog="tipos_centro"),
        Column("Departamento", "department", 18, catalog="departamentos"),
        Column("Municipio", "municipality", 22),
        Column("Unidad organizativa", "org_unit", 18, kind="code", catalog="unidades"),
        Column("Activo", "active", 10, kind="bool", required=False),
    ),
)


def export_units(units: Any = None) -> bytes:
    units = units if units is not None else OrgUnit.objects.select_related("parent").order_by("code")
    rows = [(u.code, u.name, u.get_kind_display(), u.parent.code if u.parent else "", yes_no(u.active)) for u in units]
    return build_workbook(UNIT_SPEC, rows, {"tipos_unidad": [str(label) for label in OrgUnitKind.labels]})


def export_cost_centers(cost_centers: Any = None) -> bytes:
    if cost_centers is None:
        cost_centers = CostCenter.objects.all()
    rows = [
        (
            c.code,
            c.name,
            c.get_kind_display(),
            c.get_department_display(),
            c.municipality,
            c.org_unit.code,
            yes_no(c.active),
        )
        for c in cost_centers.select_related("org_unit").order_by("code")
    ]
    catalogs = {
        "tipos_centro": [str(label) for label in CostCenterKind.labels],
        "departamentos": [str(label) for label in Department.labels],
        "unidades": list(OrgUnit.objects.order_by("code").values_list("code", flat=True)),
    }
    return build_workbook(COST_CENTER_SPEC, rows, catalogs)


def import_units(data: bytes, actor: Person, filename: str = "") -> ImportSummary:
    institution = Institution.current()
    if institution is None:
        raise ImportRejected(
            [
                CellIssue(
                    UNIT_SPEC.title,
                    None,
                    None,
                    _("registre primero los datos de la institución; las unidades se crean dentro de ella."),
                )
            ]
        )
    rows = read_sheet(data, UNIT_SPEC)
    check = RowChecker(UNIT_SPEC)
    check.unique(rows, "code")
    parsed: list[tuple[int, dict[str, Any], str]] = []
    for row in rows:
        code = check.code(row, "code", validate_org_unit_code)
        name = check.text(row, "name", max_length=200)
        kind = check.choice(row, "kind", OrgUnitKind.choices)
        parent = check.text(row, "parent", required=False)
        active = check.boolean(row, "active")
        parsed.append((row.number, {"code": code, "name": name, "kind": kind, "active": active}, parent))

    known = set(OrgUnit.objects.values_list("code", flat=True)) | {p[1]["code"] for p in parsed}
    parent_of = dict(OrgUnit.objects.filter(parent__isnull=False).values_list("code", "parent__code"))
    for number, values, parent in parsed:
        if parent and parent not in known:
            check.add(number, "parent", _("no existe una unidad con código «%(code)s».") % {"code": shown(parent)})
        if parent and parent == values["code"]:
            check.add(number, "parent", _("una unidad no puede depender de sí misma."))
        parent_of[values["code"]] = parent
    for number, values, parent in parsed:
        if parent == values["code"]:
            continue  # already reported as depending on itself
        path = [values["code"]]
        cursor = parent_of.get(values["code"])
        while cursor:
            if cursor in path:
                check.add(
                    number,
                    "parent",
                    _("la dependencia forma un ciclo (%(path)s).") % {"path": " → ".join([*path, cursor])},
                )
                break
            path.append(cursor)
            if len(path) > MAX_UNIT_DEPTH:  # each walk stays short: thousands of rows cannot take minutes
                check.add(number, "parent", too_deep())
                break
            cursor = parent_of.get(cursor)
    check.raise_if_any()

    # Parents before children, so every parent exists when its children are saved.
    depth_of: dict[str, int] = {}

    def depth(code: str) -> int:
        if code not in depth_of:
            parent = parent_of.get(code)
            depth_of[code] = 0 if not parent else depth(parent) + 1
        return depth_of[code]

    ordered = sorted(parsed, key=lambda item: depth(item[1]["code"]))
    pks = dict(OrgUnit.objects.values_list("code", "pk"))

    def resolve(values: dict[str, Any]) -> dict[str, Any]:
        values = dict(values)
        parent = values.pop("parent_code")
        if parent and parent not in pks:  # created earlier in this same import
            pks[parent] = OrgUnit.objects.values_list("pk", flat=True).get(code=parent)
        return {**values, "parent_id": pks[parent] if parent else None}

    rows_data = [{**v, "institution": institution, "parent_code": p} for _n, v, p in ordered]
    numbers = [n for n, _v, _p in ordered]
    return import_rows(
        OrgUnit, rows_data, actor, data=data, filename=filename, resolve=resolve, sheet=UNIT_SPEC, numbers=numbers
    )


def import_cost_centers(data: bytes, actor: Person, filename: str = "") -> ImportSummary:
    rows = read_sheet(data, COST_CENTER_SPEC)
    check = RowChecker(COST_CENTER_SPEC)
    check.unique(rows, "code")
    units = dict(OrgUnit.objects.values_list("code", "pk"))
    parsed: list[dict[str, Any]] = []
    numbers = [row.number for row in rows]
    for row in rows:
        code = check.code(row, "code", validate_cost_center_code)
        name = check.text(row, "name", max_length=200)
        kind = check.choice(row, "kind", CostCenterKind.choices)
        department_text = check.text(row, "department")
        department = department_from_text(department_text) if department_text else None
        if department_text and department is None:
            check.add(
                row,
                "department",
                _("«%(value)s» no es un departamento de Guatemala.") % {"value": shown(department_text)},
            )
        municipality = check.text(row, "municipality", max_length=100)
        unit_code = check.text(row, "org_unit")
        if unit_code and unit_code not in units:
            check.add(row, "org_unit", _("no existe una unidad con código «%(code)s».") % {"code": shown(unit_code)})
        active = check.boolean(row, "active")
        parsed.append(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "department": department or "",
                "municipality": municipality,
                "org_unit_id": units.get(unit_code),
                "active": active,
            }
        )
    check.raise_if_any()
    return import_rows(CostCenter, parsed, actor, data=data, filename=filename, sheet=COST_CENTER_SPEC, numbers=numbers)
