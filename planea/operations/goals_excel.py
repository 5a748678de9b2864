"""The goal grid in Excel: one row per subproduct × cost center, one column per month (POA) or year (POM).

Templates are generated per plan and, when asked, per area; they carry the plan code and the template version on
the hidden `_planea` sheet, the subproduct and cost-center codes as dropdowns from the hidden catalog sheet, and whole
non-negative number validation on the goal cells. The import checks every row and writes everything or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from planea.core import periods
from planea.core.collector import bulk
from planea.core.errors import error_text
from planea.org.models import CostCenter, OrgUnit, Person
from planea.spreadsheets.imports import Progress, file_digest, no_progress
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

from . import goals
from .models import OperationalPlan

TEMPLATE = "metas_fisicas"
READ_AT = "metas_leidas"  # when the template's goals were read (ISO 8601 with the UTC offset)
VERSION = 1
TITLE = "Metas"
FIXED = 4  # subproduct code, subproduct, cost center code, cost center


def period_header(year: int, month: int) -> str:
    return periods.MONTH_CODES[month - 1] if month else str(year)


def spec_for(plan: OperationalPlan) -> SheetSpec:
    columns = [
        Column("Código subproducto", "subproduct", 14, kind="code", catalog="subproductos"),
        Column("Subproducto", "subproduct_name", 40, required=False),
        Column("Código centro de costo", "cost_center", 12, kind="code", catalog="centros"),
        Column("Centro de costo", "cost_center_name", 36, required=False),
    ]
    for year, month in plan.periods():
        columns.append(Column(period_header(year, month), f"p{year}_{month}", 10, kind="int", required=False))
    columns.append(Column("Total", "total", 12, kind="formula", required=False))
    return SheetSpec(template=TEMPLATE, version=VERSION, title=TITLE, columns=tuple(columns))


def _scope_centers(area: OrgUnit | None) -> set[int] | None:
    if area is None:
        return None
    units = OrgUnit.objects.subtree_ids([area.pk])
    return set(CostCenter.objects.filter(org_unit_id__in=units).values_list("pk", flat=True))


def export_goals(plan: OperationalPlan, area: OrgUnit | None = None, *, attr: str = "current") -> bytes:
    spec = spec_for(plan)
    read_at = timezone.now()  # before the read: a goal saved meanwhile counts as saved after the download
    values = goals.values_of(plan, attr=attr)
    allowed = _scope_centers(area)
    subproducts = Subproduct.objects.filter(plan=plan.strategic_plan).prefetch_related("cost_centers").order_by("code")
    centers = {c.pk: c for c in CostCenter.objects.all()}
    with_goals: dict[int, set[int]] = {}
    for s, c, _y, _m in values:
        with_goals.setdefault(s, set()).add(c)
    first, last = get_column_letter(FIXED + 1), get_column_letter(FIXED + len(plan.periods()))
    rows: list[list[Any]] = []
    for sub in subproducts:
        ids = {c.pk for c in sub.cost_centers.all()} | with_goals.get(sub.pk, set())
        for cc in sorted((centers[i] for i in ids), key=lambda c: c.code):
            if allowed is not None and cc.pk not in allowed:
                continue
            row_number = len(rows) + 2
            cells = [values.get((sub.pk, cc.pk, y, m), 0) for y, m in plan.periods()]
            rows.append([sub.code, sub.name, cc.code, cc.name, *cells, f"=SUM({first}{row_number}:{last}{row_number})"])
    catalogs = {
        "subproductos": [s.code for s in subproducts],
        "centros": [
            c.code for c in sorted(centers.values(), key=lambda c: c.code) if allowed is None or c.pk in allowed
        ],
    }
    notes = [
        _("Metas físicas de %(plan)s. Escriba números enteros mayores o iguales a cero; una celda vacía es cero.")
        % {"plan": plan.code},
        _("Las columnas Subproducto, Centro de costo y Total son informativas: se identifican las filas por código."),
    ]
    meta = {"plan": plan.code, "area": area.code if area else "", READ_AT: read_at.isoformat()}
    return build_workbook(spec, rows, catalogs, notes=notes, meta_values=meta)


# A template is read by this same server; a few minutes allow for its clock being set back meanwhile.
CLOCK_SKEW = dt.timedelta(minutes=5)


def _read_at(meta: dict[str, Any]) -> dt.datetime:
    """When the template's goals were read from Planea; ImportRejected when the file does not say, or says a moment
    no template can hold (past the calendar once in UTC, or later than now: it would switch off the check of what
    others saved since)."""
    try:
        moment = dt.datetime.fromisoformat(cell_text(meta.get(READ_AT)))
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise file_refused(
            _(
                "la plantilla no indica cuándo se leyeron sus metas de Planea, y sin eso no se sabe si "
                "alguien las cambió después; descargue la plantilla de nuevo y copie en ella sus cambios."
            )
        )
    if moment > timezone.now() + CLOCK_SKEW:
        raise file_refused(
            _(
                "la plantilla dice que sus metas se leyeron de Planea el %(when)s, después de ahora; descargue la "
                "plantilla de nuevo y copie en ella sus cambios."
            )
            % {"when": date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")}
        )
    return moment


def _refuse_overwrites(
    plan: OperationalPlan,
    actor: Person | None,
    read_at: dt.datetime,
    values: dict[goals.RowKey, list[int]],
    rows_of: dict[tuple[int, int], int],
    check: RowChecker,
) -> None:
    """Each row of the file whose goals someone else saved in Planea after the template was read, and that the
    file would set to something else, is refused: importing it would silently undo that person's work (the grid
    refuses the same, cell by cell). The importer's own later saves (a file imported, corrected and imported
    again) are theirs to overwrite."""
    for changed in goals.changed_since(plan, read_at, other_than=getattr(actor, "pk", None)):
        mine = values.get(changed.key)
        if mine is None or mine == changed.values:
            continue
        sub, cc, year = changed.key
        check.add(
            rows_of[(sub, cc)],
            "cost_center",
            _(
                "estas metas se guardaron en Planea después de descargar la plantilla (%(who)s, el %(when)s) y el "
                "archivo las cambiaría; descargue la plantilla de nuevo y copie en ella sus cambios."
            )
            % {
                "who": changed.by or _("otra persona"),
                "when": date_format(timezone.localtime(changed.at), "SHORT_DATETIME_FORMAT"),
            },
        )


@dataclass
class GoalsImport:
    plan: OperationalPlan
    rows: int
    changed: int

    def __str__(self) -> str:
        read = ngettext("%(rows)s fila leída de %(plan)s", "%(rows)s filas leídas de %(plan)s", self.rows) % {
            "rows": f"{self.rows:,}",
            "plan": self.plan.code,
        }
        changed = ngettext("%(n)s meta cambió.", "%(n)s metas cambiaron.", self.changed) % {"n": f"{self.changed:,}"}
        return f"{read}; {changed}"


def _plan_from(meta: dict[str, Any], expected: OperationalPlan | None) -> OperationalPlan:
    code = cell_text(meta.get("plan"))
    if not code:
        raise file_refused(_("el archivo no es una plantilla de metas de Planea (no indica el plan)."))
    plan = OperationalPlan.objects.filter(code=code).first()
    if plan is None:
        raise file_refused(_("el plan «%(code)s» no existe.") % {"code": shown(code)})
    if expected is not None and plan.pk != expected.pk:
        raise file_refused(
            _("la plantilla es del plan %(found)s y se está importando en %(expected)s.")
            % {"found": plan.code, "expected": expected.code}
        )
    return plan


class _Coded(NamedTuple):
    """A subproduct or cost center as a template row names it (6,000 rows look them up)."""

    pk: int
    code: str


@bulk
def import_goals(
    source: IO[bytes] | bytes,
    actor: Person | None,
    *,
    plan: OperationalPlan | None = None,
    allowed_cost_centers: set[int] | None = None,
    filename: str = "",
    progress: Progress | None = None,
) -> GoalsImport:
    """Check every row, then write all the goals in one transaction, or nothing (raises ImportRejected).
    `progress(step, steps, message)` hears of each stage: reading, checking, writing."""
    report = progress or no_progress
    data = source if isinstance(source, bytes) else source.read()
    report(0, 3, _("Leyendo el archivo…"))
    wb = open_workbook(data)
    meta = read_meta(wb)
    plan = _plan_from(meta, plan)
    read_at = _read_at(meta)
    spec = spec_for(plan)
    rows = read_sheet(wb, spec)
    report(1, 3, ngettext("Revisando %(n)s fila…", "Revisando %(n)s filas…", len(rows)) % {"n": len(rows)})
    check = RowChecker(spec)
    subproducts = {
        code.casefold(): _Coded(pk, code)
        for pk, code in Subproduct.objects.filter(plan=plan.strategic_plan).values_list("pk", "code")
    }
    centers = {code: _Coded(pk, code) for pk, code in CostCenter.objects.values_list("pk", "code")}
    delivers: dict[int, set[int]] = {s.pk: set() for s in subproducts.values()}
    for s, c in Subproduct.cost_centers.through.objects.filter(subproduct__plan=plan.strategic_plan).values_list(
        "subproduct_id", "costcenter_id"
    ):
        delivers[s].add(c)
    seen: dict[tuple[int, int], int] = {}
    values: dict[goals.RowKey, list[int]] = {}
    months = goals.plan_months(plan)
    columns = [(year, [f"p{year}_{month}" for month in months]) for year in plan.years]
    for row in rows:
        sub_code = check.text(row, "subproduct")
        cc_code = check.text(row, "cost_center")
        sub = subproducts.get(sub_code.casefold()) if sub_code else None
        cc = centers.get(cc_code) if cc_code else None
        if sub_code and sub is None:
            check.add(
                row,
                "subproduct",
                _("el subproducto «%(code)s» no existe en %(pei)s.")
                % {"code": shown(sub_code), "pei": plan.strategic_plan},
            )
        if cc_code and cc is None:
            check.add(row, "cost_center", _("el centro de costo «%(code)s» no existe.") % {"code": shown(cc_code)})
        if sub and cc:
            if cc.pk not in delivers[sub.pk]:
                check.add(
                    row,
                    "cost_center",
                    _(
                        "el centro de costo %(cc)s no entrega el subproducto %(sub)s; "
                        "agréguelo al subproducto en el PEI."
                    )
                    % {"cc": cc.code, "sub": sub.code},
                )
            elif allowed_cost_centers is not None and cc.pk not in allowed_cost_centers:
                check.add(
                    row,
                    "cost_center",
                    _("el centro de costo %(cc)s no es de su área.") % {"cc": cc.code},
                )
            if (sub.pk, cc.pk) in seen:
                check.add(
                    row,
                    "cost_center",
                    _("la combinación %(sub)s × %(cc)s ya aparece en la fila %(first)s.")
                    % {"sub": sub.code, "cc": cc.code, "first": seen[(sub.pk, cc.pk)]},
                )
            else:
                seen[(sub.pk, cc.pk)] = row.number
        for year, keys in columns:
            year_values = [value or 0 for value in check.integers(row, keys, goals.GOAL_BOUNDS)]
            if sub and cc:
                values[(sub.pk, cc.pk, year)] = year_values
    check.raise_if_any()
    report(
        2,
        3,
        ngettext("Guardando %(n)s meta…", "Guardando %(n)s metas…", len(values) * len(months))
        % {"n": len(values) * len(months)},
    )
    with transaction.atomic():
        locked = goals.lock_plan(plan)
        try:
            goals.require_draft(locked)
        except goals.GoalsError as exc:
            raise file_refused(error_text(exc)) from exc
        _refuse_overwrites(locked, actor, read_at, values, seen, check)
        check.raise_if_any()
        changed = goals.write_rows(
            locked,
            values,
            actor=actor,
            action="goals_imported",
            summary=lambda n: (
                ngettext("%(n)s meta importada de Excel en %(plan)s", "%(n)s metas importadas de Excel en %(plan)s", n)
                % {"n": n, "plan": plan.code}
            ),
            source={"file": filename, "sha256": file_digest(data)},
        )
    return GoalsImport(plan, len(rows), changed)
