"""The execution of a month in Excel: the template Planea exports (one row per subproduct × cost center of the POA
in that month, with its programmed and current goals beside the executed quantity; catalogs on a hidden sheet, the
POA, month and template version in the hidden metadata), and its import: all or nothing, every problem named by
sheet, row and column, through the same writer as every other source (`executed.write`). A month that is not open
(registered, authorized, approved) refuses the import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from planea.core.numbers import NumberError, parse_integer
from planea.operations.models import OperationalPlan
from planea.org.models import CostCenter, OrgUnit, Person
from planea.spreadsheets.xlsx import (
    Column,
    RowChecker,
    SheetSpec,
    build_workbook,
    cell_text,
    file_refused,
    open_workbook,
    read_meta,
    read_sheet,
    shown,
)
from planea.strategy.models import Subproduct

from .analysis import month_lines
from .executed import EDITOR_ROLES, GOAL_BOUNDS, Cell, ExecutionError, Written, executed_of, write
from .models import Source

TEMPLATE = "ejecucion_mensual"
VERSION = 1
TITLE = "Ejecución"
PLAN_KEY, MONTH_KEY = "poa", "mes"


def spec() -> SheetSpec:
    return SheetSpec(
        template=TEMPLATE,
        version=VERSION,
        title=TITLE,
        columns=(
            Column("Código subproducto", "subproduct", 14, kind="code", catalog="subproductos"),
            Column("Subproducto", "subproduct_name", 40, required=False),
            Column("Unidad de medida", "unit", 14, required=False),
            Column("Código centro de costo", "cost_center", 12, kind="code", catalog="centros"),
            Column("Centro de costo", "cost_center_name", 32, required=False),
            Column("Programada", "planned", 12, kind="int", required=False),
            Column("Vigente", "current", 12, kind="int", required=False),
            Column("Ejecutada", "executed", 12, kind="int", required=False),
        ),
    )


def export_month(plan: OperationalPlan, month: int, *, org_unit: OrgUnit | None = None) -> bytes:
    """The template of the POA's month with its goals and what is executed so far (the centers of `org_unit` and
    the units below it only, when given)."""
    lines = month_lines(plan, month)
    subproducts = {s.pk: s for s in Subproduct.objects.filter(pk__in={s for s, _c in lines}).select_related("unit")}
    centers = CostCenter.objects.filter(pk__in={c for _s, c in lines})
    if org_unit is not None:
        centers = centers.filter(org_unit_id__in=OrgUnit.objects.subtree_ids([org_unit.pk]))
    by_pk = {c.pk: c for c in centers}
    rows: list[list[Any]] = []
    for (s, c), figures in sorted(lines.items(), key=lambda kv: (subproducts[kv[0][0]].code, kv[0][1])):
        if c not in by_pk:
            continue
        subproduct, center = subproducts[s], by_pk[c]
        rows.append(
            [
                subproduct.code,
                subproduct.name,
                subproduct.unit.name,
                center.code,
                center.name,
                figures.planned,
                figures.current,
                figures.executed,
            ]
        )
    notes = [
        _("Ejecución de metas físicas de %(month)02d/%(year)s del %(plan)s.")
        % {"month": month, "year": plan.start_year, "plan": plan.code},
        _("Escriba lo ejecutado en la columna Ejecutada (unidades enteras); las demás columnas son informativas."),
        _("Un mes registrado, autorizado o aprobado no recibe importaciones."),
    ]
    catalogs = {
        "subproductos": sorted({s.code for s in subproducts.values()}),
        "centros": sorted(c.code for c in by_pk.values()),
    }
    return build_workbook(spec(), rows, catalogs, notes=notes, meta_values={PLAN_KEY: plan.code, MONTH_KEY: f"{month}"})


def read_month(data: bytes) -> tuple[OperationalPlan, int, dict[Cell, int | None]]:
    """The POA, the month and the executed quantities of a filled template, checked: ImportRejected otherwise."""
    workbook = open_workbook(data)
    meta = read_meta(workbook)
    code, raw_month = cell_text(meta.get(PLAN_KEY)), cell_text(meta.get(MONTH_KEY))
    if not code or not raw_month:
        raise file_refused(_("el archivo no es una plantilla de ejecución de Planea (falta su POA o mes)."))
    plan = OperationalPlan.objects.filter(code=code).first()
    if plan is None:
        raise file_refused(_("el archivo es de «%(code)s», que no es un plan de Planea.") % {"code": shown(code)})
    if not plan.is_annual:
        raise file_refused(
            _("el archivo es de %(plan)s, que no es un POA: la ejecución se registra en un POA.") % {"plan": plan.code}
        )
    try:
        month = parse_integer(raw_month, GOAL_BOUNDS.with_range(1, 12))
    except NumberError:
        month = None
    if month is None:
        raise file_refused(_("el mes «%(month)s» del archivo no es un mes de 1 a 12.") % {"month": shown(raw_month)})
    rows = read_sheet(workbook, spec())
    lines = month_lines(plan, month)
    subproducts = dict(Subproduct.objects.filter(plan_id=plan.strategic_plan_id).values_list("code", "pk"))
    centers = dict(CostCenter.objects.values_list("code", "pk"))
    checker = RowChecker(spec())
    values: dict[Cell, int | None] = {}
    first_row: dict[tuple[int, int], int] = {}
    for row in rows:
        code, center_code = cell_text(row.values.get("subproduct")), cell_text(row.values.get("cost_center"))
        subproduct, center = subproducts.get(code), centers.get(center_code)
        if subproduct is None:
            checker.add(row, "subproduct", _("«%(code)s» no es un subproducto del POA.") % {"code": code[:20]})
            continue
        if center is None:
            checker.add(row, "cost_center", _("«%(code)s» no es un centro de costo.") % {"code": center_code[:20]})
            continue
        if (subproduct, center) not in lines:
            checker.add(row, "cost_center", _("el POA no tiene meta de %(code)s en este centro.") % {"code": code})
            continue
        if (subproduct, center) in first_row:
            checker.add(row, "cost_center", _("repite la fila %(first)s.") % {"first": first_row[(subproduct, center)]})
            continue
        first_row[(subproduct, center)] = row.number
        value = checker.integer(row, "executed", GOAL_BOUNDS)
        if value is not None:  # an empty cell reports nothing: it leaves the value as it is
            values[(subproduct, center, month)] = value
    checker.raise_if_any()
    return plan, month, values


def import_month(
    data: bytes,
    *,
    actor: Person,
    filename: str = "",
    expected: tuple[OperationalPlan, int] | None = None,
) -> tuple[OperationalPlan, int, Written]:
    """Check and write a filled template (of `expected` POA and month, when given): ImportRejected (nothing written)
    when any cell is wrong; ExecutionError when the month is not open or the person does not write the execution.
    Only the values that differ from those registered are written, with the file's name as their note."""
    if not actor.role_slugs() & EDITOR_ROLES:
        raise ExecutionError(_("Importa la ejecución Planes y Programas (profesional o jefe)."))
    plan, month, values = read_month(data)
    if expected is not None and (plan.pk, month) != (expected[0].pk, expected[1]):
        raise file_refused(
            _("el archivo es de %(plan)s, mes %(m)02d; aquí se importa %(here)s, mes %(here_m)02d.")
            % {"plan": plan.code, "m": month, "here": expected[0].code, "here_m": expected[1]}
        )
    registered = executed_of(plan, month)
    changed = {cell: value for cell, value in values.items() if registered.get(cell) != value}
    note = _("Importado de «%(file)s»") % {"file": filename[:200]} if filename else ""
    written = write(plan, changed, source=Source.IMPORT, actor=actor, note=note)
    return plan, month, Written(written.changed, written.unchanged + len(values) - len(changed))
