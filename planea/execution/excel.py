"""The execution of a month in Excel: the template Planea exports (one row per subproduct × cost center of the POA
in that month, with its programmed and current goals beside the executed quantity; catalogs on a hidden sheet, the
POA, month and template version in the hidden metadata), and its import: all or nothing, every problem named by
sheet, row and column, through the same writer as every other source (`executed.write`), and the causes of deviation
written beside their lines (`months.write_cause`), both in one transaction. A month that is not open (registered,
authorized, approved) refuses the import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.core.middleware import printable_text
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
from planea.statistics.loading import current_month
from planea.strategy.models import Subproduct

from .analysis import month_lines, tolerance
from .executed import EDITOR_ROLES, GOAL_BOUNDS, Cell, ExecutionError, Line, Written, executed_of, months_of, write
from .models import ExecutionMonth, MonthStatus, Source
from .months import CAUSE_LENGTH, cause_too_long, causes_of, label, write_cause

TEMPLATE = "ejecucion_mensual"
VERSION = 2  # 2: the cause of deviation beside each line
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
            Column("Causa de la desviación", "cause", 60, required=False),
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
    causes = causes_of(ExecutionMonth.objects.filter(plan=plan, year=plan.start_year, month=month).first())
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
                causes.get((s, c), ""),
            ]
        )
    notes = [
        _("Ejecución de metas físicas de %(month)02d/%(year)s del %(plan)s.")
        % {"month": month, "year": plan.start_year, "plan": plan.code},
        _("Escriba lo ejecutado en la columna Ejecutada (unidades enteras); las demás columnas son informativas."),
        _(
            "Una línea que se aparta más de ±%(tolerance)s %% de su meta vigente lleva su causa en «Causa de la "
            "desviación» (a lo sumo %(max)s caracteres). Una celda vacía deja el valor o la causa como están."
        )
        % {"tolerance": tolerance(), "max": f"{CAUSE_LENGTH:,}"},
        _("Un mes registrado, autorizado o aprobado no recibe importaciones."),
    ]
    catalogs = {
        "subproductos": sorted({s.code for s in subproducts.values()}),
        "centros": sorted(c.code for c in by_pk.values()),
    }
    return build_workbook(spec(), rows, catalogs, notes=notes, meta_values={PLAN_KEY: plan.code, MONTH_KEY: f"{month}"})


@dataclass(frozen=True)
class Filled:
    """What a checked template holds: its POA and month, the executed quantities and the causes written in it."""

    plan: OperationalPlan
    month: int
    values: dict[Cell, int | None]
    causes: dict[Line, str]


@dataclass(frozen=True)
class Imported:
    plan: OperationalPlan
    month: int
    written: Written
    causes: int  # causes written or rewritten


def read_month(data: bytes) -> Filled:
    """The POA, the month, the executed quantities and the causes of a filled template, checked: ImportRejected
    otherwise."""
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
    if (plan.start_year, month) > current_month():
        raise file_refused(
            _("el mes %(month)02d/%(year)s del archivo aún no empieza: su ejecución se registra desde que comienza.")
            % {"month": month, "year": plan.start_year}
        )
    rows = read_sheet(workbook, spec())
    lines = month_lines(plan, month)
    subproducts = dict(Subproduct.objects.filter(plan_id=plan.strategic_plan_id).values_list("code", "pk"))
    centers = dict(CostCenter.objects.values_list("code", "pk"))
    checker = RowChecker(spec())
    values: dict[Cell, int | None] = {}
    causes: dict[Line, str] = {}
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
        cause = printable_text(checker.text(row, "cause", required=False))  # a NUL refused, breaks as spaces
        if len(cause) > CAUSE_LENGTH:
            checker.add(row, "cause", cause_too_long(len(cause)))
        elif cause:  # an empty cell leaves the cause as it is (the month page removes one)
            causes[(subproduct, center)] = cause
    checker.raise_if_any()
    return Filled(plan, month, values, causes)


@transaction.atomic
def import_month(
    data: bytes,
    *,
    actor: Person,
    filename: str = "",
    expected: tuple[OperationalPlan, int] | None = None,
) -> Imported:
    """Check and write a filled template (of `expected` POA and month, when given): ImportRejected (nothing written)
    when any cell is wrong; ExecutionError when the month is not open or the person does not write the execution.
    Only the values and causes that differ from those registered are written, the values with the file's name as
    their note."""
    if not actor.role_slugs() & EDITOR_ROLES:
        raise ExecutionError(_("Importa la ejecución Planes y Programas (profesional o jefe)."))
    filled = read_month(data)
    plan, month = filled.plan, filled.month
    if expected is not None and (plan.pk, month) != (expected[0].pk, expected[1]):
        raise file_refused(
            _("el archivo es de %(plan)s, mes %(m)02d; aquí se importa %(here)s, mes %(here_m)02d.")
            % {"plan": plan.code, "m": month, "here": expected[0].code, "here_m": expected[1]}
        )
    execution_month = months_of(plan, {month}, lock=True)[month]
    if execution_month.status != MonthStatus.OPEN:
        raise ExecutionError(
            _("%(month)s ya no está abierto (registrado, autorizado o aprobado): no recibe importaciones.")
            % {"month": label(execution_month)}
        )
    registered = executed_of(plan, month)
    changed = {cell: value for cell, value in filled.values.items() if registered.get(cell) != value}
    note = _("Importado de «%(file)s»") % {"file": filename[:200]} if filename else ""
    written = write(plan, changed, source=Source.IMPORT, actor=actor, note=note)
    stored = causes_of(execution_month)
    causes = {line: text for line, text in filled.causes.items() if stored.get(line) != text}
    for line, text in causes.items():
        write_cause(execution_month, line, text, actor=actor)
    unchanged = written.unchanged + len(filled.values) - len(changed)
    return Imported(plan, month, Written(written.changed, unchanged), len(causes))


def summary(imported: Imported) -> str:
    """«3 valores cambiados; 2 causas escritas.», as the page and the command say it."""
    changed = imported.written.changed
    said = ngettext("%(n)s valor cambiado", "%(n)s valores cambiados", changed) % {"n": changed}
    if imported.causes:
        said += "; " + ngettext("%(n)s causa escrita", "%(n)s causas escritas", imported.causes) % {
            "n": imported.causes
        }
    return said + "."
