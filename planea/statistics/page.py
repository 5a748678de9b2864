"""What the series page shows of a variable at a level: the table of values (years × months with the year's total,
revised values and excluded months marked), and the data of its two charts (the monthly series with the excluded
spans, and the seasonal view: one line per year over January–December)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from planea.core.periods import MONTH_ABBR, MONTHS
from planea.org.models import CostCenter, OrgUnit

from . import series
from .models import ExcludedPeriod, StatisticalVariable, Treatment
from .series import Month, RevisedValue


@dataclass(frozen=True)
class Level:
    """Where the series is read: a cost center, an area (an org unit and the units below it) or the institution."""

    cost_center: CostCenter | None = None
    org_unit: OrgUnit | None = None

    @property
    def kind(self) -> str:
        return "centro" if self.cost_center else "area" if self.org_unit else "institucion"

    @property
    def code(self) -> str:
        return self.cost_center.code if self.cost_center else self.org_unit.code if self.org_unit else ""

    @property
    def label(self) -> str:
        if self.cost_center is not None:
            return _("Centro de costo %(center)s") % {"center": self.cost_center}
        if self.org_unit is not None:
            return _("Área %(unit)s (suma de sus centros de costo)") % {"unit": self.org_unit}
        return _("Toda la institución")

    def query(self) -> dict[str, str]:
        """The GET parameters that select this level."""
        return {self.kind: self.code} if self.code else {}


@dataclass
class Cell:
    month: int
    value: Decimal | None
    excluded: bool = False
    revised: list[RevisedValue] = field(default_factory=list)


@dataclass
class YearRow:
    year: int
    cells: list[Cell]
    total: Decimal
    months: int  # how many months have a value

    @property
    def complete(self) -> bool:
        return self.months == 12


@dataclass
class SeriesPage:
    variable: StatisticalVariable
    level: Level
    values: dict[Month, Decimal]
    rows: list[YearRow]
    exclusions: list[ExcludedPeriod]
    revised: list[tuple[Month, list[RevisedValue]]]
    chart: dict[str, Any]


def _excluded_months(periods: list[ExcludedPeriod]) -> set[Month]:
    return {month for period in periods for month in series.months_of_period(period)}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _chart(
    values: dict[Month, Decimal], periods: list[ExcludedPeriod], excluded: set[Month], unit: str
) -> dict[str, Any]:
    """The charts' data: the months from the first with a value to the last, each with its value (None when
    missing); the excluded spans as indexes of those months; and one line of twelve months per year."""
    if not values:
        return {"labels": [], "values": [], "spans": [], "years": [], "months": [str(m) for m in MONTH_ABBR]}
    first, last = min(values), max(values)
    start, end = first[0] * 12 + first[1] - 1, last[0] * 12 + last[1] - 1
    months = [(index // 12, index % 12 + 1) for index in range(start, end + 1)]
    spans = []
    for period in periods:
        lo = max(period.first_year * 12 + period.first_month - 1, start) - start
        hi = min(period.last_year * 12 + period.last_month - 1, end) - start
        if lo <= hi:
            spans.append(
                {
                    "from": lo,
                    "to": hi,
                    "break": period.treatment == Treatment.BREAK,
                    "label": f"{period} · {period.get_treatment_display()}",
                }
            )
    years = series.years_of(values)
    return {
        "labels": [f"{y}-{m:02d}" for y, m in months],
        "values": [_number(values.get(month)) for month in months],
        "spans": spans,
        "years": [
            {
                "year": year,
                "values": [_number(values.get((year, m))) for m in MONTHS],
                "excluded": [(year, m) in excluded for m in MONTHS],
            }
            for year in years
        ],
        "months": [str(m) for m in MONTH_ABBR],
        "unit": unit,
        "texts": {
            "series": _("Serie mensual"),
            "excluded": _("Periodo atípico"),
            "break": _("Cambio de nivel"),
        },
    }


def build(variable: StatisticalVariable, level: Level) -> SeriesPage:
    values = series.monthly_series(variable, cost_center=level.cost_center, org_unit=level.org_unit)
    periods = series.exclusions_for(variable, level.cost_center)
    excluded = _excluded_months(periods)
    revised = series.revisions(variable, cost_center=level.cost_center, org_unit=level.org_unit)
    rows = []
    for year in series.years_of(values):
        cells = [Cell(m, values.get((year, m)), (year, m) in excluded, revised.get((year, m), [])) for m in MONTHS]
        present = [c.value for c in cells if c.value is not None]
        rows.append(YearRow(year, cells, sum(present, Decimal(0)), len(present)))
    return SeriesPage(
        variable=variable,
        level=level,
        values=values,
        rows=rows,
        exclusions=periods,
        revised=sorted(revised.items()),
        chart=_chart(values, periods, excluded, str(variable.unit)),
    )
