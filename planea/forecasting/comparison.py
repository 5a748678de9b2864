"""P5 step 3, "compara pronósticos con metas del Plan Operativo Multianual": per subproduct and cost center, the
forecast of the POA's year (its twelve months as the whole units the goal cells take, added up: what step 7 writes
when nobody adjusts them; with the 80 % interval) against the POM goal of that year, the difference and the %
difference, flagged where |%| exceeds the programming's tolerance.

The stable interface, also read by the oficio's annex (step 4): `comparison(programming) -> Comparison`, whose
`subproducts` (`SubproductGroup`: product, subproduct, unit) hold `areas` (`AreaGroup`) that hold `lines` (`Line`:
one cost center, its forecast month by month in `months`, the variables and models behind it); every level carries
the `Figures` (`forecast` Band of the year, `goal`, `difference`, `percent`) and its `flagged` `Flag`;
`unit_totals` adds them up per unit of measure; `to_xlsx(comparison)` is the table as a workbook.

- The POM goal is the **vigente** (current) goal of the year (`PhysicalGoal.current_0` of the POA's POM): what the
  POM says now, after any reprogramming; the programmed one (`planned_0`) is kept beside it (`pom_planned`), equal
  while the POM has not been reprogrammed.
- The forecast of a year, an area or a subproduct is a sum of months and of series: its 80 % bounds are the sums of
  the bounds, wider than the true interval of the sum (conservative), as the pages say.
- Lines are the proposal's (subproduct × cost center with a forecast) and the POM's (with a goal of the year) of the
  POA's PEI, grouped by product, subproduct and area (the cost center's organizational unit), with the totals of
  each area within a subproduct, of each subproduct, and per unit of measure (never adding persons to documents).
- `percent` is (forecast − goal) / goal × 100, None when the POM has no goal (0 or no line): such a line is marked
  «sin meta en el POM» instead, and one without forecast «sin pronóstico»; neither is a tolerance flag."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from io import BytesIO
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from planea.core.numbers import formatted
from planea.operations.models import PhysicalGoal
from planea.org.models import CostCenter
from planea.spreadsheets.streamed import PERCENT_FORMAT, WHOLE_FORMAT, figure, title_row
from planea.spreadsheets.xlsx import escape_formula
from planea.strategy.models import Subproduct

from .models import ForecastRun, Programming
from .proposal import Band, proposal, whole

HUNDRED = Decimal(100)


class Flag(StrEnum):
    """How a line (or a total) stands against the tolerance."""

    WITHIN = "dentro"  # |%| within the tolerance
    ABOVE = "por_encima"  # forecast above the POM goal beyond the tolerance
    BELOW = "por_debajo"  # forecast below the POM goal beyond the tolerance
    NO_GOAL = "sin_meta"  # a forecast where the POM has no goal
    NO_FORECAST = "sin_pronostico"  # a POM goal that no forecast covers


FLAG_LABELS = {
    Flag.WITHIN: gettext_lazy("Dentro de la tolerancia"),
    Flag.ABOVE: gettext_lazy("Por encima de la tolerancia"),
    Flag.BELOW: gettext_lazy("Por debajo de la tolerancia"),
    Flag.NO_GOAL: gettext_lazy("Sin meta en el POM"),
    Flag.NO_FORECAST: gettext_lazy("Sin pronóstico"),
}


@dataclass
class Figures:
    """A forecast (None: no series measures it) against a POM goal (None: the POM has no line)."""

    forecast: Band | None = None
    goal: int | None = None
    pom_planned: int | None = None

    def add(self, other: Figures) -> None:
        if other.forecast is not None:
            self.forecast = other.forecast if self.forecast is None else self.forecast + other.forecast
        if other.goal is not None:
            self.goal = (self.goal or 0) + other.goal
        if other.pom_planned is not None:
            self.pom_planned = (self.pom_planned or 0) + other.pom_planned

    @property
    def forecast_whole(self) -> int | None:
        """The forecast of the year as a whole quantity (half up), as the tables show it."""
        if self.forecast is None:
            return None
        return whole(self.forecast.yhat)

    @property
    def lo80_whole(self) -> int | None:
        return None if self.forecast is None else whole(self.forecast.lo80)

    @property
    def hi80_whole(self) -> int | None:
        return None if self.forecast is None else whole(self.forecast.hi80)

    @property
    def difference(self) -> Decimal | None:
        """Forecast − POM goal (a missing side counts as 0 when the other is there)."""
        if self.forecast is None and self.goal is None:
            return None
        return (self.forecast.yhat if self.forecast else Decimal(0)) - Decimal(self.goal or 0)

    @property
    def percent(self) -> Decimal | None:
        """(Forecast − goal) / goal × 100, to two decimals; None without a goal or a forecast."""
        if self.forecast is None or not self.goal:
            return None
        return ((self.forecast.yhat - self.goal) * HUNDRED / self.goal).quantize(Decimal("0.01"))

    @property
    def percent_text(self) -> str:
        """The percentage as printed: one decimal, and beyond ±999 % only its sign (a goal of a few units)."""
        percent = self.percent
        if percent is None:
            return "—"
        if abs(percent) >= 1000:
            return "> 999" if percent > 0 else "< −999"
        # Half up, as the comparison page rounds it (formatting the Decimal itself would round half to even).
        return formatted(percent, 1).replace("-", "−")

    def flag(self, tolerance: Decimal) -> Flag:
        if self.forecast is None:
            return Flag.NO_FORECAST if self.goal else Flag.WITHIN
        percent = self.percent
        if percent is None:
            return Flag.NO_GOAL if self.forecast.yhat else Flag.WITHIN
        if abs(percent) <= tolerance:
            return Flag.WITHIN
        return Flag.ABOVE if percent > 0 else Flag.BELOW


@dataclass
class Line(Figures):
    """One subproduct at one cost center."""

    subproduct_id: int = 0
    cost_center_id: int = 0
    cost_center_code: str = ""
    cost_center_name: str = ""
    variables: list[str] = field(default_factory=list)  # the statistical variables behind the forecast
    models: list[str] = field(default_factory=list)  # the model chosen for each variable's series
    months: dict[int, Band] = field(default_factory=dict)  # the forecast month by month (1–12), for charts
    flagged: Flag = Flag.WITHIN


@dataclass
class AreaGroup:
    """The lines of one area (organizational unit of the cost centers) within a subproduct, with their total."""

    area_id: int
    area_code: str
    area_name: str
    lines: list[Line] = field(default_factory=list)
    total: Figures = field(default_factory=Figures)
    flagged: Flag = Flag.WITHIN


@dataclass
class SubproductGroup:
    subproduct_id: int
    subproduct_code: str
    subproduct_name: str
    product_id: int
    product_code: str
    product_name: str
    unit: str
    areas: list[AreaGroup] = field(default_factory=list)
    total: Figures = field(default_factory=Figures)
    flagged: Flag = Flag.WITHIN

    @property
    def lines(self) -> list[Line]:
        return [line for area in self.areas for line in area.lines]


@dataclass
class Comparison:
    """The step 3 table of a programming: its subproducts by product and code, the totals per unit of measure, the
    tolerance, the run and the POM compared (None when the POA has none: every line is then «sin meta»)."""

    plan_code: str
    year: int
    pom_code: str | None
    run: ForecastRun | None
    tolerance: Decimal
    subproducts: list[SubproductGroup] = field(default_factory=list)
    unit_totals: dict[str, Figures] = field(default_factory=dict)

    @property
    def lines(self) -> list[Line]:
        return [line for group in self.subproducts for line in group.lines]

    def flagged_lines(self) -> list[Line]:
        """The lines beyond the tolerance (above or below the POM goal)."""
        return [line for line in self.lines if line.flagged in (Flag.ABOVE, Flag.BELOW)]


def comparison(programming: Programming) -> Comparison:
    """The comparison of the programming's chosen run with the POM goals of the POA's year (no forecast side while
    no run is chosen). A handful of queries whatever the size."""
    plan = programming.plan
    year = plan.start_year
    tolerance = Decimal(programming.tolerance)
    pom = plan.multiannual
    run = programming.run
    result = Comparison(plan.code, year, pom.code if pom else None, run, tolerance)
    subproducts = {
        s.pk: s for s in Subproduct.objects.filter(plan_id=plan.strategic_plan_id).select_related("product", "unit")
    }
    lines: dict[tuple[int, int], Line] = {}
    if run is not None:
        for (subproduct_id, center_id), found in proposal(run, plan.strategic_plan_id).items():
            if subproduct_id in subproducts:
                lines[(subproduct_id, center_id)] = Line(
                    forecast=found.total,
                    subproduct_id=subproduct_id,
                    cost_center_id=center_id,
                    variables=list(found.variables),
                    models=list(found.models),
                    months=dict(found.months),
                )
    if pom is not None:
        goals = PhysicalGoal.objects.filter(plan=pom, year=year, subproduct_id__in=list(subproducts)).filter(
            ~Q(current_0=0) | ~Q(planned_0=0)
        )
        for subproduct_id, center_id, current, planned in goals.values_list(
            "subproduct_id", "cost_center_id", "current_0", "planned_0"
        ):
            line = lines.setdefault(
                (subproduct_id, center_id), Line(subproduct_id=subproduct_id, cost_center_id=center_id)
            )
            line.goal, line.pom_planned = current, planned
    centers = {c.pk: c for c in CostCenter.objects.filter(pk__in={c for _s, c in lines}).select_related("org_unit")}
    by_subproduct: dict[int, dict[int, AreaGroup]] = defaultdict(dict)
    for (subproduct_id, center_id), line in lines.items():
        center = centers[center_id]
        line.cost_center_code, line.cost_center_name = center.code, center.name
        line.flagged = line.flag(tolerance)
        unit = center.org_unit
        area = by_subproduct[subproduct_id].setdefault(unit.pk, AreaGroup(unit.pk, unit.code, unit.name))
        area.lines.append(line)
    for subproduct_id, areas in by_subproduct.items():
        subproduct = subproducts[subproduct_id]
        group = SubproductGroup(
            subproduct.pk,
            subproduct.code,
            subproduct.name,
            subproduct.product_id,
            subproduct.product.code,
            subproduct.product.name,
            subproduct.unit.name,
        )
        for area in sorted(areas.values(), key=lambda a: a.area_code):
            area.lines.sort(key=lambda line: line.cost_center_code)
            for line in area.lines:
                area.total.add(line)
            area.flagged = area.total.flag(tolerance)
            group.total.add(area.total)
            group.areas.append(area)
        group.flagged = group.total.flag(tolerance)
        result.unit_totals.setdefault(group.unit, Figures()).add(group.total)
        result.subproducts.append(group)
    result.subproducts.sort(key=lambda g: (g.product_code, g.subproduct_code))
    result.unit_totals = dict(sorted(result.unit_totals.items()))
    return result


def to_xlsx(table: Comparison) -> bytes:
    """The comparison as a workbook: one row per line, then the subproduct and unit totals, with the tolerance, the
    run and the note on the interval of sums."""
    workbook = Workbook(write_only=True)  # rows streamed: a national table (6,000 lines) in about a second
    sheet = workbook.create_sheet("Comparación")
    sheet.freeze_panes = "F5"  # the column titles and each line's names stay in sight (set before the first row)
    for letter, width in zip("ABCDEFGHIJKL", (30, 40, 14, 30, 34, 12, 12, 12, 14, 12, 12, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(
        [
            str(
                _("Comparación de pronósticos con el POM %(year)s · %(plan)s")
                % {"year": table.year, "plan": table.plan_code}
            )
        ]
    )
    sheet.append(
        [
            str(_("Tolerancia: %(t)s %% · corrida %(run)s · POM %(pom)s"))
            % {"t": table.tolerance, "run": table.run.pk if table.run else "—", "pom": table.pom_code or "—"}
        ]
    )
    sheet.append(
        [str(_("El intervalo de una suma es la suma de los intervalos: más ancho que el real (conservador)."))]
    )
    header = [
        _("Producto"),
        _("Subproducto"),
        _("Unidad de medida"),
        _("Área"),
        _("Centro de costo"),
        _("Pronóstico"),
        _("Mínimo 80 %"),
        _("Máximo 80 %"),
        _("Meta vigente del POM"),
        _("Diferencia"),
        _("Diferencia (%)"),
        _("Señal"),
    ]
    sheet.append(title_row(sheet, header))
    labels = {flag: str(label) for flag, label in FLAG_LABELS.items()}

    def number(value: int | float | None, number_format: str = WHOLE_FORMAT) -> Any:
        return figure(sheet, value, number_format)

    def figures(values: Figures) -> list[Any]:
        band = values.forecast
        return [
            number(values.forecast_whole),
            number(int(band.lo80.quantize(Decimal(1), rounding=ROUND_HALF_UP)) if band else None),
            number(int(band.hi80.quantize(Decimal(1), rounding=ROUND_HALF_UP)) if band else None),
            number(values.goal),
            number(
                int(values.difference.quantize(Decimal(1), rounding=ROUND_HALF_UP))
                if values.difference is not None
                else None
            ),
            number(float(values.percent) if values.percent is not None else None, PERCENT_FORMAT),
            labels[values.flag(table.tolerance)],
        ]

    for group in table.subproducts:
        head = [
            f"{group.product_code} {group.product_name}",
            f"{group.subproduct_code} {group.subproduct_name}",
            group.unit,
        ]
        for area in group.areas:
            for line in area.lines:
                row = [*head, f"{area.area_code} {area.area_name}", f"{line.cost_center_code} {line.cost_center_name}"]
                sheet.append([escape_formula(v) for v in row] + figures(line))
            sheet.append(
                [escape_formula(v) for v in head]
                + [f"{area.area_code} {area.area_name}", str(_("Total del área"))]
                + figures(area.total)
            )
        sheet.append([escape_formula(v) for v in head] + ["", str(_("Total del subproducto"))] + figures(group.total))
    for unit, totals in table.unit_totals.items():
        sheet.append(["", "", escape_formula(unit), "", str(_("Total por unidad de medida"))] + figures(totals))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
