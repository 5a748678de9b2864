"""Cells of a workbook written row by row (openpyxl's write-only mode, for reports of thousands of lines): a bold row
of titles and figures in the format Excel shows them with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

WHOLE_FORMAT = "#,##0"
PERCENT_FORMAT = '0.0" %"'  # a percentage kept as its number (93.5), shown «93.5 %»
BOLD = Font(bold=True)


def title_row(sheet: Any, titles: Iterable[Any]) -> list[Any]:
    """The column titles, in bold."""
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = BOLD
        cells.append(cell)
    return cells


def figure(sheet: Any, value: int | float | None, number_format: str = WHOLE_FORMAT) -> Any:
    """A figure as Excel shows it on the page: thousands grouped (a percentage: one decimal); None stays empty."""
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell
