"""The four-monthly (or annual) physical execution report as files: XLSX and PDF, shaped as the SIGES/SEGEPLAN
four-monthly report — per product and subproduct, its unit of measure, meta vigente, ejecutado, % and the causes of
deviation — and saying which approved months it covers and which are still pending."""

from __future__ import annotations

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment

from planea.org.models import Institution, OrgUnit
from planea.spreadsheets.streamed import PERCENT_FORMAT, figure, title_row
from planea.spreadsheets.xlsx import escape_formula
from planea.spreadsheets.xlsx_child import MAX_CELL_TEXT

from .four_monthly import YEAR, FourMonthlyReport


def period_label(report: FourMonthlyReport) -> str:
    if report.period == YEAR:
        return _("Año %(year)s") % {"year": report.year}
    names = {1: _("enero–abril"), 2: _("mayo–agosto"), 3: _("septiembre–diciembre")}
    return _("Cuatrimestre %(n)s (%(span)s) de %(year)s") % {
        "n": report.period,
        "span": names[report.period],
        "year": report.year,
    }


def file_stem(report: FourMonthlyReport) -> str:
    """ejecucion-fisica-POA-2026-c1 (a cuatrimestre) or ejecucion-fisica-POA-2026-anual."""
    return f"ejecucion-fisica-{report.plan_code}-{'anual' if report.period == YEAR else f'c{report.period}'}"


def months_text(months: list[int], year: int) -> str:
    return ", ".join(f"{m:02d}/{year}" for m in months) or "—"


def coverage(report: FourMonthlyReport) -> str:
    """Which months the report covers and which it leaves out, in one sentence."""
    text = _("Meses aprobados que cubre: %(months)s.") % {"months": months_text(report.months, report.year)}
    if report.pending:
        text += " " + _("Pendientes de aprobación (no incluidos): %(months)s.") % {
            "months": months_text(report.pending, report.year)
        }
    return text


def to_xlsx(report: FourMonthlyReport) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ejecución física")[:31])
    sheet.freeze_panes = "A5"
    for letter, width in zip("ABCDEFGHIJKL", (12, 36, 14, 40, 16, 14, 14, 14, 12, 14, 12, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(
        [
            _("Informe de ejecución física · %(plan)s · %(period)s")
            % {"plan": report.plan_code, "period": period_label(report)}
        ]
    )
    sheet.append([coverage(report)])
    sheet.append([_("Cifras de las revisiones aprobadas de cada mes (comprobantes de ejecución).")])
    header = [
        _("Código producto"),
        _("Producto"),
        _("Código subproducto"),
        _("Subproducto"),
        _("Unidad de medida"),
        _("Meta vigente anual"),
        _("Meta vigente del período"),
        _("Ejecutado en el período"),
        _("Ejecución del período (%)"),
        _("Ejecutado acumulado"),
        _("Avance de la meta anual (%)"),
        _("Causas de la desviación"),
    ]
    sheet.append(title_row(sheet, header))

    wrap = Alignment(wrap_text=True, vertical="top")
    for line in report.lines:
        causes = WriteOnlyCell(sheet, value=escape_formula(causes_cell(line.causes)))
        causes.alignment = wrap
        sheet.append(
            [
                escape_formula(line.product_code),
                escape_formula(line.product_name),
                escape_formula(line.subproduct_code),
                escape_formula(line.subproduct_name),
                escape_formula(line.unit),
                figure(sheet, line.annual_current),
                figure(sheet, line.current),
                figure(sheet, line.executed),
                figure(sheet, float(line.percent) if line.percent is not None else None, PERCENT_FORMAT),
                figure(sheet, line.accumulated),
                figure(sheet, float(line.annual_percent) if line.annual_percent is not None else None, PERCENT_FORMAT),
                causes,
            ]
        )
    _causes_sheet(workbook, report, wrap)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def causes_cell(causes: list[str]) -> str:
    """The line's causes in one cell, one per line of text; cut (saying so) where a cell of Excel ends: every cause
    is whole on the «Causas» sheet."""
    text = "\n".join(causes)
    if len(text) <= MAX_CELL_TEXT:
        return text
    more = _("… (continúan en la hoja «Causas»)")
    return text[: MAX_CELL_TEXT - len(more)] + more


def _causes_sheet(workbook: Workbook, report: FourMonthlyReport, wrap: Alignment) -> None:
    """One row per cause of deviation (month, cost center, text): whole, and filtered as Excel filters."""
    sheet = workbook.create_sheet(_("Causas")[:31])
    for letter, width in zip("ABCD", (14, 40, 24, 100), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(title_row(sheet, [_("Código subproducto"), _("Subproducto"), _("Mes y centro de costo"), _("Causa")]))
    for line in report.lines:
        for cause in line.causes:
            where, _sep, text = cause.partition(": ")
            cell = WriteOnlyCell(sheet, value=escape_formula(text))
            cell.alignment = wrap
            sheet.append(
                [
                    escape_formula(line.subproduct_code),
                    escape_formula(line.subproduct_name),
                    escape_formula(where),
                    cell,
                ]
            )


def build_pdf(report: FourMonthlyReport, *, unit: OrgUnit | None) -> bytes:
    """The report in PDF under the letterhead of `unit` (the unit of who makes it)."""
    from weasyprint import HTML  # slow to import; only when a PDF is made

    context = {
        "institution": Institution.current(),
        "unit": unit,
        "report": report,
        "period": period_label(report),
        "coverage": coverage(report),
        "generated": timezone.localtime(),
    }
    with translation.override("es"):
        html = render_to_string("execution/four_monthly.html", context)
    return HTML(string=html).write_pdf()
