"""Loading statistics in long form (`variable,centro_costo,mes,valor`, `mes` as 2026-03): every row is checked
first, and nothing is written unless all are good (all-or-nothing); the errors name the row and the column in
Spanish. A load is one batch, one transaction and one audit event; a value loaded again for the same month replaces
the current one and keeps it as a revision."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planea.audit.services import record
from planea.core.numbers import NumberError, bounds_for, parse_number
from planea.core.staging import insert_rows, update_rows
from planea.org.models import CostCenter, Person
from planea.spreadsheets.imports import file_digest

from .models import (
    BATCH_COLUMNS,
    MONTHS,
    VALUE_COLUMNS,
    StatisticalVariable,
    StatisticRevision,
    StatisticsBatch,
    StatisticYear,
    batch_column,
    value_column,
)

COLUMNS = ("variable", "centro_costo", "mes", "valor")
MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
# 03/2026: how the period form also takes a month, and how a month often comes back from a spreadsheet.
MONTH_SLASHED = re.compile(r"^(\d{1,2})/(\d{4})$", re.ASCII)
PLAIN_VALUE = re.compile(r"^\d{1,13}(\.\d{1,2})?$", re.ASCII)  # within VALUE_BOUNDS (15 digits, 2 decimals)
MAX_ERRORS = 50  # the first errors are listed; a file with more is wrong throughout
VALUE_BOUNDS = bounds_for(
    cast("models.DecimalField[Any, Any]", StatisticYear._meta.get_field(value_column(1))), minimum=0
)
MAX_PLAIN_DIGITS = 13  # a whole number of up to 13 digits is within VALUE_BOUNDS

type RowKey = tuple[int, int | None, int]  # variable, cost center (None: the institution), year
# The twelve months of each row (None: no value); whole numbers as int, which both databases take as they are (a
# national load is 100,000 of them: as Decimals, adapting them one by one took half of the load on SQLite).
type Values = dict[RowKey, list[Decimal | int | None]]
type Place = tuple[StatisticalVariable | None, int | None, tuple[str, str] | None]  # what `where` finds


class StatisticsRejected(Exception):
    """The file cannot be loaded: the errors, each naming its row and column."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LoadResult:
    batch: StatisticsBatch
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        rows = self.created + self.revised + self.unchanged
        return ngettext(
            "%(rows)s dato: %(created)s nuevos, %(revised)s revisados, %(unchanged)s iguales.",
            "%(rows)s datos: %(created)s nuevos, %(revised)s revisados, %(unchanged)s iguales.",
            rows,
        ) % {
            "rows": rows,
            "created": self.created,
            "revised": self.revised,
            "unchanged": self.unchanged,
        }


def read_csv(data: bytes, *, today: tuple[int, int] | None = None) -> Values:
    """The values of a long-form CSV, checked: StatisticsRejected with every error found (up to MAX_ERRORS).
    The file is decoded and read row by row, and reading stops at MAX_ERRORS: a 100 MB file of bad rows is
    refused at once, not held whole in memory as text and as a list of rows."""
    rows = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    try:
        return _checked(rows, today or current_month())
    except UnicodeDecodeError:
        raise StatisticsRejected(
            [_("El archivo no es un CSV de texto en UTF-8 (¿un archivo de Excel o dañado?); guárdelo como CSV UTF-8.")]
        ) from None
    except csv.Error as error:  # a cell longer than the csv module reads (131,072 characters)
        problem = _("El archivo no se puede leer como CSV: una celda es demasiado larga o el archivo está dañado.")
        raise StatisticsRejected([problem]) from error


