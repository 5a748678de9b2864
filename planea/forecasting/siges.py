"""The «Reporte» of P5 step 8: the physical-goal programming of the POA for SIGES (Sistema de Gestión), per product
and subproduct, unit of measure, cost center and month, with the sums of the three cuatrimestres and of the year.

As XLSX, one sheet shaped for loading: one row per product × subproduct × cost center, the codes and names, the unit,
the twelve months, the three cuatrimestres and the total; headers in Spanish, codes as text, text that Excel would
run as a formula escaped. As PDF, letter landscape: a table per subproduct laid out as the anteproyecto's goal tables
(operations/anteproyecto.py), so that every month, cuatrimestre and total prints inside the page at national scale.

The goals are the POA's programmed ones while it is a draft (what step 7 wrote), those in force once approved."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planea.core import periods
from planea.operations.anteproyecto import GoalTable, goal_tables, table_layout
from planea.operations.models import OperationalPlan
from planea.org.models import Institution, OrgUnit
from planea.spreadsheets.imports import Progress, no_progress
from planea.spreadsheets.xlsx import escape_formula
from planea.strategy.models import Product

SHEET = "Programación SIGES"
HEADER_FILL = PatternFill("solid", fgColor="0B3D6B")
TEXT_COLUMNS = 7  # codes and names before the numbers
CODE_COLUMNS = (1, 3, 6)


def goal_attr(plan: OperationalPlan) -> str:
    return "planned" if plan.is_editable else "current"


@dataclass
class ProductTables:
    code: str
    name: str
    tables: list[GoalTable]


def programming(plan: OperationalPlan) -> list[ProductTables]:
    """The POA's goal tables (months, cuatrimestres, total per cost center) grouped by product, in code order."""
    tables = goal_tables(plan, goal_attr(plan))
    products = {p.pk: p for p in Product.objects.filter(plan=plan.strategic_plan)}
    grouped: dict[int, ProductTables] = {}
    for table in tables:
        product = products[table.subproduct.product_id]
        grouped.setdefault(product.pk, ProductTables(product.code, product.name, [])).tables.append(table)
    return sorted(grouped.values(), key=lambda p: p.code)


def headers() -> list[str]:
    return [
        "Código producto",
        "Producto",
        "Código subproducto",
        "Subproducto",
        "Unidad de medida",
        "Código centro de costo",
        "Centro de costo",
        *(str(periods.MONTH_CODES[m - 1]) for m in periods.MONTHS),
        "I cuatrimestre",
        "II cuatrimestre",
        "III cuatrimestre",
        "Total anual",
    ]


def rows(products: list[ProductTables]) -> list[list[Any]]:
    """One row per product × subproduct × cost center: codes, names, unit, 12 months, 3 cuatrimestres, total."""
    out = []
    for product in products:
        for table in product.tables:
            sub = table.subproduct
            for center, cells, total in table.rows:
                out.append(
                    [product.code, product.name, sub.code, sub.name, sub.unit.name, center.code, center.name]
                    + list(cells)
                    + [total]
                )
    return out


def build_xlsx(plan: OperationalPlan) -> bytes:
    """The workbook for SIGES; an official document, so always in Spanish whatever the screen language."""
    with translation.override("es"):
        products = programming(plan)
        wb = Workbook()
        ws = wb.worksheets[0]
        ws.title = SHEET
        ws.append(headers())
        widths = {2: 36, 4: 44, 5: 16, 7: 34}
        for index in range(1, len(headers()) + 1):
            cell = ws.cell(row=1, column=index)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(index)].width = widths.get(index, 12 if index <= 7 else 11)
        for number, row in enumerate(rows(products), start=2):
            for index, value in enumerate(row, start=1):
                cell = ws.cell(row=number, column=index, value=escape_formula(value))
                if index in CODE_COLUMNS:
                    cell.number_format = "@"
                elif index > TEXT_COLUMNS:
                    cell.number_format = "#,##0"
        ws.freeze_panes = f"{get_column_letter(TEXT_COLUMNS + 1)}2"
        buffer = io.BytesIO()
        wb.save(buffer)
    return buffer.getvalue()


def build_pdf(plan: OperationalPlan, *, progress: Progress | None = None, case_number: str = "") -> bytes:
    from weasyprint import HTML  # slow to import; only when a PDF is made

    report = progress or no_progress
    products = programming(plan)
    tables = [table for product in products for table in product.tables]
    context = {
        "institution": Institution.current(),
        "unit": OrgUnit.objects.filter(code="11.01.U0").first(),
        "plan": plan,
        "products": products,
        "layout": table_layout(tables),
        "attr": goal_attr(plan),
        "case_number": case_number,
        "generated": timezone.localtime(),
        "grand": {
            unit: sum(t.total for t in tables if t.subproduct.unit.name == unit)
            for unit in sorted({t.subproduct.unit.name for t in tables})
        },
    }
    report(0, 1, _("Generando el reporte para SIGES en PDF…"))
    with translation.override("es"):
        html = render_to_string("forecasting/proposal/siges.html", context)
    return HTML(string=html).write_pdf()
