"""Anteproyectos of the POA and the POM (P2 step 9) as PDF and XLSX: goals by subproduct × cost center × month (POA)
or year (POM), and inputs with their amounts by product and subproduct next to the budget ceilings."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from planea.core import periods
from planea.org.models import CostCenter, Institution, OrgUnit
from planea.spreadsheets.xlsx import escape_formula
from planea.strategy.models import Subproduct

from . import goals, inputs
from .models import InputRequirement, OperationalPlan

HEADER_FILL = PatternFill("solid", fgColor="0B3D6B")


@dataclass
class GoalTable:
    subproduct: Subproduct
    columns: list[str]
    rows: list[tuple[CostCenter, list[int], int]]
    totals: list[int]
    total: int
    cuatrimestres: bool = False  # the last three columns are the cuatrimestres' sums (a POA)


def goal_tables(plan: OperationalPlan, attr: str = "planned") -> list[GoalTable]:
    """Per subproduct: a row per cost center with a value per period column (months or years) and the total; for a
    POA the cuatrimestre sums follow the months."""
    values = goals.values_of(plan, attr=attr)
    plan_periods = plan.periods()
    centers = {c.pk: c for c in CostCenter.objects.all()}
    by_sub: dict[int, set[int]] = {}
    for s, c, _y, _m in values:
        by_sub.setdefault(s, set()).add(c)
    columns = [periods.month_abbr(m) if m else str(y) for y, m in plan_periods]
    if plan.is_annual:
        columns += [str(label) for label in periods.CUATRIMESTRE_LABELS]
    tables = []
    subproducts = Subproduct.objects.filter(pk__in=by_sub).select_related("unit").order_by("code")
    for sub in subproducts:
        rows = []
        for cc in sorted((centers[i] for i in by_sub[sub.pk]), key=lambda c: c.code):
            cells = [values.get((sub.pk, cc.pk, y, m), 0) for y, m in plan_periods]
            if plan.is_annual:
                cells += list(periods.cuatrimestre_totals(dict(zip(range(1, 13), cells, strict=True))).values())
            rows.append((cc, cells, sum(cells[: len(plan_periods)])))
        totals = [sum(r[1][i] for r in rows) for i in range(len(columns))]
        tables.append(GoalTable(sub, columns, rows, totals, sum(r[2] for r in rows), plan.is_annual))
    return tables


# The printed goal tables (letter landscape, 1.5 cm side margins): width for the text, in points, and the widths of
# DejaVu Sans Condensed Bold (the total row) in ems: a digit, a thousands separator; and a cell's side padding (pt).
PRINTABLE_WIDTH = 27.94 / 2.54 * 72 - 2 * 1.5 / 2.54 * 72
CENTER_MIN_WIDTH = 110.0
DIGIT_EM, SEPARATOR_EM, HEADER_EM, CELL_PADDING = 0.63, 0.32, 0.72, 3.0
LARGEST_TEXT, SMALLEST_TEXT = 8.0, 5.5


@dataclass(frozen=True)
class TableLayout:
    """Sizes of the printed goal tables of one plan: every number of every table on one line inside the page."""

    font_size: float
    center_width: float
    number_widths: list[float]  # per column, the total last


def _em_width(value: int) -> float:
    text = f"{value:,}"
    return sum(SEPARATOR_EM if ch == "," else DIGIT_EM for ch in text)


def table_layout(tables: list[GoalTable]) -> TableLayout:
    """The largest text size (up to LARGEST_TEXT) at which the widest number of each column, with its thousands
    separators, fits on one line beside a cost-center column of at least CENTER_MIN_WIDTH: so that a plan with
    national-scale totals (seven digits and more) still prints its last cuatrimestre and annual total."""
    if not tables:
        return TableLayout(LARGEST_TEXT, CENTER_MIN_WIDTH, [])
    headers = [*tables[0].columns, "Total"]
    if tables[0].cuatrimestres:  # their headers are "I", "II" and "III" under one "Cuatrimestre"
        headers[-4:-1] = ["III"] * 3
    count = len(headers)
    ems = [HEADER_EM * len(header) for header in headers]  # at least the width of the header's label
    for table in tables:
        for _cc, cells, total in [*table.rows, (None, table.totals, table.total)]:
            for index, value in enumerate([*cells, total]):
                ems[index] = max(ems[index], _em_width(value))
    room = PRINTABLE_WIDTH - CENTER_MIN_WIDTH - count * 2 * CELL_PADDING
    size = max(SMALLEST_TEXT, min(LARGEST_TEXT, room / sum(ems)))
    widths = [round(em * size + 2 * CELL_PADDING, 2) for em in ems]
    return TableLayout(round(size, 2), round(PRINTABLE_WIDTH - sum(widths) - 1, 2), widths)


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list[Any]], widths: dict[int, int]) -> None:
    ws = wb.create_sheet(title)
    ws.append(headers)
    for index in range(1, len(headers) + 1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = widths.get(index, 11)
    for row in rows:
        ws.append([escape_formula(v) for v in row])
    ws.freeze_panes = "A2"


def _goal_rows(plan: OperationalPlan) -> tuple[list[str], list[list[Any]]]:
    tables = goal_tables(plan)
    headers = ["Código subproducto", "Subproducto", "Unidad de medida", "Código centro", "Centro de costo"]
    headers += tables[0].columns if tables else []
    headers.append("Total")
    rows = []
    for table in tables:
        for cc, cells, total in table.rows:
            rows.append(
                [
                    table.subproduct.code,
                    table.subproduct.name,
                    table.subproduct.unit.name,
                    cc.code,
                    cc.name,
                    *cells,
                    total,
                ]
            )
    return headers, rows


def _input_rows(plan: OperationalPlan) -> list[list[Any]]:
    lines = (
        InputRequirement.objects.filter(plan=plan)
        .select_related("org_unit", "subproduct__product", "item")
        .order_by("subproduct__product__code", "subproduct__code", "org_unit__code", "item__code", "month")
    )
    return [
        [
            line.subproduct.product.code,
            line.subproduct.code,
            line.org_unit.code,
            line.item.code,
            line.item.name,
            line.item.budget_line,
            line.item.unit,
            periods.month_abbr(line.month) if line.month else _("Anual"),
            line.quantity,
            line.unit_price,
            line.amount.quantize(inputs.CENT),
        ]
        for line in lines
    ]


def build_xlsx(poa: OperationalPlan) -> bytes:
    """The anteproyecto workbook; an official document, so always in Spanish whatever the screen language."""
    with translation.override("es"):
        return _build_xlsx(poa)


def _build_xlsx(poa: OperationalPlan) -> bytes:
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    for plan in plans_of(poa):
        headers, rows = _goal_rows(plan)
        _sheet(wb, "Metas POA" if plan.is_annual else "Metas POM", headers, rows, {2: 40, 5: 36})
    _sheet(
        wb,
        "Insumos",
        [
            "Producto",
            "Subproducto",
            "Área",
            "Código insumo",
            "Insumo",
            "Renglón",
            "Unidad",
            "Mes",
            "Cantidad",
            "Precio unitario (Q)",
            "Monto (Q)",
        ],
        _input_rows(poa),
        {5: 40},
    )
    report = inputs.consistency(poa)
    _sheet(
        wb,
        "Montos y techos",
        ["Código", "Nombre", "Metas vigentes", "Monto de insumos (Q)", "Techo (Q)", "Disponible (Q)"],
        [[line.code, line.name, line.goals, line.amount, line.ceiling, line.available] for line in report.lines],
        {2: 50},
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plans_of(poa: OperationalPlan) -> list[OperationalPlan]:
    return [poa] + ([poa.multiannual] if poa.multiannual else [])


def build_pdf(poa: OperationalPlan) -> bytes:
    from weasyprint import HTML  # slow to import; only when a PDF is made

    unit = OrgUnit.objects.filter(code="11.01.U0").first()
    context = {
        "institution": Institution.current(),
        "unit": unit,
        "poa": poa,
        "plans": [(plan, tables, table_layout(tables)) for plan in plans_of(poa) for tables in [goal_tables(plan)]],
        "report": inputs.consistency(poa),
        "generated": timezone.localtime(),
    }
    with translation.override("es"):
        html = render_to_string("operations/anteproyecto.html", context)
    return HTML(string=html).write_pdf()
