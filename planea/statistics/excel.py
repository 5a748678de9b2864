"""The statistics template Planea generates for a year (one row per variable × cost center, one column per month;
catalogs on a hidden sheet, dropdowns, numeric validation, the template's version) and its load: the same checks and
the same batch as the CSV (`loading.load`), the errors naming sheet, row and column."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from planea.core.numbers import YEAR_BOUNDS, NumberError, parse_integer
from planea.core.periods import MONTH_CODES
from planea.org.models import CostCenter, Person
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
)

from .loading import VALUE_BOUNDS, LoadResult, Values, catalogs, current_month, load, where
from .models import StatisticalVariable, StatisticYear

TEMPLATE = "estadisticas"
VERSION = 1
TITLE = "Estadísticas"
YEAR_KEY = "anio"
MONTHS = tuple(f"m{month}" for month in range(1, 13))


def spec() -> SheetSpec:
    columns = [
        Column("Código variable", "variable", 14, kind="code", catalog="variables"),
        Column("Variable", "variable_name", 40, required=False),
        Column("Código centro de costo", "cost_center", 12, kind="code", catalog="centros", required=False),
        Column("Centro de costo", "cost_center_name", 32, required=False),
    ]
    columns += [
        Column(code, key, 11, kind="decimal", required=False) for code, key in zip(MONTH_CODES, MONTHS, strict=True)
    ]
    return SheetSpec(template=TEMPLATE, version=VERSION, title=TITLE, columns=tuple(columns))


def export_template(year: int) -> bytes:
    """The template of `year` with the values already loaded: a row per variable and cost center that delivers
    what it measures (every active center when it measures no subproduct), one per variable of the institution."""
    centers = list(CostCenter.objects.filter(active=True).order_by("code"))
    loaded = {(row.variable_id, row.cost_center_id): row for row in StatisticYear.objects.filter(year=year)}
    rows: list[list[Any]] = []
    variables = StatisticalVariable.objects.select_related("subproduct").prefetch_related("subproduct__cost_centers")
    for variable in variables.order_by("code"):
        if not variable.per_cost_center:
            where: list[CostCenter | None] = [None]
        elif variable.subproduct is not None:
            delivering = {c.pk for c in variable.subproduct.cost_centers.all()}
            where = [c for c in centers if c.pk in delivering]
        else:
            where = list(centers)
        for center in where:
            stored = loaded.get((variable.pk, center.pk if center else None))
            cells = [stored.value(m) if stored else None for m in range(1, 13)]
            rows.append(
                [variable.code, variable.name, center.code if center else "", center.name if center else "", *cells]
            )
    notes = [
        _("Estadísticas mensuales de %(year)s. Escriba el valor de cada mes cerrado; una celda vacía no carga nada.")
        % {"year": year},
        _("Un valor distinto del ya cargado es una revisión: Planea guarda el anterior."),
        _("Las columnas Variable y Centro de costo son informativas: las filas se identifican por código."),
    ]
    catalogs = {"variables": [v.code for v in variables], "centros": [c.code for c in centers]}
    return build_workbook(spec(), rows, catalogs, notes=notes, meta_values={YEAR_KEY: str(year)})


def read_template(data: bytes, *, today: tuple[int, int] | None = None) -> Values:
    """The values of a filled template, checked: ImportRejected (every problem, by sheet, row and column)."""
    workbook = open_workbook(data)
    sheet = spec()
    try:
        year = parse_integer(cell_text(read_meta(workbook).get(YEAR_KEY)), YEAR_BOUNDS)
    except NumberError:
        year = None
    if year is None:
        raise ImportRejected(
            [CellIssue("", None, None, _("el archivo no es una plantilla de estadísticas de Planea (falta su año)."))]
        )
    rows = read_sheet(workbook, sheet)
    this_month = today or current_month()
    variables, centers = catalogs()
    checker = RowChecker(sheet)
    first_open = 1 if year > this_month[0] else this_month[1] if year == this_month[0] else 13
    values: Values = {}
    first_row: dict[tuple[int, int | None], int] = {}
    for row in rows:
        variable, center, place = where(
            cell_text(row.values.get("variable")), cell_text(row.values.get("cost_center")), variables, centers
        )
        if place is not None:
            checker.add(row, *place)
            continue
        assert variable is not None  # `where` names the problem of an unknown variable
        if (variable.pk, center) in first_row:
            checker.add(row, "variable", _("repite la fila %(first)s.") % {"first": first_row[(variable.pk, center)]})
            continue
        first_row[(variable.pk, center)] = row.number
        cells = checker.numbers(row, MONTHS, VALUE_BOUNDS)
        for month in range(first_open, 13):  # the months not yet closed: none may have a value
            if cells[month - 1] is not None:
                checker.add(row, MONTHS[month - 1], _("el mes aún no ha terminado; se cargan meses cerrados."))
                cells[month - 1] = None
        if cells.count(None) < len(cells):
            values[(variable.pk, center, year)] = cells
    checker.raise_if_any()
    if not values:
        raise ImportRejected([CellIssue(TITLE, None, None, _("la plantilla no trae ningún dato."))])
    return values


def load_xlsx(data: bytes, *, file_name: str, actor: Person) -> LoadResult:
    """Check and load a filled template: ImportRejected (nothing written) when any cell is wrong."""
    return load(read_template(data), file_name=file_name, data=data, actor=actor)