def _checked(rows: Iterator[list[str]], this_month: tuple[int, int]) -> Values:
    header = next(rows, None)
    if header is None or [cell.strip().lower() for cell in header] != list(COLUMNS):
        problem = _("La primera fila debe ser el encabezado «%(header)s».") % {"header": ",".join(COLUMNS)}
        if header is not None and len(header) == 1 and header[0].count(";") == len(COLUMNS) - 1:
            # Excel set to a language that writes decimals with a comma saves «CSV» separated by semicolons.
            problem += " " + _(
                "El archivo separa las columnas con punto y coma (;): guárdelo como «CSV UTF-8 (delimitado por "
                "comas)» o cambie los punto y coma por comas."
            )
        raise StatisticsRejected([problem])
    variables, centers = catalogs()
    values: Values = {}
    errors: list[str] = []
    # A file repeats the same few codes and months in every row: each is looked up and checked once. Codes and
    # months found good are kept as written, so that the common row (good codes, a month, a whole number) costs a
    # few dictionary lookups; any other row is checked in full, and its problems named.
    good_places: dict[tuple[str, str], tuple[int, int | None]] = {}
    good_months: dict[str, tuple[int, int]] = {}
    places: dict[tuple[str, str], Place] = {}
    months: dict[str, tuple[int, int, str]] = {}
    for number, row in enumerate(rows, start=2):
        if len(row) == 4:
            code, center_code, month_text, raw = row
            place = good_places.get((code, center_code))
            when = good_months.get(month_text)
            if place is not None and when is not None and raw.isascii() and raw.isdigit():
                if len(raw) <= MAX_PLAIN_DIGITS:
                    key = (place[0], place[1], when[0])
                    cells = values.get(key)
                    if cells is None:
                        cells = values[key] = [None] * 12
                    if cells[when[1]] is None:
                        cells[when[1]] = int(raw)
                        continue
        if not any(cell.strip() for cell in row):
            continue
        problems = _row_problems(row, variables, centers, this_month, values, places, months)
        if isinstance(problems, list):
            errors.extend(_("Fila %(row)s, %(problem)s") % {"row": number, "problem": p} for p in problems)
        else:
            (variable, center, year, month), value, written = problems
            cells = values.get((variable, center, year))
            if cells is None:
                cells = values[(variable, center, year)] = [None] * 12
            cells[month - 1] = value
            if written == (row[0], row[1], row[2]):  # codes and month as written, without spaces: remembered
                good_places[(row[0], row[1])] = (variable, center)
                good_months[row[2]] = (year, month - 1)
        if len(errors) >= MAX_ERRORS:
            errors.append(_("… y quizá más: corrija estas y cargue de nuevo."))
            break
    if errors:
        raise StatisticsRejected(errors)
    if not values:
        raise StatisticsRejected([_("El archivo no trae ningún dato.")])
    return values


CSV_COLUMNS = {"variable": "variable", "cost_center": "centro_costo"}


def current_month() -> tuple[int, int]:
    """The month not yet closed: statistics are loaded for the months before it."""
    today = timezone.localdate()
    return today.year, today.month


def last_closed_month() -> tuple[int, int]:
    """The last month that has ended: what the statistics should reach before a forecast (P5 step 2)."""
    year, month = current_month()
    return (year, month - 1) if month > 1 else (year - 1, 12)


def where(
    code: str, center_code: str, variables: dict[str, StatisticalVariable], centers: dict[str, int]
) -> tuple[StatisticalVariable | None, int | None, tuple[str, str] | None]:
    """The variable and cost center a row names (codes as given, looked up case-insensitively), and the first
    problem with them as (column key, message): an unknown code, or a center given for an institution-wide variable
    or missing for one counted per center. The CSV and the template check rows the same way."""
    variable = variables.get(code.casefold())
    center = centers.get(center_code.casefold()) if center_code else None
    if not code:
        return None, center, ("variable", _("falta el código de la variable."))
    if variable is None:
        return None, center, ("variable", _("«%(code)s» no está en el catálogo de variables.") % {"code": code[:40]})
    if center_code and center is None:
        problem = _("«%(code)s» no es un centro de costo.") % {"code": center_code[:20]}
        padded = _zero_padded(center_code, centers)
        if padded:
            problem += " " + _(
                "¿Es %(padded)s? Excel quita los ceros de la izquierda cuando toma el código por un número: "
                "escríbalo con sus ceros, en una columna con formato de texto."
            ) % {"padded": padded}
        return variable, None, ("cost_center", problem)
    if variable.per_cost_center and center is None:
        return (
            variable,
            None,
            ("cost_center", _("la variable %(code)s se cuenta por centro de costo.") % {"code": code}),
        )
    if not variable.per_cost_center and center is not None:
        problem = _("la variable %(code)s es de toda la institución; deje vacío el centro.") % {"code": code}
        return variable, None, ("cost_center", problem)
    return variable, center, None


