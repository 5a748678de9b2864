"""Standalone monthly series from CSV files (for `forecast_csv`): parsing with Spanish messages that name the file
and the row, and writing the forecasts. The forecasts themselves come from `pipeline.forecast`, as in a run."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from planea.core.numbers import Bounds, NumberError, parse_number

from .months import label, month_add, months_between
from .pipeline import SeriesResult

MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
VALUE_BOUNDS = Bounds(decimal_places=12, minimum=Decimal(0), maximum=Decimal(10) ** 13)
MAX_ERRORS = 20  # per file
COLUMNS = ("fecha", "yhat", "lo80", "hi80", "lo95", "hi95")


class SeriesFileError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def parse_month(text: str) -> date | None:
    match = MONTH.match(text.strip())
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), match[3]
    if not 1 <= month <= 12 or (day is not None and int(day) != 1) or not 1900 <= year <= 2200:
        return None
    return date(year, month, 1)


def read_series(name: str, data: bytes, until: date | None) -> tuple[date, list[float]]:
    """(first month, values) of a CSV `fecha,valor` with a header row; SeriesFileError with every problem found."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SeriesFileError(
            [_("%(file)s: no está codificado en UTF-8 (byte %(at)s).") % {"file": name, "at": error.start + 1}]
        ) from None
    rows = [r for r in csv.reader(io.StringIO(text))]
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()  # blank lines at the end
    if not rows:
        raise SeriesFileError([_("%(file)s: el archivo está vacío.") % {"file": name}])
    if rows[0] and parse_month(rows[0][0]) is not None:
        raise SeriesFileError(
            [_("%(file)s, fila 1: falta la fila de encabezado (por ejemplo «fecha,valor»).") % {"file": name}]
        )
    errors: list[str] = []
    months: list[tuple[int, date, float]] = []
    seen: dict[date, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        where = _("%(file)s, fila %(row)s") % {"file": name, "row": number}
        if len(row) < 2 or not row[0].strip():
            errors.append(_("%(where)s: se esperan dos columnas, el mes y el valor.") % {"where": where})
            continue
        if any(cell.strip() for cell in row[2:]):
            # "2024-03,1,234" (a thousands comma without quotes) would silently read 1: refuse it.
            errors.append(
                _(
                    "%(where)s: tiene %(count)s columnas con datos y se esperan dos, el mes y el valor; si el valor "
                    "lleva coma de miles, escríbalo sin ella (1234.5) o entre comillas."
                )
                % {"where": where, "count": sum(1 for cell in row if cell.strip())}
            )
            continue
        month = parse_month(row[0])
        if month is None:
            errors.append(
                _("%(where)s: «%(value)s» no es un mes; escríbalo como 2024-03 o 2024-03-01.")
                % {"where": where, "value": row[0].strip()[:40]}
            )
            continue
        try:
            value = parse_number(row[1], VALUE_BOUNDS)
        except NumberError as error:
            errors.append(_("%(where)s, valor: %(error)s") % {"where": where, "error": error})
            continue
        if value is None:
            errors.append(_("%(where)s: falta el valor de %(month)s.") % {"where": where, "month": label(month)})
            continue
        if month in seen:
            errors.append(
                _("%(where)s: el mes %(month)s está repetido (ya estaba en la fila %(first)s).")
                % {"where": where, "month": label(month), "first": seen[month]}
            )
            continue
        if months and month < months[-1][1]:
            errors.append(
                _("%(where)s: %(month)s viene después de %(previous)s; los meses deben ir en orden.")
                % {"where": where, "month": label(month), "previous": label(months[-1][1])}
            )
            continue
        if months and month != month_add(months[-1][1], 1):
            errors.append(
                _("%(where)s: faltan los meses entre %(previous)s y %(month)s; la serie debe ser continua.")
                % {"where": where, "previous": label(months[-1][1]), "month": label(month)}
            )
        seen[month] = number
        months.append((number, month, float(value)))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise SeriesFileError(errors)
    if until is not None:
        months = [m for m in months if m[1] <= until]
    if not months:
        if until is not None:
            message = _("%(file)s: no tiene meses hasta %(until)s.") % {"file": name, "until": label(until)}
        else:
            message = _("%(file)s: no tiene filas de datos.") % {"file": name}
        raise SeriesFileError([message])
    assert months_between(months[0][1], months[-1][1]) == len(months) - 1
    return months[0][1], [value for _number, _month, value in months]


def write_forecasts(result: SeriesResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in result.forecasts:
        writer.writerow([f.month.isoformat(), *(f"{v:.2f}" for v in (f.yhat, f.lo80, f.hi80, f.lo95, f.hi95))])
    return out.getvalue()


def summary(name: str, result: SeriesResult) -> str:
    if result.mase is None:
        return _("%(file)s: %(model)s, sin backtest.") % {"file": name, "model": result.model}
    ratio = f"{result.mase_ratio:.2f}" if result.mase_ratio is not None else "—"
    return _("%(file)s: %(model)s, MASE del backtest %(mase).3f (%(ratio)s × SeasonalNaive, %(windows)s ventanas).") % {
        "file": name,
        "model": result.model,
        "mase": result.mase,
        "ratio": ratio,
        "windows": result.windows,
    }


def names_clash(names: Sequence[str]) -> list[str]:
    return sorted({n for n in names if list(names).count(n) > 1})
