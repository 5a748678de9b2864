"""The catálogo de insumos and the matriz de insumos in Excel, out and back in (all-or-nothing, row errors in Spanish).

A matrix template is made per plan and, when asked, per area. Importing a matrix replaces, for each area present in
the file, that area's lines of the plan: lines missing from the file are removed; unit prices are taken from the
catalog at the moment of the import.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.core import periods
from planea.core.numbers import bounds_for
from planea.core.rows import concrete_field
from planea.org.models import OrgUnit, Person
from planea.spreadsheets.imports import ImportSummary, Progress, file_digest, import_rows, no_progress, yes_no
from planea.spreadsheets.xlsx import (
    CellIssue,
    Column,
    ImportRejected,
    RowChecker,
    SheetSpec,
    build_workbook,
    cell_text,
    open_workbook,
    read_meta,
    read_sheet,
    shown,
)
from planea.strategy.models import Subproduct

from .goals import DETAIL_LIMIT, lock_plan
from .models import WHOLE_YEAR, InputCatalogItem, InputRequirement, OperationalPlan

PRICE_BOUNDS = bounds_for(InputCatalogItem._meta.get_field("unit_price"))
QUANTITY_BOUNDS = bounds_for(InputRequirement._meta.get_field("quantity"))
CATALOG_SPEC = SheetSpec(
    template="catalogo_insumos",
    version=1,
    title="Catálogo de insumos",
    columns=(
        Column("Código", "code", 14, kind="code"),
        Column("Nombre", "name", 50),
        Column("Renglón", "budget_line", 10, kind="code"),
        Column("Unidad de medida", "unit", 16),
        Column("Precio unitario (Q)", "unit_price", 16, kind="decimal"),
        Column("Se programa por mes", "monthly", 12, kind="bool", required=False),
        Column("Vigente", "active", 10, kind="bool", required=False),
    ),
)

MATRIX_TITLE = "Matriz de insumos"
MATRIX_SPEC = SheetSpec(
    template="matriz_insumos",
    version=1,
    title=MATRIX_TITLE,
    columns=(
        Column("Código área", "area", 12, kind="code", catalog="areas"),
        Column("Código subproducto", "subproduct", 14, kind="code", catalog="subproductos"),
        Column("Código insumo", "item", 14, kind="code", catalog="insumos"),
        Column("Insumo", "item_name", 40, required=False),
        Column("Mes", "month", 10, catalog="meses"),
        Column("Cantidad", "quantity", 12, kind="decimal"),
        Column("Precio unitario (Q)", "unit_price", 14, kind="formula", required=False),
        Column("Monto (Q)", "amount", 16, kind="formula", required=False),
    ),
)
ANNUAL = "Anual"
PRICE_SHEET = "Precios"
MONTH_CHOICES = [(str(WHOLE_YEAR), ANNUAL)] + [(str(m), periods.MONTH_CODES[m - 1]) for m in periods.MONTHS]


def export_catalog() -> bytes:
    rows = [
        (i.code, i.name, i.budget_line, i.unit, i.unit_price, yes_no(i.monthly), yes_no(i.active))
        for i in InputCatalogItem.objects.order_by("code")
    ]
    return build_workbook(CATALOG_SPEC, rows)


def import_catalog(data: bytes, actor: Person, filename: str = "") -> ImportSummary:
    rows = read_sheet(data, CATALOG_SPEC)
    check = RowChecker(CATALOG_SPEC)
    check.unique(rows, "code")
    parsed = []
    code_field, budget_line_field = (concrete_field(InputCatalogItem, name) for name in ("code", "budget_line"))
    for row in rows:
        code = check.code(row, "code", code_field.run_validators)
        name = check.text(row, "name", max_length=300)
        budget_line = check.code(row, "budget_line", budget_line_field.run_validators)
        unit = check.text(row, "unit", max_length=60)
        # Quantized to the column: 31.5 from Excel is the stored 31.50, so it is no spurious update.
        price = check.number(row, "unit_price", PRICE_BOUNDS, required=True)
        parsed.append(
            {
                "code": code,
                "name": name,
                "budget_line": budget_line,
                "unit": unit,
                "unit_price": price,
                "monthly": check.boolean(row, "monthly", default=False),
                "active": check.boolean(row, "active"),
            }
        )
    check.raise_if_any()
    return import_rows(
        InputCatalogItem,
        parsed,
        actor,
        data=data,
        filename=filename,
        sheet=CATALOG_SPEC,
        numbers=[row.number for row in rows],
    )


def _month_label(month: int) -> str:
    return ANNUAL if month == WHOLE_YEAR else periods.MONTH_CODES[month - 1]


def export_matrix(plan: OperationalPlan, area: OrgUnit | None = None) -> bytes:
    lines = InputRequirement.objects.filter(plan=plan).select_related("org_unit", "subproduct", "item")
    if area is not None:
        lines = lines.filter(org_unit_id__in=OrgUnit.objects.subtree_ids([area.pk]))
    rows = []
    for index, line in enumerate(lines.order_by("org_unit__code", "subproduct__code", "item__code", "month"), start=2):
        rows.append(
            (
                line.org_unit.code,
                line.subproduct.code,
                line.item.code,
                line.item.name,
                _month_label(line.month),
                line.quantity,
                f'=IFERROR(VLOOKUP(C{index},{PRICE_SHEET}!A:B,2,FALSE),"")',
                f'=IFERROR(F{index}*G{index},"")',
            )
        )
    units = OrgUnit.objects.filter(active=True).order_by("code")
    if area is not None:
        units = units.filter(pk__in=OrgUnit.objects.subtree_ids([area.pk]))
    catalogs = {
        "areas": [u.code for u in units],
        "subproductos": list(Subproduct.objects.filter(plan=plan.strategic_plan).values_list("code", flat=True)),
        "insumos": list(InputCatalogItem.objects.filter(active=True).values_list("code", flat=True)),
        "meses": [label for _v, label in MONTH_CHOICES],
    }
    prices = InputCatalogItem.objects.filter(active=True).order_by("code").values_list("code", "unit_price")
    return build_workbook(
        MATRIX_SPEC,
        rows,
        catalogs,
        notes=[
            _(
                "Matriz de insumos de %(plan)s. Una fila por área, subproducto, insumo y mes («Anual» si no se pide "
                "por mes). Al importar, las filas que falten de un área presente en el archivo se eliminan."
            )
            % {"plan": plan.code}
        ],
        meta_values={"plan": plan.code, "area": area.code if area else ""},
        hidden_sheets={PRICE_SHEET: prices},  # the price and amount formulas look prices up here
    )


@dataclass
class MatrixImport:
    plan: OperationalPlan
    lines: int
    removed: int
    amount: Decimal

    def __str__(self) -> str:
        return (
            ngettext("%(n)s línea en %(plan)s", "%(n)s líneas en %(plan)s", self.lines)
            + " "
            + ngettext("(%(removed)s eliminada)", "(%(removed)s eliminadas)", self.removed)
            + _("; monto Q%(amount)s.")
        ) % {
            "n": self.lines,
            "plan": self.plan.code,
            "removed": self.removed,
            "amount": f"{self.amount:,.2f}",
        }


def import_matrix(
    source: IO[bytes] | bytes,
    actor: Person,
    *,
    plan: OperationalPlan,
    filename: str = "",
    allowed_units: set[int] | None = None,
    progress: Progress | None = None,
) -> MatrixImport:
    """Check every row, then replace the lines of the areas the file brings, in one transaction, or nothing.
    `progress(step, steps, message)` hears of each stage: reading, checking, writing."""
    report = progress or no_progress
    data = source if isinstance(source, bytes) else source.read()
    report(0, 3, _("Leyendo el archivo…"))
    wb = open_workbook(data)
    found = cell_text(read_meta(wb).get("plan"))
    if found and found != plan.code:
        raise ImportRejected(
            [
                CellIssue(
                    "",
                    None,
                    None,
                    _("la plantilla es del plan %(found)s y se está importando en %(expected)s.")
                    % {"found": shown(found), "expected": plan.code},
                )
            ]
        )
    rows = read_sheet(wb, MATRIX_SPEC)
    report(1, 3, ngettext("Revisando %(n)s fila…", "Revisando %(n)s filas…", len(rows)) % {"n": len(rows)})
    check = RowChecker(MATRIX_SPEC)
    units = {u.code: u for u in OrgUnit.objects.all()}
    subproducts = {s.code.casefold(): s for s in Subproduct.objects.filter(plan=plan.strategic_plan)}
    items = {i.code.casefold(): i for i in InputCatalogItem.objects.all()}
    seen: dict[tuple[int, int, int, int], int] = {}
    parsed: list[InputRequirement] = []
    for row in rows:
        unit = units.get(check.text(row, "area"))
        sub_code, item_code = check.text(row, "subproduct"), check.text(row, "item")
        sub, item = subproducts.get(sub_code.casefold()), items.get(item_code.casefold())
        month = check.choice(row, "month", MONTH_CHOICES)
        quantity = check.number(row, "quantity", QUANTITY_BOUNDS, required=True)
        if cell_text(row.values.get("area")) and unit is None:
            check.add(
                row, "area", _("no existe una unidad con código «%(code)s».") % {"code": shown(row.values["area"])}
            )
        elif unit is not None and allowed_units is not None and unit.pk not in allowed_units:
            check.add(row, "area", _("la unidad %(code)s no es de su área.") % {"code": unit.code})
        if sub_code and sub is None:
            check.add(
                row,
                "subproduct",
                _("el subproducto «%(code)s» no existe en %(pei)s.")
                % {"code": shown(sub_code), "pei": plan.strategic_plan},
            )
        if item_code and item is None:
            check.add(row, "item", _("el insumo «%(code)s» no está en el catálogo.") % {"code": shown(item_code)})
        elif item is not None and not item.active:
            check.add(row, "item", _("el insumo «%(code)s» ya no está vigente en el catálogo.") % {"code": item.code})
        elif item is not None and month and int(month) != WHOLE_YEAR and not item.monthly:
            check.add(
                row,
                "month",
                _("el insumo %(code)s se programa para todo el año: escriba «Anual».") % {"code": item.code},
            )
        if unit and sub and item and month:
            key = (unit.pk, sub.pk, item.pk, int(month))
            if key in seen:
                check.add(row, "item", _("la misma línea ya aparece en la fila %(first)s.") % {"first": seen[key]})
            seen[key] = row.number
            parsed.append(
                InputRequirement(
                    plan=plan,
                    org_unit=unit,
                    subproduct=sub,
                    item=item,
                    month=int(month),
                    quantity=quantity or Decimal(0),
                    unit_price=item.unit_price,
                )
            )
    check.raise_if_any()
    report(2, 3, ngettext("Guardando %(n)s línea…", "Guardando %(n)s líneas…", len(parsed)) % {"n": len(parsed)})
    with transaction.atomic():
        locked = lock_plan(plan)
        if not locked.is_editable:
            raise ImportRejected(
                [
                    CellIssue(
                        "",
                        None,
                        None,
                        _("%(plan)s no está en borrador; su matriz ya no cambia.") % {"plan": plan.code},
                    )
                ]
            )
        areas = {line.org_unit_id for line in parsed}
        existing = InputRequirement.objects.filter(plan=plan, org_unit_id__in=areas)
        before = {
            _line_key(line): [str(line.quantity), str(line.unit_price)]
            for line in existing.select_related("org_unit", "subproduct", "item")
        }
        removed = len(set(before) - {_line_key(line) for line in parsed})
        existing.delete()
        InputRequirement.objects.bulk_create(parsed, batch_size=2000)
        after = {_line_key(line): [str(line.quantity), str(line.unit_price)] for line in parsed}
        total = sum((line.amount for line in parsed), Decimal(0))
        digest = file_digest(data)
        record(
            actor=actor,
            action="input_matrix_imported",
            instance=locked,
            before=_audited(before),
            after={**_audited(after), "file": {"file": filename, "sha256": digest}},
            summary=ngettext(
                "Matriz de insumos de %(plan)s importada de «%(file)s» (SHA-256 %(digest)s): %(n)s línea",
                "Matriz de insumos de %(plan)s importada de «%(file)s» (SHA-256 %(digest)s): %(n)s líneas",
                len(parsed),
            )
            % {"plan": plan.code, "file": filename, "digest": digest[:16], "n": len(parsed)},
        )
    return MatrixImport(plan, len(parsed), removed, total)


def _audited(lines: dict[str, list[str]]) -> dict[str, Any]:
    """Lines for the audit event: each one while they are few; beyond DETAIL_LIMIT, per area the number of lines
    and their amount (Q)."""
    if len(lines) <= DETAIL_LIMIT:
        return {"lines": lines}
    areas: dict[str, list[Any]] = {}
    for key, (quantity, price) in lines.items():
        area = areas.setdefault(key.split("|", 1)[0], [0, Decimal(0)])
        area[0] += 1
        area[1] += Decimal(quantity) * Decimal(price)
    return {"line_count": len(lines), "by_area": {code: [n, str(amount)] for code, (n, amount) in areas.items()}}


def _line_key(line: InputRequirement) -> str:
    return f"{line.org_unit.code}|{line.subproduct.code}|{line.item.code}|{line.month}"