def _zero_padded(code: str, centers: dict[str, int]) -> str:
    """The cost center code that `code` is with its leading zeros lost (401 for 0401), or ""."""
    if not (code.isascii() and code.isdigit()):
        return ""
    for length in range(len(code) + 1, len(code) + 4):
        if code.zfill(length) in centers:
            return code.zfill(length)
    return ""


def catalogs() -> tuple[dict[str, StatisticalVariable], dict[str, int]]:
    """The variables and cost centers by code (case-insensitive), read once per load."""
    variables = {v.code.casefold(): v for v in StatisticalVariable.objects.all()}
    centers = {code.casefold(): pk for code, pk in CostCenter.objects.values_list("code", "pk")}
    return variables, centers


def _month_of(text: str, this_month: tuple[int, int]) -> tuple[int, int, str]:
    """The year and month a cell names (`2026-03`), and the problem with it ("" when none)."""
    found = MONTH.match(text)
    slashed = MONTH_SLASHED.match(text) if found is None else None
    year, month = (
        (int(found.group(1)), int(found.group(2)))
        if found
        else (int(slashed.group(2)), int(slashed.group(1)))
        if slashed
        else (0, 0)
    )
    if not 1 <= month <= 12 or not 1990 <= year <= 2100:
        return 0, 0, _("columna mes: «%(text)s» no es un mes como 2026-03.") % {"text": text[:20]}
    if (year, month) >= this_month:
        return year, month, _("columna mes: %(month)s aún no ha terminado; se cargan meses cerrados.") % {"month": text}
    return year, month, ""


def _row_problems(
    row: list[str],
    variables: dict[str, StatisticalVariable],
    centers: dict[str, int],
    this_month: tuple[int, int],
    seen: Values,
    places: dict[tuple[str, str], Place],
    months: dict[str, tuple[int, int, str]],
) -> list[str] | tuple[tuple[int, int | None, int, int], Decimal, tuple[str, str, str]]:
    """The problems of a row, or its place (variable, center, year, month), value and codes as read."""
    if len(row) != len(COLUMNS):
        found = ngettext("tiene %(n)s columna", "tiene %(n)s columnas", len(row)) % {"n": len(row)}
        return [_("%(found)s; se esperan 4 (%(header)s).") % {"found": found, "header": ",".join(COLUMNS)}]
    code, center_code, month_text, raw = (cell.strip() for cell in row)
    problems = []
    found_place = places.get((code, center_code))
    if found_place is None:
        found_place = places[(code, center_code)] = where(code, center_code, variables, centers)
    variable, center, place = found_place
    if place is not None:
        column, problem = place
        problems.append(_("columna %(column)s: %(problem)s") % {"column": CSV_COLUMNS[column], "problem": problem})
    checked = months.get(month_text)
    if checked is None:
        checked = months[month_text] = _month_of(month_text, this_month)
    year, month, month_problem = checked
    if month_problem:
        problems.append(month_problem)
    try:
        # Most values are plain figures (digits, at most two decimals, within the column): read as they are.
        value = Decimal(raw) if PLAIN_VALUE.match(raw) else parse_number(raw, VALUE_BOUNDS)
    except NumberError as error:
        why = str(error)  # «abc» no es un número. / no puede ser negativo.: the value is named once
        shown = why if why.startswith("«") else _("«%(raw)s» %(why)s") % {"raw": raw[:30], "why": why}
        problems.append(_("columna valor: %(problem)s") % {"problem": shown})
        value = None
    else:
        if value is None:
            problems.append(_("columna valor: está vacía."))
    if problems or variable is None or value is None:
        return problems
    cells = seen.get((variable.pk, center, year))
    if cells is not None and cells[month - 1] is not None:
        return [
            _("repite %(code)s, %(center)s, %(month)s de una fila anterior.")
            % {"code": code, "center": center_code or _("institución"), "month": month_text}
        ]
    return (variable.pk, center, year, month), value, (code, center_code, month_text)


ROW_COLUMNS = ("variable_id", "cost_center_id", "year", *VALUE_COLUMNS, *(f"{c}_id" for c in BATCH_COLUMNS))


@transaction.atomic
def load(values: Values, *, file_name: str, data: bytes, actor: Person) -> LoadResult:
    """Write checked values as one batch: new values written, changed ones revised (the earlier kept with the batch
    that had brought it), equal ones left; one audit event naming the file and its SHA-256.

    Loads of the same variables are serialized by locking the variables first (on PostgreSQL; SQLite writes one
    transaction at a time): a year that has no row yet is inserted by one load, and a load at the same moment
    waits for it and then revises or keeps what it wrote, instead of failing on the unique constraint. The lock
    (FOR NO KEY UPDATE) does not hold up the reference checks of other writers (FOR KEY SHARE)."""
    locked = StatisticalVariable.objects.select_for_update(no_key=True).filter(pk__in={key[0] for key in values})
    list(locked.order_by("pk").values_list("pk", flat=True))
    batch = StatisticsBatch.objects.create(
        loaded_by=actor, loaded_at=timezone.now(), file_name=file_name[:255], sha256=file_digest(data), rows=0
    )
    result = LoadResult(batch)
    stored = {
        (row.variable_id, row.cost_center_id, row.year): row
        for row in StatisticYear.objects.select_for_update().filter(
            variable_id__in={key[0] for key in values}, year__in={key[2] for key in values}
        )
    }
    new: list[tuple[Any, ...]] = []
    changed: list[StatisticYear] = []
    revisions: list[StatisticRevision] = []
    batch_id = batch.pk
    whole_year = (batch_id,) * 12
    for key, cells in values.items():
        row = stored.get(key)
        if row is None:
            if None not in cells:  # the common row of a template: the twelve months
                new.append((*key, *cells, *whole_year, 12))
                result.created += 12
                continue
            filled = [month for month, value in zip(MONTHS, cells, strict=True) if value is not None]
            new.append((*key, *cells, *(None if value is None else batch_id for value in cells), filled[-1]))
            result.created += len(filled)
            continue
        touched = False
        for month, value in zip(MONTHS, cells, strict=True):
            if value is None:
                continue
            earlier = row.value(month)
            if earlier == value:
                result.unchanged += 1
                continue
            if earlier is None:
                result.created += 1
            else:
                brought_by = row.batch_id_of(month)
                assert brought_by is not None  # every value is written with the batch that brings it
                revisions.append(
                    StatisticRevision(statistic=row, month=month, value=earlier, batch_id=brought_by, replaced_by=batch)
                )
                result.revised += 1
            setattr(row, value_column(month), value)
            setattr(row, f"{batch_column(month)}_id", batch_id)
            row.last_month = max(row.last_month, month)
            touched = True
        if touched:
            changed.append(row)
    insert_rows(StatisticYear._meta.db_table, (*ROW_COLUMNS, "last_month"), new)
    update_rows(
        StatisticYear._meta.db_table,
        (*VALUE_COLUMNS, *(f"{c}_id" for c in BATCH_COLUMNS), "last_month"),
        [
            (*(row.value(m) for m in MONTHS), *(row.batch_id_of(m) for m in MONTHS), row.last_month, row.pk)
            for row in changed
        ],
    )
    StatisticRevision.objects.bulk_create(revisions, batch_size=2000)
    count = result.created + result.revised + result.unchanged
    batch.rows, batch.revised = count, result.revised
    batch.save(update_fields=["rows", "revised"])
    record(
        actor=actor,
        action="statistics_loaded",
        instance=batch,
        after={"file": batch.file_name, "sha256": batch.sha256, "created": result.created, "revised": result.revised},
        summary=ngettext(
            "Estadísticas de «%(file)s» cargadas: %(n)s dato (%(revised)s revisados)",
            "Estadísticas de «%(file)s» cargadas: %(n)s datos (%(revised)s revisados)",
            count,
        )
        % {"file": batch.file_name, "n": count, "revised": result.revised},
    )
    return result


def load_csv(data: bytes, *, file_name: str, actor: Person) -> LoadResult:
    """Check and load a long-form CSV: StatisticsRejected (nothing written) when any row is wrong."""
    return load(read_csv(data), file_name=file_name, data=data, actor=actor)
